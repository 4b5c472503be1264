"""HTTP transport: the engine models' ``.handle(Request) -> Response`` over a real socket.

``HTTPTransport("http://127.0.0.1:5000")`` sends each core :class:`Request`
on one keep-alive connection (``http.client``, standard library only) and
returns the :class:`Response` exactly as received: status, every header line
in order (repeated names kept), body bytes untouched. It follows no
redirects (a 301/307 is handed back for the engine flow to act on), adds no
``Accept-Encoding`` or ``User-Agent`` of its own, and sends the request's own
``Host`` header, or the URL's host when the request has none.
``Content-Length`` is sent as Go's client sends it: always for POST, PUT and
PATCH (``0`` for an empty body), otherwise only when there is a body.
An absolute request target (a ``Location`` a registry returned) is sent to
this transport's server as its path and query.

A connection the server closed while idle is reopened once and the request
sent again (nothing was processed); any other failure raises
:class:`TransportError`, an ``OSError``. Safe to share between threads (one
request at a time). Left out: TLS, proxies, authentication challenges.
"""

from __future__ import annotations

import http.client
import threading
from typing import Self
from urllib.parse import urlsplit

from ..messages import Headers, Request, Response

__all__ = ["HTTPTransport", "TransportError"]

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class TransportError(OSError):
    """The exchange could not be completed (connection refused, reset, timeout)."""


class HTTPTransport:
    """Send core requests to ``base_url`` (``http://host:port``) over HTTP/1.1."""

    def __init__(self, base_url: str, *, timeout: float = 60.0):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"not an http:// URL: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.netloc = parts.netloc
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"HTTPTransport({self.base_url!r})"

    def handle(self, request: Request) -> Response:
        with self._lock:
            reused = self._conn is not None
            try:
                return self._exchange(request)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.close()
                if not reused:
                    raise TransportError(f"{request.method} {request.target}: {exc}") from exc
            try:
                return self._exchange(request)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise TransportError(f"{request.method} {request.target}: {exc}") from exc

    def _exchange(self, request: Request) -> Response:
        try:
            conn = self._connection()
            conn.putrequest(request.method, _origin_form(request.target),
                            skip_host=True, skip_accept_encoding=True)
            headers = Headers(request.headers)
            if "Host" not in headers:
                conn.putheader("Host", self.netloc)
            for name, value in headers:
                if name.lower() not in ("content-length", "transfer-encoding"):
                    conn.putheader(name, value)
            body = request.body
            if body or request.method.upper() in _BODY_METHODS:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if body else None)
            raw = conn.getresponse()
            data = raw.read()
            response = Response(raw.status, Headers(raw.getheaders()), data)
            if raw.will_close:
                self.close()
            return response
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            raise
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise TransportError(f"{request.method} {request.target}: {exc}") from exc

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _origin_form(target: str) -> str:
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return target or "/"
