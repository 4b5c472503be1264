"""HTTPTransport: what goes on the wire and what comes back, against a recording server."""

from __future__ import annotations

import http.server
import threading
from typing import ClassVar

import pytest

import regcompat as rc
from regcompat.engine.http import HTTPTransport, TransportError
from regcompat.server import serve
from tests.live.processes import free_port


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list] = []
    close_after_each = False

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, list(self.headers.items()), body))
        payload = b"ok"
        self.send_response(302 if self.path == "/redirect" else 200)
        self.send_header("Location", "/elsewhere")
        self.send_header("Link", "<a>")
        self.send_header("Link", "<b>")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        if type(self).close_after_each:
            self.close_connection = True  # close without saying so: the client's socket goes stale

    do_GET = do_PUT = do_POST = do_PATCH = do_HEAD = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorder():
    handler = type("Handler", (_Handler,), {"seen": [], "close_after_each": False})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_request_goes_out_as_given(recorder):
    handler, url = recorder
    accept = [("Accept", "a"), ("Accept", "b")]
    with HTTPTransport(url) as transport:
        response = transport.handle(rc.Request("GET", "/v2/x/manifests/t?n=1", accept))
    method, path, headers, body = handler.seen[0]
    assert (method, path, body) == ("GET", "/v2/x/manifests/t?n=1", b"")
    assert [v for k, v in headers if k == "Accept"] == ["a", "b"]
    assert ("Host", url.split("//")[1]) in headers
    assert not any(k in ("Content-Length", "Accept-Encoding", "User-Agent") for k, _ in headers)
    assert response.status == 200 and response.body == b"ok"
    assert response.headers.get_all("Link") == ["<a>", "<b>"]


def test_request_host_header_wins(recorder):
    handler, url = recorder
    with HTTPTransport(url) as transport:
        transport.handle(rc.Request("GET", "/", [("Host", "localhost:5000")]))
    assert [v for k, v in handler.seen[0][2] if k == "Host"] == ["localhost:5000"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_body_methods_always_send_content_length(recorder, method):
    handler, url = recorder
    with HTTPTransport(url) as transport:
        transport.handle(rc.Request(method, "/v2/x/blobs/uploads/"))
        transport.handle(rc.Request(method, "/v2/x/blobs/uploads/", body=b"12345"))
    assert [dict(h)["Content-Length"] for _, _, h, _ in handler.seen] == ["0", "5"]
    assert handler.seen[1][3] == b"12345"


def test_absolute_target_is_sent_as_path_and_query(recorder):
    handler, url = recorder
    with HTTPTransport(url) as transport:
        transport.handle(rc.Request("PUT", "http://localhost:5000/v2/x/blobs/uploads/u?_state=a%3D&digest=sha256:1"))
    assert handler.seen[0][1] == "/v2/x/blobs/uploads/u?_state=a%3D&digest=sha256:1"


def test_redirects_are_returned_not_followed(recorder):
    handler, url = recorder
    with HTTPTransport(url) as transport:
        response = transport.handle(rc.Request("GET", "/redirect"))
    assert response.status == 302 and response.headers["Location"] == "/elsewhere"
    assert len(handler.seen) == 1


def test_registry_redirect_comes_back_as_301():
    with serve(rc.Registry("2.8")) as url, HTTPTransport(url) as transport:
        response = transport.handle(rc.Request("GET", "/v2//demo/tags/list"))
    assert response.status == 301


def test_stale_keepalive_connection_is_reopened_once(recorder):
    handler, url = recorder
    handler.close_after_each = True
    with HTTPTransport(url) as transport:
        for _ in range(3):
            assert transport.handle(rc.Request("GET", "/v2/")).status == 200
    assert len(handler.seen) == 3


def test_head_response_has_no_body(recorder):
    _, url = recorder
    with HTTPTransport(url) as transport:
        response = transport.handle(rc.Request("HEAD", "/v2/"))
        follow = transport.handle(rc.Request("GET", "/v2/"))
    assert response.body == b"" and response.headers["Content-Length"] == "2"
    assert follow.body == b"ok"


def test_connection_refused_is_a_transport_error():
    with pytest.raises(TransportError):
        HTTPTransport(f"http://127.0.0.1:{free_port()}", timeout=2).handle(rc.Request("GET", "/v2/"))


@pytest.mark.parametrize("url", ["https://127.0.0.1:5000", "127.0.0.1:5000", "ftp://x"])
def test_only_plain_http_urls(url):
    with pytest.raises(ValueError):
        HTTPTransport(url)
