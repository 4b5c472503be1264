"""Schema2 -> schema1 conversion, and the platform choice for old clients.

Models distribution's ``configManifestBuilder.Build`` (manifest/schema1/
config_builder.go, identical in Docker 1.10's push fallback) step by step
(format reference section 5, registry behaviour section 3):

  * one fsLayer/history entry per config ``history`` entry, newest first;
    ``empty_layer`` entries get the 32-byte gzipped empty tar;
  * v1 IDs chain ``sha256(blobsum-hex + " " + parent)``; the newest one hashes
    the raw config bytes too, so the config's exact bytes matter;
  * non-top ``v1Compatibility``: ``id, parent, comment, created,
    container_config{Cmd}, author (keep_author: distribution 2.4.1+, commit 93d76247f
    "Preserve author information in schema1 manifests"; 2.3-2.4.0 drop it), throwaway``;
  * top ``v1Compatibility``: the config as a Go map of raw values, minus
    ``rootfs``/``history``, plus ``id``/``parent``/``throwaway``: keys sorted,
    values compacted and HTML-escaped but otherwise verbatim;
  * errors with distribution's messages, raised as :class:`ConversionError`.

:func:`oci_to_schema2` is containers/image's OCI -> Docker schema2 conversion
(``skopeo copy --format v2s2``): same config blob, Docker media types, compact.

The result of :func:`schema2_to_schema1` is the canonical payload (``style="distribution"``: 3-space,
schemaVersion first; ``style="containers"``: skopeo's compact layout). Signing
is separate (:func:`regcompat.manifest.libtrust.sign`).

Left out: a config without ``rootfs`` makes distribution 2.3 panic (nil
pointer); we raise ConversionError with Go's panic text instead.
"""

from __future__ import annotations

import hashlib
import re

from regcompat import gojson
from regcompat.digest import Digest, from_bytes
from regcompat.manifest._decode import Fields, GoObject, ManifestError, decode, go_string
from regcompat.manifest._decode import _DECODER  # the shared Go-like JSON decoder
from regcompat.manifest.descriptor import Descriptor
from regcompat.manifest.oci import OCIManifest
from regcompat.manifest.schema1 import build_payload
from regcompat.manifest.schema2 import Schema2Manifest
from regcompat.manifest.schema2 import build as build_schema2
from regcompat.mediatypes import MediaType

__all__ = ["ConversionError", "EMPTY_LAYER", "EMPTY_LAYER_DIGEST", "schema2_to_schema1",
           "uses_empty_layer", "select_platform", "v1_config", "go_time", "oci_to_schema2"]

#: gzip of an empty tar (1024 zero bytes), byte for byte distribution's gzippedEmptyTar.
EMPTY_LAYER = bytes([31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 98, 24, 5, 163, 96, 20, 140, 88,
                     0, 8, 0, 0, 255, 255, 46, 175, 181, 239, 0, 4, 0, 0])
EMPTY_LAYER_DIGEST = Digest("sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4")
assert from_bytes(EMPTY_LAYER) == EMPTY_LAYER_DIGEST

ZERO_TIME = "0001-01-01T00:00:00Z"


class ConversionError(ManifestError):
    """The conversion failed; the message is distribution's (the registry answers MANIFEST_INVALID)."""


_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})\Z",
                      re.ASCII)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def go_time(value: object, field: str = "created") -> str:
    """A JSON ``created`` value re-marshalled as Go's ``time.Time`` (RFC 3339, nanoseconds trimmed)."""
    if value is None:
        return ZERO_TIME
    if not isinstance(value, str):
        raise ConversionError("parsing time %s as \"2006-01-02T15:04:05Z07:00\": cannot parse" % field)
    m = _RFC3339.match(value)
    bad = m is None
    if m:
        year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        bad = not (1 <= month <= 12 and 1 <= day <= (_DAYS[month - 1] if month != 2 or leap else 28)
                   and hour < 24 and minute < 60 and second < 60)
        zone = m.group(8)
        if zone != "Z" and (int(zone[1:3]) >= 24 or int(zone[4:6]) >= 60):
            bad = True
    if bad:
        raise ConversionError('parsing time "%s" as "2006-01-02T15:04:05Z07:00": cannot parse' % value)
    fraction = (m.group(7) or "")[:9].rstrip("0")
    zone = m.group(8)
    if zone[1:] == "00:00":
        zone = "Z"
    return value[:19] + ("." + fraction if fraction else "") + zone


def _hex(blobsum: str) -> str:
    return blobsum[blobsum.find(":") + 1:]


def _id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _raw_members(config: bytes) -> dict[str, gojson.RawJSON]:
    """The config decoded as Go's ``map[string]*json.RawMessage`` (later duplicates win)."""
    value = decode(config)
    if not isinstance(value, GoObject):
        raise ConversionError("json: cannot unmarshal %s into Go value of type map[string]*json.RawMessage"
                              % ("array" if isinstance(value, list) else "string" if isinstance(value, str)
                                 else "number" if not isinstance(value, bool) else "bool"))
    text = bytes(config).decode("utf-8", "surrogateescape")
    members: dict[str, gojson.RawJSON] = {}
    idx = text.index("{") + 1
    scan_string = __import__("json").decoder.scanstring
    while True:
        idx = _skip_ws(text, idx)
        if text[idx] == "}":
            break
        if text[idx] == ",":
            idx = _skip_ws(text, idx + 1)
        key, idx = scan_string(text, idx + 1)
        idx = _skip_ws(text, idx)
        start = _skip_ws(text, idx + 1)  # past ':'
        _, end = _DECODER.raw_decode(text, start)
        key = go_string(key)
        members.pop(key, None)
        members[key] = gojson.RawJSON(text[start:end].encode("utf-8", "surrogateescape"))
        idx = end
    return members


def _skip_ws(text: str, idx: int) -> int:
    while text[idx] in " \t\n\r":
        idx += 1
    return idx


def v1_config(config: bytes, v1_id: str, parent: str, throwaway: bool) -> bytes:
    """``MakeV1ConfigFromConfig``: the top history entry's v1Compatibility bytes."""
    members = _raw_members(config)
    members.pop("rootfs", None)
    members.pop("history", None)
    members["id"] = gojson.RawJSON(gojson.encode_string(v1_id).encode())
    if parent:
        members["parent"] = gojson.RawJSON(gojson.encode_string(parent).encode())
    if throwaway:
        members["throwaway"] = gojson.RawJSON(b"true")
    return gojson.marshal(dict(sorted(members.items(), key=lambda kv: kv[0].encode("utf-8"))))


def _history(config: bytes) -> tuple[list[dict], Fields | None, str]:
    f = Fields(decode(config), "imageConfig", qualified="schema1.imageConfig")
    entries = []
    for item in f.list("history", "[]schema1.imageHistory"):
        h = f.item(item, "history", "schema1.imageHistory")
        if h is None:
            entries.append({"created": ZERO_TIME, "author": "", "created_by": "", "comment": "",
                            "empty_layer": False})
            continue
        entries.append({"created": go_time(h.raw("created")), "author": h.str("author"),
                        "created_by": h.str("created_by"), "comment": h.str("comment"),
                        "empty_layer": h.bool("empty_layer")})
    rootfs = f.sub("rootfs", "schema1.imageRootFS")
    return entries, rootfs, f.str("architecture")


def uses_empty_layer(config: bytes) -> bool:
    """Whether converting this config needs the empty layer blob (any ``empty_layer`` entry)."""
    try:
        return any(h["empty_layer"] for h in _history(config)[0])
    except ManifestError:
        return False


def schema2_to_schema1(config: bytes, layers: list[Descriptor], name: str, tag: str, *,
                       keep_author: bool, style: str = "distribution") -> bytes:
    """The canonical schema1 payload distribution builds from a schema2 image."""
    config = bytes(config)
    try:
        history, rootfs, architecture = _history(config)
    except ConversionError:
        raise
    except ManifestError as err:
        raise ConversionError(str(err)) from None
    if not history:
        raise ConversionError("empty history when trying to create schema1 manifest")
    if rootfs is None:
        raise ConversionError("runtime error: invalid memory address or nil pointer dereference")
    diff_ids = rootfs.strings("diff_ids")
    base_layer = rootfs.str("base_layer")
    if len(diff_ids) != len(layers):
        raise ConversionError("number of descriptors and number of layers in rootfs must match")

    count = len(history)
    fs_layers: list[str] = [""] * count
    v1: list[str] = [""] * count
    parent = ""
    layer_counter = 0

    def blobsum_for(entry: dict) -> str:
        nonlocal layer_counter
        if entry["empty_layer"]:
            return EMPTY_LAYER_DIGEST
        if len(diff_ids) <= layer_counter:
            raise ConversionError("too many non-empty layers in History section")
        blob = str(layers[layer_counter].digest)
        layer_counter += 1
        return blob

    for i, entry in enumerate(history[:-1]):
        blobsum = blobsum_for(entry)
        v1_id = _id(_hex(blobsum) + " " + parent)
        if i == 0 and base_layer:
            parent = hashlib.sha384(base_layer.encode("utf-8")).hexdigest()[:64]
        compat: dict = {"id": v1_id}
        if parent:
            compat["parent"] = parent
        if entry["comment"]:
            compat["comment"] = entry["comment"]
        compat["created"] = entry["created"]
        compat["container_config"] = {"Cmd": [entry["created_by"]]}
        if keep_author and entry["author"]:
            compat["author"] = entry["author"]
        if entry["empty_layer"]:
            compat["throwaway"] = True
        fs_layers[count - 1 - i] = blobsum
        v1[count - 1 - i] = gojson.marshal(compat).decode("utf-8")
        parent = v1_id

    latest = history[-1]
    blobsum = blobsum_for(latest)
    fs_layers[0] = blobsum
    top_id = hashlib.sha256((_hex(blobsum) + " " + parent + " ").encode("utf-8") + config).hexdigest()
    # string(transformedConfig): invalid UTF-8 kept from the raw config is written as \ufffd when the
    # manifest is marshalled (surrogateescape hands those bytes to gojson as lone surrogates).
    v1[0] = v1_config(config, top_id, parent, latest["empty_layer"]).decode("utf-8", "surrogateescape")
    return build_payload(name, tag, architecture, fs_layers, v1, style=style)


def select_platform(manifests: list[Descriptor], architecture: str = "amd64",
                    os: str = "linux") -> Descriptor | None:
    """The first entry for ``architecture``/``os`` (variant ignored), as registry 2.3-2.8 choose."""
    for desc in manifests:
        p = desc.platform
        if p is not None and p.architecture == architecture and p.os == os:
            return desc
    return None


_OCI_TO_DOCKER_LAYER = {
    MediaType.OCI_LAYER: MediaType.DOCKER_LAYER_TAR,
    MediaType.OCI_LAYER_GZIP: MediaType.DOCKER_LAYER,
    "application/vnd.oci.image.layer.nondistributable.v1.tar": "application/vnd.docker.image.rootfs.foreign.diff.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip": MediaType.DOCKER_FOREIGN_LAYER,
}
_ZSTD = (MediaType.OCI_LAYER_ZSTD, "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def oci_to_schema2(manifest: OCIManifest) -> Schema2Manifest:
    """containers/image ``convertToManifestSchema2`` (internal/image/oci.go): OCI image -> compact schema2.

    The config blob is kept (its descriptor gets the Docker config type), layer types
    are mapped, annotations are dropped; artifacts, zstd and encrypted layers are refused.
    """
    if manifest.config.media_type != MediaType.OCI_CONFIG:
        kind = manifest.artifact_type or manifest.config.media_type
        if kind == MediaType.DOCKER_CONFIG:
            raise ConversionError("invalid mixed OCI image with Docker v2s2 config (%s)" % _go_quote(kind))
        raise ConversionError("unsupported image-specific operation on artifact with type %s" % _go_quote(kind))
    layers = []
    for layer in manifest.layers:
        if layer.media_type in _ZSTD:
            raise ConversionError("Error during manifest conversion: %s: zstd compression is not supported for "
                                  "docker images" % _go_quote(layer.media_type))
        if layer.media_type.endswith("+encrypted"):
            raise ConversionError("during manifest conversion: encrypted layers (%s) are not supported in docker "
                                  "images" % _go_quote(layer.media_type))
        docker_type = _OCI_TO_DOCKER_LAYER.get(layer.media_type)
        if docker_type is None:
            raise ConversionError("Unknown media type during manifest conversion: %s" % _go_quote(layer.media_type))
        layers.append(Descriptor(str(docker_type), layer.size, layer.digest, layer.urls))
    config = Descriptor(MediaType.DOCKER_CONFIG, manifest.config.size, manifest.config.digest, manifest.config.urls)
    return build_schema2(config, layers, style="compact")
