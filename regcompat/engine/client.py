"""``Engine(version, target)``: a Docker daemon of one version, talking to one registry.

``target`` is anything with ``.handle(Request) -> Response`` (a
:class:`~regcompat.registry.Registry`, in process) or an ``http://host:port``
URL, reached through :class:`regcompat.engine.http.HTTPTransport`. The same
flows (push.py, pull.py) run either way; only the transport differs.

Deterministic by default: the daemon's libtrust key is seeded from the engine
version (``TrustKey.from_seed("docker-daemon-<version>")``) and the signing
clock starts at 2016-03-01T12:00:00Z and ticks one second per signature, so
two runs print the same digests and sign the same bytes. Pass ``trust_key=``
or ``clock=`` to change either.

A reference without a registry host is taken to name a repository on the
target (``demo/app:latest`` on ``localhost:5000``); the CLI-style lines print
it with the host (``localhost:5000/demo/app``). Every command starts with the
``GET /v2/`` version check real engines make (see wire.Session.ping).

An ``Engine`` is one daemon: the blobs it pushed or pulled are remembered
(``known_blobs``), and a later push HEADs those layers before uploading, as a
real daemon's v2 metadata makes it do (wire.upload_blob); a new ``Engine`` is
a fresh daemon. Every pull still starts from an empty image store (pull.py).

Daemon settings that change a row: ``require_schema2=True`` (1.13+, plugins),
``enable_schema1_pull=True`` (``DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE``,
26.0-28.1: the "27" row), ``allow_schema1_push=True``
(``DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE``, 20.10 and 27). A setting the version
does not have is refused with ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ..manifest import libtrust
from ..reference import ReferenceError, parse_reference
from .profiles import EngineProfile, profile
from .pull import pull as _pull
from .push import push as _push
from .results import PullResult, PushResult
from .wire import Session

__all__ = ["Engine", "TickingClock", "daemon_key"]

_START = datetime(2016, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


class TickingClock:
    """A clock that starts at ``start`` and advances one second per call."""

    def __init__(self, start: datetime = _START):
        self._next = start

    def __call__(self) -> datetime:
        now = self._next
        self._next = now + timedelta(seconds=1)
        return now


@lru_cache(maxsize=None)
def daemon_key(version: str) -> libtrust.TrustKey:
    """The seeded libtrust key of an engine version's daemon (the same object every time)."""
    return libtrust.TrustKey.from_seed(f"docker-daemon-{version}")


def _transport(target) -> tuple[object, str]:
    if isinstance(target, str):
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not a registry URL: {target!r} (expected http://host:port)")
        from .http import HTTPTransport  # the adapter; imported only when a URL is given
        return HTTPTransport(target), parts.netloc
    if not callable(getattr(target, "handle", None)):
        raise TypeError("target must have .handle(Request) -> Response or be an http:// URL")
    return target, "localhost:5000"


class Engine:
    """A Docker Engine client of one version (see ``ENGINE_VERSIONS``)."""

    def __init__(self, version: str, target, *, trust_key: libtrust.TrustKey | None = None,
                 clock: Callable[[], datetime] | None = None, host: str | None = None,
                 require_schema2: bool = False, enable_schema1_pull: bool = False,
                 allow_schema1_push: bool = False):
        self.profile: EngineProfile = profile(version)
        if require_schema2:
            if not self.profile.require_schema2_option:
                raise ValueError(f"Docker {self.profile.version} has no RequireSchema2 setting (1.13+ only)")
            self.profile = replace(self.profile, fallback=False, require_schema2=True)
        if enable_schema1_pull:
            if not self.profile.schema1_pull_option:
                raise ValueError(f"Docker {self.profile.version} has no DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE "
                                 "(26.0-28.1 only)")
            self.profile = replace(self.profile, schema1_pull_warning=True)
        if allow_schema1_push:
            if not self.profile.schema1_push_option:
                raise ValueError(f"Docker {self.profile.version} has no DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE "
                                 "(20.10-27 only)")
            self.profile = replace(self.profile, fallback=not require_schema2, schema1_push_notice=True)
        self.transport, default_host = _transport(target)
        self.host = host or default_host
        self.trust_key = trust_key or daemon_key(self.profile.version)
        self.clock = clock or TickingClock()
        #: blob digests this daemon pushed or pulled (its v2 metadata); 1.6/1.7 keep none
        self.known_blobs: set[str] | None = None if self.profile.schema1_client == "session" else set()

    @property
    def version(self) -> str:
        return self.profile.version

    def __repr__(self) -> str:
        return f"Engine({self.version!r}, {self.transport!r})"

    def _session(self) -> Session:
        return Session(self.transport, self.host, f"docker/{self.profile.release}", self.profile.client_errors,
                       self.known_blobs)

    def _names(self, text: str):
        ref = parse_reference(text)
        name = ref.path
        repo = ref.name if ref.domain else f"{self.host}/{name}"
        return ref, name, repo

    def push(self, image, ref: str) -> PushResult:
        """``docker push <ref>`` of ``image`` (a :class:`regcompat.image.Image`)."""
        try:
            parsed, name, repo = self._names(ref)
        except ReferenceError as err:
            return PushResult(False, None, None, None, output=[str(err)], error=str(err))
        if parsed.digest:
            text = "cannot push a digest reference"
            return PushResult(False, None, None, None, output=[text], error=text)
        return _push(self.profile, self._session(), image, name, parsed.tag or "latest", repo,
                     self.trust_key, self.clock)

    def pull(self, ref: str) -> PullResult:
        """``docker pull <ref>``: by digest when ``ref`` has ``@sha256:...``, else by tag."""
        try:
            parsed, name, repo = self._names(ref)
        except ReferenceError as err:
            return PullResult(False, None, None, output=[str(err)], error=str(err))
        return _pull(self.profile, self._session(), name, parsed.tag, parsed.digest, repo)
