"""WSGI adapter: one HTTP exchange in, one ``Registry.handle`` call, one out.

``make_app(registry)`` converts a WSGI environ to a core :class:`Request` and
the core :class:`Response` back to WSGI, and does nothing else: routing,
negotiation and every answer belong to the registry model. What it keeps:

* the request target as it came on the wire (``REQUEST_URI``; rebuilt from
  ``PATH_INFO``/``QUERY_STRING`` on servers that do not provide it), with the
  path percent-decoded as Go routes it and Go's own refusals of bad request
  lines applied first (see gohttp.py);
* every header line as sent, in order, when the server hands them over under
  ``regcompat.raw_headers`` (our waitress hooks do): Docker 1.10 sends one
  ``Accept`` line per media type and registry 2.3 compares each line on its
  own, so folding them into one comma list would change the answer. Other
  WSGI servers fold repeated headers; then we split nothing and pass the fold;
* the body, read by ``Content-Length`` in chunks. A body shorter than its
  ``Content-Length`` (the client shut its side mid-upload) is passed on with
  ``body_complete=False``: the model answers what distribution 2.8.2 does
  (``499``, nothing stored; see ``Registry.handle``).

Header values are handed to the model as UTF-8 text with invalid bytes kept
(lone surrogates), and written back byte for byte as Go writes them
(gohttp.header_value), so a header the model echoes or builds from a pushed
document (a non-UTF-8 ``mediaType`` before 2.7) cannot break the answer.

Responses: status line with Go's reason phrase (``status code N`` for codes
Go has no text for), headers as the model gives them (``Content-Length``
added if missing, except on HEAD, where the model decides), body streamed through ``wsgi.file_wrapper`` without a
copy; HEAD, 204 and 304 send no body. One lock serialises reading the body
and ``handle`` because the model is not thread-safe (and so at most one body
is in memory outside the store at a time). One access-log line per request, in the
combined format distribution's gorilla handler writes, on the
``regcompat.server`` logger.

Memory: the server spools request bodies to a temporary file beyond a small
in-memory buffer (serve.py); the adapter reads what actually arrived, never
more than ``Content-Length``, into one growing buffer that becomes
``Request.body`` without a final copy (and, for a blob, what the store keeps).
Nothing is sized from the announced length: a request announcing 1 GiB and
sending nothing costs nothing. A 64 MiB upload costs the store's 64 MiB plus
one 1 MiB chunk; a 64 MiB download is sent from the stored bytes through
``wsgi.file_wrapper``.

Left out: TLS, authentication, ``Expect: 100-continue`` handling beyond what
the WSGI server does, and bodies the model never holds in memory (the core's
``Request.body`` is bytes).
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import quote

from ..messages import Headers, Request, Response, reason_phrase
from .gohttp import decoded_target, go_precheck, header_value, wire_text

__all__ = ["CHUNK_SIZE", "LOGGER_NAME", "make_app"]

LOGGER_NAME = "regcompat.server"
CHUNK_SIZE = 1 << 20
_NO_BODY_STATUS = {204, 304}

StartResponse = Callable[..., object]


def make_app(registry, *, logger: logging.Logger | None = None):
    """A WSGI application serving ``registry`` (anything with ``.handle``)."""
    lock = threading.Lock()
    log = logger or logging.getLogger(LOGGER_NAME)

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        with lock:
            request, complete = to_request(environ)
            response = go_precheck(request.method, _raw_target(environ),
                                   environ.get("SERVER_PROTOCOL", "HTTP/1.1"), request.headers.get_all("Host"))
            if response is None:
                response = (registry.handle(request) if complete
                            else registry.handle(request, body_complete=False))
        body_iter = _send(environ, start_response, request, response)
        log.info("%s", access_line(environ, request, response, time.monotonic() - started))
        return body_iter

    app.registry = registry  # for introspection in notebooks and tests
    return app


def to_request(environ: dict) -> tuple[Request, bool]:
    """The core request for ``environ``, and whether its body was complete."""
    method = environ.get("REQUEST_METHOD", "GET").upper()
    body, complete = read_body(environ)
    complete = complete and not environ.get("regcompat.body_truncated", False)
    return Request(method, request_target(environ), request_headers(environ), body), complete


def _raw_target(environ: dict) -> str:
    return environ.get("REQUEST_URI") or request_target(environ)


def request_target(environ: dict) -> str:
    """Path (percent-decoded as Go routes it) and query, as sent; absolute-form reduced."""
    raw = environ.get("REQUEST_URI")
    if raw:
        return decoded_target(raw)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    path = quote(path.encode("latin-1").decode("utf-8", "surrogateescape"), safe="/:@!$&'()*+,;=-._~")
    query = environ.get("QUERY_STRING", "")
    return path + (f"?{query}" if query else "")


def request_headers(environ: dict) -> Headers:
    """Header lines as sent when the server kept them, else rebuilt from the environ."""
    raw = environ.get("regcompat.raw_headers")
    if raw is not None:
        return Headers(raw)
    pairs: list[tuple[str, str]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
            if not value:
                continue
        else:
            continue
        name = "-".join(part.capitalize() for part in name.split("_"))
        pairs.append((name, wire_text(value.encode("latin-1", "replace"))))
    return Headers(pairs)


def read_body(environ: dict) -> tuple[bytes, bool]:
    """Read up to ``Content-Length`` bytes in chunks; report whether all arrived.

    The chunks go into one buffer that grows with what arrives (never sized
    from the announcement) and whose bytes become the body without a final
    copy: a 64 MiB upload costs 64 MiB plus one chunk, not twice its size.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if length <= 0 or stream is None:
        return b"", True
    buffer = io.BytesIO()
    received = 0
    while received < length:
        chunk = stream.read(min(length - received, CHUNK_SIZE))
        if not chunk:
            break
        buffer.write(chunk)
        received += len(chunk)
    return buffer.getvalue(), received == length


def status_line(status: int) -> str:
    return f"{status} {reason_phrase(status) or f'status code {status}'}"


def _send(environ: dict, start_response: StartResponse, request: Request,
          response: Response) -> Iterable[bytes]:
    body = response.body
    headers = [(str(k), header_value(v)) for k, v in response.headers]
    if ("Content-Length" not in response.headers and response.status not in _NO_BODY_STATUS
            and request.method != "HEAD"):  # on HEAD the model decides (Go omits it after a redirect)
        headers.append(("Content-Length", str(len(body))))
    if request.method == "HEAD" or response.status in _NO_BODY_STATUS:
        body = b""
    start_response(status_line(response.status), headers)
    if not body:
        return []
    wrapper = environ.get("wsgi.file_wrapper")
    if wrapper is not None and len(body) > CHUNK_SIZE:
        return wrapper(io.BytesIO(body), CHUNK_SIZE)
    return [body]


def access_line(environ: dict, request: Request, response: Response, seconds: float) -> str:
    """One combined-format line, as distribution's access log writes it."""
    when = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
    size = 0 if request.method == "HEAD" else len(response.body)
    line = (f'{environ.get("REMOTE_ADDR", "-")} - - [{when}] '
            f'"{request.method} {request.target} {environ.get("SERVER_PROTOCOL", "HTTP/1.1")}" '
            f'{response.status} {size} "{request.headers.get("Referer", "")}" '
            f'"{request.headers.get("User-Agent", "")}" {seconds * 1000:.1f}ms')
    return line.encode("utf-8", "backslashreplace").decode("utf-8")  # invalid bytes as \udcXX
