"""Docker image manifest, schema 1, signed (``+prettyjws``) and unsigned (``v1+json``).

A schema1 manifest lists ``fsLayers`` (``blobSum`` digests) and ``history``
(``v1Compatibility`` strings, each a JSON document encoded as a string) as
parallel arrays, **newest layer first**. Signed documents carry a libtrust
``signatures`` block; their identity is the canonical payload
``document[:formatLength] + formatTail`` and its sha256 (format reference 3.5).

:func:`parse` models distribution's ``SignedManifest.UnmarshalJSON`` (2.2+:
``ParsePrettySignature`` then the payload decoded into ``schema1.Manifest``);
``require_signature=False`` models Docker 1.8/1.9's decoder, which takes an
unsigned body as it is and hashes the raw bytes. Signatures are *not* verified
here: call :func:`regcompat.manifest.libtrust.verify`.

:func:`build_payload` writes the payload the way each producer did: distribution
``Sign`` (3-space indent, ``schemaVersion`` first; the registry's conversion and
Docker 1.8+), Docker 1.5-1.7 (3-space, ``schemaVersion`` last) or containers/image
(compact, ``schemaVersion`` last).
"""

from __future__ import annotations

from datetime import datetime

from regcompat import gojson
from regcompat.digest import Digest
from regcompat.mediatypes import MediaType
from regcompat.manifest import libtrust
from regcompat.manifest._base import BaseManifest
from regcompat.manifest._decode import Fields, GoObject, decode
from regcompat.manifest.descriptor import Descriptor, as_digest

__all__ = ["Schema1Manifest", "parse", "build_payload", "build_signed", "PAYLOAD_STYLES"]

PAYLOAD_STYLES = ("distribution", "docker1.6", "containers")


class Schema1Manifest(BaseManifest):
    """A schema1 manifest; ``canonical`` is the signed payload (or the raw bytes if unsigned)."""

    __slots__ = ("name", "tag", "architecture", "fs_layers", "history", "signed", "signatures")

    name: str
    tag: str
    architecture: str
    fs_layers: list[Digest]
    history: list[str]
    signed: bool
    signatures: list[dict]

    def references(self) -> list[Descriptor]:
        """One descriptor per fsLayer, typed as distribution reports them (size unknown: 0)."""
        return [Descriptor(MediaType.SCHEMA1_LAYER, 0, d) for d in self.fs_layers]


def parse(raw: bytes, *, require_signature: bool = True) -> Schema1Manifest:
    """Parse a schema1 document; signed when required or when a ``signatures`` key exists."""
    raw = bytes(raw)
    if require_signature:
        signed = True
    else:
        top = decode(raw)
        signed = isinstance(top, GoObject) and "signatures" in top
    if signed:
        canonical, signatures = libtrust.parse_pretty(raw)
        media_type = MediaType.SCHEMA1_SIGNED
    else:
        canonical, signatures, media_type = raw, [], MediaType.SCHEMA1
    f = Fields(decode(canonical), "Manifest", qualified="schema1.Manifest")
    m = Schema1Manifest()
    schema_version = f.int("schemaVersion")
    m.name = f.str("name")
    m.tag = f.str("tag")
    m.architecture = f.str("architecture")
    m.fs_layers = []
    for item in f.list("fsLayers", "[]schema1.FSLayer"):
        layer = f.item(item, "fsLayers", "schema1.FSLayer")
        m.fs_layers.append(as_digest(layer.str("blobSum", "digest.Digest")) if layer else "")
    m.history = []
    for item in f.list("history", "[]schema1.History"):
        entry = f.item(item, "history", "schema1.History")
        m.history.append(entry.str("v1Compatibility") if entry else "")
    m.signed = signed
    m.signatures = signatures
    m._set_bytes(raw, canonical if signed else raw, str(media_type), schema_version)
    return m


def build_payload(name: str, tag: str, architecture: str, fs_layers: list[str], history: list[str],
                  *, style: str = "distribution") -> bytes:
    """The canonical payload bytes of a schema1 manifest as the chosen producer writes them."""
    body = {"name": name, "tag": tag, "architecture": architecture,
            "fsLayers": [{"blobSum": str(d)} for d in fs_layers],
            "history": [{"v1Compatibility": h} for h in history]}
    if style == "distribution":
        return gojson.marshal_indent({"schemaVersion": 1, **body}, "", "   ")
    if style == "docker1.6":
        return gojson.marshal_indent({**body, "schemaVersion": 1}, "", "   ")
    if style == "containers":
        return gojson.marshal({**body, "schemaVersion": 1})
    raise ValueError(f"unknown schema1 payload style {style!r}")


def build_signed(payload: bytes, key: libtrust.TrustKey, *, now: datetime) -> Schema1Manifest:
    """Sign ``payload`` with ``key`` and parse the resulting pretty-JWS document."""
    return parse(libtrust.sign(payload, key, now=now))
