"""Docker manifest list (``application/vnd.docker.distribution.manifest.list.v2+json``).

Parsing follows distribution's ``ManifestList``: ``schemaVersion``, ``mediaType``
and ``manifests``, each a descriptor plus a ``platform`` that Go always has (a
missing one decodes as the zero platform: empty architecture and os).

Building reproduces ``manifestlist.FromDescriptors`` (3-space indent,
``platform`` always written) with ``style="distribution"``, and containers/image
(compact) with ``style="compact"``. distribution 2.8 writes the OCI index type
when the first entry is an OCI manifest; pass ``media_type`` for that.
"""

from __future__ import annotations

from regcompat.mediatypes import MediaType
from regcompat.manifest._base import BaseManifest, serialize
from regcompat.manifest._decode import Fields, decode
from regcompat.manifest.descriptor import Descriptor, Platform

__all__ = ["ManifestList", "parse", "build", "entry_json"]


class ManifestList(BaseManifest):
    """A parsed or built manifest list; every entry has a ``platform``."""

    __slots__ = ("manifests",)

    manifests: list[Descriptor]

    def references(self) -> list[Descriptor]:
        return list(self.manifests)


def _entry(f: Fields | None) -> Descriptor:
    desc = Descriptor.from_fields(f, with_platform=False)
    pf = f.sub("platform", "manifestlist.PlatformSpec") if f is not None else None
    platform = Platform.from_fields(pf) if pf is not None else Platform("", "")
    return Descriptor(desc.media_type, desc.size, desc.digest, desc.urls, desc.annotations,
                      platform, desc.artifact_type, desc.data)


def parse(raw: bytes) -> ManifestList:
    f = Fields(decode(raw), "ManifestList", qualified="manifestlist.ManifestList")
    m = ManifestList()
    schema_version = f.int("schemaVersion")
    media_type = f.str("mediaType")
    m.manifests = [_entry(f.item(item, "manifests", "manifestlist.ManifestDescriptor"))
                   for item in f.list("manifests", "[]manifestlist.ManifestDescriptor")]
    m._set_bytes(raw, raw, media_type, schema_version)
    return m


def entry_json(desc: Descriptor, style: str) -> dict:
    """One list entry: the descriptor, then ``platform`` (never omitted)."""
    out = desc.to_json("docker" if style == "compact" else "distribution")
    out.pop("platform", None)
    out["platform"] = (desc.platform or Platform("", "")).to_json()
    return out


def build(manifests: list[Descriptor], *, style: str = "distribution",
          media_type: str = MediaType.MANIFEST_LIST) -> ManifestList:
    doc = {"schemaVersion": 2, "mediaType": str(media_type),
           "manifests": [entry_json(d, style) for d in manifests]}
    return parse(serialize(doc, style))
