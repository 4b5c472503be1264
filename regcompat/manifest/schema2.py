"""Docker image manifest, schema 2 (``application/vnd.docker.distribution.manifest.v2+json``).

Parsing follows distribution's ``schema2.Manifest`` Go struct: ``schemaVersion``,
``mediaType``, ``config`` and ``layers`` (descriptors, base layer first). The
``mediaType`` field is reported, not checked: distribution 2.3-2.6 accept any
value, 2.7+ refuse anything but the schema2 type; the registry model decides.

Building reproduces two producers byte for byte (format reference section 4):
``style="distribution"`` is ``schema2.FromStruct`` (``json.MarshalIndent`` with
3 spaces; what Docker 1.10+ pushes), ``style="compact"`` is containers/image
(``json.Marshal``, Docker key order, ``size`` always written).

Left out: distribution 2.8's ``annotations`` on the manifest itself.
"""

from __future__ import annotations

from regcompat.mediatypes import MediaType
from regcompat.manifest._base import BaseManifest, serialize
from regcompat.manifest._decode import Fields, decode
from regcompat.manifest.descriptor import Descriptor

__all__ = ["Schema2Manifest", "parse", "build"]


class Schema2Manifest(BaseManifest):
    """A parsed or built schema2 manifest; ``raw`` are its exact bytes."""

    __slots__ = ("config", "layers")

    config: Descriptor
    layers: list[Descriptor]

    def references(self) -> list[Descriptor]:
        """Config then layers (distribution 2.8; 2.3 listed only the layers)."""
        return [self.config, *self.layers]


def _layers(f: Fields, name: str) -> list[Descriptor]:
    return [Descriptor.from_fields(f.item(item, name, "distribution.Descriptor"), with_platform=False)
            for item in f.list(name, "[]distribution.Descriptor")]


def parse(raw: bytes) -> Schema2Manifest:
    """Parse schema2 bytes; raises ManifestError for what Go's decoder refuses."""
    f = Fields(decode(raw), "Manifest", qualified="schema2.Manifest")
    m = Schema2Manifest()
    schema_version = f.int("schemaVersion")
    media_type = f.str("mediaType")
    m.config = Descriptor.from_fields(f.sub("config", "distribution.Descriptor"), with_platform=False)
    m.layers = _layers(f, "layers")
    m._set_bytes(raw, raw, media_type, schema_version)
    return m


def document(config: Descriptor, layers: list[Descriptor], media_type: str, style: str) -> dict:
    desc_style = "docker" if style == "compact" else "distribution"
    return {"schemaVersion": 2, "mediaType": media_type, "config": config.to_json(desc_style),
            "layers": [layer.to_json(desc_style) for layer in layers]}


def build(config: Descriptor, layers: list[Descriptor], *, style: str = "distribution",
          media_type: str = MediaType.SCHEMA2) -> Schema2Manifest:
    """Serialize a schema2 manifest as the chosen producer would."""
    doc = document(config, list(layers), str(media_type), style)
    return parse(serialize(doc, style))
