"""HTTP requests and responses as plain values: the only HTTP the core knows.

:class:`Headers` is an immutable, ordered, case-insensitive multi-map: several
``Accept`` headers stay several values, as Docker 1.10 sends them.
:class:`Request` and :class:`Response` are frozen dataclasses; the registry
model turns one into the other without sockets or threads, and the engines,
the WSGI adapter and the notebooks all exchange these same values.

Left out: trailers, chunked framing and connection management (the WSGI
server's job), and streaming bodies (a body is ``bytes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
import re
from urllib.parse import unquote_plus, urlsplit

__all__ = ["Headers", "Request", "Response", "Exchange", "reason_phrase"]

_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")



class Headers:
    """Ordered ``(name, value)`` pairs; lookups ignore the case of names."""

    __slots__ = ("_items",)

    def __init__(self, items: "HeaderItems | None" = None):
        if items is None:
            pairs: tuple[tuple[str, str], ...] = ()
        elif isinstance(items, Headers):
            pairs = items._items
        elif isinstance(items, Mapping):
            pairs = tuple((str(k), str(v)) for k, v in items.items())
        else:
            pairs = tuple((str(k), str(v)) for k, v in items)
        self._items = pairs

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``, or ``default``."""
        lname = name.lower()
        for key, value in self._items:
            if key.lower() == lname:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in order."""
        lname = name.lower()
        return [value for key, value in self._items if key.lower() == lname]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def with_header(self, name: str, value: str) -> "Headers":
        """A copy with ``name`` set to ``value`` (earlier values removed)."""
        return Headers([*self.without(name)._items, (name, value)])

    def without(self, name: str) -> "Headers":
        lname = name.lower()
        return Headers([(k, v) for k, v in self._items if k.lower() != lname])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        norm = lambda h: sorted((k.lower(), v) for k, v in h._items)  # noqa: E731
        return norm(self) == norm(other)

    def __hash__(self) -> int:
        return hash(tuple(sorted((k.lower(), v) for k, v in self._items)))

    def __repr__(self) -> str:
        return f"Headers({list(self._items)!r})"


HeaderItems = Iterable[tuple[str, str]] | Mapping[str, str] | Headers


def _normalise(message: "Request | Response") -> None:
    """Accept any header items and bytes-like bodies; store Headers and bytes."""
    if not isinstance(message.headers, Headers):
        object.__setattr__(message, "headers", Headers(message.headers))
    if type(message.body) is not bytes:
        object.__setattr__(message, "body", bytes(message.body or b""))


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request. ``target`` is the path with its query string."""

    method: str
    target: str
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    def __post_init__(self) -> None:
        _normalise(self)

    @property
    def path(self) -> str:
        if self.target.startswith("//"):  # a path, as Go's ParseRequestURI reads it, not an authority
            return self.target.partition("?")[0]
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        """Query parameters as Go's ``url.ParseQuery`` reads them: the first value
        of each name; a pair with a malformed ``%`` escape is dropped."""
        result: dict[str, str] = {}
        for pair in urlsplit(self.target).query.split("&"):
            if not pair:
                continue
            key, _, value = pair.partition("=")
            if _BAD_ESCAPE.search(key) or _BAD_ESCAPE.search(value):
                continue
            result.setdefault(unquote_plus(key), unquote_plus(value))
        return result


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response."""

    status: int
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    def __post_init__(self) -> None:
        _normalise(self)

    @property
    def reason(self) -> str:
        return reason_phrase(self.status)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class Exchange:
    """A request and the response it got, as an engine recorded it."""

    request: Request
    response: Response


def reason_phrase(status: int) -> str:
    """The standard reason phrase Go's net/http writes for ``status``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
