"""JSON bytes exactly as Go's ``encoding/json`` writes them.

Every manifest producer this project models is written in Go, so a digest
only matches when our bytes match Go's (format reference, section 2):

  * objects keep the insertion order of the Python ``dict`` (Go writes struct
    fields in declaration order; callers pass maps already sorted);
  * strings escape ``"`` ``\\`` ``\\n`` ``\\r`` ``\\t``, other control bytes as
    ``\\u00XX``, and ``<`` ``>`` ``&`` U+2028 U+2029 as ``\\u003c``...; all other
    non-ASCII is written raw as UTF-8;
  * :class:`RawJSON` values (Go's ``json.RawMessage``) are compacted and
    HTML-escaped but otherwise kept byte for byte (key order, number
    spelling, existing escapes);
  * :func:`marshal` is compact; :func:`marshal_indent` follows
    ``json.MarshalIndent`` (no trailing newline, empty containers stay ``{}``).

Left out: floats (manifests carry only integers) and Go ≥ 1.22's ``\\b``/``\\f``
short escapes (the modelled producers predate them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

__all__ = ["RawJSON", "marshal", "marshal_indent", "encode_string", "compact"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
            "\u2028": "\\u2028", "\u2029": "\\u2029"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    if "\ud800" <= ch <= "\udfff":  # a lone surrogate: Go writes invalid UTF-8 as \ufffd
        return "\\ufffd"
    return _ESCAPES.get(ch) or "\\u%04x" % ord(ch)


def encode_string(value: str) -> str:
    """A JSON string literal as Go writes it (HTML-safe)."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


class RawJSON(bytes):
    """Pre-encoded JSON that Go would embed through ``json.RawMessage``."""


_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[ \t\r\n]+|[^" \t\r\n]+', re.S)
_HTML_IN_STRING = {b"<": b"\\u003c", b">": b"\\u003e", b"&": b"\\u0026",
                   "\u2028".encode(): b"\\u2028", "\u2029".encode(): b"\\u2029"}
_HTML_RE = re.compile(b"<|>|&|\xe2\x80\xa8|\xe2\x80\xa9")


def compact(raw: bytes) -> bytes:
    """Go's ``json.Compact`` plus HTML escaping inside strings, as Marshal applies to RawMessage."""
    out = []
    for tok in _TOKEN.findall(raw):
        if tok[:1] in b" \t\r\n":
            continue
        if tok[:1] == b'"':
            tok = _HTML_RE.sub(lambda m: _HTML_IN_STRING[m.group(0)], tok)
        out.append(tok)
    return b"".join(out)


def _encode(value: object, indent: str, prefix: str, depth: int, out: list[str]) -> None:
    if isinstance(value, RawJSON):
        text = compact(value).decode("utf-8", "surrogateescape")  # Go keeps raw bytes as they are
        if indent or prefix:
            text = _reindent(text, indent, prefix, depth)
        out.append(text)
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(encode_string(value))
    elif isinstance(value, Mapping):
        _encode_container(list(value.items()), True, indent, prefix, depth, out)
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        _encode_container(list(value), False, indent, prefix, depth, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as Go JSON")


def _encode_container(items: list, is_map: bool, indent: str, prefix: str, depth: int,
                      out: list[str]) -> None:
    open_, close = ("{", "}") if is_map else ("[", "]")
    if not items:
        out.append(open_ + close)
        return
    pretty = bool(indent or prefix)
    out.append(open_)
    for i, item in enumerate(items):
        if i:
            out.append(",")
        if pretty:
            out.append("\n" + prefix + indent * (depth + 1))
        if is_map:
            key, item = item
            out.append(encode_string(str(key)) + (": " if pretty else ":"))
        _encode(item, indent, prefix, depth + 1, out)
    if pretty:
        out.append("\n" + prefix + indent * depth)
    out.append(close)


_INDENT_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^"{}\[\],:]+', re.S)


def _reindent(text: str, indent: str, prefix: str, depth: int) -> str:
    """Go's ``json.Indent`` applied to compact JSON text at nesting ``depth``.

    Token-based, so the text is kept byte for byte (number spelling, escapes,
    key order, duplicate keys): a newline plus ``prefix + indent * level`` after
    ``{``, ``[`` and ``,`` and before closers, ``": "`` after keys, and empty
    containers stay ``{}`` / ``[]`` (Go delays the newline after an opener).
    """
    out: list[str] = []
    need_indent = False
    level = depth
    for tok in _INDENT_TOKEN.findall(text):
        if need_indent and tok not in ("}", "]"):
            need_indent = False
            level += 1
            out.append("\n" + prefix + indent * level)
        if tok in ("{", "["):
            need_indent = True
            out.append(tok)
        elif tok == ",":
            out.append(",\n" + prefix + indent * level)
        elif tok == ":":
            out.append(": ")
        elif tok in ("}", "]"):
            if need_indent:
                need_indent = False
            else:
                level -= 1
                out.append("\n" + prefix + indent * level)
            out.append(tok)
        else:
            out.append(tok)
    return "".join(out)


def marshal(value: object) -> bytes:
    """``json.Marshal(value)``: compact, HTML-safe."""
    out: list[str] = []
    _encode(value, "", "", 0, out)
    return "".join(out).encode("utf-8", "surrogateescape")


def marshal_indent(value: object, prefix: str = "", indent: str = "   ") -> bytes:
    """``json.MarshalIndent(value, prefix, indent)``; distribution uses 3 spaces."""
    out: list[str] = []
    _encode(value, indent, prefix, 0, out)
    return "".join(out).encode("utf-8", "surrogateescape")
