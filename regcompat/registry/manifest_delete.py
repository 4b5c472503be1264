"""Manifest DELETE, as distribution 2.x answers it.

Deletion is off unless ``storage.delete.enabled`` (``delete_enabled=True``):
405 UNSUPPORTED (2.0 has no deletes at all: 400 UNSUPPORTED, recorded). In 2.x only a digest can be deleted; a tag reference reaches
the storage with an empty digest and comes back DIGEST_INVALID (recorded).
Deleting a manifest removes every tag that points at it; the blobs stay (no
GC). 3.0 deletes a tag by name: it untags it (202), whatever the delete
setting (v3.0.0 handlers/manifests.go:439-453; recorded), and an unknown tag
is MANIFEST_UNKNOWN.
"""

from __future__ import annotations

from ..errors import ErrorCode, RegistryError
from ..messages import Request, Response
from . import go_errors
from .responses import respond
from .routes import Route
from .state import RegistryState, parse_reference_digest

__all__ = ["delete_manifest"]


def delete_manifest(state: RegistryState, route: Route, request: Request) -> Response:
    digest = parse_reference_digest(state.behaviour, route.reference)
    if digest is None and state.behaviour.delete_by_tag:
        return _untag(state, route.name, route.reference)
    if not state.delete_enabled:
        raise RegistryError(ErrorCode.UNSUPPORTED, http_status=state.behaviour.delete_refused_status)
    if digest is None:
        raise RegistryError(ErrorCode.DIGEST_INVALID)
    repo = state.store.existing(route.name)
    if repo is None or digest not in repo.manifests:
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN)
    del repo.manifests[digest]
    for tag in [t for t, d in repo.tags.items() if d == digest]:
        del repo.tags[tag]
    return respond(202)


def _untag(state: RegistryState, name: str, tag: str) -> Response:
    repo = state.store.existing(name)
    if repo is None or tag not in repo.tags:
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN, detail=go_errors.tag_unknown(tag))
    del repo.tags[tag]
    return respond(202)
