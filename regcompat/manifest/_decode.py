"""Decoding manifest JSON the way Go's ``encoding/json`` decodes it into structs.

The parsers of this package read documents through these helpers so that they
accept and refuse what the Go producers and consumers accept and refuse:

  * the text must be UTF-8 JSON (no BOM, no ``NaN``), one top-level value;
    syntax errors are reported with Go's wording where Python's decoder gives
    enough to know it ("unexpected end of JSON input", "invalid character 'x'
    looking for beginning of value", "... after top-level value");
  * a struct field matches its JSON key exactly or case-insensitively, and when
    a key appears twice the later one wins (Go decodes keys in order);
  * ``null`` leaves a field at its zero value; a value of the wrong JSON type is
    an ``UnmarshalTypeError`` ("json: cannot unmarshal string into Go struct
    field Manifest.schemaVersion of type int");
  * invalid UTF-8 bytes and lone UTF-16 surrogate escapes in strings decode
    as U+FFFD (one per byte), as Go decodes them.

Nesting is Go's: up to 10,000 levels decode (a document deeper than Python's
recursion allows goes through an iterative decoder), the 10,001st opening
bracket is Go's "exceeded max depth" (its offset is :func:`syntax_offset`'s).
Integers of any length decode (a literal longer than Python's int-string limit
is kept as a :class:`GoNumber`, so an integer field reports Go's type error).

Left out: the exact Go wording for rarer syntax errors (several Go contexts map
to one Python message; we pick the most common).
"""

from __future__ import annotations

import json
import re

__all__ = ["ManifestError", "GoObject", "GoNumber", "decode", "syntax_offset", "Fields", "go_string",
           "GO_MAX_DEPTH"]


class ManifestError(ValueError):
    """A manifest that the modelled Go code refuses; ``str(err)`` is its message.
    ``offset``: for a JSON syntax error, Go's ``SyntaxError.Offset`` in the bytes
    that were being decoded (None for every other error)."""

    offset: int | None = None

    @property
    def message(self) -> str:
        return str(self)


class GoObject(dict):
    """A decoded JSON object that remembers its keys in document order (duplicates included)."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__(pairs)
        self.pairs = pairs


class GoNumber:
    """A JSON number with a fraction or exponent, kept as its literal (manifests use integers)."""

    __slots__ = ("literal",)

    def __init__(self, literal: str):
        self.literal = literal

    def __repr__(self) -> str:
        return f"GoNumber({self.literal!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoNumber) and other.literal == self.literal

    __hash__ = None  # type: ignore[assignment]


class _Constant(Exception):
    """Python's decoder met NaN/Infinity, which Go rejects at their first character."""


def _reject_constant(name: str) -> object:
    raise _Constant(name)


_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.S)


def _constant_message(text: str) -> str:
    for m in _CONSTANT.finditer(text):
        if m.group(1):
            if m.group(1).startswith("-"):
                return "invalid character 'I' in numeric literal"
            return "invalid character %s looking for beginning of value" % _quote_char(m.group(1)[0])
    return "invalid character 'N' looking for beginning of value"


#: Go's scanner refuses the 10,001st level of nesting (encoding/json maxNestingDepth).
GO_MAX_DEPTH = 10000
#: Longest integer literal converted to a Python int (CPython refuses 4,300+ digits).
_INT_DIGITS = 4000


def _parse_int(literal: str) -> object:
    return int(literal) if len(literal) <= _INT_DIGITS else GoNumber(literal)


class _DepthError(ValueError):
    """Go's "exceeded max depth" at ``pos`` (the bracket that opened level 10,001)."""

    def __init__(self, pos: int):
        super().__init__("exceeded max depth")
        self.pos = pos


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _fail(msg: str, text: str, pos: int) -> json.JSONDecodeError:
    return json.JSONDecodeError(msg, text, pos)


def _iterative(text: str, idx: int) -> tuple[object, int]:
    """``raw_decode`` without recursion: Python's error messages and positions,
    Go's nesting limit. Used only for documents nested beyond Python's limit."""
    stack: list[tuple[object, list]] = []  # (container, pending key holder)
    pos = _WS.match(text, idx).end()
    value: object = None
    while True:
        # -- parse one value starting at pos (or open a container)
        ch = text[pos:pos + 1]
        if ch in ("{", "["):
            if len(stack) >= GO_MAX_DEPTH:
                raise _DepthError(pos)
            pos = _WS.match(text, pos + 1).end()
            if ch == "[":
                if text[pos:pos + 1] == "]":
                    value, pos = [], pos + 1
                else:
                    stack.append(([], [None]))
                    continue
            else:
                if text[pos:pos + 1] == "}":
                    value, pos = GoObject([]), pos + 1
                else:
                    stack.append(([], [None]))  # object pairs, pending key
                    stack[-1][1].append("object")
                    pos = _key(text, pos, stack[-1][1])
                    continue
        elif ch == '"':
            value, pos = json.decoder.scanstring(text, pos + 1)
        elif text.startswith("null", pos):
            value, pos = None, pos + 4
        elif text.startswith("true", pos):
            value, pos = True, pos + 4
        elif text.startswith("false", pos):
            value, pos = False, pos + 5
        elif text.startswith("NaN", pos):
            value, pos = _reject_constant("NaN"), pos + 3
        elif text.startswith("Infinity", pos):
            value, pos = _reject_constant("Infinity"), pos + 8
        elif text.startswith("-Infinity", pos):
            value, pos = _reject_constant("-Infinity"), pos + 9
        else:
            m = _NUMBER.match(text, pos)
            if not m:
                raise _fail("Expecting value", text, pos)
            integer, frac, exp = m.groups()
            value = GoNumber(integer + (frac or "") + (exp or "")) if frac or exp else _parse_int(integer)
            pos = m.end()
        # -- attach the value to its container, closing containers as they end
        while True:
            if not stack:
                return value, pos
            items, meta = stack[-1]
            is_object = len(meta) > 1
            items.append((meta[0], value) if is_object else value)
            pos = _WS.match(text, pos).end()
            ch = text[pos:pos + 1]
            if ch == ",":
                pos = _WS.match(text, pos + 1).end()
                if is_object:
                    pos = _key(text, pos, meta)
                break
            closer = "}" if is_object else "]"
            if ch != closer:
                raise _fail("Expecting ',' delimiter", text, pos)
            pos += 1
            stack.pop()
            value = GoObject(items) if is_object else items


def _key(text: str, pos: int, meta: list) -> int:
    """Read ``"key":`` at ``pos`` into ``meta[0]``; the position of the value."""
    if text[pos:pos + 1] != '"':
        raise _fail("Expecting property name enclosed in double quotes", text, pos)
    meta[0], pos = json.decoder.scanstring(text, pos + 1)
    pos = _WS.match(text, pos).end()
    if text[pos:pos + 1] != ":":
        raise _fail("Expecting ':' delimiter", text, pos)
    return _WS.match(text, pos + 1).end()


class _GoDecoder(json.JSONDecoder):
    """Python's decoder, falling back to :func:`_iterative` beyond its recursion limit."""

    def raw_decode(self, s: str, idx: int = 0) -> tuple[object, int]:
        try:
            return super().raw_decode(s, idx)
        except RecursionError:
            return _iterative(s, idx)


_DECODER = _GoDecoder(object_pairs_hook=GoObject, parse_float=GoNumber, parse_int=_parse_int,
                      parse_constant=_reject_constant)


_GO_SHORT = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r",
             0x27: "\\'", 0x5C: "\\\\"}


def _quote_char(ch: str) -> str:
    """Go's ``quoteChar``: the scanner sees bytes, so a non-ASCII character shows as its first byte."""
    code = ord(ch)
    b = code - 0xDC00 if 0xDC80 <= code <= 0xDCFF else ch.encode("utf-8", "surrogatepass")[0]
    if b in _GO_SHORT:
        return "'" + _GO_SHORT[b] + "'"
    if 0x20 <= b < 0x7F or (b >= 0xA1 and b != 0xAD):
        return "'" + chr(b) + "'"
    return "'" + ("\\x%02x" % b if b < 0x80 else "\\u%04x" % b) + "'"


def _syntax_message(err: json.JSONDecodeError, text: str) -> str:
    pos = err.pos
    if err.msg == "Extra data":
        return "invalid character %s after top-level value" % _quote_char(text[pos])
    if pos >= len(text) or text[pos:].strip(" \t\n\r") == "" or err.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    ch = text[pos]
    if err.msg.startswith("Expecting property name"):
        context = "looking for beginning of object key string"
    elif err.msg.startswith("Expecting ':'"):
        context = "after object key"
    elif err.msg.startswith("Expecting ','"):
        context = "after object key:value pair" if _in_object(text, pos) else "after array element"
    elif err.msg.startswith("Invalid control character"):
        context = "in string literal"
    elif err.msg.startswith("Invalid \\escape") or err.msg.startswith("Invalid \\u"):
        context = "in string escape code"
        ch = text[pos + 1] if pos + 1 < len(text) else ch
    else:
        context = "looking for beginning of value"
    return "invalid character %s %s" % (_quote_char(ch), context)


def _in_object(text: str, pos: int) -> bool:
    """Whether the innermost open container before ``pos`` is an object (rough, ignores strings)."""
    depth = 0
    for ch in reversed(text[:pos]):
        if ch in "}]":
            depth += 1
        elif ch in "{[":
            if depth == 0:
                return ch == "{"
            depth -= 1
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: bytes) -> object:
    """Decode ``raw`` as Go's ``json.Unmarshal`` would see it, or raise :class:`ManifestError`."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    # surrogateescape keeps invalid UTF-8 bytes recoverable: Go reports them by byte value
    # and keeps them verbatim in raw values; decoded strings get U+FFFD per byte (Fields.str).
    text = bytes(raw).decode("utf-8", "surrogateescape")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as err:
        failure = ManifestError(_syntax_message(err, text))
        pos = err.pos
    except _Constant:
        failure = ManifestError(_constant_message(text))
        pos = next(m.start(1) for m in _CONSTANT.finditer(text) if m.group(1))
    except _DepthError as err:
        failure = ManifestError(str(err))
        pos = err.pos
    failure.offset = len(raw) if pos >= len(text) else len(text[:pos].encode("utf-8", "surrogateescape")) + 1
    raise failure from None


def syntax_offset(raw: bytes) -> int | None:
    """Go's ``json.SyntaxError.Offset`` for ``raw`` (bytes read when the scanner
    stopped, the bad byte included; the whole length at an unexpected end), or
    None when ``raw`` is valid JSON as far as the scanner goes."""
    try:
        decode(raw)
    except ManifestError as err:
        return err.offset
    return None


def go_string(value: str) -> str:
    """A decoded string as Go holds it: lone surrogates (invalid input bytes) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "number %d" % value
    if isinstance(value, GoNumber):
        return "number " + value.literal
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_INT_RANGES = {"int": (-(1 << 63), (1 << 63) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}


def _struct_name(struct_type: str) -> str:
    """Go names the innermost struct in a type error ("Descriptor.config.size"; seen
    against distribution 2.8.2): the type name without its package or slice prefix."""
    return struct_type.lstrip("[]*").rsplit(".", 1)[-1]


class Fields:
    """Typed access to one decoded JSON object as a Go struct named ``struct`` sees it."""

    __slots__ = ("obj", "struct", "path")

    def __init__(self, value: object, struct: str, path: str = "", *, qualified: str = ""):
        if not isinstance(value, GoObject):
            raise ManifestError("json: cannot unmarshal %s into Go value of type %s"
                                % (_json_kind(value).split(" ")[0], qualified or struct))
        self.obj = value
        self.struct = struct
        self.path = path

    def raw(self, name: str) -> object:
        """The value of the last key equal to ``name`` (exactly or ignoring case), or None."""
        folded = None
        for key, value in reversed(self.obj.pairs):
            if key == name:
                return value
            if folded is None:
                folded = name.casefold()
            if key.casefold() == folded:
                return value
        return None

    def present(self, name: str) -> bool:
        """Whether a key for ``name`` exists at all (even with a null value)."""
        folded = name.casefold()
        return any(key == name or key.casefold() == folded for key, _ in self.obj.pairs)

    def type_error(self, name: str, value: object, gotype: str) -> ManifestError:
        kind = _json_kind(value)
        if not (gotype.startswith("int") and kind.startswith("number")):
            kind = kind.split(" ")[0]
        return ManifestError("json: cannot unmarshal %s into Go struct field %s.%s of type %s"
                             % (kind, self.struct, self.path + name, gotype))

    def str(self, name: str, gotype: str = "string") -> str:
        value = self.raw(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.type_error(name, value, gotype)
        return go_string(value)

    def int(self, name: str, gotype: str = "int") -> int:
        value = self.raw(name)
        if value is None:
            return 0
        lo, hi = _INT_RANGES[gotype]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.type_error(name, value, gotype)
        return value

    def bool(self, name: str) -> bool:
        value = self.raw(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.type_error(name, value, "bool")
        return value

    def list(self, name: str, gotype: str) -> list:
        value = self.raw(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.type_error(name, value, gotype)
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        items = self.list(name, "[]string")
        for item in items:
            if item is not None and not isinstance(item, str):
                raise self.type_error(name, item, "string")
        return tuple("" if item is None else item for item in items)

    def sub(self, name: str, struct_type: str) -> "Fields | None":
        """The nested object ``name`` (None when absent or null)."""
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, GoObject):
            raise self.type_error(name, value, struct_type)
        return Fields(value, _struct_name(struct_type), self.path + name + ".")

    def item(self, value: object, name: str, struct_type: str) -> "Fields | None":
        """An element of the array ``name`` as a nested struct (None for null)."""
        if value is None:
            return None
        if not isinstance(value, GoObject):
            raise self.type_error(name, value, struct_type)
        return Fields(value, _struct_name(struct_type), self.path + name + ".")

    def string_map(self, name: str) -> dict[str, str] | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, GoObject):
            raise self.type_error(name, value, "map[string]string")
        out = {}
        for key, item in value.items():
            if item is not None and not isinstance(item, str):
                raise self.type_error(name, item, "string")
            out[key] = "" if item is None else item
        return out
