"""OCI image manifest and image index (image-spec v1.0 to v1.1).

Parsing follows the image-spec Go types: manifest = ``schemaVersion``,
``mediaType`` (optional: it was only "reserved" before v1.0.2, so old producers
omit it), ``artifactType``, ``config``, ``layers``, ``subject``, ``annotations``;
index = ``schemaVersion``, ``mediaType``, ``artifactType``, ``manifests``
(``platform`` optional), ``subject``, ``annotations``.

Builders write image-spec key order, compact (``style="compact"``, as
containers/image, containerd and buildkit do) or ``json.MarshalIndent`` with
two spaces (``style="indent"``, test vector 5), or distribution's ``ocischema``
layout (``style="distribution"``: 3 spaces, distribution key order).

Left out: the ``data`` field is kept as its base64 text and not decoded.
"""

from __future__ import annotations

from regcompat.manifest._base import BaseManifest, serialize
from regcompat.mediatypes import MediaType
from regcompat.manifest._decode import Fields, decode
from regcompat.manifest.descriptor import Descriptor

__all__ = ["OCIManifest", "OCIIndex", "parse_manifest", "parse_index", "build_manifest", "build_index"]


class OCIManifest(BaseManifest):
    __slots__ = ("config", "layers", "subject", "artifact_type", "annotations")

    config: Descriptor
    layers: list[Descriptor]
    subject: Descriptor | None
    artifact_type: str | None
    annotations: dict | None

    def references(self) -> list[Descriptor]:
        return [self.config, *self.layers]


class OCIIndex(BaseManifest):
    __slots__ = ("manifests", "subject", "artifact_type", "annotations")

    manifests: list[Descriptor]
    subject: Descriptor | None
    artifact_type: str | None
    annotations: dict | None

    def references(self) -> list[Descriptor]:
        return list(self.manifests)


def _desc(f: Fields, name: str) -> Descriptor | None:
    sub = f.sub(name, "v1.Descriptor")
    return None if sub is None else Descriptor.from_fields(sub)


def _descs(f: Fields, name: str) -> list[Descriptor]:
    return [Descriptor.from_fields(f.item(item, name, "v1.Descriptor"))
            for item in f.list(name, "[]v1.Descriptor")]


def parse_manifest(raw: bytes) -> OCIManifest:
    f = Fields(decode(raw), "Manifest", qualified="v1.Manifest")
    m = OCIManifest()
    schema_version = f.int("schemaVersion")
    media_type = f.str("mediaType")
    m.artifact_type = f.str("artifactType") or None
    m.config = _desc(f, "config") or Descriptor.from_fields(None)
    m.layers = _descs(f, "layers")
    m.subject = _desc(f, "subject")
    m.annotations = f.string_map("annotations")
    m._set_bytes(raw, raw, media_type, schema_version)
    return m


def parse_index(raw: bytes) -> OCIIndex:
    f = Fields(decode(raw), "Index", qualified="v1.Index")
    m = OCIIndex()
    schema_version = f.int("schemaVersion")
    media_type = f.str("mediaType")
    m.artifact_type = f.str("artifactType") or None
    m.manifests = _descs(f, "manifests")
    m.subject = _desc(f, "subject")
    m.annotations = f.string_map("annotations")
    m._set_bytes(raw, raw, media_type, schema_version)
    return m


def _document(media_type: str | None, artifact_type: str | None, style: str, body: dict,
              subject: Descriptor | None, annotations: dict | None) -> bytes:
    """image-spec key order around ``body`` (functions of the descriptor style);
    distribution's ocischema writes no artifactType or subject."""
    dstyle = "distribution" if style == "distribution" else "oci"
    doc: dict = {"schemaVersion": 2}
    if media_type:
        doc["mediaType"] = str(media_type)
    if artifact_type and style != "distribution":
        doc["artifactType"] = artifact_type
    doc.update({key: value(dstyle) for key, value in body.items()})
    if subject is not None and style != "distribution":
        doc["subject"] = subject.to_json(dstyle)
    if annotations:
        doc["annotations"] = dict(annotations)
    return serialize(doc, style, styles=("compact", "indent", "distribution"))


def build_manifest(config: Descriptor, layers: list[Descriptor], *, subject: Descriptor | None = None,
                   artifact_type: str | None = None, annotations: dict | None = None,
                   media_type: str | None = MediaType.OCI_MANIFEST, style: str = "compact") -> OCIManifest:
    """An OCI image manifest; ``media_type=None`` omits the field like pre-1.0.2 producers."""
    body = {"config": config.to_json, "layers": lambda dstyle: [d.to_json(dstyle) for d in layers]}
    return parse_manifest(_document(media_type, artifact_type, style, body, subject, annotations))


def build_index(manifests: list[Descriptor], *, subject: Descriptor | None = None,
                artifact_type: str | None = None, annotations: dict | None = None,
                media_type: str | None = MediaType.OCI_INDEX, style: str = "compact") -> OCIIndex:
    """An OCI image index."""
    body = {"manifests": lambda dstyle: [d.to_json(dstyle) for d in manifests]}
    return parse_index(_document(media_type, artifact_type, style, body, subject, annotations))
