"""Manifest GET and HEAD: resolve, negotiate, convert or rewrite, answer.

Modelled per version (registry-behavior.md section 2): tag resolution, the
``If-None-Match`` check against the stored digest (before any conversion),
the negotiation of negotiate.py, on-the-fly schema2 -> schema1 conversion
signed by the registry's key (a GET may write the empty-layer blob), the
``Docker-Content-Digest``/``ETag`` each version sends (the 2.3.0 bug that
sends the stored digest, the 2.3-2.6 list-rewrite bug), schema1 served with
the pushed signatures (<=2.4) or signed afresh on every GET (2.5+), the
content types, 3.0's refusals, and pull events.

Observed: registry 2.3.0's recording serves a stored schema1 with one more
signature than its session pushed. 2.3's signature store keeps every
signature pushed for a payload (so does the model), which points at an
earlier push of the same payload into that storage; the payload, and so the
digest, is the same.
"""

from __future__ import annotations

import re

from ..digest import from_bytes
from ..errors import GO_ERROR, ErrorCode, RegistryError
from ..mediatypes import MediaType
from .. import manifest as formats
from ..messages import Request, Response
from . import go_errors
from .events import Event
from .negotiate import Decision, accepted_types, decide, decide_child
from .responses import API_VERSION, respond
from .routes import Route
from .state import RegistryState, parse_reference_digest
from .storage import StoredManifest

__all__ = ["get_manifest"]

LEGACY_SCHEMA1_TYPE = "application/json; charset=utf-8"
#: What the filesystem driver accepts as a path component (a tag such as "sha256:ABC..." is refused).
STORAGE_PATH = re.compile(r"[A-Za-z0-9._-]+")
_OCI_TYPES = {"oci-manifest": MediaType.OCI_MANIFEST, "oci-index": MediaType.OCI_INDEX}


def get_manifest(state: RegistryState, route: Route, request: Request) -> Response:
    b = state.behaviour
    name = route.name
    url_digest = parse_reference_digest(b, route.reference)
    tag = None if url_digest else route.reference
    if tag is not None and not STORAGE_PATH.fullmatch(tag):
        raise _invalid_tag_path(b, name, tag)
    digest = url_digest or state.store.tag(name, tag)
    if digest is None:
        detail = go_errors.manifest_tag_unknown(name, tag) if b.unknown_tag_detail_has_name \
            else go_errors.tag_unknown(tag)
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN, detail=detail)
    if b.etag and _etag_matches(request, digest):
        return Response(304, [API_VERSION])
    stored = _load(state, name, digest)
    accepted = accepted_types(b, request.headers.get_all("Accept"))
    decision = decide(b, stored.kind, tag is not None, accepted)
    header_digest = stored.digest
    if decision.action == "child":
        stored, decision = _pick_child(state, name, stored, accepted)
        if b.list_rewrite_digest == "child":
            header_digest = stored.digest
    if decision.action == "refuse":
        status_code = ErrorCode.MANIFEST_UNKNOWN if "OCI" in (decision.error or "") else ErrorCode.MANIFEST_INVALID
        raise RegistryError(status_code, message=decision.error)
    if decision.action == "convert":
        content_type, body = MediaType.SCHEMA1_SIGNED, _convert(state, name, tag, stored)
        if b.converted_digest_header == "converted":
            header_digest = formats.manifest_digest(body)
    else:
        content_type, body = _render(state, stored)
    headers = [("Content-Type", content_type), ("Docker-Content-Digest", header_digest)]
    if b.etag:
        headers.append(("Etag", f'"{header_digest}"'))
    return respond(200, headers, body)


def _invalid_tag_path(b, name: str, tag: str) -> RegistryError:
    """A reference that is neither a tag nor a valid digest (``md5:...``,
    uppercase hex): looked up as a tag, its storage path is invalid. 2.8.2
    answers 500 UNKNOWN with the driver's error (seen against the real build);
    before 2.7 a tag lookup error was a 404 MANIFEST_UNKNOWN."""
    detail = go_errors.invalid_path(b.storage_driver,
                                    f"/docker/registry/v2/repositories/{name}/_manifests/tags/{tag}/current/link")
    code = ErrorCode.UNKNOWN if b.storage_errors_are_500 else ErrorCode.MANIFEST_UNKNOWN
    return RegistryError(code, detail=detail)


def _etag_matches(request: Request, digest: str) -> bool:
    return any(v in (digest, f'"{digest}"') for v in request.headers.get_all("If-None-Match"))


def _load(state: RegistryState, name: str, digest: str) -> StoredManifest:
    b = state.behaviour
    stored = state.store.manifest(name, digest)
    if stored is None:
        if b.blob_links_as_manifests and state.store.has_blob(name, digest):
            raise _blob_as_manifest(b, state.store.blob(name, digest))
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN, detail=go_errors.revision_unknown(name, digest))
    if stored.kind.startswith("untyped"):  # 2.3-2.6: stored, but storage cannot classify it
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN, detail=_unreadable(stored.raw))
    if stored.kind == "schema1" and b.stored_schema1_unreadable:
        # 3.0: storage's fmt.Errorf (v3.0.0 registry/storage/manifeststore.go:131), written as its text
        # (errcode/errors.go:233-237) in the UNKNOWN the handler appends (handlers/manifests.go:140-146, 191-197).
        raise RegistryError(ErrorCode.UNKNOWN, detail="unrecognized manifest schema version 1")
    event_type = stored.media_type if b.head_routed else MediaType.SCHEMA1
    state.emit(Event("pull", "manifest", name, event_type, stored.digest, len(stored.raw),
                     f"/v2/{name}/manifests/{stored.digest}"))
    return stored


def _unreadable(raw: bytes) -> object:
    """Why 2.3-2.6's manifest store cannot read back a body it stored (v2.3.0
    storage/manifeststore.go Get): schemaVersion 1 goes to the schema1 parser,
    which finds no signatures ({}); 2 with a mediaType that is neither schema2
    nor a list is an ErrManifestVerification ([{}]); any other version is
    "unrecognized manifest schema version N" ({}). Approximation: a version-2
    body whose mediaType names the other format (schema2 pushed as a list) is
    read by that format's parser in Go, and served if it parses; the model
    always refuses it."""
    version = formats.Fields(formats.decode(raw), "Versioned").int("schemaVersion")
    if version == 1:
        return go_errors.plain("missing signature key")
    if version == 2:
        return [GO_ERROR]
    return go_errors.plain(f"unrecognized manifest schema version {version}")


def _blob_as_manifest(b, data: bytes) -> RegistryError:
    """A blob read as a manifest (2.4-2.8: the manifest store also follows blob
    links): Go unmarshals it into ``manifest.Versioned`` and fails, with a syntax
    error ({"Offset": n}; a gzip layer: 1) or "unrecognized manifest schema
    version N" (a config: 0). 2.4-2.6 answer 404 MANIFEST_UNKNOWN, 2.7+ 500
    UNKNOWN (recorded; a config child of a list seen against 2.8.2). Left out:
    a blob that is itself a manifest with schemaVersion 1 or 2 (Go would serve
    it); the model answers as for version 0."""
    code = ErrorCode.UNKNOWN if b.storage_errors_are_500 else ErrorCode.MANIFEST_UNKNOWN
    try:
        value = formats.decode(data)
    except formats.ManifestError as err:
        return RegistryError(code, detail=go_errors.decode_error_detail(data, str(err), err.offset))
    version = 0
    if isinstance(value, dict):
        try:
            version = formats.Fields(value, "Versioned").int("schemaVersion")
        except formats.ManifestError as err:
            return RegistryError(code, detail=go_errors.decode_error_detail(data, str(err)))
    elif value is not None:
        kind = "array" if isinstance(value, list) else "string" if isinstance(value, str) else \
            "bool" if isinstance(value, bool) else "number"
        text = f"json: cannot unmarshal {kind} into Go value of type manifest.Versioned"
        return RegistryError(code, detail=go_errors.decode_error_detail(data, text))
    return RegistryError(code, detail=go_errors.plain(f"unrecognized manifest schema version {version}"))


def _pick_child(state: RegistryState, name: str, stored: StoredManifest,
                accepted: frozenset[str]) -> tuple[StoredManifest, Decision]:
    listed = formats.manifestlist.parse(stored.raw)
    chosen = formats.convert.select_platform(listed.manifests)
    if chosen is None:
        raise RegistryError(ErrorCode.MANIFEST_UNKNOWN)
    child = _load(state, name, chosen.digest)
    return child, decide_child(state.behaviour, child.kind, accepted)


def _convert(state: RegistryState, name: str, tag: str | None, stored: StoredManifest) -> bytes:
    b = state.behaviour
    manifest = formats.schema2.parse(stored.raw)
    config = state.store.blob(name, manifest.config.digest)
    if config is None:
        raise RegistryError(ErrorCode.MANIFEST_INVALID, detail=GO_ERROR)
    state.emit(Event("pull", "blob", name, "application/octet-stream", manifest.config.digest,
                     len(config), f"/v2/{name}/blobs/{manifest.config.digest}"))
    try:
        payload = formats.convert.schema2_to_schema1(config, list(manifest.layers), name, tag or "",
                                                     keep_author=b.keep_author)
    except formats.ManifestError:
        raise RegistryError(ErrorCode.MANIFEST_INVALID, detail=GO_ERROR) from None
    if formats.convert.uses_empty_layer(config) and not state.store.has_blob(
            name, formats.convert.EMPTY_LAYER_DIGEST):
        empty = formats.convert.EMPTY_LAYER
        state.store.put_blob(name, from_bytes(empty), empty)
        state.emit(Event("push", "blob", name, "application/octet-stream",
                         formats.convert.EMPTY_LAYER_DIGEST, len(empty),
                         f"/v2/{name}/blobs/{formats.convert.EMPTY_LAYER_DIGEST}"))
    return formats.libtrust.sign(payload, state.trust_key, now=state.clock())


def _trimmed(raw: bytes) -> bytes:
    """What 2.3-2.6 serve for a stored schema2 manifest or list: the storage handler
    decodes it with ``json.Unmarshal`` into a type whose ``UnmarshalJSON`` keeps its
    input as the canonical bytes, and Go hands ``UnmarshalJSON`` the JSON value alone,
    without the whitespace around it (v2.6.2 registry/storage/schema2manifesthandler.go:36;
    2.7 calls ``UnmarshalJSON`` on the stored bytes). So a manifest pushed as
    ``\n\t {...}`` is stored and answered under the digest of the bytes sent, but served
    without its leading whitespace: bytes that do not hash to the digest they are served
    under, a content-addressability violation (recorded on 2.3.0, 2.3.1, 2.4.1, 2.5.2 and
    2.6.2). A client that checks the digest of what it pulled by digest refuses it."""
    return raw.strip(b" \t\r\n")


def _render(state: RegistryState, stored: StoredManifest) -> tuple[str, bytes]:
    b = state.behaviour
    if stored.kind != "schema1":
        # An OCI document is served as its type whatever its mediaType field says (an absent
        # field included: seen against 2.8.2); schema2 and lists as their field.
        content_type = _OCI_TYPES.get(stored.kind, stored.media_type)
        if stored.kind == "list" and not content_type and b.oci:
            content_type = MediaType.OCI_INDEX
        if b.serves_trimmed_manifest and stored.kind in ("schema2", "list"):
            return content_type, _trimmed(stored.raw)
        return content_type, stored.raw
    if b.schema1_signatures == "stored" and stored.signatures:
        body = formats.libtrust.pretty_signature(stored.raw, stored.signatures)
    else:
        body = formats.libtrust.sign(stored.raw, state.trust_key, now=state.clock())
    return (LEGACY_SCHEMA1_TYPE if b.legacy_schema1_content_type else MediaType.SCHEMA1_SIGNED), body
