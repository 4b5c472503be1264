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

Left out: the exact Go wording for rarer syntax errors (several Go contexts map
to one Python message; we pick the most common) and Go's max nesting depth
(Python's recursion limit, reported as "exceeded max depth").
"""

from __future__ import annotations

import json
import re

__all__ = ["ManifestError", "GoObject", "GoNumber", "decode", "Fields", "go_string"]


class ManifestError(ValueError):
    """A manifest that the modelled Go code refuses; ``str(err)`` is its message."""

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


_DECODER = json.JSONDecoder(object_pairs_hook=GoObject, parse_float=GoNumber,
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
        raise ManifestError(_syntax_message(err, text)) from None
    except _Constant:
        raise ManifestError(_constant_message(text)) from None
    except RecursionError:
        raise ManifestError("exceeded max depth") from None
    except ValueError as err:  # int() refusing a number literal with thousands of digits
        raise ManifestError("json: cannot unmarshal number: %s" % err) from None


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
