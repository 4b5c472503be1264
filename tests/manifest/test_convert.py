"""schema2 -> schema1 conversion details (distribution config_builder.go), one row per rule."""

from __future__ import annotations

import hashlib
import json

import pytest

from regcompat.digest import Digest
from regcompat.mediatypes import MediaType
from regcompat.manifest import oci, schema1
from regcompat.manifest.convert import (EMPTY_LAYER_DIGEST, ConversionError, go_time, oci_to_schema2,
                                        schema2_to_schema1, select_platform, uses_empty_layer, v1_config)
from regcompat.manifest.descriptor import Descriptor, Platform

from . import vectors as tv

L1 = Descriptor(MediaType.DOCKER_LAYER, 10, Digest("sha256:" + "1" * 64))
L2 = Descriptor(MediaType.DOCKER_LAYER, 20, Digest("sha256:" + "2" * 64))
DIFF = ["sha256:" + "a" * 64, "sha256:" + "b" * 64]


def config(history, diff_ids=DIFF, **extra) -> bytes:
    doc = {"architecture": "amd64", "os": "linux", **extra,
           "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
    return json.dumps(doc, ensure_ascii=False).encode()


def v1_entries(payload: bytes) -> list[dict]:
    return [json.loads(h["v1Compatibility"]) for h in json.loads(payload)["history"]]


AUTHORED = config([{"created": "2020-01-01T00:00:00Z", "created_by": "ADD a", "author": "Ann <a@x> & co"},
                   {"created": "2020-01-02T00:00:00Z", "created_by": "ADD b", "author": "Bob"}])


def test_keep_author_adds_author_between_container_config_and_throwaway():
    kept = schema2_to_schema1(AUTHORED, [L1, L2], "r", "t", keep_author=True)
    dropped = schema2_to_schema1(AUTHORED, [L1, L2], "r", "t", keep_author=False)
    base_kept = json.loads(kept)["history"][1]["v1Compatibility"]
    assert list(json.loads(base_kept)) == ["id", "created", "container_config", "author"]
    assert '"author":"Ann \\u003ca@x\\u003e \\u0026 co"' in base_kept
    assert "author" not in v1_entries(dropped)[1]
    # The top entry is the config itself: no history author there either way.
    assert v1_entries(kept)[0] == v1_entries(dropped)[0]


@pytest.mark.parametrize("cfg, layers, message", [
    (config([]), [L1, L2], "empty history when trying to create schema1 manifest"),
    (config([{"created_by": "x"}], diff_ids=DIFF[:1]), [L1, L2],
     "number of descriptors and number of layers in rootfs must match"),
    (config([{"created_by": "a"}, {"created_by": "b"}, {"created_by": "c"}]), [L1, L2],
     "too many non-empty layers in History section"),
    (json.dumps({"history": [{"created_by": "a"}]}).encode(), [],
     "runtime error: invalid memory address or nil pointer dereference"),
    (b"{", [], "unexpected end of JSON input"),
    (b'{"history": "x"}', [], "json: cannot unmarshal string into Go struct field imageConfig.history "
                             "of type []schema1.imageHistory"),
    (config([{"created": "yesterday"}], diff_ids=[]), [],
     'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse'),
], ids=["empty history", "diff_ids count", "too many non-empty", "no rootfs", "syntax", "type", "bad time"])
def test_conversion_errors_carry_distributions_messages(cfg, layers, message):
    with pytest.raises(ConversionError) as err:
        schema2_to_schema1(cfg, layers, "r", "t", keep_author=False)
    assert str(err.value) == message


def test_fewer_history_entries_than_layers_drops_the_extra_layers():
    payload = schema2_to_schema1(config([{"created_by": "only"}]), [L1, L2], "r", "t", keep_author=False)
    assert [f["blobSum"] for f in json.loads(payload)["fsLayers"]] == [L1.digest]


def test_v1_id_chain_and_empty_layers():
    cfg = config([{"created_by": "ENV", "empty_layer": True}, {"created_by": "ADD a"},
                  {"created_by": "CMD", "empty_layer": True}], diff_ids=DIFF[:1])
    payload = schema2_to_schema1(cfg, [L1], "r", "t", keep_author=False)
    doc = json.loads(payload)
    assert [f["blobSum"] for f in doc["fsLayers"]] == [EMPTY_LAYER_DIGEST, L1.digest, EMPTY_LAYER_DIGEST]
    top, middle, base = v1_entries(payload)
    empty_hex = EMPTY_LAYER_DIGEST.encoded
    assert base["id"] == hashlib.sha256((empty_hex + " ").encode()).hexdigest()
    assert base["throwaway"] is True and "parent" not in base
    assert middle["id"] == hashlib.sha256(("1" * 64 + " " + base["id"]).encode()).hexdigest()
    assert middle["parent"] == base["id"] and "throwaway" not in middle
    assert top["id"] == hashlib.sha256((empty_hex + " " + middle["id"] + " ").encode() + cfg).hexdigest()
    assert top["parent"] == middle["id"] and top["throwaway"] is True
    assert base["created"] == "0001-01-01T00:00:00Z"  # zero time when created is absent
    assert uses_empty_layer(cfg) and not uses_empty_layer(config([{"created_by": "x"}]))


def test_windows_base_layer_parent_of_the_first_entry():
    cfg = json.dumps({"architecture": "amd64", "os": "windows",
                      "rootfs": {"type": "layers+base", "base_layer": "sha1:abc", "diff_ids": DIFF},
                      "history": [{"created_by": "a"}, {"created_by": "b"}]}).encode()
    top, base = v1_entries(schema2_to_schema1(cfg, [L1, L2], "r", "t", keep_author=False))
    assert base["id"] == hashlib.sha256(("1" * 64 + " ").encode()).hexdigest()
    assert base["parent"] == hashlib.sha384(b"sha1:abc").hexdigest()[:64]
    assert top["parent"] == base["id"]


def test_top_entry_keeps_raw_values_sorts_keys_and_html_escapes():
    cfg = (b'{"z": 1.50, "Zeta": "caf\\u00e9 <b>", "a": {"y": 1, "x": [ ]}, "n": null,'
           b' "rootfs": {"diff_ids": []}, "history": [{"created_by": "x"}], "z": "last wins"}')
    top = v1_config(cfg, "ID", "", False)
    assert top == (b'{"Zeta":"caf\\u00e9 \\u003cb\\u003e","a":{"y":1,"x":[]},"id":"ID","n":null,'
                   b'"z":"last wins"}')


def test_invalid_utf8_in_the_config_becomes_an_escaped_replacement_in_the_payload():
    cfg = config([{"created_by": "a", "empty_layer": True}], diff_ids=[]).replace(b'"os": "linux"', b'"os": "lin\xffux"')
    payload = schema2_to_schema1(cfg, [], "r", "t", keep_author=False)
    assert b'\\"os\\":\\"lin\\ufffdux\\"' in payload
    payload.decode("utf-8")


@pytest.mark.parametrize("value, expected", [
    ("2016-02-01T10:00:00.5Z", "2016-02-01T10:00:00.5Z"),
    ("2016-02-01T10:00:00.500000000Z", "2016-02-01T10:00:00.5Z"),
    ("2016-02-01T10:00:00.000Z", "2016-02-01T10:00:00Z"),
    ("2016-02-01T10:00:00.1234567891Z", "2016-02-01T10:00:00.123456789Z"),
    ("2016-02-01T10:00:00.120+02:00", "2016-02-01T10:00:00.12+02:00"),
    ("2016-02-01T10:00:00+00:00", "2016-02-01T10:00:00Z"),
    ("2016-02-29T23:59:59-05:30", "2016-02-29T23:59:59-05:30"),
    (None, "0001-01-01T00:00:00Z"),
])
def test_created_times_are_remarshalled_like_go(value, expected):
    assert go_time(value) == expected


@pytest.mark.parametrize("value", ["2015-02-29T00:00:00Z", "2016-13-01T00:00:00Z", "2016-02-01 10:00:00Z",
                                   "2016-02-01T24:00:00Z", "2016-02-01T10:00:60Z", "2016-02-01T10:00:00",
                                   "2016-02-01T10:00:00+24:00", 12])
def test_invalid_times_fail(value):
    with pytest.raises(ConversionError):
        go_time(value)


def test_payload_styles():
    cfg = config([{"created": "2020-01-01T00:00:00Z", "created_by": "ADD"}], diff_ids=DIFF[:1])
    pretty = schema2_to_schema1(cfg, [L1], "r", "t", keep_author=True)
    compact = schema2_to_schema1(cfg, [L1], "r", "t", keep_author=True, style="containers")
    assert pretty.startswith(b'{\n   "schemaVersion": 1,\n   "name": "r"') and pretty.endswith(b"\n}")
    assert compact.startswith(b'{"name":"r","tag":"t"') and compact.endswith(b'"schemaVersion":1}')
    assert json.loads(pretty) == json.loads(compact)


def test_converted_payload_parses_as_unsigned_schema1():
    cfg = config([{"created_by": "a"}, {"created_by": "b"}])
    payload = schema2_to_schema1(cfg, [L1, L2], "demo/app", "latest", keep_author=False)
    m = schema1.parse(payload, require_signature=False)
    assert (m.name, m.tag, m.architecture, m.schema_version) == ("demo/app", "latest", "amd64", 1)
    assert m.fs_layers == [L2.digest, L1.digest] and len(m.history) == 2 and not m.signed


AMD = Descriptor(MediaType.SCHEMA2, 1, Digest("sha256:" + "c" * 64), platform=Platform("amd64", "linux"))
AMD_V = Descriptor(MediaType.SCHEMA2, 1, Digest("sha256:" + "d" * 64),
                   platform=Platform("amd64", "linux", variant="v3"))
ARM = Descriptor(MediaType.SCHEMA2, 1, Digest("sha256:" + "e" * 64), platform=Platform("arm64", "linux"))
WIN = Descriptor(MediaType.SCHEMA2, 1, Digest("sha256:" + "f" * 64), platform=Platform("amd64", "windows"))


@pytest.mark.parametrize("entries, expected", [
    ([ARM, AMD], AMD), ([AMD_V, AMD], AMD_V), ([ARM, WIN], None), ([], None),
], ids=["skips other arch", "first match, variant ignored", "none", "empty"])
def test_select_platform(entries, expected):
    assert select_platform(entries) == expected


# -- OCI -> Docker schema2 (containers/image) -----------------------------------------------------

def _oci(config_type=MediaType.OCI_CONFIG, layer_types=(MediaType.OCI_LAYER_GZIP,), artifact_type=None):
    return oci.build_manifest(Descriptor(config_type, 5, Digest("sha256:" + "c" * 64)),
                              [Descriptor(t, 7, Digest("sha256:" + "d" * 64), urls=("https://x/y",) if
                                          "nondistributable" in t else (), annotations={"a": "b"})
                               for t in layer_types], artifact_type=artifact_type)


def test_oci_to_schema2_reproduces_the_skopeo_vector():
    assert oci_to_schema2(oci.parse_manifest(tv.TV3)).raw == tv.TV2


def test_oci_to_schema2_maps_layer_types_and_drops_annotations():
    nd = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    m = oci_to_schema2(_oci(layer_types=(MediaType.OCI_LAYER, MediaType.OCI_LAYER_GZIP, nd, nd + "+gzip")))
    assert m.config.media_type == MediaType.DOCKER_CONFIG and m.config.digest == "sha256:" + "c" * 64
    assert [d.media_type for d in m.layers] == [
        MediaType.DOCKER_LAYER_TAR, MediaType.DOCKER_LAYER,
        "application/vnd.docker.image.rootfs.foreign.diff.tar", MediaType.DOCKER_FOREIGN_LAYER]
    assert [d.urls for d in m.layers] == [(), (), ("https://x/y",), ("https://x/y",)]
    assert b"annotations" not in m.raw and m.raw.startswith(b'{"schemaVersion":2,"mediaType":"')


@pytest.mark.parametrize("manifest, message", [
    (lambda: _oci(layer_types=(MediaType.OCI_LAYER_ZSTD,)),
     'Error during manifest conversion: "application/vnd.oci.image.layer.v1.tar+zstd": zstd compression is '
     "not supported for docker images"),
    (lambda: _oci(layer_types=("application/vnd.oci.image.layer.v1.tar+gzip+encrypted",)),
     'during manifest conversion: encrypted layers ("application/vnd.oci.image.layer.v1.tar+gzip+encrypted") '
     "are not supported in docker images"),
    (lambda: _oci(layer_types=("text/plain",)), 'Unknown media type during manifest conversion: "text/plain"'),
    (lambda: _oci(config_type=MediaType.OCI_EMPTY, artifact_type="application/vnd.example+type"),
     'unsupported image-specific operation on artifact with type "application/vnd.example+type"'),
    (lambda: _oci(config_type=MediaType.DOCKER_CONFIG),
     'invalid mixed OCI image with Docker v2s2 config ("application/vnd.docker.container.image.v1+json")'),
], ids=["zstd", "encrypted", "unknown", "artifact", "docker config"])
def test_oci_to_schema2_refusals(manifest, message):
    with pytest.raises(ConversionError) as err:
        oci_to_schema2(manifest())
    assert str(err.value) == message
