"""Publishing a manifest list, as ``docker manifest push`` (CLI 18.02+) does.

None of the modelled daemons can push a multi-platform image, so a list is
published by this small tool: every platform image's blobs and its schema2
manifest (PUT **by digest**, with its media type), then the list itself PUT by
tag with the list media type. The exchanges are recorded like an engine's, and
the answer is a :class:`PushResult` whose ``digest`` is the list digest L.

Left out: cross-repository mounts and the CLI's "insecure registry" retry.
"""

from __future__ import annotations

from ..digest import from_bytes
from .results import PushResult
from .wire import EngineFailure, Session, client_error, upload_blob

__all__ = ["publish_index"]


def _put(session: Session, name: str, reference: str, manifest) -> None:
    response = session.send("PUT", f"/v2/{name}/manifests/{reference}",
                            [("Content-Type", manifest.media_type)], manifest.raw)
    if not response.ok:
        raise EngineFailure(client_error(response))


def publish_index(session: Session, images, index, name: str, tag: str) -> PushResult:
    """Push ``images`` (their schema2 manifests) and ``index`` (a list over them) as ``name:tag``."""
    result = PushResult(ok=False, digest=None, media_type=None, size=None, exchanges=session.exchanges)
    try:
        for image in images:
            for blob in image.blobs():
                upload_blob(session, name, blob.digest, blob.data)
            child = image.schema2()
            _put(session, name, child.digest, child)
        _put(session, name, tag, index)
        result.ok = True
        result.digest, result.size, result.media_type = from_bytes(index.raw), len(index.raw), index.media_type
        result.output.append(f"{result.digest}")
    except EngineFailure as err:
        result.error = str(err)
        result.output.append(result.error)
    return result
