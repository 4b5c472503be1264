"""Response builders: the headers every distribution response carries.

Every response has ``Docker-Distribution-Api-Version: registry/2.0`` and a
``Content-Length``; JSON bodies are written by Go's ``json.Encoder`` (compact,
HTML-safe, a trailing newline) as the version's ``json_content_type``, error
envelopes as its ``error_content_type`` with Go error details as text or
fields (behaviour.py); the router's own answers (404 page, 405, 301) are Go
``http.Error`` plain text.
"""

from __future__ import annotations

from ..errors import RegistryError, to_envelope
from .behaviour import Behaviour
from ..gojson import marshal
from ..messages import Headers, Response

__all__ = ["API_VERSION", "respond", "json_response", "error_response", "client_disconnected", "page_not_found",
           "method_not_allowed", "redirect", "alive"]

API_VERSION = ("Docker-Distribution-Api-Version", "registry/2.0")
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


def respond(status: int, headers: list[tuple[str, str]] | None = None, body: bytes = b"",
            length: int | None = None) -> Response:
    """A response with the API version header and Content-Length (``length``
    overrides it, for HEAD answers that carry the GET's length and no body)."""
    items = [API_VERSION, *(headers or [])]
    if not any(k.lower() == "content-length" for k, _ in items):
        items.append(("Content-Length", str(len(body) if length is None else length)))
    return Response(status, Headers(items), body)


def json_response(status: int, value: object, headers: list[tuple[str, str]] | None = None, *,
                  b: Behaviour | None = None) -> Response:
    body = marshal(value) + b"\n"
    content_type = b.json_content_type if b else JSON_TYPE
    return respond(status, [("Content-Type", content_type), *(headers or [])], body)


def error_response(error: RegistryError, b: Behaviour | None = None, *, status: int | None = None) -> Response:
    """The error envelope as version ``b`` writes it (2.1-2.8 when not given)."""
    body = to_envelope(error, error_text=bool(b and b.error_detail_text))
    content_type = b.error_content_type if b else JSON_TYPE
    return respond(status or error.status, [("Content-Type", content_type)], body)


def client_disconnected(error: RegistryError) -> Response:
    """distribution 2.8.2's answer when the body ends before its Content-Length
    (measured against Debian's build): status 499 (Go's text: "status code
    499"), the JSON error envelope, sent as text/plain."""
    return respond(499, [("Content-Type", TEXT_TYPE)], to_envelope(error))


def _text(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return respond(status, [("Content-Type", TEXT_TYPE), ("X-Content-Type-Options", "nosniff"),
                            *(headers or [])], text.encode())


def page_not_found() -> Response:
    """gorilla/mux's answer to a path no route matches."""
    return _text(404, "404 page not found\n")


def alive(*, head: bool = False) -> Response:
    """The answer to exactly ``/``, any method, written before the router (from 2.2,
    registry.go ``alive``): 200, ``Cache-Control: no-cache``, no API version header,
    and Go's ``Content-Length: 0`` except on HEAD (seen against 2.8.2)."""
    return Response(200, Headers([("Cache-Control", "no-cache"), *([] if head else [("Content-Length", "0")])]), b"")


def method_not_allowed(allowed: tuple[str, ...], method: str = "GET") -> Response:
    """gorilla/handlers.MethodHandler's answer: 405 with a sorted Allow list; for OPTIONS,
    200 with the Allow list and no body (seen against 2.8.2)."""
    allow = ("Allow", ", ".join(sorted(allowed)))
    if method == "OPTIONS":
        return respond(200, [allow])
    return _text(405, "Method not allowed\n", [allow])


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def redirect(location: str, *, strict_slash: bool, method: str = "GET") -> Response:
    """gorilla/mux's 301: to a cleaned path (no body), or, for ``StrictSlash``,
    through Go's ``http.Redirect``, which sets ``Content-Type: text/html`` for
    GET and HEAD and writes a small HTML body for GET only (a POST to ``/v2``
    gets neither; seen against 2.8.2)."""
    if not strict_slash or method not in ("GET", "HEAD"):
        return respond(301, [("Location", location)])
    body = f'<a href="{location.translate(_HTML)}">Moved Permanently</a>.\n\n'.encode()
    return respond(301, [("Content-Type", "text/html; charset=utf-8"), ("Location", location)], body)
