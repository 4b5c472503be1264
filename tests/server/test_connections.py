"""Connections the server must close, count and survive: cuts, stalls, resets, refusals, framing.

Every test runs its own server with its own ``ConnectionStats``. The waits
below are bounds on how long a socket read may block, not time budgets: a
server that never closes makes them fail.
"""

from __future__ import annotations

import re
import socket
import struct
import time

import pytest

import regcompat as rc
from regcompat.mediatypes import MediaType
from regcompat.server import serve
from regcompat.server.limits import Limits
from regcompat.server.stats import ConnectionStats
from regcompat.testing import validate_store

from .rawhttp import body_of, comparable, exchange, head_of, port_of, status_of
from .test_faults import alive

GET_BASE = b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n"
CUT_PUT = b"PUT /v2/cut/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"sch"


def _served(**limits):
    registry, stats = rc.Registry("2.8"), ConnectionStats()
    return registry, stats, serve(registry, limits=Limits(**limits), stats=stats)


def _read_to_eof(sock: socket.socket) -> bytes:
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def _cut(port: int) -> bytes:
    """A keep-alive connection: one GET, then a body cut short by a half-close; read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(GET_BASE)
        first = b""
        while not first.endswith(b"{}"):
            first += sock.recv(65536)
        sock.sendall(CUT_PUT)
        sock.shutdown(socket.SHUT_WR)
        return _read_to_eof(sock)


def test_thousands_of_cut_uploads_on_a_small_connection_limit():
    """2,000 cuts with room for 8 connections: each is answered 499 and closed; the server still answers."""
    registry, stats, server = _served(connection_limit=8)
    with server as url:
        for _ in range(2000):
            answer = _cut(port_of(url))
            assert status_of(answer) == 499 and b'"detail":"client disconnected"' in answer
        assert alive(url)
        counts = stats.snapshot()
    assert counts["cut"] == 2000 and counts["peak_open"] <= 2
    assert "t" not in getattr(registry.store.repositories.get("cut/app"), "tags", {})
    validate_store(registry)


@pytest.mark.parametrize("data,status", [
    (b"GET /v2/ HTTP/1.1\r\nHost: x\r\n", 400),        # header block cut: Go's 400
    (b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", 200),    # complete: answered, then closed
    (GET_BASE + GET_BASE, 200),                         # both answered, then closed
])
def test_half_close_is_answered_then_closed(data, status):
    _, stats, server = _served()
    with server as url:
        with socket.create_connection(("127.0.0.1", port_of(url)), timeout=30) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            answer = _read_to_eof(sock)
        assert status_of(answer) == status
        assert answer.count(b"HTTP/1.1 ") == data.count(b"GET ")


def test_stalled_and_idle_connections_are_closed_and_counted():
    """Idle after connecting, stalled in a header block, stalled in a body: closed by the idle timeout."""
    _, stats, server = _served(idle_timeout=1)
    with server as url:
        socks = [socket.create_connection(("127.0.0.1", port_of(url)), timeout=60) for _ in range(3)]
        try:
            socks[1].sendall(b"GET /v2/ HTTP/1.1\r\nHo")
            socks[2].sendall(b"PUT /v2/a/b/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            assert [_read_to_eof(sock) for sock in socks] == [b"", b"", b""]
        finally:
            for sock in socks:
                sock.close()
        assert alive(url)
        assert stats.snapshot()["timed_out"] == 3


def test_resets_mid_body_are_counted_and_survived():
    registry, stats, server = _served()
    with server as url:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", port_of(url)), timeout=30)
            sock.sendall(CUT_PUT)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # RST
        assert alive(url)
        deadline = time.monotonic() + 30
        while stats.snapshot()["open"] and time.monotonic() < deadline:
            time.sleep(0.05)
        counts = stats.snapshot()
    assert counts["open"] == 0 and counts["reset"] == 50 and counts["cut"] == 0
    validate_store(registry)


def test_refusal_drops_what_was_pipelined_after_it():
    _, stats, server = _served()
    with server as url:
        with socket.create_connection(("127.0.0.1", port_of(url)), timeout=30) as sock:
            sock.sendall(b"GET /v2/ HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 5\r\n\r\nhello" + GET_BASE)
            answer = _read_to_eof(sock)
        assert answer == (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                          b"Connection: close\r\n\r\n400 Bad Request")
        assert stats.snapshot()["refused"] == 1


def test_bare_lf_requests_pipelined_and_with_bodies():
    registry, _, server = _served()
    with server as url:
        data = (b"GET /v2/ HTTP/1.1\nHost: x\n\n"
                b"PUT /v2/lf/app/manifests/t HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}"
                b"GET /v2/lf/app/tags/list HTTP/1.1\r\nHost: x\n\n")
        with socket.create_connection(("127.0.0.1", port_of(url)), timeout=30) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            answer = _read_to_eof(sock)
        assert re.findall(rb"HTTP/1\.1 (\d{3}) ", answer) == [b"200", b"400", b"404"]


def test_content_length_with_chunked_body_is_dropped_before_the_model():
    """Go deletes Content-Length when the body is chunked; the model sees the de-chunked length only."""
    seen = []

    class Spy:
        def handle(self, request, **kw):
            seen.append((request.headers.get_all("Content-Length"), request.body))
            return rc.Response(200, [], b"")

    with serve(Spy()) as url:
        exchange(port_of(url), b"PATCH /x HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                               b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    assert seen == [([], b"abc")]


def test_head_without_content_length_is_not_chunked_and_keeps_the_connection():
    _, _, server = _served()
    with server as url:
        with socket.create_connection(("127.0.0.1", port_of(url)), timeout=30) as sock:
            sock.sendall(b"HEAD /v2 HTTP/1.1\r\nHost: x\r\n\r\n")
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += sock.recv(65536)
            status, headers = head_of(head)
            assert status == b"HTTP/1.1 301 Moved Permanently"
            assert {name for name, _ in headers}.isdisjoint({b"transfer-encoding", b"connection", b"content-length"})
            sock.sendall(GET_BASE)  # the same connection still serves
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")


@pytest.mark.parametrize("version", ["2.3.0", "2.5", "2.6"])
def test_non_utf8_media_type_is_served_as_go_writes_it(version):
    """Before 2.7 a schema2 body with any mediaType is stored (this was a 500 with a traceback);
    reading it back, the manifest store meets a mediaType that is neither schema2 nor a list:
    404 MANIFEST_UNKNOWN with ErrManifestVerification ([{}]; v2.3.0-v2.6.2
    registry/storage/manifeststore.go Get)."""
    registry = rc.Registry(version)
    image = rc.sample_image()
    rc.Engine("1.10", registry).push(image, "odd/app:latest")
    manifest = image.schema2().raw.replace(b'"' + MediaType.SCHEMA2.encode() + b'"', b'"application/x\xffy\xc3\xa9"', 1)
    put = registry.handle(rc.Request("PUT", "/v2/odd/app/manifests/weird", [("Content-Type", MediaType.SCHEMA2)],
                                     manifest))
    assert put.status == 201
    with serve(registry) as url:
        answer = exchange(port_of(url), b"GET /v2/odd/app/manifests/weird HTTP/1.1\r\nHost: x\r\nAccept: "
                                        + MediaType.SCHEMA2.encode() + b"\r\n\r\n")
    assert status_of(answer) == 404
    assert body_of(answer) == b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":[{}]}]}\n'


def test_header_bytes_come_back_as_sent():
    """A byte that is not UTF-8 in X-Forwarded-Proto is echoed raw in Location (as 2.8.2 does, see
    tests/live/test_gohttp_live.py)."""
    _, _, server = _served()
    with server as url:
        answer = exchange(port_of(url), b"POST /v2/raw/app/blobs/uploads/ HTTP/1.1\r\nHost: x\r\n"
                                        b"X-Forwarded-Proto: h\xfftp\r\nContent-Length: 0\r\n\r\n")
    assert dict(head_of(answer)[1])[b"location"].startswith(b"h\xfftp://x/v2/raw/app/blobs/uploads/")
    assert comparable(answer)[0] == b"HTTP/1.1 202 Accepted"
