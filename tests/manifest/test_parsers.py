"""Parsers: what Go's decoder accepts and refuses, media-type dispatch and the digest rule."""

from __future__ import annotations

import pytest

from regcompat.digest import Digest, from_bytes
from regcompat.mediatypes import MediaType
from regcompat.manifest import (PARSERS, ManifestError, guess_media_type, manifest_digest, manifestlist, oci,
                                parse_manifest, schema1, schema2)
from regcompat.manifest.descriptor import Platform

from . import vectors as tv

D = "sha256:" + "a" * 64


@pytest.mark.parametrize("raw, message", [
    (b"", "unexpected end of JSON input"),
    (b"   ", "unexpected end of JSON input"),
    (b"{", "unexpected end of JSON input"),
    (b'{"schemaVersion": 2', "unexpected end of JSON input"),
    (b'{"a": "unterminated', "unexpected end of JSON input"),
    (b"x", "invalid character 'x' looking for beginning of value"),
    (b"{}x", "invalid character 'x' after top-level value"),
    (b"{} {}", "invalid character '{' after top-level value"),
    (b'{"a": NaN}', "invalid character 'N' looking for beginning of value"),
    (b"{'a': 1}", "invalid character '\\'' looking for beginning of object key string"),
    (b'{"a" 1}', "invalid character '1' after object key"),
    (b'{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair"),
    (b'[1 2]', "invalid character '2' after array element"),
    (b'{"a": "x\ny"}', "invalid character '\\n' in string literal"),
    (b'{"a": "\\q"}', "invalid character 'q' in string escape code"),
    (b"\xef\xbb\xbf{}", "invalid character '\u00ef' looking for beginning of value"),
    (b"[Infinity]", "invalid character 'I' looking for beginning of value"),
    (b"[-Infinity]", "invalid character 'I' in numeric literal"),
    (b"\x00", "invalid character '\\x00' looking for beginning of value"),
    (b"\\", "invalid character '\\\\' looking for beginning of value"),
    (b"\xc2\xa0{}", "invalid character '\u00c2' looking for beginning of value"),
    (b"\xff", "invalid character '\u00ff' looking for beginning of value"),
    (b"{}\x80", "invalid character '\\u0080' after top-level value"),
    (b"[]", "json: cannot unmarshal array into Go value of type schema2.Manifest"),
    (b'"x"', "json: cannot unmarshal string into Go value of type schema2.Manifest"),
    (b'{"schemaVersion": "2"}', "json: cannot unmarshal string into Go struct field Manifest.schemaVersion of type int"),
    (b'{"schemaVersion": 2.5}', "json: cannot unmarshal number 2.5 into Go struct field Manifest.schemaVersion of type int"),
    (b'{"schemaVersion": 99999999999999999999}',
     "json: cannot unmarshal number 99999999999999999999 into Go struct field Manifest.schemaVersion of type int"),
    (b'{"mediaType": 1}', "json: cannot unmarshal number into Go struct field Manifest.mediaType of type string"),
    (b'{"config": []}', "json: cannot unmarshal array into Go struct field Manifest.config of type distribution.Descriptor"),
    (b'{"config": {"size": "1"}}', "json: cannot unmarshal string into Go struct field Descriptor.config.size of type int64"),
    (b'{"layers": {}}', "json: cannot unmarshal object into Go struct field Manifest.layers of type []distribution.Descriptor"),
    (b'{"layers": [{"urls": [1]}]}', "json: cannot unmarshal number into Go struct field Descriptor.layers.urls of type string"),
    (b'{"layers": [true]}', "json: cannot unmarshal bool into Go struct field Manifest.layers of type distribution.Descriptor"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_schema2_parse_errors_are_gos(raw, message):
    with pytest.raises(ManifestError) as err:
        schema2.parse(raw)
    assert str(err.value) == message


def test_go_field_matching_is_case_insensitive_and_the_last_key_wins():
    m = schema2.parse(b'{"SCHEMAVERSION": 1, "schemaVersion": 2, "MediaType": "x", "config": {"Digest": "%s"}}'
                      % D.encode())
    assert (m.schema_version, m.media_type, m.config.digest) == (2, "x", D)
    assert schema2.parse(b'{"schemaVersion": 2, "SchemaVersion": 3}').schema_version == 3


def test_null_leaves_zero_values_and_unknown_fields_are_ignored():
    m = schema2.parse(b'{"schemaVersion": null, "config": null, "layers": null, "extra": {"x": [1.5e300]}}')
    assert (m.schema_version, m.media_type, m.layers) == (0, "", [])
    assert (m.config.media_type, m.config.size, m.config.digest) == ("", 0, "")


def test_invalid_utf8_in_strings_decodes_as_one_replacement_per_byte():
    assert schema2.parse(b'{"mediaType": "a\xffb\xe2\x82A"}').media_type == "a\ufffdb\ufffd\ufffdA"
    assert schema2.parse(b'{"mediaType": "\\ud800"}').media_type == "\ufffd"


def test_schema2_parse_does_not_check_the_media_type_field():
    body = tv.TV1.replace(b"manifest.v2+json", b"manifest.list.v2+json", 1)
    assert schema2.parse(body).media_type == MediaType.MANIFEST_LIST
    assert schema2.parse(b'{"schemaVersion": 2}').media_type == ""


def test_invalid_digests_are_kept_as_strings():
    m = schema2.parse(b'{"config": {"digest": "sha256:ABC"}, "layers": [{"digest": "%s"}]}' % D.encode())
    assert m.config.digest == "sha256:ABC" and not isinstance(m.config.digest, Digest)
    assert isinstance(m.layers[0].digest, Digest)


def test_bytes_are_identity_never_reserialized():
    spaced = tv.TV2[:-1] + b" \n\n}"
    m = schema2.parse(spaced)
    assert m.raw == spaced and m.digest == from_bytes(spaced) != from_bytes(tv.TV2)
    assert schema2.parse(tv.TV2).config == m.config


def test_manifest_list_entry_without_platform_has_the_zero_platform():
    raw = (b'{"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","size":1,"digest":"%s"}]}'
           % (MediaType.MANIFEST_LIST.encode(), MediaType.SCHEMA2.encode(), D.encode()))
    entry = manifestlist.parse(raw).manifests[0]
    assert entry.platform == Platform("", "")
    rebuilt = manifestlist.build([entry], style="compact").raw
    assert rebuilt.endswith(b'"platform":{"architecture":"","os":""}}]}')


def test_platform_fields_round_trip():
    p = Platform("amd64", "windows", os_version="10.0.14393", os_features=("win32k",), variant="v1",
                 features=("sse4",))
    entry = manifestlist.parse(tv.TV4).manifests[0].__class__(MediaType.SCHEMA2, 1, Digest(D), platform=p)
    built = manifestlist.build([entry])
    assert manifestlist.parse(built.raw).manifests[0].platform == p
    assert b'"os.version": "10.0.14393",\n            "os.features": [' in built.raw


def test_oci_index_and_manifest_without_media_type():
    index = oci.build_index([oci.parse_manifest(tv.TV3).descriptor()], media_type=None)
    assert index.media_type == "" and index.raw.startswith(b'{"schemaVersion":2,"manifests":[')
    assert guess_media_type(index.raw) == MediaType.OCI_INDEX
    bare = oci.build_manifest(oci.parse_manifest(tv.TV3).config, [], media_type=None)
    assert guess_media_type(bare.raw) == MediaType.OCI_MANIFEST


def test_schema1_signed_unsigned_and_required():
    unsigned = tv.TV6_PAYLOAD
    with pytest.raises(ManifestError, match="^missing signature key$"):
        schema1.parse(unsigned)
    m = schema1.parse(unsigned, require_signature=False)
    assert (m.signed, m.media_type, m.canonical, m.signatures) == (False, MediaType.SCHEMA1, unsigned, [])
    assert m.digest == from_bytes(unsigned)
    signed = schema1.parse(tv.TV6_SIGNED, require_signature=False)
    assert signed.signed and signed.canonical != tv.TV6_SIGNED
    assert [d.media_type for d in signed.references()] == [MediaType.SCHEMA1_LAYER]


@pytest.mark.parametrize("content_type, raw, expected", [
    (MediaType.SCHEMA2, tv.TV1, MediaType.SCHEMA2),
    (MediaType.SCHEMA2 + "; charset=utf-8", tv.TV1, MediaType.SCHEMA2),
    ("APPLICATION/VND.DOCKER.DISTRIBUTION.MANIFEST.V2+JSON", tv.TV1, MediaType.SCHEMA2),
    (MediaType.MANIFEST_LIST, tv.TV4, MediaType.MANIFEST_LIST),
    (MediaType.OCI_MANIFEST, tv.TV3, MediaType.OCI_MANIFEST),
    ("application/json", tv.TV6_SIGNED, MediaType.SCHEMA1_SIGNED),
    ("text/plain", tv.TV6_SIGNED, MediaType.SCHEMA1_SIGNED),
    (None, tv.TV1, MediaType.SCHEMA2),
    (None, tv.TV3, MediaType.OCI_MANIFEST),
    ("", tv.TV4, MediaType.MANIFEST_LIST),
    (None, tv.TV5, MediaType.OCI_MANIFEST),
    (None, tv.TV6_SIGNED, MediaType.SCHEMA1_SIGNED),
    (None, tv.TV6_PAYLOAD, MediaType.SCHEMA1),
], ids=lambda v: None)
def test_parse_manifest_dispatch(content_type, raw, expected):
    m = parse_manifest(content_type, raw)
    assert type(m) is type(PARSERS[expected](raw))
    assert m.raw == raw


@pytest.mark.parametrize("raw, expected", [
    (b'{"schemaVersion": 2, "config": {"mediaType": "%s"}}' % MediaType.DOCKER_CONFIG.encode(), MediaType.SCHEMA2),
    (b'{"schemaVersion": 2, "config": {"mediaType": "application/vnd.example"}}', MediaType.OCI_MANIFEST),
    (b'{"schemaVersion": 2, "manifests": [{}]}', MediaType.OCI_INDEX),
    (b'{"schemaVersion": 2, "manifests": []}', MediaType.OCI_MANIFEST),
    (b'{"schemaVersion": 2, "manifests": [1]}', ""),
    (b'{"schemaVersion": 2, "manifests": [{"size": "1"}]}', ""),
    (b'{"schemaVersion": 2, "config": {"mediaType": "x/y"}, "manifests": [{}]}', "x/y"),
    (b'{"schemaVersion": 2, "config": []}', ""),
    (b'{"schemaVersion": 1, "signatures": null}', MediaType.SCHEMA1),
    (b'{"schemaVersion": 1, "signatures": []}', MediaType.SCHEMA1_SIGNED),
    (b'{"schemaVersion": 3}', ""),
    (b'{"schemaVersion": "1"}', ""),
    (b"not json", ""),
])
def test_guess_media_type(raw, expected):
    assert guess_media_type(raw) == expected


def test_parse_manifest_without_a_type_it_can_guess():
    with pytest.raises(ManifestError, match='^Unimplemented manifest MIME type ""$'):
        parse_manifest(None, b"{}")


@pytest.mark.parametrize("raw, expected", [
    (tv.TV6_SIGNED, "sha256:f62a5a8f075cd86b6a3ba71e563bfe29994f15bd010db89d20d596c4dfc2dad2"),
    (tv.TV6_PAYLOAD, "sha256:4a24bc0a57aa2a2b226b0c00c724c75d788909d0f96d63749508e917450d78ea"),
    (tv.TV1, "sha256:ee7242460c7c594135eb0e160a640a74ee5a4e16757750a67b9d3c51f3c50f29"),
    (b"not json at all", from_bytes(b"not json at all")),
])
def test_manifest_digest(raw, expected):
    assert manifest_digest(raw) == expected


def test_manifest_digest_of_a_broken_signature_block_is_an_error_like_skopeo():
    with pytest.raises(ManifestError, match="^missing formatted length$"):
        manifest_digest(b'{"schemaVersion": 1, "signatures": [{"protected": "e30"}]}')
