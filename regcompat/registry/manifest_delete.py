"""Manifest DELETE, as distribution 2.x answers it.

Deletion is off unless ``storage.delete.enabled`` (``delete_enabled=True``):
405 UNSUPPORTED. Only a digest can be deleted; a tag reference reaches the
storage with an empty digest and comes back DIGEST_INVALID. Deleting a
manifest removes every tag that points at it; the blobs stay (no GC).

Left out: deleting a tag by name (added to the OCI distribution spec later).
"""

from __future__ import annotations

from ..errors import ErrorCode, RegistryError
from ..messages import Request, Response
from .responses import respond
from .routes import Route
from .state import RegistryState, parse_reference_digest

__all__ = ["delete_manifest"]


def delete_manifest(state: RegistryState, route: Route, request: Request) -> Response:
    if not state.delete_enabled:
        raise RegistryError(ErrorCode.UNSUPPORTED)
    digest = parse_reference_digest(state.behaviour, route.reference)
    if digest is None:
        raise RegistryError(ErrorCode.DIGEST_INVALID)
    repo = state.store.existing(route.name)
    if repo is None or digest not in repo.manifests:
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN)
    del repo.manifests[digest]
    for tag in [t for t, d in repo.tags.items() if d == digest]:
        del repo.tags[tag]
    return respond(202)
