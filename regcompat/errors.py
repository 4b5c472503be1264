"""The registry error codes, and the exceptions the model raises.

One table (:class:`ErrorCode`) gives each wire code its message and HTTP
status, as distribution registers them in ``registry/api/v2/errors.go`` and
``registry/api/errcode/register.go``. The server renders errors and the
engines read them back through the same pair of functions,
:func:`to_envelope` and :func:`from_envelope`.

Error body: ``{"errors":[{"code","message","detail"}]}`` plus a newline (Go's
``json.Encoder``); ``detail`` is left out when there is none. A Go ``error``
value in it is a :class:`GoError`: 2.1-2.8 let the encoder write its exported
fields (``{}`` when it has none, distribution/distribution#2925); 2.0
(``api/v2/errors.go:150-152``) and 3.0 (``errcode/errors.go:233-237``) write
its ``Error()`` text instead (``to_envelope(..., error_text=True)``).
``GO_ERROR`` is an error with no exported field and no text the model knows.
The HTTP status is that of the first error.

Exception tree::

    RegcompatError
    ├── RegistryError          an error the registry sends on the wire
    └── (digest.DigestError, reference.ReferenceError, manifest errors: ValueError)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from . import gojson

__all__ = ["ErrorCode", "RegcompatError", "RegistryError", "GoError", "GO_ERROR", "go_quote", "to_envelope",
           "from_envelope"]


class ErrorCode(Enum):
    """Wire code -> (message, HTTP status)."""

    UNKNOWN = ("unknown error", 500)
    UNSUPPORTED = ("The operation is unsupported.", 405)
    UNAUTHORIZED = ("authentication required", 401)
    DENIED = ("requested access to the resource is denied", 403)
    UNAVAILABLE = ("service unavailable", 503)
    TOOMANYREQUESTS = ("too many requests", 429)
    DIGEST_INVALID = ("provided digest did not match uploaded content", 400)
    SIZE_INVALID = ("provided length did not match content length", 400)
    NAME_INVALID = ("invalid repository name", 400)
    TAG_INVALID = ("manifest tag did not match URI", 400)
    NAME_UNKNOWN = ("repository name not known to registry", 404)
    MANIFEST_UNKNOWN = ("manifest unknown", 404)
    MANIFEST_INVALID = ("manifest invalid", 400)
    MANIFEST_UNVERIFIED = ("manifest failed signature verification", 400)
    MANIFEST_BLOB_UNKNOWN = ("blob unknown to registry", 400)
    BLOB_UNKNOWN = ("blob unknown to registry", 404)
    BLOB_UPLOAD_UNKNOWN = ("blob upload unknown to registry", 404)
    BLOB_UPLOAD_INVALID = ("blob upload invalid", 404)
    PAGINATION_NUMBER_INVALID = ("invalid number of results requested", 400)
    RANGE_INVALID = ("invalid content range", 416)

    @property
    def message(self) -> str:
        return self.value[0]

    @property
    def status(self) -> int:
        return self.value[1]

    @property
    def wire(self) -> str:
        return self.name

    @property
    def engine_text(self) -> str:
        """How Docker's client renders the code: lowercased, ``_`` -> space."""
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True)
class GoError:
    """A Go ``error`` value placed in a detail: its ``Error()`` text and the
    exported fields Go's JSON encoder would write for it (none: ``{}``).
    Field values may themselves be GoErrors (a ``Reason error`` field)."""

    text: str
    fields: dict = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.text)


#: A Go ``error`` value with no exported field whose text the model does not
#: carry: ``{}`` on the wire in 2.1-2.8, and (approximation: the text is
#: unknown) also where 2.0 and 3.0 would write the text.
GO_ERROR = GoError("")
_NO_DETAIL = object()


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (``strconv.Quote``), as error texts embed names."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7f:
            out.append("\\x%02x" % code)
        elif 0xd800 <= code <= 0xdfff:
            out.append("\\ufffd")
        elif not ch.isprintable() and code > 0x7f:
            out.append("\\u%04x" % code if code <= 0xffff else "\\U%08x" % code)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _render_detail(value: object, error_text: bool) -> object:
    """A detail as Go's encoder sees it: GoErrors become their text or fields."""
    if isinstance(value, GoError):
        if error_text and value is not GO_ERROR:
            return value.text
        return _render_detail(value.fields, False)
    if isinstance(value, dict):
        return {k: _render_detail(v, error_text) for k, v in value.items()}
    if isinstance(value, list):
        return [_render_detail(v, error_text) for v in value]
    return value


class RegcompatError(Exception):
    """Base of every exception regcompat raises on purpose."""


@dataclass
class RegistryError(RegcompatError):
    """One or more wire errors; ``status`` is that of the first, unless the handler
    wrote its own (``http_status``: 2.0's handlers set the status themselves)."""

    code: ErrorCode
    message: str | None = None
    detail: object = _NO_DETAIL
    more: list["RegistryError"] = field(default_factory=list)
    http_status: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.text)

    @property
    def status(self) -> int:
        return self.http_status or self.code.status

    @property
    def text(self) -> str:
        return self.message if self.message is not None else self.code.message

    @property
    def has_detail(self) -> bool:
        return self.detail is not _NO_DETAIL

    def all(self) -> list["RegistryError"]:
        return [self, *self.more]

    def entry(self, *, error_text: bool = False) -> dict:
        """The wire object; ``error_text``: a GoError detail is written as its text."""
        item: dict = {"code": self.code.wire, "message": self.text}
        if self.has_detail and self.detail is not None:
            item["detail"] = _render_detail(self.detail, error_text)
        return item


def to_envelope(errors: RegistryError | list[RegistryError], *, error_text: bool = False) -> bytes:
    """The error body distribution writes: Go-encoded JSON and a newline.
    ``error_text``: Go error details are written as their ``Error()`` text
    (2.0, 3.0) rather than their exported fields (2.1-2.8)."""
    items = errors.all() if isinstance(errors, RegistryError) else errors
    return gojson.marshal({"errors": [e.entry(error_text=error_text) for e in items]}) + b"\n"


def from_envelope(body: bytes) -> list[RegistryError]:
    """Parse an error body back; unknown codes become UNKNOWN with their text."""
    try:
        doc = json.loads(body)
        raw = doc["errors"]
    except (ValueError, KeyError, TypeError):
        return []
    result = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            code = ErrorCode[str(item.get("code", "UNKNOWN"))]
        except KeyError:
            code = ErrorCode.UNKNOWN
        detail = item["detail"] if "detail" in item else _NO_DETAIL
        result.append(RegistryError(code, item.get("message"), detail))
    return result
