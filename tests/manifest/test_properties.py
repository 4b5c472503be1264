"""Property tests: digests, references, Go JSON round trips, parser robustness, conversion determinism."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from regcompat import gojson
from regcompat.digest import Digest, DigestError, from_bytes, parse_digest
from regcompat.reference import NAME_MAX_LENGTH, ReferenceError, parse_reference
from regcompat.manifest import (PARSERS, ManifestError, guess_media_type, libtrust, manifest_digest,
                                parse_manifest, schema1)
from regcompat.manifest.convert import ConversionError, schema2_to_schema1, uses_empty_layer
from regcompat.testing import random_image

from . import vectors as tv

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- digests and references -------------------------------------------------------------------


@SETTINGS
@given(st.binary())
def test_digest_of_any_bytes_parses_back(data):
    d = from_bytes(data)
    assert parse_digest(str(d)) == d and isinstance(parse_digest(str(d)), Digest)
    assert d.verifies(data) and len(d.encoded) == 64


@SETTINGS
@given(st.text(max_size=80) | st.from_regex(r"[a-z0-9+._-]{1,8}:[0-9a-fA-F]{0,130}", fullmatch=True))
def test_digest_parse_accepts_exactly_or_raises_digest_error(text):
    try:
        assert parse_digest(text) == text
    except DigestError as err:
        assert str(err) in ("invalid checksum digest format", "invalid checksum digest length",
                            "unsupported digest algorithm")


COMPONENT = st.from_regex(r"[a-z0-9]{1,5}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,5}){0,2}", fullmatch=True)
TAG = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)


@SETTINGS
@given(st.lists(COMPONENT, min_size=1, max_size=4), st.none() | TAG, st.none() | st.binary())
def test_reference_round_trip(components, tag, content):
    name = "/".join(components)
    text = name + (":" + tag if tag else "") + ("@" + from_bytes(content) if content is not None else "")
    ref = parse_reference(text)
    assert (ref.name, ref.tag, str(ref)) == (name, tag, text)
    assert ref.digest == (from_bytes(content) if content is not None else None)


@SETTINGS
@given(st.text(max_size=300))
def test_reference_parse_never_raises_anything_else(text):
    try:
        ref = parse_reference(text)
    except ReferenceError:
        return
    assert len(ref.name) <= NAME_MAX_LENGTH and str(ref) == text


# -- Go JSON ----------------------------------------------------------------------------------

SCALARS = st.none() | st.booleans() | st.integers(-(2 ** 63), 2 ** 63 - 1) | st.text(max_size=12)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) |
                    st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@SETTINGS
@given(JSON)
def test_gojson_round_trips_through_json_loads(value):
    compact = gojson.marshal(value)
    assert json.loads(compact) == value
    pretty = gojson.marshal_indent(value, "", "   ")
    assert json.loads(pretty) == value
    assert gojson.compact(pretty) == compact
    assert not re.search(rb"[<>&]", compact)  # always HTML-escaped


@SETTINGS
@given(JSON, st.sampled_from(["", "  "]), st.sampled_from(["   ", "\t"]))
def test_reindenting_raw_json_equals_marshal_indent(value, prefix, indent):
    assert gojson.marshal_indent({"v": gojson.RawJSON(gojson.marshal(value))}, prefix, indent) == \
        gojson.marshal_indent({"v": value}, prefix, indent)


# -- parsers never raise anything but ManifestError ----------------------------------------------

KEYS = ["schemaVersion", "mediaType", "config", "layers", "manifests", "signatures", "fsLayers", "history",
        "name", "tag", "architecture", "subject", "artifactType", "annotations", "platform", "digest",
        "size", "urls", "rootfs", "diff_ids", "created", "empty_layer", "header", "protected", "signature",
        "jwk", "alg", "formatLength", "formatTail", "blobSum", "v1Compatibility"]
FIELD_VALUES = st.recursive(
    SCALARS | st.sampled_from(["sha256:" + "a" * 64, "ES256", "P-256", "EC", "e30", "Cn0"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=15)
MANIFEST_LIKE = st.dictionaries(st.sampled_from(KEYS), FIELD_VALUES, max_size=8).map(
    lambda d: json.dumps(d).encode())


def _mutations(draw_source):
    return st.tuples(st.sampled_from([tv.TV1, tv.TV2, tv.TV4, tv.TV5, tv.TV6_SIGNED, tv.TV6_PAYLOAD,
                                      tv.TV8_CONFIG]),
                     st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=3)), min_size=1, max_size=3)
                     ).map(draw_source)


def _mutate(args):
    raw, edits = args
    data = bytearray(raw)
    for position, replacement in edits:
        position %= len(data) + 1
        data[position:position + len(replacement) or position + 1] = replacement
    return bytes(data)


INPUTS = st.binary(max_size=200) | MANIFEST_LIKE | _mutations(_mutate)


def _only_manifest_errors(call, raw):
    try:
        call(raw)
    except ManifestError as err:
        assert isinstance(str(err), str) and str(err)


@SETTINGS
@given(INPUTS)
def test_parsers_raise_only_manifest_errors(raw):
    for parser in PARSERS.values():
        _only_manifest_errors(parser, raw)
    _only_manifest_errors(lambda r: schema1.parse(r, require_signature=True), raw)
    _only_manifest_errors(libtrust.verify, raw)
    _only_manifest_errors(manifest_digest, raw)
    _only_manifest_errors(lambda r: parse_manifest(None, r), raw)
    _only_manifest_errors(lambda r: parse_manifest("application/json", r), raw)
    assert isinstance(guess_media_type(raw), str)


@SETTINGS
@given(INPUTS, st.integers(0, 3))
def test_conversion_raises_only_conversion_errors(raw, layers):
    from regcompat.manifest.descriptor import Descriptor
    descs = [Descriptor("l", 1, from_bytes(bytes([i]))) for i in range(layers)]
    try:
        payload = schema2_to_schema1(raw, descs, "r", "t", keep_author=True)
    except ConversionError:
        return
    assert schema1.parse(payload, require_signature=False).digest == from_bytes(payload)
    assert isinstance(uses_empty_layer(raw), bool)


# -- conversion determinism -------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(0, 3), st.booleans(), st.booleans(), st.booleans())
def test_conversion_is_deterministic_and_consistent(seed, layers, empty_layers, exotic, keep_author):
    assume(layers or empty_layers)
    image = random_image(seed, layers=layers, empty_layers=empty_layers, exotic=exotic)
    again = random_image(seed, layers=layers, empty_layers=empty_layers, exotic=exotic)
    assert image.config == again.config and [b.data for b in image.layers] == [b.data for b in again.layers]
    payload = image.schema1_payload("demo/app", "v1", keep_author=keep_author)
    assert payload == again.schema1_payload("demo/app", "v1", keep_author=keep_author)
    m = schema1.parse(payload, require_signature=False)
    history = json.loads(image.config)["history"]
    assert len(m.fs_layers) == len(m.history) == len(history)
    entries = [json.loads(h) for h in m.history]
    for newer, older in zip(entries, entries[1:]):
        assert newer["parent"] == older["id"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["id"]) for e in entries)
    real = [d for d, h in zip(m.fs_layers[::-1], history) if not h.get("empty_layer")]
    assert real == [b.digest for b in image.layers]
    compact = image.schema1_payload("demo/app", "v1", keep_author=keep_author, style="containers")
    assert json.loads(compact) == json.loads(payload)
