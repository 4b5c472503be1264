"""Push as one engine, pull as another, through one registry version.

:func:`scenario` runs the flagship experiment: ``Engine(push_engine)`` pushes
an image to a fresh ``Registry(registry, **registry_config)`` as
``demo/app:latest``, then ``Engine(pull_engine)`` pulls it by tag or by the
digest the pusher printed. With ``kind="list"`` a manifest list (amd64 and
arm64 schema2 images) is published by the ``docker manifest push`` model
instead, and the pull asks for the list by tag or by its digest L.

:func:`compatibility_matrix` runs every (pusher, registry version, puller,
tag|digest, image kind) combination. Each pusher pushes once per registry and
every puller then pulls from that same registry, which is what a real
deployment sees (pulls only add converted blobs and events; they never change
what is served). Pushers that stored the same manifest (same digest, media
type and size: 1.12 to 28 push identical schema2 bytes) share one set of
pulls, since a pull's outcome depends only on what the registry serves (the
tests compare sampled rows with fresh scenarios). List rows have the pusher
``"manifest-tool"``.

Left out: authentication, pull-through caches, registry configuration other
than the keyword arguments ``Registry`` takes, and the engines' local image
store (every pull starts from an empty daemon).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import ENGINE_VERSIONS, Engine
from .engine.publish import publish_index
from .engine.results import PullResult, PushResult
from .engine.wire import Session
from .mediatypes import is_schema1

__all__ = ["scenario", "ScenarioResult", "compatibility_matrix", "LIST_PUSHER", "MATRIX_COLUMNS"]

LIST_PUSHER = "manifest-tool"
MATRIX_COLUMNS = ("pusher", "registry", "puller", "by", "kind", "push_ok", "pushed_digest",
                  "pushed_media_type", "push_error", "outcome", "ok", "digest", "media_type",
                  "converted", "error")


@dataclass
class ScenarioResult:
    """One push and the pull that followed it (``pull`` is None when the push failed)."""

    push_engine: str
    registry_version: str
    pull_engine: str
    by: str
    kind: str
    push: PushResult
    pull: PullResult | None
    registry: object = field(repr=False)
    reference: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.push.ok and self.pull is not None and self.pull.ok)

    @property
    def outcome(self) -> str:
        """"ok", "push failed" or "pull failed"."""
        if not self.push.ok:
            return "push failed"
        return "ok" if self.pull is not None and self.pull.ok else "pull failed"

    @property
    def error(self) -> str | None:
        return self.push.error if not self.push.ok else (self.pull.error if self.pull else None)

    @property
    def converted(self) -> bool:
        """True when the manifest served is schema1 although schema2 (or a list) was pushed."""
        return bool(self.pull is not None and self.push.media_type and not is_schema1(self.push.media_type)
                    and is_schema1((self.pull.media_type or "").split(";")[0]))

    def row(self) -> dict:
        pull = self.pull
        return {
            "pusher": self.push_engine, "registry": self.registry_version, "puller": self.pull_engine,
            "by": self.by, "kind": self.kind, "push_ok": self.push.ok,
            "pushed_digest": self.push.digest, "pushed_media_type": self.push.media_type,
            "push_error": self.push.error, "outcome": self.outcome, "ok": self.ok,
            "digest": pull.digest if pull else None, "media_type": pull.media_type if pull else None,
            "converted": self.converted, "error": self.error,
        }


def _published(push_engine: str, registry: str, kind: str, image, name: str, tag: str, registry_config):
    from .registry import Registry
    reg = Registry(registry, **registry_config)
    if kind == "list":
        from .testing import random_index
        images, index = image if image is not None else random_index(seed=0)
        push = publish_index(Session(reg), images, index, name, tag)
    elif kind == "image":
        if image is None:
            from .image import sample_image
            image = sample_image()
        push = Engine(push_engine, reg).push(image, f"{name}:{tag}")
    else:
        raise ValueError(f"kind must be 'image' or 'list', not {kind!r}")
    return reg, push


def _pull(reg, push: PushResult, pull_engine: str, by: str, name: str, tag: str):
    if by not in ("tag", "digest"):
        raise ValueError(f"by must be 'tag' or 'digest', not {by!r}")
    if not push.ok:
        return None, None
    ref = f"{name}:{tag}" if by == "tag" else f"{name}@{push.digest}"
    return Engine(pull_engine, reg).pull(ref), ref


def scenario(push_engine: str = "1.10", registry: str = "2.3.0", pull_engine: str = "1.9",
             by: str = "tag", image=None, *, kind: str = "image", name: str = "demo/app",
             tag: str = "latest", **registry_config) -> ScenarioResult:
    """Push with ``push_engine`` to a fresh ``registry``, then pull with ``pull_engine`` by tag or digest."""
    if by not in ("tag", "digest"):
        raise ValueError(f"by must be 'tag' or 'digest', not {by!r}")
    reg, push = _published(push_engine, registry, kind, image, name, tag, registry_config)
    pull, ref = _pull(reg, push, pull_engine, by, name, tag)
    pusher = LIST_PUSHER if kind == "list" else push_engine
    return ScenarioResult(pusher, reg.version, pull_engine, by, kind, push, pull, reg, ref)


def compatibility_matrix(*, engines: tuple[str, ...] | None = None, registries: tuple[str, ...] | None = None,
                         kinds: tuple[str, ...] = ("image", "list"), fresh: bool = False) -> list[dict]:
    """One row per (pusher, registry, puller, tag|digest, kind); see ``MATRIX_COLUMNS``.

    The rows are deterministic, so they are computed once per process and copied
    out on later calls; ``fresh=True`` recomputes them.
    """
    from .registry import REGISTRY_VERSIONS
    key = (tuple(engines or ENGINE_VERSIONS), tuple(registries or REGISTRY_VERSIONS), tuple(kinds))
    if fresh or key not in _MATRIX_CACHE:
        _MATRIX_CACHE[key] = _matrix(*key)
    return [dict(row) for row in _MATRIX_CACHE[key]]


_MATRIX_CACHE: dict[tuple, list[dict]] = {}


def _matrix(engines: tuple[str, ...], registries: tuple[str, ...], kinds: tuple[str, ...]) -> list[dict]:
    rows: list[dict] = []
    pulls: dict[tuple, dict] = {}  # pushes that stored the same manifest share their pulls
    for kind in kinds:
        pushers = engines if kind == "image" else (LIST_PUSHER,)
        for pusher in pushers:
            for version in registries:
                reg, push = _published(pusher, version, kind, None, "demo/app", "latest", {})
                shared = pulls.setdefault((kind, version, push.ok, push.digest, push.media_type, push.size), {})
                for puller in engines:
                    for by in ("tag", "digest"):
                        if (puller, by) not in shared:
                            shared[puller, by] = _pull(reg, push, puller, by, "demo/app", "latest")
                        pull, ref = shared[puller, by]
                        result = ScenarioResult(pusher, reg.version, puller, by, kind, push, pull, reg, ref)
                        rows.append(result.row())
    return rows
