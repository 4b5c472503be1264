"""Images as an engine holds them before a push: config bytes plus gzipped layer blobs.

An :class:`Image` is the content a Docker engine would push: the exact config
bytes (their sha256 is the image ID, and the schema1 conversion hashes them
verbatim) and the compressed layers, base first. It can describe itself as a
schema2 manifest (:meth:`Image.schema2`), an OCI manifest (:meth:`Image.oci`)
or the schema1 payload a registry or Docker 1.10 would derive from it
(:meth:`Image.schema1_payload`).

Layers are real tar archives compressed as gzip, built deterministically
(fixed mtime, owner root, gzip mtime 0) so digests are identical on every
machine: the gzip stream uses stored (uncompressed) deflate blocks, which every
gzip reader accepts and which, unlike zlib's compressed output, does not depend
on the zlib build. ``rootfs.diff_ids`` are the sha256 of the uncompressed tars.

Left out: Docker's full config struct (``container_config`` with every field);
configs here carry the fields the conversion and the lessons look at.
"""

from __future__ import annotations

import io
import struct
import tarfile
import zlib
from functools import lru_cache
from collections.abc import Mapping

from regcompat import gojson
from regcompat.digest import Digest, from_bytes
from regcompat.mediatypes import MediaType
from regcompat.manifest import oci, schema2
from regcompat.manifest._decode import Fields, ManifestError, decode
from regcompat.manifest.convert import schema2_to_schema1
from regcompat.manifest.descriptor import Descriptor

__all__ = ["Blob", "Image", "sample_image", "tar_layer", "gzip_stored", "layer_blob", "EPOCH_2020"]

EPOCH_2020 = 1577836800  # 2020-01-01T00:00:00Z, the mtime of every file in built layers

_OCI_LAYER_TYPES = {
    MediaType.DOCKER_LAYER: MediaType.OCI_LAYER_GZIP,
    MediaType.DOCKER_LAYER_TAR: MediaType.OCI_LAYER,
}


class Blob:
    """Bytes with a media type; ``digest`` and ``size`` are computed once."""

    __slots__ = ("media_type", "data", "digest", "size")

    def __init__(self, media_type: str, data: bytes):
        self.media_type = str(media_type)
        self.data = bytes(data)
        self.digest: Digest = from_bytes(self.data)
        self.size = len(self.data)

    def descriptor(self, media_type: str | None = None) -> Descriptor:
        return Descriptor(str(media_type or self.media_type), self.size, self.digest)

    def __repr__(self) -> str:
        return f"<Blob {self.media_type} {self.size} bytes {self.digest.short}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blob) and other.media_type == self.media_type and other.data == self.data

    def __hash__(self) -> int:
        return hash((self.media_type, self.data))


def tar_layer(files: Mapping[str, bytes], *, mtime: int = EPOCH_2020) -> bytes:
    """A USTAR archive of ``files`` (sorted by path; parent directories added), owned by root."""
    buf = io.BytesIO()
    dirs: set[str] = set()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in sorted(files):
            parts = path.strip("/").split("/")
            for depth in range(1, len(parts)):
                d = "/".join(parts[:depth]) + "/"
                if d not in dirs:
                    dirs.add(d)
                    tar.addfile(_info(d, 0, mtime, tarfile.DIRTYPE, 0o755))
            data = bytes(files[path])
            tar.addfile(_info(path.strip("/"), len(data), mtime, tarfile.REGTYPE, 0o644), io.BytesIO(data))
        end = tar.offset
    # Like Go's archive/tar (what Docker writes): two zero blocks, no padding to a 10 KiB record.
    return buf.getvalue()[:end + 1024]


def _info(name: str, size: int, mtime: int, kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.type, info.mode = size, mtime, kind, mode
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def gzip_stored(data: bytes) -> bytes:
    """A gzip member holding ``data`` in stored deflate blocks (mtime 0, no name): portable bytes."""
    out = bytearray(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
    if not data:
        out += b"\x01\x00\x00\xff\xff"
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start:start + 0xFFFF]
        final = 1 if start + 0xFFFF >= len(data) else 0
        out += struct.pack("<BHH", final, len(chunk), len(chunk) ^ 0xFFFF) + chunk
    out += struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return bytes(out)


def layer_blob(files: Mapping[str, bytes], *, mtime: int = EPOCH_2020) -> tuple[Blob, Digest]:
    """(gzipped layer blob, diff ID) for a layer holding ``files``."""
    tar = tar_layer(files, mtime=mtime)
    return Blob(MediaType.DOCKER_LAYER, gzip_stored(tar)), from_bytes(tar)


class Image:
    """An image ready to push: exact config bytes and compressed layers (base first)."""

    __slots__ = ("config", "layers", "label", "_fields")

    def __init__(self, config: bytes, layers: tuple[Blob, ...] = (), *, label: str = ""):
        self.config = bytes(config)
        self.layers = tuple(layers)
        self.label = label
        try:
            self._fields: Fields | None = Fields(decode(self.config), "Image")
        except ManifestError:
            self._fields = None  # an image may carry a broken config on purpose

    @property
    def config_blob(self) -> Blob:
        return Blob(MediaType.DOCKER_CONFIG, self.config)

    @property
    def id(self) -> Digest:
        """The image ID Docker >= 1.10 shows: the config digest."""
        return from_bytes(self.config)

    def _str(self, name: str) -> str:
        try:
            return self._fields.str(name) if self._fields else ""
        except ManifestError:
            return ""

    @property
    def architecture(self) -> str:
        return self._str("architecture")

    @property
    def os(self) -> str:
        return self._str("os")

    @property
    def history(self) -> list[dict]:
        """The config's history entries (decoded; empty if absent or malformed)."""
        value = self._fields.raw("history") if self._fields else None
        return [dict(h) for h in value if isinstance(h, dict)] if isinstance(value, list) else []

    @property
    def diff_ids(self) -> list[str]:
        rootfs = self._fields.raw("rootfs") if self._fields else None
        ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
        return [d for d in ids if isinstance(d, str)] if isinstance(ids, list) else []

    def blobs(self) -> list[Blob]:
        """Everything a push uploads before the manifest: config, then layers."""
        return [self.config_blob, *self.layers]

    def schema2(self, *, config_media_type: str = MediaType.DOCKER_CONFIG,
                style: str = "distribution") -> schema2.Schema2Manifest:
        """The schema2 manifest; Docker 1.10/1.11.0 used ``application/octet-stream`` for the config."""
        return schema2.build(self.config_blob.descriptor(config_media_type),
                             [layer.descriptor() for layer in self.layers], style=style)

    def oci(self, *, style: str = "compact") -> oci.OCIManifest:
        """The OCI manifest of the same blobs (config bytes unchanged, OCI media types)."""
        return oci.build_manifest(self.config_blob.descriptor(MediaType.OCI_CONFIG),
                                  [layer.descriptor(_OCI_LAYER_TYPES.get(layer.media_type, layer.media_type))
                                   for layer in self.layers], style=style)

    def schema1_payload(self, name: str, tag: str, *, keep_author: bool = False,
                        style: str = "distribution") -> bytes:
        """The canonical schema1 payload a registry derives (keep_author: distribution 2.4.1 and later)."""
        return schema2_to_schema1(self.config, [layer.descriptor() for layer in self.layers], name, tag,
                                  keep_author=keep_author, style=style)

    def __repr__(self) -> str:
        label = f" {self.label}" if self.label else ""
        return f"<Image{label} {self.architecture}/{self.os} {len(self.layers)} layers {self.id.short}>"


def build_config(*, architecture: str, os: str, diff_ids: list[str], history: list[dict],
                 config: dict | None = None, extra: dict | None = None) -> bytes:
    """A Docker image config as Go marshals a map (keys sorted, compact, HTML-escaped)."""
    doc: dict = {"architecture": architecture, "os": os,
                 "rootfs": {"type": "layers", "diff_ids": list(diff_ids)}, "history": history}
    if config is not None:
        doc["config"] = config
    doc.update(extra or {})
    return gojson.marshal(dict(sorted(doc.items())))


@lru_cache(maxsize=1)
def sample_image() -> Image:
    """The deterministic demo image of the lessons: two real layers and an empty-layer CMD.

    Built once per process and shared (an Image is never modified)."""
    hello, hello_id = layer_blob({"hello.txt": b"Hello from regcompat!\n"})
    motd, motd_id = layer_blob({"etc/motd": b"Welcome to the regcompat demo image.\n"})
    history = [
        {"created": "2020-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:hello.txt in / "},
        {"created": "2020-01-01T00:00:01Z", "created_by": "/bin/sh -c #(nop) COPY file:motd in /etc/motd "},
        {"created": "2020-01-01T00:00:02Z", "created_by": '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
         "empty_layer": True},
    ]
    config = build_config(architecture="amd64", os="linux", diff_ids=[hello_id, motd_id], history=history,
                          config={"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                                  "Cmd": ["/bin/sh"]},
                          extra={"created": "2020-01-01T00:00:02Z", "docker_version": "1.10.0"})
    return Image(config, (hello, motd), label="sample")
