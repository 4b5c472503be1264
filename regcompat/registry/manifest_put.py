"""Manifest PUT: decode, check, store, tag, and answer as each version did.

Order of checks (registry-behavior.md section 1, and the recorded sessions):
  1. the 4 MiB body limit (2.7+; ``MANIFEST_INVALID``);
  2. decoding (decode.py);
  3. 2.0-2.2 compare the schema1 ``tag`` field with the URL tag (TAG_INVALID);
     every version compares a URL digest with the computed one (DIGEST_INVALID);
  4. storage checks, all collected: schema1 push switched off (2.7+: 500
     UNKNOWN, before any other check), name, signature (MANIFEST_UNVERIFIED),
     blobs (one error per missing digest, the config first);
  5. write the manifest, then the tag; a push event for typed manifests.
The HTTP status is that of the first error (2.0.0: always 400). Nothing is
written unless every check passed.

A schema1 name that does not match the repository (2.0/2.1) is an error the
handler has no code for (``unexpected``): recorded from 2.0.1 (one UNKNOWN
carrying the text) and 2.1.1 (UNKNOWN, UNKNOWN {}: a 500).

UNCONFIRMED (not in the references, not recorded): the codes for a schema1
name that fails the name grammar, and for mismatched ``history``/``fsLayers``
lengths; MANIFEST_INVALID with a Go error detail is used.
"""

from __future__ import annotations

from ..digest import ERR_FORMAT, Digest, DigestError
from ..errors import GO_ERROR, ErrorCode, RegistryError
from ..mediatypes import MediaType
from .. import manifest as formats
from ..messages import Request, Response
from ..reference import NAME_RE
from . import go_errors
from .decode import Decoded, decode_manifest
from .manifest_get import STORAGE_PATH
from .events import Event
from .responses import respond
from .routes import Route
from .state import RegistryState, parse_reference_digest
from .storage import StoredManifest

__all__ = ["put_manifest"]

_FOREIGN = (MediaType.DOCKER_FOREIGN_LAYER, "application/vnd.docker.image.rootfs.foreign.diff.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")


def put_manifest(state: RegistryState, route: Route, request: Request) -> Response:
    b = state.behaviour
    url_digest = parse_reference_digest(b, route.reference)
    tag = None if url_digest else route.reference
    body = request.body
    if b.manifest_size_limit is not None and len(body) > b.manifest_size_limit:
        raise RegistryError(ErrorCode.MANIFEST_INVALID, detail="http: request body too large")
    decoded = decode_manifest(b, request.headers.get("Content-Type"), body)
    if b.put_checks_embedded_tag and tag is not None and decoded.embedded_tag != tag:
        raise RegistryError(ErrorCode.TAG_INVALID)
    if url_digest is not None and url_digest != decoded.digest:
        raise RegistryError(ErrorCode.DIGEST_INVALID)
    errors = _storage_errors(state, route.name, decoded)
    if errors:
        first, *rest = errors
        first.more = rest
        raise first
    if tag is not None and b.storage_errors_are_500 and not STORAGE_PATH.fullmatch(tag):
        # 2.7+: a reference go-digest refuses (uppercase hex...) is a tag; the manifest is
        # written, then the tag's storage path is refused: 500 (seen against 2.8.2).
        _store(state, route.name, decoded, None)
        digest = decoded.digest
        path = (f"/docker/registry/v2/repositories/{route.name}/_manifests/tags/{tag}/index/"
                f"{digest.partition(':')[0]}/{digest.partition(':')[2]}/link")
        raise RegistryError(ErrorCode.UNKNOWN, detail=go_errors.invalid_path(b.storage_driver, path))
    _store(state, route.name, decoded, tag)
    location = f"{state.base_url(request)}/v2/{route.name}/manifests/{decoded.digest}"
    return respond(b.put_success_status, [("Docker-Content-Digest", decoded.digest),
                                          ("Location", location)])


def _storage_errors(state: RegistryState, name: str, decoded: Decoded) -> list[RegistryError]:
    b = state.behaviour
    if decoded.kind == "schema1":
        if b.schema1_push_switch and not state.schema1_push:
            return [RegistryError(ErrorCode.UNKNOWN, detail=go_errors.plain("manifest schema v1 unsupported"))]
        return _schema1_errors(state, name, decoded)
    manifest = decoded.manifest
    is_list = hasattr(manifest, "manifests")  # a list or an index (also when stored untyped)
    if b.schema2_version_checked and manifest.schema_version != 2:
        text = f"unrecognized {'manifest list' if is_list else 'manifest'} schema version {manifest.schema_version}"
        return [RegistryError(ErrorCode.UNKNOWN, detail=go_errors.plain(text))]
    errors: list[RegistryError] = []
    if not is_list:
        for d in [manifest.config, *manifest.layers]:
            errors += _reference_errors(b, d.digest, _layer_problem(state, name, d))
        return errors
    # lists and indexes: every child must be a manifest of this repository (2.4-2.8: or a blob)
    for d in manifest.manifests:
        known = state.store.manifest(name, d.digest) is not None or (
            b.blob_links_as_manifests and state.store.has_blob(name, d.digest))
        errors += _reference_errors(b, d.digest, None if known else "unknown")
    return errors


def _layer_problem(state: RegistryState, name: str, d) -> object:
    """What verification finds wrong with one config or layer descriptor: None,
    "unknown" (not a blob of the repository) or a Go error, as the version's
    ``foreign_layers`` rule says (registry/storage/schema2manifesthandler.go)."""
    rule = state.behaviour.foreign_layers
    exists = "unknown" if not state.store.has_blob(name, d.digest) else None
    if rule == "stat":
        return exists
    if d.media_type in _FOREIGN:
        if not d.urls:
            return go_errors.plain("missing URL on layer")
        if rule == "deny" or not all(_http_url(u) for u in d.urls):
            return go_errors.plain("invalid URL on layer")
        return None
    if d.urls:
        return go_errors.plain("unexpected URL on layer") if rule == "urls-strict" else None
    return exists


def _http_url(url: str) -> bool:
    """Go's check: ``url.Parse`` succeeds, the scheme is http or https, no fragment."""
    scheme, sep, rest = url.partition(":")
    return bool(sep) and scheme.lower() in ("http", "https") and "#" not in rest and " " not in url


def _reference_errors(b, digest: str, problem: object) -> list[RegistryError]:
    """The errors one reference adds: a digest go-digest refuses (2.7+: DIGEST_INVALID for
    a bad format, else the error as an unexpected one), the problem, and then
    MANIFEST_BLOB_UNKNOWN (seen against 2.8.2)."""
    if not b.legacy_digest_parsing:
        try:
            Digest(digest)
        except DigestError as err:
            problem = str(err) if str(err) == ERR_FORMAT else go_errors.plain(str(err))
    if problem is None:
        return []
    if problem == ERR_FORMAT:
        errors = [RegistryError(ErrorCode.DIGEST_INVALID)]
    elif problem == "unknown":
        errors = []
    else:
        errors = unexpected(b, problem)
    return errors + [RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, detail=digest)]


def _schema1_errors(state: RegistryState, name: str, decoded: Decoded) -> list[RegistryError]:
    b = state.behaviour
    errors: list[RegistryError] = []
    if b.put_checks_embedded_name:
        if decoded.embedded_name != name:
            errors += unexpected(b, go_errors.plain("repository name does not match manifest name"))
    elif not NAME_RE.fullmatch(decoded.embedded_name or "") or len(decoded.embedded_name) > 255:
        errors.append(RegistryError(ErrorCode.NAME_INVALID,
                                    detail={"Name": decoded.embedded_name, "Reason": GO_ERROR}))
    manifest = decoded.manifest
    fs_layers, history = list(manifest.fs_layers), list(manifest.history)
    signature = _signature_problem(manifest)
    if not b.put_checks_embedded_name and len(history) != len(fs_layers):
        errors.append(RegistryError(ErrorCode.MANIFEST_INVALID, detail=GO_ERROR))
    if signature == "unverified":
        errors.append(RegistryError(ErrorCode.MANIFEST_UNVERIFIED))
    elif signature is not None:
        errors += unexpected(b, signature)
    for digest in fs_layers:
        if not state.store.has_blob(name, digest):
            detail = go_errors.blob_unknown(b, digest) if b.missing_layer_code is ErrorCode.BLOB_UNKNOWN \
                else digest
            errors.append(RegistryError(b.missing_layer_code, detail=detail))
    return errors


def unexpected(b, error: object) -> list[RegistryError]:
    """A verification error the PUT handler has no code for, as version ``b`` reports it."""
    if b.verification_error == "message":
        return [RegistryError(ErrorCode.UNKNOWN, message=error.text)]
    return [RegistryError(ErrorCode.UNKNOWN), RegistryError(ErrorCode.UNKNOWN, detail=error)]


#: libtrust errors distribution maps to MANIFEST_UNVERIFIED (ErrMissingSignatureKey,
#: ErrInvalidJSONContent, and any error whose text is "invalid signature").
_UNVERIFIED = ("invalid signature", "missing signature key", "invalid json content")


def _signature_problem(manifest: object) -> object:
    """None if every signature verifies; "unverified" for the errors distribution
    calls MANIFEST_UNVERIFIED; any other libtrust error (an unsupported ``alg``,
    no key, a signature of the wrong length) as a Go error, which the handler
    reports as unexpected (2.8.2: 500 UNKNOWN, UNKNOWN; seen against the real build)."""
    if not manifest.signed:
        return "unverified"
    try:
        formats.libtrust.verify(manifest.raw)
    except formats.ManifestError as err:
        return "unverified" if str(err) in _UNVERIFIED else go_errors.plain(str(err))
    except (ValueError, TypeError):
        return "unverified"
    return None


def _store(state: RegistryState, name: str, decoded: Decoded, tag: str | None) -> None:
    b = state.behaviour
    manifest = decoded.manifest
    if decoded.kind == "schema1":
        signatures = list(manifest.signatures) if b.schema1_signatures == "stored" else []
        stored = StoredManifest(manifest.digest, "schema1", MediaType.SCHEMA1_SIGNED,
                                manifest.canonical, signatures)
    else:
        stored = StoredManifest(decoded.digest, decoded.kind, decoded.media_type, manifest.raw)
    state.store.put_manifest(name, stored, tag)
    if decoded.kind.startswith("untyped"):
        return  # event creation fails on the empty media type; distribution only logs it
    event_type = stored.media_type
    if decoded.kind == "schema1" and b.put_parser.startswith("schema1"):
        event_type = MediaType.SCHEMA1
    state.emit(Event("push", "manifest", name, event_type, stored.digest, len(stored.raw),
                     f"/v2/{name}/manifests/{stored.digest}", tag if b.event_tag else None))
