"""Every test vector of the format reference (TV1-TV10), rebuilt and parsed byte for byte."""

from __future__ import annotations

import hashlib
import json

import pytest

from regcompat.digest import Digest, DigestError, from_bytes, parse_digest
from regcompat.mediatypes import MediaType
from regcompat.manifest import (libtrust, manifest_digest, manifestlist, oci, parse_manifest, schema1,
                                schema2)
from regcompat.manifest.convert import EMPTY_LAYER, EMPTY_LAYER_DIGEST, schema2_to_schema1
from regcompat.manifest.descriptor import Descriptor, Platform

from . import vectors as tv

CONFIG = Descriptor(MediaType.DOCKER_CONFIG, 229,
                    Digest("sha256:577afe96e9686c7a034e4b5c46d4421bb5918ac2ca14972f9acc20047b95ed10"))
LAYER = Descriptor(MediaType.DOCKER_LAYER, 107,
                   Digest("sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529"))
OCI_EMPTY = Digest("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name, raw, size, digest", [
    ("TV1", tv.TV1, 523, "sha256:ee7242460c7c594135eb0e160a640a74ee5a4e16757750a67b9d3c51f3c50f29"),
    ("TV2", tv.TV2, 423, "sha256:a4f94bcde7e66802c02d3a97e7dc78faa5e17819d4ee5834e66a87cdbd55b962"),
    ("TV3", tv.TV3, 401, "sha256:0dcd6c0a3e590111b22f6939e90adfbd0957fb4d2a8950c473868d4964ae13fc"),
    ("TV3 config", tv.TV3_CONFIG, 229, "sha256:577afe96e9686c7a034e4b5c46d4421bb5918ac2ca14972f9acc20047b95ed10"),
    ("TV4", tv.TV4, 770, "sha256:6e8929e674b3cac8bd840f0a8c53368b04ad9558c23271edd76b1c1a8da32b78"),
    ("TV5", tv.TV5, 800, "sha256:50ebd5128b226dfa849299d07619fd382986ee3533b33358ab5a21b352daea6b"),
    ("TV6(a)", tv.TV6_PAYLOAD, 419, "sha256:4a24bc0a57aa2a2b226b0c00c724c75d788909d0f96d63749508e917450d78ea"),
    ("TV6(b) file", tv.TV6_SIGNED, 766, "sha256:7c37c8cbea104604c86698a888950e999562c1a8587260eac2c872c8f4b0dbbc"),
    ("TV8 config", tv.TV8_CONFIG, 453, "sha256:14e446db983ec09fc2885b60dc96fbe676ff31597557a69816eb421e8b7d056f"),
])
def test_embedded_vector_bytes_are_the_reference_bytes(name, raw, size, digest):
    assert (len(raw), sha(raw)) == (size, digest)


def test_tv1_distribution_schema2_build():
    built = schema2.build(CONFIG, [LAYER], style="distribution")
    assert built.raw == tv.TV1
    assert built.digest == "sha256:ee7242460c7c594135eb0e160a640a74ee5a4e16757750a67b9d3c51f3c50f29"


def test_tv2_containers_image_compact_build():
    built = schema2.build(CONFIG, [LAYER], style="compact")
    assert built.raw == tv.TV2
    assert built.digest == "sha256:a4f94bcde7e66802c02d3a97e7dc78faa5e17819d4ee5834e66a87cdbd55b962"


@pytest.mark.parametrize("raw", [tv.TV1, tv.TV2], ids=["TV1", "TV2"])
def test_tv1_tv2_parse_to_the_same_logical_manifest(raw):
    m = schema2.parse(raw)
    assert (m.schema_version, m.media_type) == (2, MediaType.SCHEMA2)
    assert (m.config, m.layers) == (CONFIG, [LAYER])
    assert m.raw is not None and m.raw == raw and m.canonical == raw
    assert m.digest == sha(raw)
    assert m.references() == [CONFIG, LAYER]


def test_tv3_oci_manifest_parse_and_build():
    m = oci.parse_manifest(tv.TV3)
    assert m.media_type == MediaType.OCI_MANIFEST
    assert m.config.media_type == MediaType.OCI_CONFIG and m.config.digest == CONFIG.digest
    assert [d.media_type for d in m.layers] == [MediaType.OCI_LAYER_GZIP]
    rebuilt = oci.build_manifest(Descriptor(MediaType.OCI_CONFIG, 229, CONFIG.digest),
                                 [Descriptor(MediaType.OCI_LAYER_GZIP, 107, LAYER.digest)], style="compact")
    assert rebuilt.raw == tv.TV3
    assert rebuilt.digest == "sha256:0dcd6c0a3e590111b22f6939e90adfbd0957fb4d2a8950c473868d4964ae13fc"


def test_tv4_manifest_list_build_and_parse():
    entries = [Descriptor(MediaType.SCHEMA2, 523, from_bytes(tv.TV1), platform=Platform("amd64", "linux")),
               Descriptor(MediaType.SCHEMA2, 423, from_bytes(tv.TV2),
                          platform=Platform("arm64", "linux", variant="v8"))]
    built = manifestlist.build(entries)
    assert built.raw == tv.TV4
    assert built.digest == "sha256:6e8929e674b3cac8bd840f0a8c53368b04ad9558c23271edd76b1c1a8da32b78"
    parsed = manifestlist.parse(tv.TV4)
    assert parsed.manifests == entries and parsed.media_type == MediaType.MANIFEST_LIST


def test_tv5_oci_artifact_with_subject_indent_build():
    built = oci.build_manifest(
        Descriptor(MediaType.OCI_EMPTY, 2, OCI_EMPTY, data="e30="),
        [Descriptor(MediaType.OCI_EMPTY, 2, OCI_EMPTY)],
        subject=Descriptor(MediaType.OCI_MANIFEST, 401, from_bytes(tv.TV3)),
        artifact_type="application/vnd.example+type",
        annotations={"org.opencontainers.image.created": "2020-01-01T00:00:00Z"}, style="indent")
    assert built.raw == tv.TV5
    assert built.digest == "sha256:50ebd5128b226dfa849299d07619fd382986ee3533b33358ab5a21b352daea6b"
    parsed = oci.parse_manifest(tv.TV5)
    assert parsed.artifact_type == "application/vnd.example+type"
    assert parsed.subject.digest == from_bytes(tv.TV3) and parsed.config.data == "e30="


def test_tv6a_conversion_payload_distribution():
    payload = schema2_to_schema1(tv.TV3_CONFIG, [LAYER], "example/tiny", "v1", keep_author=False)
    assert payload == tv.TV6_PAYLOAD
    top = json.loads(json.loads(payload)["history"][0]["v1Compatibility"])
    assert top["id"] == hashlib.sha256(LAYER.digest.encoded.encode() + b"  " + tv.TV3_CONFIG).hexdigest()
    assert top["id"] == "257ab14d1e76e9551f8a4b0585ac2ad8776d818ff27dfc765725be01000e3426"


def test_tv6b_signed_document_parses_verifies_and_digests():
    m = schema1.parse(tv.TV6_SIGNED)
    assert m.signed and m.media_type == MediaType.SCHEMA1_SIGNED
    assert len(m.canonical) == 316 and m.canonical == tv.TV6_SIGNED[:315] + b"}"
    expected = "sha256:f62a5a8f075cd86b6a3ba71e563bfe29994f15bd010db89d20d596c4dfc2dad2"
    assert m.digest == expected
    assert manifest_digest(tv.TV6_SIGNED) == expected
    assert parse_manifest(None, tv.TV6_SIGNED).digest == expected
    assert (m.name, m.tag, m.architecture) == ("", "", "amd64")
    assert m.fs_layers == [LAYER.digest]
    assert libtrust.verify(tv.TV6_SIGNED) == ["K7LU:FRLJ:BN3J:PEXG:DIZI:OAI4:VT2V:WJIW:3MNJ:46EZ:ESAI:WBJO"]
    # libtrust re-renders a compact payload's signatures compactly: the same bytes come back.
    assert libtrust.pretty_signature(m.canonical, m.signatures) == tv.TV6_SIGNED


def test_tv6b_payload_is_the_compact_containers_conversion():
    payload = schema2_to_schema1(tv.TV3_CONFIG, [LAYER], "", "", keep_author=True, style="containers")
    assert payload == schema1.parse(tv.TV6_SIGNED).canonical


def test_tv7_libtrust_key_id():
    jwk = schema1.parse(tv.TV6_SIGNED).signatures[0]["header"]["jwk"]
    spki = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004") + \
        libtrust.b64url_decode(jwk["x"]) + libtrust.b64url_decode(jwk["y"])
    assert len(spki) == 91
    assert hashlib.sha256(spki).hexdigest() == "57d742c5690b769792e61a3287011cacf55b2516db1a9e789924808b052e8e76"
    assert libtrust.key_id(spki) == "K7LU:FRLJ:BN3J:PEXG:DIZI:OAI4:VT2V:WJIW:3MNJ:46EZ:ESAI:WBJO"


def test_tv8_empty_top_layer_id_chain_and_payloads():
    compact = schema2_to_schema1(tv.TV8_CONFIG, [LAYER], "", "", keep_author=True, style="containers")
    assert (len(compact), sha(compact)) == (
        823, "sha256:570e5d101c024df2be3f57104f8ad5ca061729ba61fc39c1ba8993e76c327e14")
    pretty = schema2_to_schema1(tv.TV8_CONFIG, [LAYER], "library/hello", "v1", keep_author=False)
    assert (len(pretty), sha(pretty)) == (
        977, "sha256:2ed40ca06a2524c1d82340f2ef801ca808a0561b6dc9397c331521a5f56210f7")
    doc = json.loads(pretty)
    assert [layer["blobSum"] for layer in doc["fsLayers"]] == [EMPTY_LAYER_DIGEST, LAYER.digest]
    assert [h["v1Compatibility"].encode() for h in doc["history"]] == [tv.TV8_V1_TOP, tv.TV8_V1_BASE]
    base = hashlib.sha256(b"1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529 ").hexdigest()
    assert base == "9692bfb892901333c57badfbb405094ee059f2ae9840ab6ec2aa3ae25e86b289"


def test_tv9_constant_blobs():
    assert EMPTY_LAYER.hex() == "1f8b080000096e8800ff621805a360148c5800080000ffff2eafb5ef00040000"
    assert from_bytes(EMPTY_LAYER) == EMPTY_LAYER_DIGEST
    assert from_bytes(b"{}") == OCI_EMPTY


HEX64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("value, error", [
    ("sha256:" + HEX64, None),
    ("sha256:" + HEX64.upper(), "invalid checksum digest format"),
    ("sha256:abc", "invalid checksum digest length"),
    ("sha384:" + HEX64, "invalid checksum digest length"),
    ("sha512:" + HEX64 * 2, None),
    ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm"),
    ("SHA256:" + HEX64, "invalid checksum digest format"),
    ("sha256", "invalid checksum digest format"),
    (":" + HEX64, "invalid checksum digest format"),
    ("sha256:", "invalid checksum digest format"),
    ("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "unsupported digest algorithm"),
    ("sha256:" + HEX64 + "\n", "invalid checksum digest length"),
])
def test_tv10_go_digest_parse(value, error):
    if error is None:
        assert parse_digest(value) == value
    else:
        with pytest.raises(DigestError) as err:
            parse_digest(value)
        assert str(err.value) == error
