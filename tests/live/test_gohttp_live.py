"""Go's HTTP server and router at the edges, sent byte for byte to the real 2.8.2 and to regcompat.

Compared: the status line, every header but ``Date`` (upload ids and
``_state`` tokens masked: they are server-specific), the body, and, where Go
closes the connection after answering, that regcompat closes it too. Then the
connection-leak scenario of a client that cuts its upload and half-closes,
300 times: both servers still answer.
"""

from __future__ import annotations

import re
import socket

import pytest

from tests.server.rawhttp import body_of, closes_after, comparable, exchange, port_of, status_of

pytestmark = pytest.mark.live

HOST = b"Host: x\r\n"


def _put_json(body: bytes) -> bytes:
    return (b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/vnd.docker.distribution.manifest.v2+json\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)
UPLOAD = b"POST /v2/gohttp/app/blobs/uploads/ HTTP/1.1\r\nContent-Length: 0\r\n"

EDGES = {
    "bare LF line endings": b"GET /v2/ HTTP/1.1\nHost: x\n\n",
    "mixed line endings": b"GET /v2/ HTTP/1.1\r\nHost: x\n\r\n",
    "bare LF with a body": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}",
    "duplicate Host": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    "duplicate Host, other case": b"GET /v2/ HTTP/1.1\r\nhost: x\r\nHOST: x\r\n\r\n",
    "duplicate Host, HTTP/1.0": b"GET /v2/ HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n",
    "empty Host": b"GET /v2/ HTTP/1.1\r\nHost: \r\n\r\n",
    "malformed Host": b"GET /v2/ HTTP/1.1\r\nHost: a b\r\n\r\n",
    "Host with a quote": b"GET /v2/ HTTP/1.1\r\nHost: a\"b\r\n\r\n",
    "absolute form without Host": b"GET http://x/v2/ HTTP/1.1\r\n\r\n",
    "//v2/": b"GET //v2/ HTTP/1.1\r\n" + HOST + b"\r\n",
    "clean path keeps the query": b"GET /v2/gohttp//app/tags/list?n=1&last=a HTTP/1.1\r\n" + HOST + b"\r\n",
    "clean path on POST keeps the query": (b"POST /v2/gohttp//app/blobs/uploads/?x=1 HTTP/1.1\r\n" + HOST
                                           + b"Content-Length: 0\r\n\r\n"),
    "StrictSlash keeps the query": b"GET /v2?a=1&b='x' HTTP/1.1\r\n" + HOST + b"\r\n",
    "StrictSlash on POST: no body": b"POST /v2 HTTP/1.1\r\n" + HOST + b"Content-Length: 0\r\n\r\n",
    "StrictSlash on PUT: no body": b"PUT /v2/gohttp/app/blobs/uploads HTTP/1.1\r\n" + HOST + b"Content-Length: 0\r\n\r\n",
    "#fragment in a tag": b"GET /v2/gohttp/app/manifests/latest#x HTTP/1.1\r\n" + HOST + b"\r\n",
    "#fragment after tags/list": b"GET /v2/gohttp/app/tags/list#x HTTP/1.1\r\n" + HOST + b"\r\n",
    "#fragment then dot-dot": b"GET /v2/a#/../gohttp/app/tags/list HTTP/1.1\r\n" + HOST + b"\r\n",
    "X-Forwarded-Host and -Proto": UPLOAD + HOST + b"X-Forwarded-Host: fw.example:9\r\nX-Forwarded-Proto: https\r\n\r\n",
    "X-Forwarded-Host list": UPLOAD + HOST + b"X-Forwarded-Host:  one.example , two.example\r\n\r\n",
    "X-Forwarded-Proto with a non-UTF-8 byte": UPLOAD + HOST + b"X-Forwarded-Proto: h\xfftps\r\n\r\n",
    "X-Forwarded-Host with UTF-8": UPLOAD + HOST + "X-Forwarded-Host: é.example\r\n\r\n".encode(),
    "X-Forwarded-Host with bytes to escape": UPLOAD + HOST + b"X-Forwarded-Host: a%b c\xff<\"\r\n\r\n",
    "Host with a percent sign": UPLOAD + b"Host: a%41:5\r\n\r\n",
    "Content-Length and chunked: chunked wins": (  # were the length read, both would wait for 500 bytes
        b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
        b"Content-Length: 500\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    "identical Content-Length lines": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                      b"Content-Length: 2\r\n\r\n{}",
    "differing Content-Length lines": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                      b"Content-Length: 3\r\n\r\n{}",
    "Content-Length list": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}",
    "Content-Length with a sign": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}",
    "Transfer-Encoding: Chunked": (b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked"
                                   b"\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    "two Transfer-Encoding lines": (b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                                    b"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    "Transfer-Encoding list": (b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked"
                               b"\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    "Transfer-Encoding: identity": b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
    "chunk extension and trailer": (b"PUT /v2/gohttp/app/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                                    b"\r\n\r\n2;ext=1\r\n{}\r\n0\r\nTrailer: y\r\n\r\n"),
    "HTTP/2.0 on the HTTP/1 port": b"GET /v2/ HTTP/2.0\r\nHost: x\r\n\r\n",
    "HTTP/1.2 served as 1.1": b"GET /v2/ HTTP/1.2\r\nHost: x\r\n\r\n",
    "request line with an extra field": b"GET /v2/ HTTP/1.1 x\r\nHost: x\r\n\r\n",
    "request line with two spaces": b"GET  /v2/ HTTP/1.1\r\nHost: x\r\n\r\n",
    "leading blank line": b"\r\nGET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n",
    "header value with a control byte": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    "header value with DEL": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX: a\tb\x7f\r\n\r\n",
    "header value with a non-UTF-8 byte": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX: a\xffb\r\n\r\n",
    "space before the colon of Host": b"GET /v2/ HTTP/1.1\r\nHost : x\r\n\r\n",
    "continuation line": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
    "continuation of Host": b"GET /v2/ HTTP/1.1\r\nHost: x\r\n : y\r\n\r\n",
    "OPTIONS on a manifest": b"OPTIONS /v2/gohttp/app/manifests/latest HTTP/1.1\r\n" + HOST + b"\r\n",
    "OPTIONS on tags/list": b"OPTIONS /v2/gohttp/app/tags/list HTTP/1.1\r\n" + HOST + b"\r\n",
    "OPTIONS on a blob": b"OPTIONS /v2/gohttp/app/blobs/sha256:" + b"0" * 64 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
    "OPTIONS on the catalog": b"OPTIONS /v2/_catalog HTTP/1.1\r\n" + HOST + b"\r\n",
    "OPTIONS on an unknown path": b"OPTIONS /nothing HTTP/1.1\r\n" + HOST + b"\r\n",
}

#: Compared on status and body only: Go sends these bodies (over 2 KiB, no length set by the handler)
#: chunked, the model always gives a Content-Length (see gohttp.py, left out).
BODIES = {
    "an integer of 5,000 digits in a manifest": _put_json(b'{"schemaVersion": ' + b"9" * 5000 + b"}"),
}

_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STATE = re.compile(rb"_state=[^&\s]*")


def _masked(answer: bytes) -> tuple:
    return comparable(_STATE.sub(b"_state=S", _UUID.sub(b"UUID", answer)))


@pytest.mark.parametrize("name", list(EDGES))
def test_go_edge(real_registry, ours, name):
    real = exchange(port_of(real_registry.url), EDGES[name])
    mine = exchange(port_of(ours[1]), EDGES[name])
    assert _masked(mine) == _masked(real)


@pytest.mark.parametrize("name", list(BODIES))
def test_no_traceback_for_huge_input(real_registry, ours, name):
    real = exchange(port_of(real_registry.url), BODIES[name])
    mine = exchange(port_of(ours[1]), BODIES[name])
    assert (status_of(mine), body_of(mine)) == (status_of(real), body_of(real))


@pytest.mark.parametrize("data", [
    pytest.param(b"GET /v2/ HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", id="refused: duplicate Host"),
    pytest.param(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n", id="header block cut by FIN"),
    pytest.param(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", id="complete request then FIN"),
])
def test_connection_is_closed_after_the_answer(real_registry, ours, data):
    """Go answers, then closes; so must we (the client has finished sending or was refused)."""
    results = []
    for url in (real_registry.url, ours[1]):
        with socket.create_connection(("127.0.0.1", port_of(url)), timeout=10) as sock:
            sock.sendall(data)
            if not data.endswith(b"\r\n\r\n") or b"Host: y" not in data:
                sock.shutdown(socket.SHUT_WR)
            out = b""
            while chunk := sock.recv(65536):
                out += chunk
        results.append(comparable(out))
    assert results[0] == results[1]


def test_head_redirect_keeps_the_connection(real_registry, ours):
    """HEAD /v2: Content-Type but no Content-Length and no body; the connection stays open."""
    answers = [closes_after(port_of(url), b"HEAD /v2 HTTP/1.1\r\nHost: x\r\n\r\n", timeout=2)
               for url in (real_registry.url, ours[1])]
    assert comparable(answers[0][0]) == comparable(answers[1][0])
    assert answers[0][1] is answers[1][1] is False


def _cut_upload(port: int) -> int | None:
    """On one keep-alive connection: a GET, then a manifest body cut short by a half-close."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b"{}"):
            first += sock.recv(65536)
        sock.sendall(b"PUT /v2/gohttp/cuts/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"s")
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return status_of(out)  # read to EOF: the server closed


def test_hundreds_of_cut_uploads_leave_both_servers_answering(real_registry, ours):
    """300 cuts (more than regcompat's default connection limit of 256): both still answer."""
    for url in (real_registry.url, ours[1]):
        assert {_cut_upload(port_of(url)) for _ in range(300)} == {499}, url
        assert status_of(exchange(port_of(url), b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")) == 200
