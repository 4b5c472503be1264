"""Images: deterministic real layers, config bytes as identity, the manifests derived from them."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import zlib

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.image import Blob, Image, gzip_stored, layer_blob, sample_image, tar_layer
from regcompat.mediatypes import MediaType
from regcompat.manifest import oci, schema1, schema2
from regcompat.manifest.convert import EMPTY_LAYER_DIGEST, schema2_to_schema1

# Pinned so that lessons (nbval) notice any change in the demo image's bytes.
PINNED = ("sha256:82b76782eee28180541c5e38591c7c541b487f2b372753c1192721364972c8a2",   # image ID
          "sha256:56f98f6d8ad321885fa97d6e903190670a4e0e268907dbc26b96b1582557dd2c",   # schema2
          "sha256:f6bd82a934531b4cd8b1ce9d978236f5c9ba0b804265ed117422d64c145514a0")   # schema1 payload


def test_sample_image_is_deterministic():
    a, b = sample_image(), rc.sample_image()
    assert a.config == b.config and [layer.data for layer in a.layers] == [layer.data for layer in b.layers]
    assert a.schema2().raw == b.schema2().raw


def test_sample_image_digests_are_pinned():
    img = sample_image()
    assert (img.id, img.schema2().digest, from_bytes(img.schema1_payload("demo/app", "latest"))) == PINNED


def test_sample_image_shape():
    img = sample_image()
    assert (img.architecture, img.os, len(img.layers)) == ("amd64", "linux", 2)
    history = img.history
    assert [bool(h.get("empty_layer")) for h in history] == [False, False, True]
    assert "CMD" in history[-1]["created_by"]
    assert img.blobs() == [img.config_blob, *img.layers]
    assert img.config_blob.media_type == MediaType.DOCKER_CONFIG


@pytest.mark.parametrize("image", [sample_image(), rc.testing.random_image(7, layers=3)],
                         ids=["sample", "random"])
def test_layers_are_real_gzip_tars_matching_the_diff_ids(image):
    for layer, diff_id in zip(image.layers, image.diff_ids, strict=True):
        assert layer.data[:3] == b"\x1f\x8b\x08" and layer.data[4:8] == b"\0\0\0\0"  # gzip, mtime 0
        tar = gzip.decompress(layer.data)
        assert "sha256:" + hashlib.sha256(tar).hexdigest() == diff_id
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            members = archive.getmembers()
            assert members and all(m.uid == 0 and m.gid == 0 for m in members)
            assert all(m.mtime == members[0].mtime for m in members)
        assert layer.media_type == MediaType.DOCKER_LAYER and layer.digest == from_bytes(layer.data)


def test_tar_layer_has_sorted_files_with_parent_directories():
    tar = tar_layer({"b/c.txt": b"c", "a.txt": b"a"})
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        assert archive.getnames() == ["a.txt", "b", "b/c.txt"]
        assert archive.extractfile("b/c.txt").read() == b"c"
    assert len(tar) % 512 == 0 and tar.endswith(b"\0" * 1024)


@pytest.mark.parametrize("size", [0, 1, 0xFFFF, 0x10000, 200_000])
def test_gzip_stored_round_trips(size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    packed = gzip_stored(data)
    assert gzip.decompress(packed) == data
    assert zlib.decompress(packed, wbits=31) == data


def test_layer_blob_returns_the_diff_id():
    blob, diff_id = layer_blob({"x": b"y"})
    assert diff_id == from_bytes(gzip.decompress(blob.data))


def test_schema2_manifest_points_at_the_blobs():
    img = sample_image()
    m = img.schema2()
    assert schema2.parse(m.raw).config == img.config_blob.descriptor()
    assert m.layers == [layer.descriptor() for layer in img.layers]
    assert m.raw.startswith(b'{\n   "schemaVersion": 2,')
    compact = img.schema2(style="compact")
    assert compact.config == m.config and compact.digest != m.digest
    octet = img.schema2(config_media_type=MediaType.OCTET_STREAM)  # Docker 1.10 / 1.11.0
    assert octet.config.media_type == "application/octet-stream" and octet.config.digest == img.id


def test_oci_manifest_keeps_the_config_bytes():
    img = sample_image()
    m = img.oci()
    assert isinstance(m, oci.OCIManifest) and m.config.digest == img.id
    assert [d.media_type for d in m.layers] == [MediaType.OCI_LAYER_GZIP] * 2
    assert m.digest != img.schema2().digest


def test_schema1_payload_is_the_conversion():
    img = sample_image()
    payload = img.schema1_payload("demo/app", "latest")
    assert payload == schema2_to_schema1(img.config, [layer.descriptor() for layer in img.layers],
                                         "demo/app", "latest", keep_author=False)
    m = schema1.parse(payload, require_signature=False)
    assert m.fs_layers[0] == EMPTY_LAYER_DIGEST and (m.name, m.tag) == ("demo/app", "latest")
    assert payload != img.schema1_payload("demo/app", "v2")  # the tag is part of the payload


def test_config_bytes_are_identity():
    img = sample_image()
    pretty = Image(json.dumps(json.loads(img.config), indent=2).encode(), img.layers)
    assert pretty.architecture == img.architecture and pretty.diff_ids == img.diff_ids
    assert pretty.id != img.id
    assert pretty.schema1_payload("a/b", "t") != img.schema1_payload("a/b", "t")


def test_an_image_may_carry_a_broken_config():
    img = Image(b"{not json", ())
    assert (img.architecture, img.os, img.history, img.diff_ids) == ("", "", [], [])
    assert img.config_blob.data == b"{not json"


def test_blob_equality_and_descriptor():
    blob = Blob(MediaType.DOCKER_LAYER, b"abc")
    assert blob == Blob(MediaType.DOCKER_LAYER, b"abc") != Blob(MediaType.OCI_LAYER, b"abc")
    assert blob.descriptor().size == 3 and blob.descriptor(MediaType.OCI_LAYER).media_type == MediaType.OCI_LAYER
