"""What a handler needs from its registry: behaviour row, configuration,
store, events, clock, signing key, the ``http.secret`` that signs upload
tokens, and upload ids (deterministic unless the registry was given a source)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..digest import ALGORITHMS, Digest, DigestError
from ..messages import Request
from .behaviour import Behaviour
from .events import Event
from .storage import Store

__all__ = ["RegistryState", "TickingClock", "parse_reference_digest"]

_LEGACY_DIGEST = re.compile(r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\Z")
#: Bytes Go's ``url.URL.String`` leaves unescaped in a host (``shouldEscape``, encodeHost).
_HOST_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:[]<>\"")


def _escape_host(host: str) -> str:
    raw = host.encode("utf-8", "surrogateescape")
    return "".join(chr(b) if b in _HOST_SAFE else f"%{b:02X}" for b in raw)


class TickingClock:
    """A deterministic clock: starts at ``start`` and moves one second per call.

    Real registries sign converted manifests with the wall clock, so two GETs
    give two different bodies; ticking keeps that visible while keeping every
    notebook run byte-identical.
    """

    def __init__(self, start: datetime = datetime(2016, 2, 9, 10, 0, 0, tzinfo=timezone.utc)):
        self._now = start

    def __call__(self) -> datetime:
        now = self._now
        self._now = now + timedelta(seconds=1)
        return now


def parse_reference_digest(behaviour: Behaviour, text: str) -> str | None:
    """The digest named by a URL reference, or None if the registry would not
    read it as one. 2.0-2.6 used distribution's own digest package, which
    accepted uppercase hex; 2.7+ use go-digest. (A reference that is not a
    valid digest is looked up as a tag.)"""
    if ":" not in text:
        return None
    if behaviour.legacy_digest_parsing:
        if not _LEGACY_DIGEST.match(text):
            return None
        algorithm, _, encoded = text.partition(":")
        if algorithm not in ALGORITHMS or len(encoded) != ALGORITHMS[algorithm]:
            return None
        return text
    try:
        return Digest(text)
    except DigestError:
        return None


@dataclass
class RegistryState:
    behaviour: Behaviour
    store: Store
    schema1_push: bool
    delete_enabled: bool
    trust_key: object
    clock: TickingClock
    events: list[Event] = field(default_factory=list)
    upload_counter: int = 0
    #: ``http.secret``: the HMAC key of the ``_state`` tokens (see upload_token.py).
    secret: bytes = b""
    #: Where upload ids come from (None: counter-derived, repeatable).
    upload_ids: Callable[[], str] | None = None
    default_host: str = "localhost:5000"

    def base_url(self, request: Request) -> str:
        """Scheme and host of the URLs the registry builds (``Location``), as
        ``NewURLBuilderFromRequest`` takes them: ``X-Forwarded-Proto``, then the
        first of ``X-Forwarded-Host``'s comma-separated hosts over ``Host``
        (seen against 2.8.2; the RFC 7239 ``Forwarded`` header is left out). Go's
        ``url.URL.String`` percent-escapes the host (``é`` is ``%C3%A9``, ``%``
        is ``%25``) and writes the scheme as it came."""
        host = request.headers.get("Host") or self.default_host
        forwarded = request.headers.get("X-Forwarded-Host")
        if forwarded:
            host = forwarded.split(",", 1)[0].strip()
        proto = request.headers.get("X-Forwarded-Proto") or "http"
        return f"{proto}://{_escape_host(host)}"

    def new_upload_id(self, name: str) -> str:
        """The next upload id: from ``upload_ids`` when given, else a uuid-shaped id
        derived from a counter (repeatable runs, unique ids)."""
        self.upload_counter += 1
        if self.upload_ids is not None:
            return str(self.upload_ids())
        h = hashlib.sha256(f"{self.behaviour.version}/{name}/{self.upload_counter}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"

    def emit(self, event: Event) -> None:
        self.events.append(event)
