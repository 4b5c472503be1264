"""Go error values distribution puts in ``detail``, with their ``Error()`` text
and exported fields (see :class:`regcompat.errors.GoError`).

The named errors of distribution's ``errors.go``/``blobs.go`` (texts from
distribution v2.0.1 to v3.0.0, unchanged across them), and the detail Go puts
in MANIFEST_INVALID when decoding a pushed body fails.

distribution passes the decoder's error value to ``WithDetail``; Go's JSON
encoder then writes its exported fields:

  * a syntax error is ``{"Offset": n}``: the number of bytes the scanner had
    read when it stopped (the bad byte included; the whole length at an
    unexpected end);
  * a type error is ``{"Value", "Type": {}, "Offset", "Struct", "Field"}``:
    the JSON kind found ("string", "array", "number 1e3"...), the innermost
    struct and the dotted field path, and the offset just past the offending
    literal, or just past the ``[``/``{`` of a container (Go 1.19, the
    toolchain of Debian's 2.8.2; every example checked against that build);
  * any other error value has no exported field and is written ``{}``.
"""

from __future__ import annotations

import re

from ..errors import GO_ERROR, GoError, go_quote
from ..manifest._decode import _DECODER, GoNumber, syntax_offset

__all__ = ["decode_error_detail", "json_syntax_offset", "tag_unknown", "manifest_tag_unknown",
           "revision_unknown", "blob_invalid_digest", "blob_unknown", "name_invalid", "invalid_path", "plain"]


def blob_unknown(b, digest: str) -> object:
    """BLOB_UNKNOWN's detail for version ``b`` (its ``blob_unknown_detail``)."""
    return {"blobSum": digest} if b.blob_unknown_detail == "fslayer" else digest


def invalid_path(driver: str, path: str) -> GoError:
    """``storagedriver.InvalidPathError``: a storage path the driver refuses."""
    return GoError(f"{driver}: invalid path: {path}", {"Path": path, "DriverName": driver})


def plain(text: str) -> GoError:
    """An ``errors.New``/``fmt.Errorf`` value: no exported field."""
    return GoError(text)


def tag_unknown(tag: str) -> GoError:
    """``distribution.ErrTagUnknown`` (2.3+)."""
    return GoError(f"unknown tag={tag}", {"Tag": tag})


def manifest_tag_unknown(name: str, tag: str) -> GoError:
    """``distribution.ErrManifestUnknown`` (a tag lookup in 2.0-2.2)."""
    return GoError(f"unknown manifest name={name} tag={tag}", {"Name": name, "Tag": tag})


def revision_unknown(name: str, digest: str) -> GoError:
    """``distribution.ErrManifestUnknownRevision``."""
    return GoError(f"unknown manifest name={name} revision={digest}", {"Name": name, "Revision": digest})


def blob_invalid_digest(digest: str, reason: str = "content does not match digest") -> GoError:
    """``distribution.ErrBlobInvalidDigest`` (the reason is a plain error)."""
    return GoError(f"invalid digest for referenced layer: {digest}, {reason}",
                   {"Digest": digest, "Reason": plain(reason)})


def name_invalid(name: str, reason: str) -> GoError:
    """``distribution.ErrRepositoryNameInvalid`` (the reason is a plain error)."""
    return GoError(f"repository name {go_quote(name)} invalid: {reason}",
                   {"Name": name, "Reason": plain(reason)})

_TYPE_ERROR = re.compile(r"json: cannot unmarshal (?P<value>.+?) into Go "
                         r"(?:struct field (?P<struct>[^.]*)\.(?P<field>\S+)|value) of type \S+\Z")
_WS = " \t\n\r"


def json_syntax_offset(body: bytes) -> int | None:
    """Go's ``json.SyntaxError.Offset`` for ``body``, or None if it is valid JSON."""
    return syntax_offset(body)


def decode_error_detail(body: bytes, message: str, offset: int | None = None) -> object:
    """The detail for a decode failure whose message is ``message`` (``offset``: Go's
    syntax-error offset in the bytes being decoded, when the decoder knows it)."""
    if offset is None:
        offset = json_syntax_offset(body)
    if offset is not None:
        return GoError(message, {"Offset": offset})
    match = _TYPE_ERROR.match(message)
    if not match:
        return plain(message)
    value = match.group("value")
    field = match.group("field") or ""
    text = body.decode("utf-8", "replace")
    offset = _type_error_offset(text, tuple(field.split(".")) if field else (), value.split(" ")[0])
    return GoError(message, {"Value": value, "Type": GO_ERROR, "Offset": offset,
                             "Struct": match.group("struct") or "", "Field": field})


def _type_error_offset(text: str, path: tuple[str, ...], kind: str) -> int:
    """Byte offset Go reports for the first value at ``path`` (array indices
    ignored, keys matched case-insensitively) whose JSON kind is ``kind``."""
    wanted = tuple(p.casefold() for p in path)
    for found_path, found_kind, start, end in _values(text):
        if found_path == wanted and found_kind == kind:
            index = start + 1 if kind in ("array", "object") else end
            return len(text[:index].encode())
    return 0


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _values(text: str):
    """Every value of a valid JSON text as (key path, kind, start, end), in
    document order (iterative: documents nest up to Go's 10,000 levels)."""
    out: list[tuple[tuple[str, ...], str, int, int]] = []
    stack: list[tuple[str, tuple[str, ...]]] = []  # (closer, the container's path)
    i, path, expecting_value = _skip(text, 0), (), True
    while True:
        if expecting_value:
            opener = text[i]
            if opener in "{[":
                out.append((path, "object" if opener == "{" else "array", i, i + 1))
                stack.append(("}" if opener == "{" else "]", path))
                i = _skip(text, i + 1)
                if text[i] == stack[-1][0]:  # empty container
                    stack.pop()
                    i, expecting_value = _skip(text, i + 1), False
                else:
                    path, i = _element(text, i, stack[-1])
                continue
            value, end = _DECODER.raw_decode(text, i)
            out.append((path, _kind(value), i, end))
            i, expecting_value = _skip(text, end), False
            continue
        if not stack:
            return out
        if text[i] == ",":
            path, i = _element(text, _skip(text, i + 1), stack[-1])
            expecting_value = True
        else:  # the closer
            stack.pop()
            i = _skip(text, i + 1)


def _element(text: str, i: int, container: tuple[str, tuple[str, ...]]) -> tuple[tuple[str, ...], int]:
    """The path of the element starting at ``i`` and where its value starts (past an object key)."""
    closer, path = container
    if closer == "]":
        return path, i
    key, j = _DECODER.raw_decode(text, i)
    return path + (key.casefold(),), _skip(text, _skip(text, j) + 1)  # past ':'


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, GoNumber)):
        return "number"
    if value is None:
        return "null"
    return "string"
