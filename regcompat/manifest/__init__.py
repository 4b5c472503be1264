"""Manifest formats: parse, build and digest every manifest a registry stores.

One module per format (``schema1``, ``schema2``, ``manifestlist``, ``oci``),
``libtrust`` for schema1 signatures and ``convert`` for schema2 -> schema1.
This package adds the explicit table from media type to parser and the two
rules the ecosystem agrees on, modelled after containers/image
(internal/manifest/manifest.go):

  * :func:`guess_media_type` / :func:`parse_manifest`: a known Content-Type
    wins; ``application/json`` and unknown types are schema1 (signed); with no
    Content-Type the body decides (known ``mediaType`` field; else
    ``schemaVersion`` 1 = schema1, signed iff a ``signatures`` key; 2 = OCI
    manifest or index);
  * :func:`manifest_digest`: sha256 of the JWS payload for signed schema1, of
    the exact bytes otherwise -- what ``skopeo manifest-digest`` prints.

The registry's own, version-dependent dispatch (distribution falls back to
schema1 for unknown types) lives in the registry model, which calls the
per-format parsers of this table directly.
"""

from __future__ import annotations

from regcompat.digest import Digest, from_bytes
from regcompat.mediatypes import MediaType
from regcompat.manifest import convert, libtrust, manifestlist, oci, schema1, schema2
from regcompat.manifest._base import BaseManifest
from regcompat.manifest._decode import Fields, ManifestError, decode
from regcompat.manifest.convert import ConversionError
from regcompat.manifest.descriptor import Descriptor, Platform
from regcompat.manifest.manifestlist import ManifestList
from regcompat.manifest.oci import OCIIndex, OCIManifest
from regcompat.manifest.schema1 import Schema1Manifest
from regcompat.manifest.schema2 import Schema2Manifest

__all__ = [
    "BaseManifest", "Descriptor", "Platform", "ManifestError", "Schema1Manifest", "Schema2Manifest",
    "ManifestList", "OCIManifest", "OCIIndex", "PARSERS", "parse_manifest", "manifest_digest",
    "guess_media_type", "Manifest", "ConversionError", "convert", "libtrust", "manifestlist", "oci",
    "schema1", "schema2",
]

Manifest = BaseManifest

#: Media type -> parser. Schema1 is parsed without requiring a signature (containers/image
#: reads unsigned and signed alike); registries that require one call schema1.parse directly.
PARSERS = {
    MediaType.SCHEMA1: lambda raw: schema1.parse(raw, require_signature=False),
    MediaType.SCHEMA1_SIGNED: lambda raw: schema1.parse(raw, require_signature=False),
    MediaType.SCHEMA2: schema2.parse,
    MediaType.MANIFEST_LIST: manifestlist.parse,
    MediaType.OCI_MANIFEST: oci.parse_manifest,
    MediaType.OCI_INDEX: oci.parse_index,
}

_KNOWN_BY_FIELD = (MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.OCI_MANIFEST, MediaType.OCI_INDEX)


def guess_media_type(raw: bytes) -> str:
    """containers/image ``GuessMIMEType`` (internal/manifest/manifest.go): declared or implied type, or ""."""
    try:
        f = Fields(decode(raw), "meta")
        declared = f.str("mediaType")
        version = f.int("schemaVersion")
        signatures = f.raw("signatures")
        if declared in _KNOWN_BY_FIELD:
            return declared
        if version == 1:
            return MediaType.SCHEMA1_SIGNED if signatures is not None else MediaType.SCHEMA1
        if version != 2:
            return ""
        config = f.sub("config", "struct")
        config_type = config.str("mediaType") if config is not None else ""
        if config_type == MediaType.OCI_CONFIG:
            return MediaType.OCI_MANIFEST
        if config_type == MediaType.DOCKER_CONFIG:
            return MediaType.SCHEMA2
        entries = f.list("manifests", "[]v1.Descriptor")
        for item in entries:  # Go unmarshals them into typed descriptors: a bad one means ""
            Descriptor.from_fields(f.item(item, "manifests", "v1.Descriptor"))
        if entries:
            return MediaType.OCI_INDEX if not config_type else config_type
        return MediaType.OCI_MANIFEST
    except ManifestError:
        return ""


def normalize_content_type(content_type: str | None) -> str:
    """Strip parameters; ``application/json`` and unknown types become signed schema1."""
    mt = (content_type or "").split(";", 1)[0].strip().lower()
    if not mt:
        return ""
    return mt if mt in PARSERS else MediaType.SCHEMA1_SIGNED


def parse_manifest(content_type: str | None, raw: bytes) -> BaseManifest:
    """Parse ``raw`` as the Content-Type says, guessing from the body when there is none."""
    mt = normalize_content_type(content_type) or guess_media_type(raw)
    parser = PARSERS.get(mt)  # type: ignore[call-overload]
    if parser is None:
        raise ManifestError('Unimplemented manifest MIME type "%s"' % mt)
    return parser(raw)


def manifest_digest(raw: bytes) -> Digest:
    """Schema1-aware manifest digest, the same answer as ``skopeo manifest-digest``."""
    raw = bytes(raw)
    if guess_media_type(raw) == MediaType.SCHEMA1_SIGNED:
        payload, _ = libtrust.parse_pretty(raw)
        return from_bytes(payload)
    return from_bytes(raw)
