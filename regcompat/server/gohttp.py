"""What Go's net/http server does with a request before distribution's handler sees it.

distribution runs on Go's ``net/http``; a few answers and one rewrite come
from there, not from the registry, so the WSGI adapter applies them (measured
against Debian's distribution 2.8.2, Go 1.19):

* the handler routes on the percent-decoded path (``URL.Path``): ``a%2Fb``
  is the repository ``a/b``. We decode, then re-escape only ``%``, ``?``, ``#``
  and bytes outside ASCII's printable range, so the core still gets one
  parseable target;
* a target that is not an absolute path or URL, has a malformed ``%`` escape or
  a control byte: ``400 Bad Request`` (plain text; Go also closes the
  connection, which a WSGI application cannot ask for);
* HTTP/1.1 without ``Host``: ``400 Bad Request: missing required Host header``;
* ``OPTIONS *``: ``200`` with an empty body (Go's global OPTIONS handler).

Left out (waitress's own parser answers first, with its own wording, and the
status differs from Go's): lowercase methods (Go accepts any token; waitress
400), unknown HTTP versions (Go 505; waitress treats them as 1.0), and the
text of waitress's 400/431 bodies (the status matches Go's).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_to_bytes, urlsplit

from ..messages import Response

__all__ = ["decoded_target", "go_precheck"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KEEP = "/:@!$&'()*+,;=-._~[]"


def _plain(status: int, text: str) -> Response:
    return Response(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())


def go_precheck(method: str, raw_target: str, protocol: str, host: str | None) -> Response | None:
    """Go's answer when it refuses the request line itself; None when the handler runs."""
    if method == "OPTIONS" and raw_target == "*":
        return Response(200, [("Content-Length", "0")], b"")
    path = raw_target.split("?", 1)[0]
    absolute = raw_target.startswith(("http://", "https://"))
    if (not (raw_target.startswith("/") or absolute) or _BAD_ESCAPE.search(path)
            or _CONTROL.search(raw_target)):
        return _plain(400, "400 Bad Request")
    if protocol == "HTTP/1.1" and not host:
        return _plain(400, "400 Bad Request: missing required Host header")
    return None


def decoded_target(raw_target: str) -> str:
    """The target with its path percent-decoded as Go's ``URL.Path`` is (query untouched)."""
    if raw_target.startswith(("http://", "https://")):
        parts = urlsplit(raw_target)
        raw_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    path, sep, query = raw_target.partition("?")
    if "%" in path:
        decoded = unquote_to_bytes(path).decode("utf-8", "surrogateescape")
        path = quote(decoded.encode("utf-8", "surrogateescape"), safe=_KEEP)
    return path + sep + query
