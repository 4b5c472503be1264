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
  ``Content-Length``) and closes the connection (:func:`go_request_head`,
  in the order Go checks): a request line that is not ``METHOD SP TARGET SP
  HTTP/x.y`` (a leading blank line included), a target that is not an
  absolute path or URL, has a malformed ``%`` escape or a control byte, a
  header line without a colon, more than one ``Host`` line (whatever their
  case and HTTP version), ``Content-Length`` lines that differ or are not a
  number: ``400 Bad Request``; on HTTP/1.1, any ``Transfer-Encoding`` but one
  ``chunked`` line: ``501 Not Implemented`` (HTTP/1.0 ignores the header);
  a major version other than 1: ``505``; then HTTP/1.1 without ``Host``
  (``400 Bad Request: missing required Host header``, status line included),
  a ``Host`` with a byte outside httpguts' ``validHostByte`` (``...: malformed
  Host header``), a header name that is not a token or a value with a control
  byte (``...: invalid header name``/``value``). An empty ``Host:`` is
  accepted; identical repeated ``Content-Length`` lines count once; HTTP/1.2
  to 1.9 are served as 1.1;
* ``OPTIONS *``: ``200`` with an empty body (Go's global OPTIONS handler);
* response headers are written byte for byte: a value is sent as its UTF-8
  bytes (invalid bytes that came in are sent back unchanged), CR and LF
  become spaces and surrounding blanks are trimmed (``Header.writeSubset``),
  so no header the model builds can fail to encode (:func:`header_value`).

Left out (waitress's own parser answers, with its own wording): lowercase
methods (Go accepts any token, then the router answers; waitress 400), chunk
framing with bare LFs (Go reads it; waitress waits for CRLF until the idle
timeout), and the text of waitress's 413/431 pages (the status matches Go's
431; Go has no body limit, see limits.py). Also left out: Go sends a body
over 2 KiB whose handler set no ``Content-Length`` (a long error detail, a
long tag list) chunked; the model sets a length on every answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, unquote_to_bytes, urlsplit

from ..messages import Response

__all__ = ["decoded_target", "go_precheck", "go_request_head", "header_lines", "header_value", "refusal",
           "refusal_bytes", "wire_text"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KEEP = "/:@!$&'()*+,;=-._~[]"
#: httpguts' validHostByte: what a Host value may contain.
_HOST = re.compile(r"[0-9A-Za-z!$%&'()*+,\-.:;=\[\]_~]*")
_NEWLINE = str.maketrans("\r\n", "  ")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/([0-9])\.([0-9])")
_DIGITS = re.compile(rb"[0-9]{1,18}")
_CTL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")

BAD_REQUEST = "400 Bad Request"


def _bad_target(method: str, raw_target: str) -> bool:
    if method == "OPTIONS" and raw_target == "*":
        return False
    path = raw_target.split("?", 1)[0]
    absolute = raw_target.startswith(("http://", "https://"))
    return bool(not (raw_target.startswith("/") or absolute) or _BAD_ESCAPE.search(path)
                or _CONTROL.search(raw_target))


def refusal(method: str, raw_target: str, protocol: str, hosts: Sequence[str]) -> str | None:
    """Go's status text when net/http refuses the request line or its ``Host``; None when the
    handler runs (the checks a WSGI environ still allows; ``hosts``: every ``Host`` value)."""
    if _bad_target(method, raw_target) or len(hosts) > 1:
        return BAD_REQUEST
    if protocol == "HTTP/1.1" and not hosts:
        return f"{BAD_REQUEST}: missing required Host header"
    if hosts and not _HOST.fullmatch(hosts[0]):
        return f"{BAD_REQUEST}: malformed Host header"
    return None


def refusal_bytes(text: str = BAD_REQUEST, body: str | None = None) -> bytes:
    """The bytes Go writes for a refusal, before it closes the connection."""
    return (f"HTTP/1.1 {text}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Connection: close\r\n\r\n{text if body is None else body}").encode()


def header_lines(block: bytes) -> list[bytes]:
    """The header lines of a CRLF block (after the request line), continuation lines joined."""
    lines: list[bytes] = []
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += b" " + line.strip(b" \t")
        elif line:
            lines.append(line)
    return lines


def go_request_head(head: bytes) -> tuple[bytes | None, bytes]:
    """Go's raw refusal of a request head (request line and headers, CRLF line ends), or None;
    and the head to hand on (repeated identical ``Content-Length`` lines once, 1.x as 1.1)."""
    first, _, rest = head.partition(b"\r\n")
    method, sp1, after = first.partition(b" ")
    target, sp2, proto = after.partition(b" ")
    version = _VERSION.fullmatch(proto)
    if not (sp1 and sp2 and _TOKEN.fullmatch(method) and version) \
            or _bad_target(method.decode("latin-1"), target.decode("latin-1")):
        return refusal_bytes(), head
    major, minor = int(version.group(1)), int(version.group(2))
    pairs = []
    for line in header_lines(rest):
        name, colon, value = line.partition(b":")
        if not colon:
            return refusal_bytes(), head
        pairs.append((name, value.strip(b" \t")))
    values = lambda wanted: [v for n, v in pairs if n.lower() == wanted]  # noqa: E731
    hosts, lengths, codings = values(b"host"), values(b"content-length"), values(b"transfer-encoding")
    if len(hosts) > 1 or len(set(lengths)) > 1:
        return refusal_bytes(), head
    chunked = (major, minor) >= (1, 1) and bool(codings)
    if chunked and (len(codings) != 1 or codings[0].lower() != b"chunked"):
        return refusal_bytes("501 Not Implemented", "Unsupported transfer encoding"), head
    if lengths and lengths[0] and not chunked and not _DIGITS.fullmatch(lengths[0]):
        return refusal_bytes(), head
    if major != 1 and not (method == b"PRI" and target == b"*" and (major, minor) == (2, 0)):
        text = "505 HTTP Version Not Supported: unsupported protocol version"
        return refusal_bytes(text), head
    text = refusal(method.decode("latin-1"), target.decode("latin-1"), f"HTTP/{major}.{minor}",
                   [h.decode("latin-1") for h in hosts])
    if text is None and not all(_TOKEN.fullmatch(n) for n, _ in pairs):
        text = f"{BAD_REQUEST}: invalid header name"
    if text is None and any(_CTL.search(v) for _, v in pairs):
        text = f"{BAD_REQUEST}: invalid header value"
    if text is not None:
        return refusal_bytes(text), head
    if minor > 1:
        first = first[: -len(proto)] + b"HTTP/1.1"
    return None, _handed_on(first, rest, len(lengths) > 1)


def _handed_on(first: bytes, rest: bytes, dedupe_length: bool) -> bytes:
    """The head as waitress should parse it (see :func:`go_request_head`)."""
    if not dedupe_length:
        return first + b"\r\n" + rest
    kept, seen = [], False
    for line in rest.split(b"\r\n"):
        if line.partition(b":")[0].strip().lower() == b"content-length":
            if seen:
                continue
            seen = True
        kept.append(line)
    return first + b"\r\n" + b"\r\n".join(kept)


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
