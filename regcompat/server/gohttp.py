"""What Go's net/http server does with a request before distribution's handler sees it.

distribution runs on Go's ``net/http``; a few answers and one rewrite come
from there, not from the registry, so the server applies them (measured
against Debian's distribution 2.8.2, Go 1.19):

* the handler routes on the percent-decoded path (``URL.Path``): ``a%2Fb``
  is the repository ``a/b``. We decode, then re-escape only ``%``, ``?``, ``#``
  and bytes outside ASCII's printable range, so the core still gets one
  parseable target. ``#`` is part of the path (``ParseRequestURI`` keeps it),
  so ``/v2/a/manifests/t#x`` is the reference ``t#x``: gorilla's 404;
* Go refuses some requests itself, writes its answer raw (no ``Date``, no
  ``Content-Length``) and closes the connection (:func:`refusal`,
  :func:`refusal_bytes`): a target that is not an absolute path or URL, has a
  malformed ``%`` escape or a control byte (``400 Bad Request``); more than
  one ``Host`` line, whatever their case and whatever the HTTP version
  (``400 Bad Request``: ``readRequest``'s plain error); HTTP/1.1 without
  ``Host`` (``400 Bad Request: missing required Host header``, status line
  included); a ``Host`` with a byte outside httpguts' ``validHostByte``
  (``400 Bad Request: malformed Host header``). An empty ``Host:`` is
  accepted;
* ``OPTIONS *``: ``200`` with an empty body (Go's global OPTIONS handler);
* response headers are written byte for byte: a value is sent as its UTF-8
  bytes (invalid bytes that came in are sent back unchanged), CR and LF
  become spaces and surrounding blanks are trimmed (``Header.writeSubset``),
  so no header the model builds can fail to encode (:func:`header_value`).

Left out (waitress's own parser answers first, with its own wording, and the
status differs from Go's): lowercase methods (Go accepts any token; waitress
400), unknown HTTP versions (Go 505; waitress treats them as 1.0), and the
text of waitress's 400/431 bodies (the status matches Go's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, unquote_to_bytes, urlsplit

from ..messages import Response

__all__ = ["decoded_target", "go_precheck", "header_value", "refusal", "refusal_bytes", "wire_text"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KEEP = "/:@!$&'()*+,;=-._~[]"
#: httpguts' validHostByte: what a Host value may contain.
_HOST = re.compile(r"[0-9A-Za-z!$%&'()*+,\-.:;=\[\]_~]*")
_NEWLINE = str.maketrans("\r\n", "  ")

BAD_REQUEST = "400 Bad Request"


def refusal(method: str, raw_target: str, protocol: str, hosts: Sequence[str]) -> str | None:
    """Go's status text when net/http refuses the request itself; None when the handler runs.

    ``hosts``: every ``Host`` line's value, as sent."""
    if method == "OPTIONS" and raw_target == "*":
        return None
    path = raw_target.split("?", 1)[0]
    absolute = raw_target.startswith(("http://", "https://"))
    if (not (raw_target.startswith("/") or absolute) or _BAD_ESCAPE.search(path)
            or _CONTROL.search(raw_target)):
        return BAD_REQUEST
    if len(hosts) > 1:
        return BAD_REQUEST
    if protocol == "HTTP/1.1" and not hosts:
        return f"{BAD_REQUEST}: missing required Host header"
    if hosts and not _HOST.fullmatch(hosts[0]):
        return f"{BAD_REQUEST}: malformed Host header"
    return None


def refusal_bytes(text: str = BAD_REQUEST) -> bytes:
    """The bytes Go writes for a refusal, before it closes the connection."""
    return (f"HTTP/1.1 {text}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Connection: close\r\n\r\n{text}").encode()


def go_precheck(method: str, raw_target: str, protocol: str, hosts: Sequence[str]) -> Response | None:
    """Go's answer when it does not run the handler, as a response (for any WSGI server)."""
    if method == "OPTIONS" and raw_target == "*":
        return Response(200, [("Content-Length", "0")], b"")
    text = refusal(method, raw_target, protocol, hosts)
    if text is None:
        return None
    return Response(400, [("Content-Type", "text/plain; charset=utf-8")], text.encode())


def decoded_target(raw_target: str) -> str:
    """The target with its path percent-decoded as Go's ``URL.Path`` is (query untouched)."""
    if raw_target.startswith(("http://", "https://")):
        parts = urlsplit(raw_target)
        raw_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    path, sep, query = raw_target.partition("?")
    if "%" in path:
        decoded = unquote_to_bytes(path).decode("utf-8", "surrogateescape")
        path = quote(decoded.encode("utf-8", "surrogateescape"), safe=_KEEP)
    return path.replace("#", "%23") + sep + query


def wire_text(raw: bytes) -> str:
    """Header bytes as the model holds them: UTF-8, invalid bytes kept as lone surrogates."""
    return raw.decode("utf-8", "surrogateescape")


def header_value(value: str) -> str:
    """A response header value as WSGI wants it (one character per byte), written as Go does."""
    value = str(value).translate(_NEWLINE).strip(" \t")
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no input byte produced: Go holds no such string
        raw = value.encode("utf-8", "replace")
    return raw.decode("latin-1")
