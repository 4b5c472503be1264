"""Decode a pushed manifest body the way a given registry version does.

Which decoder runs is the version's ``put_parser`` (see behaviour.py):

  * "schema1-any" (2.0, 2.1): a plain JSON decode into the schema1 struct:
    any JSON object decodes (a schema2 body too, with an empty ``tag``);
  * "schema1-jws" (2.2): the same, but decoding needs a JWS ``signatures`` key,
    so unsigned and schema2 bodies fail with MANIFEST_INVALID;
  * "content-type" (2.3-2.8): ``Content-Type`` (parameters stripped, lowercased
    as Go's ``mime.ParseMediaType`` does) picks the parser; an unknown or empty
    type falls back to schema1;
  * "content-type-strict" (3.0): no schema1 and no fallback.

A decode failure is MANIFEST_INVALID with the detail Go writes for the
decoder's error (go_errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GO_ERROR, ErrorCode, RegistryError
from ..mediatypes import MediaType
from .. import manifest as formats
from .behaviour import Behaviour
from .go_errors import decode_error_detail, plain

__all__ = ["Decoded", "decode_manifest", "parse_content_type"]

_KINDS = {
    MediaType.SCHEMA2: "schema2",
    MediaType.MANIFEST_LIST: "list",
    MediaType.OCI_MANIFEST: "oci-manifest",
    MediaType.OCI_INDEX: "oci-index",
}


@dataclass
class Decoded:
    kind: str          # schema1, schema2, list, oci-manifest, oci-index, untyped, untyped-list
    manifest: object   # a regcompat.manifest object
    digest: str
    media_type: str
    embedded_tag: str | None = None
    embedded_name: str | None = None


def _invalid(body: bytes, err: Exception) -> RegistryError:
    detail = decode_error_detail(body, str(err), getattr(err, "offset", None))
    return RegistryError(ErrorCode.MANIFEST_INVALID, detail=detail)


def parse_content_type(header: str | None) -> str:
    """``mime.ParseMediaType`` as far as distribution uses it; ValueError if malformed."""
    if not header:
        return ""
    media_type = header.split(";", 1)[0].strip().lower()
    if not media_type or "/" not in media_type or " " in media_type:
        raise ValueError("mime: expected slash after first token")
    return media_type


def decode_manifest(b: Behaviour, content_type: str | None, body: bytes) -> Decoded:
    """Decode ``body`` as version ``b`` would, or raise the RegistryError it sends."""
    if b.put_parser == "schema1-any":
        return _decode_schema1(body, require_signature=False)
    if b.put_parser == "schema1-jws":
        return _decode_schema1(body)
    try:
        media_type = parse_content_type(content_type)
    except ValueError:
        raise RegistryError(ErrorCode.MANIFEST_INVALID, detail=GO_ERROR) from None
    kind = _KINDS.get(media_type)
    if kind in ("oci-manifest", "oci-index") and not b.oci:
        kind = None
    if kind is None:
        if b.schema1:  # 2.3-2.8: schema1 is also the default for unknown types
            return _decode_schema1(body)
        raise RegistryError(ErrorCode.MANIFEST_INVALID, detail=(
            f"unsupported manifest media type and no default available: {media_type}"))
    return _decode_typed(b, kind, body)


def _decode_schema1(body: bytes, *, require_signature: bool = True) -> Decoded:
    try:
        manifest = formats.schema1.parse(body, require_signature=require_signature)
    except formats.ManifestError as err:
        raise _invalid(body, err) from None
    return Decoded("schema1", manifest, manifest.digest, MediaType.SCHEMA1_SIGNED,
                   manifest.tag, manifest.name)


_PARSERS = {
    "schema2": lambda raw: formats.schema2.parse(raw),
    "list": lambda raw: formats.manifestlist.parse(raw),
    "oci-manifest": lambda raw: formats.oci.parse_manifest(raw),
    "oci-index": lambda raw: formats.oci.parse_index(raw),
}
#: The unmarshallers' texts (manifest/schema2, manifestlist, ocischema; 2.7 to 3.0).
_MEDIA_TYPE_MISMATCH = {"schema2": "mediaType in manifest should be '%s' not '%s'",
                        "list": "mediaType in manifest list should be '%s' not '%s'",
                        "oci-manifest": "if present, mediaType in manifest should be '%s' not '%s'",
                        "oci-index": "if present, mediaType in image index should be '%s' not '%s'"}
_EXPECTED_FIELD = {"schema2": (MediaType.SCHEMA2,),
                   "list": (MediaType.MANIFEST_LIST,),
                   "oci-manifest": ("", MediaType.OCI_MANIFEST),
                   "oci-index": ("", MediaType.OCI_INDEX)}


def _decode_typed(b: Behaviour, kind: str, body: bytes) -> Decoded:
    try:
        manifest = _PARSERS[kind](body)
    except formats.ManifestError as err:
        raise _invalid(body, err) from None
    field = manifest.media_type
    if kind in _EXPECTED_FIELD and b.schema2_requires_media_type and field not in _EXPECTED_FIELD[kind]:
        expected = _EXPECTED_FIELD[kind][-1]
        raise RegistryError(ErrorCode.MANIFEST_INVALID,
                            detail=plain(_MEDIA_TYPE_MISMATCH[kind] % (expected, field)))
    if b.untyped_schema2_stored and kind in ("schema2", "list") and (
            manifest.schema_version != 2 or field != _EXPECTED_FIELD[kind][-1]):
        kind = "untyped" if kind == "schema2" else "untyped-list"  # 2.3-2.6 store it; reading it back fails
    return Decoded(kind, manifest, manifest.digest, field)
