"""``docker push``, written once for every engine profile.

Schema1 pushers (1.6-1.9, ``M@v1.9.1:graph/push_v2.go:108-227``): upload every
``fsLayers`` blob, sign the payload with the daemon's libtrust key, then PUT it
by tag with **no Content-Type**. 1.9 prints ``<tag>: digest: <P> size: <n>``
*before* the PUT and ignores the response's digest; 1.6/1.7 check the
returned ``Docker-Content-Digest`` against the payload and print ``Digest:
<d>`` after it (``M@v1.6.2:registry/session_v2.go:300-350``,
``graph/push.go:425-440``); their payload puts ``schemaVersion`` last.

Schema2 pushers (1.10+, ``M@v1.10.0:distribution/push_v2.go:153-196``): upload
the layers, then the config (the manifest builder Stats it first), then PUT the
schema2 manifest with its media type; a 2xx must carry a parseable digest. On
any failure a profile with ``fallback`` logs ``failed to upload schema2
manifest: <err> - falling back to schema1`` to the daemon log (the user sees
nothing), builds schema1 with the same algorithm as the registry's conversion,
uploads the empty-layer blob if the config needs it, signs with the daemon key
and PUTs with the prettyjws type. The ``<tag>: digest: ... size: ...`` line is
printed after the successful PUT.

20.10+ (``schema1_push_removed``) do not fall back unless the daemon runs with
``DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE`` (``Engine(..., allow_schema1_push=True)``,
20.10 and 27; it prints a ``[DEPRECATION NOTICE]`` line after the schema1 PUT);
a refusal whose text is exactly ``tag invalid`` fails with
``[DEPRECATED] support for pushing manifest v2 schema1 images has been removed.
... : tag invalid`` (``M@v20.10.24:distribution/push_v2.go:184-222``). 1.13+
go on to upload a layer whose existence check failed (wire.upload_blob).

The schema1 payload a 1.6-1.9 daemon signs is modelled as the one
distribution's conversion builds from the image (``Image.schema1_payload``):
the real daemons wrote each layer's stored v1 JSON, which for an image built by
that daemon has the same structure but other ``v1Compatibility`` contents.

Left out: per-layer progress lines ("Pushed", "Layer already exists"), v1
registry pushes, cross-repository mounts, content trust.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..digest import Digest, DigestError, from_bytes
from ..mediatypes import MediaType
from ..manifest import libtrust, schema1
from ..manifest.convert import EMPTY_LAYER, EMPTY_LAYER_DIGEST, schema2_to_schema1, uses_empty_layer
from ..reference import parse_reference
from .profiles import SCHEMA1_PUSH_NOTICE, SCHEMA1_PUSH_REMOVED, EngineProfile
from .results import PushResult
from .wire import EngineFailure, Session, upload_blob

__all__ = ["push"]


def push(p: EngineProfile, session: Session, image, name: str, tag: str, display: str,
         trust_key: libtrust.TrustKey, clock: Callable[[], datetime]) -> PushResult:
    """Push ``image`` as ``name:tag``; ``display`` is the repository as the CLI names it."""
    result = PushResult(ok=False, digest=None, media_type=None, size=None, exchanges=session.exchanges)
    result.output.append(p.push_banner.format(repo=display))
    try:
        session.ping()
        if p.push == "schema1":
            _push_schema1(p, session, image, name, tag, trust_key, clock, result, display)
        else:
            _push_schema2(p, session, image, name, tag, trust_key, clock, result, display)
        result.ok = True
    except (EngineFailure, OSError) as err:  # OSError: the HTTP transport could not reach the registry
        result.error = str(err)
        result.output.append(result.error)
    return result


def _blob_data(image) -> dict[str, bytes]:
    data = {str(b.digest): b.data for b in image.layers}
    data[str(EMPTY_LAYER_DIGEST)] = EMPTY_LAYER
    return data


def _schema1_payload(p: EngineProfile, image, name: str, tag: str) -> bytes:
    payload = image.schema1_payload(name, tag)
    if p.schema1_style != "distribution":  # Docker 1.5-1.7 wrote schemaVersion last
        m = schema1.parse(payload, require_signature=False)
        payload = schema1.build_payload(m.name, m.tag, m.architecture, m.fs_layers, m.history,
                                        style=p.schema1_style)
    return payload


def _push_schema1(p, session, image, name, tag, key, clock, result, repo) -> None:
    payload = _schema1_payload(p, image, name, tag)
    manifest = schema1.parse(payload, require_signature=False)
    blobs = _blob_data(image)
    for blobsum in dict.fromkeys(reversed(manifest.fs_layers)):
        upload_blob(session, name, blobsum, blobs[str(blobsum)], check=_known(session, blobsum))
    if p.signed_log:
        result.daemon_log.append(p.signed_log.format(name=name, repo=repo, tag=tag, key_id=key.key_id))
    document = libtrust.sign(payload, key, now=clock())
    digest, size = from_bytes(payload), len(payload)
    if p.schema1_client == "distribution":  # printed before the PUT, whatever happens next
        result.output.append(p.push_digest_line.format(tag=tag, digest=digest, size=size))
        result.digest, result.size, result.media_type = digest, size, MediaType.SCHEMA1_SIGNED
    response = session.send("PUT", f"/v2/{name}/manifests/{tag}", [], document)
    if p.schema1_client == "distribution":
        if not response.ok:
            raise EngineFailure(session.error(response))
        return
    if response.status >= 400:
        raise EngineFailure(f"Server error: {response.status} trying to push {name}:{tag} manifest")
    header = response.headers.get("Docker-Content-Digest") or ""
    try:
        returned = Digest(header)
    except DigestError as err:
        raise EngineFailure(f"invalid manifest digest from registry: {err}") from None
    if returned != digest:
        raise EngineFailure(f'unable to verify manifest digest: registry has "{returned}", computed "{digest}"')
    result.output.append(p.push_digest_line.format(tag=tag, digest=returned, size=size))
    result.digest, result.size, result.media_type = returned, size, MediaType.SCHEMA1_SIGNED


def _known(session: Session, digest) -> bool:
    """Whether the daemon checks a layer before uploading it: only one it has pushed or pulled before."""
    return session.known is None or str(digest) in session.known


def _put_manifest(session: Session, name: str, tag: str, content_type: str, body: bytes) -> None:
    response = session.send("PUT", f"/v2/{name}/manifests/{tag}", [("Content-Type", content_type)], body)
    if not response.ok:
        raise EngineFailure(session.error(response))
    try:
        Digest(response.headers.get("Docker-Content-Digest") or "")
    except DigestError as err:
        raise EngineFailure(str(err)) from None


def _push_schema2(p, session, image, name, tag, key, clock, result, display) -> None:
    for layer in image.layers:
        upload_blob(session, name, layer.digest, layer.data, check=_known(session, layer.digest),
                    tolerant=p.tolerant_layer_check, log=result.daemon_log)
    config = image.config_blob
    upload_blob(session, name, config.digest, config.data)
    manifest = image.schema2(config_media_type=p.config_media_type)
    try:
        _put_manifest(session, name, tag, manifest.media_type, manifest.raw)
        body, media_type = manifest.canonical, manifest.media_type
    except EngineFailure as err:
        if not p.fallback:
            if p.require_schema2:
                result.daemon_log.append(f"failed to upload schema2 manifest: {err}")
            elif p.schema1_push_removed and str(err) == "tag invalid":
                result.daemon_log.append(SCHEMA1_PUSH_REMOVED)
                raise EngineFailure(f"{SCHEMA1_PUSH_REMOVED}: {err}") from None
            raise
        result.daemon_log.append(f"failed to upload schema2 manifest: {err} - falling back to schema1")
        body = _fallback_schema1(p, session, image, name, tag, key, clock, manifest)
        media_type = MediaType.SCHEMA1_SIGNED
        if p.schema1_push_notice:
            notice = SCHEMA1_PUSH_NOTICE.format(domain=parse_reference(display).domain or display.split("/")[0])
            result.daemon_log.append(notice)
            result.output.append(notice)
    digest = from_bytes(body)
    result.digest, result.size, result.media_type = digest, len(body), media_type
    result.output.append(p.push_digest_line.format(tag=tag, digest=digest, size=len(body)))


def _fallback_schema1(p, session, image, name, tag, key, clock, manifest) -> bytes:
    config = image.config_blob.data
    try:
        payload = schema2_to_schema1(config, list(manifest.layers), name, tag, keep_author=p.keep_author)
    except ValueError as err:
        raise EngineFailure(str(err)) from None
    if uses_empty_layer(config):
        upload_blob(session, name, EMPTY_LAYER_DIGEST, EMPTY_LAYER)
    document = libtrust.sign(payload, key, now=clock())
    _put_manifest(session, name, tag, MediaType.SCHEMA1_SIGNED, document)
    return payload
