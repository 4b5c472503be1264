"""The registry error codes, and the exceptions the model raises.

One table (:class:`ErrorCode`) gives each wire code its message and HTTP
status, as distribution registers them in ``registry/api/v2/errors.go`` and
``registry/api/errcode/register.go``. The server renders errors and the
engines read them back through the same pair of functions,
:func:`to_envelope` and :func:`from_envelope`.

Error body: ``{"errors":[{"code","message","detail"}]}`` plus a newline (Go's
``json.Encoder``); ``detail`` is left out when there is none, and a Go
``error`` value in it serialises as ``{}`` (distribution/distribution#2925),
which callers pass as ``GO_ERROR``. The HTTP status is that of the first error.

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

__all__ = ["ErrorCode", "RegcompatError", "RegistryError", "GO_ERROR", "to_envelope", "from_envelope"]


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


#: A Go ``error`` value placed in ``detail``: it serialises as ``{}``.
GO_ERROR: dict = {}
_NO_DETAIL = object()


class RegcompatError(Exception):
    """Base of every exception regcompat raises on purpose."""


@dataclass
class RegistryError(RegcompatError):
    """One or more wire errors; ``status`` is that of the first."""

    code: ErrorCode
    message: str | None = None
    detail: object = _NO_DETAIL
    more: list["RegistryError"] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.text)

    @property
    def status(self) -> int:
        return self.code.status

    @property
    def text(self) -> str:
        return self.message if self.message is not None else self.code.message

    @property
    def has_detail(self) -> bool:
        return self.detail is not _NO_DETAIL

    def all(self) -> list["RegistryError"]:
        return [self, *self.more]

    def entry(self) -> dict:
        item: dict = {"code": self.code.wire, "message": self.text}
        if self.has_detail and self.detail is not None:
            item["detail"] = self.detail
        return item


def to_envelope(errors: RegistryError | list[RegistryError]) -> bytes:
    """The error body distribution writes: Go-encoded JSON and a newline."""
    items = errors.all() if isinstance(errors, RegistryError) else errors
    return gojson.marshal({"errors": [e.entry() for e in items]}) + b"\n"


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
