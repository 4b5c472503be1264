"""Go encoding/json escaping and indentation, as the manifest bytes depend on them (reference section 2)."""

from __future__ import annotations

import json

import pytest

from regcompat import gojson
from regcompat.gojson import RawJSON


@pytest.mark.parametrize("value, encoded", [
    ('say "hi"', r'"say \"hi\""'),
    ("back\\slash", r'"back\\slash"'),
    ("a\nb\rc\td", r'"a\nb\rc\td"'),
    ("\x00\x01\x1f", r'"\u0000\u0001\u001f"'),
    ("\x08\x0c", r'"\u0008\u000c"'),          # Go < 1.22, the producers modelled here
    ("<b> & </b>", r'"\u003cb\u003e \u0026 \u003c/b\u003e"'),
    ("\u2028\u2029", r'"\u2028\u2029"'),
    ("Zoë café ✓ 😀", '"Zoë café ✓ 😀"'),     # other non-ASCII stays raw UTF-8
    ("\x7f/", '"\x7f/"'),                    # DEL and slash are not escaped
])
def test_string_escaping(value, encoded):
    assert gojson.encode_string(value) == encoded
    assert gojson.marshal(value) == encoded.encode("utf-8")
    assert json.loads(encoded) == value


def test_the_recorded_author_escape():
    """As distribution 2.3.1 and 2.8.2 wrote it in the converted top v1Compatibility."""
    assert gojson.marshal({"author": "Zoë <zoe@example.com> & co"}) == \
        '{"author":"Zoë \\u003czoe@example.com\\u003e \\u0026 co"}'.encode()


def test_python_json_differs_where_go_matters():
    value = {"a": "é <&>"}
    assert json.dumps(value, separators=(",", ":")).encode() != gojson.marshal(value)
    assert json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() != gojson.marshal(value)


def test_raw_json_is_compacted_and_html_escaped_but_otherwise_verbatim():
    raw = RawJSON(b'{ "z" : 1.50, "a": "caf\\u00e9 <x> & \xe2\x80\xa8", "n" : [ ] , "e": 1E3 }')
    assert gojson.marshal({"v": raw}) == \
        b'{"v":{"z":1.50,"a":"caf\\u00e9 \\u003cx\\u003e \\u0026 \\u2028","n":[],"e":1E3}}'


def test_raw_json_is_reindented_by_marshal_indent():
    raw = RawJSON(b'{"z":1.50,"a":[{"b":"\\u00e9"},[],{}],"a":2}')
    assert gojson.marshal_indent({"k": raw, "l": [raw]}, "", "  ") == (
        b'{\n  "k": {\n    "z": 1.50,\n    "a": [\n      {\n        "b": "\\u00e9"\n      },\n'
        b'      [],\n      {}\n    ],\n    "a": 2\n  },\n  "l": [\n    {\n      "z": 1.50,\n'
        b'      "a": [\n        {\n          "b": "\\u00e9"\n        },\n        [],\n        {}\n'
        b'      ],\n      "a": 2\n    }\n  ]\n}')


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, {"a": {}, "b": [1, [2, {}], {"c": None, "d": True, "e": False}]}, [[[]]], "x", 0,
])
def test_marshal_indent_matches_python_for_ascii_safe_data(value):
    for prefix, indent in (("", "   "), ("", "\t"), ("  ", "  ")):
        expected = json.dumps(value, indent=indent, ensure_ascii=False).replace("\n", "\n" + prefix)
        assert gojson.marshal_indent(value, prefix, indent) == expected.encode()


def test_no_trailing_newline_and_insertion_order():
    out = gojson.marshal_indent({"schemaVersion": 2, "mediaType": "x"})
    assert out == b'{\n   "schemaVersion": 2,\n   "mediaType": "x"\n}'


def test_invalid_utf8_like_go():
    """A lone surrogate (Python's stand-in for invalid bytes) is written as \\ufffd; raw values keep bytes."""
    assert gojson.marshal("x\ud800y") == b'"x\\ufffdy"'
    assert gojson.marshal({"r": RawJSON(b'"\xff<"')}) == b'{"r":"\xff\\u003c"}'


def test_top_v1_config_keeps_invalid_bytes_in_values_and_replaces_them_in_keys():
    from regcompat.manifest.convert import v1_config
    assert v1_config(b'{"k\xff": "v\xfe", "history": []}', "id", "", False) == \
        b'{"id":"id","k\xef\xbf\xbd":"v\xfe"}'


def test_floats_are_refused():
    with pytest.raises(TypeError):
        gojson.marshal({"x": 1.5})
