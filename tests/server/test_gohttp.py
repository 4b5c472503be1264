"""Go net/http's own answers before the registry handler, as measured on distribution 2.8.2."""

from __future__ import annotations

import pytest

from regcompat.server.gohttp import decoded_target, go_precheck, go_request_head, header_value, refusal, refusal_bytes


@pytest.mark.parametrize("method,target,protocol,hosts,status,body", [
    ("GET", "/v2/a%zz/tags/list", "HTTP/1.1", ["h"], 400, b"400 Bad Request"),
    ("GET", "/v2/a%2/tags/list", "HTTP/1.1", ["h"], 400, b"400 Bad Request"),
    ("GET", "v2/", "HTTP/1.1", ["h"], 400, b"400 Bad Request"),
    ("GET", "/v2/a\x00b", "HTTP/1.1", ["h"], 400, b"400 Bad Request"),
    ("GET", "/v2/", "HTTP/1.1", [], 400, b"400 Bad Request: missing required Host header"),
    ("GET", "/v2/", "HTTP/1.1", ["x", "y"], 400, b"400 Bad Request"),
    ("GET", "/v2/", "HTTP/1.0", ["x", "x"], 400, b"400 Bad Request"),
    ("GET", "/v2/", "HTTP/1.1", ["a b"], 400, b"400 Bad Request: malformed Host header"),
    ("GET", "/v2/", "HTTP/1.1", ["h\udcff"], 400, b"400 Bad Request: malformed Host header"),
    ("OPTIONS", "*", "HTTP/1.1", ["h"], 200, b""),
])
def test_go_refuses_or_answers_itself(method, target, protocol, hosts, status, body):
    response = go_precheck(method, target, protocol, hosts)
    assert response is not None and (response.status, response.body) == (status, body)


@pytest.mark.parametrize("method,target,protocol,hosts", [
    ("GET", "/v2/", "HTTP/1.1", ["h"]),
    ("GET", "/v2/", "HTTP/1.1", [""]),
    ("GET", "/v2/", "HTTP/1.1", ["[::1]:5000"]),
    ("GET", "/v2/", "HTTP/1.0", []),
    ("GET", "http://localhost:5000/v2/", "HTTP/1.1", ["h"]),
    ("PUT", "/v2/a/blobs/uploads/u?_state=a%3D%3D&digest=sha256:00", "HTTP/1.1", ["h"]),
    ("BREW", "/v2/", "HTTP/1.1", ["h"]),
])
def test_handler_runs(method, target, protocol, hosts):
    assert go_precheck(method, target, protocol, hosts) is None


def test_refusal_bytes_are_gos():
    text = refusal("GET", "/v2/", "HTTP/1.1", [])
    assert refusal_bytes(text) == (b"HTTP/1.1 400 Bad Request: missing required Host header\r\n"
                                   b"Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                                   b"400 Bad Request: missing required Host header")


@pytest.mark.parametrize("raw,target", [
    ("/v2/a%2Fb/tags/list", "/v2/a/b/tags/list"),
    ("/v2/a%3Fb/tags/list?n=1", "/v2/a%3Fb/tags/list?n=1"),
    ("/v2/a%25b/x", "/v2/a%25b/x"),
    ("/v2/%C3%A9/tags/list", "/v2/%C3%A9/tags/list"),
    ("/v2/x/blobs/uploads/u?_state=ab%3D%3D", "/v2/x/blobs/uploads/u?_state=ab%3D%3D"),
    ("http://h:5000/v2/x?y=1", "/v2/x?y=1"),
    ("/v2/a/manifests/t#x", "/v2/a/manifests/t%23x"),
    ("/v2/a%2Fb/manifests/t#x?n=1#y", "/v2/a/b/manifests/t%23x?n=1#y"),
])
def test_decoded_target(raw, target):
    assert decoded_target(raw) == target


@pytest.mark.parametrize("value,wire", [
    ("application/json", b"application/json"),
    ("application/x\ufffdy\u00e9", b"application/x\xef\xbf\xbdy\xc3\xa9"),  # decoded JSON: UTF-8
    ("http\udcff://x", b"http\xff://x"),  # a byte that came in invalid goes back unchanged
    ("a\r\nb", b"a  b"),  # Go: CR and LF become spaces
    ("  padded\t", b"padded"),
])
def test_header_values_are_written_as_go_writes_them(value, wire):
    assert header_value(value).encode("latin-1") == wire


@pytest.mark.parametrize("head,answer", [
    (b"GET /v2/ HTTP/2.0\r\nHost: x\r\n\r\n", b"HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version"),
    (b"\r\nGET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.1 400 Bad Request\r\n"),
    (b"GET  /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.1 400 Bad Request\r\n"),
    (b"PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", b"HTTP/1.1 400 Bad Request\r\n"),
    (b"PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n", b"HTTP/1.1 400 Bad Request\r\n"),
    (b"PUT /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", b"HTTP/1.1 501 Not Implemented\r\n"),
    (b"GET /v2/ HTTP/1.1\r\nHost : x\r\n\r\n", b"HTTP/1.1 400 Bad Request: missing required Host header\r\n"),
    (b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n", b"HTTP/1.1 400 Bad Request: invalid header value\r\n"),
    (b"GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", b"HTTP/1.1 400 Bad Request: invalid header name\r\n"),
])
def test_go_request_head_refusals(head, answer):
    refused, _ = go_request_head(head)
    assert refused is not None and refused.startswith(answer) and refused.count(b"\r\n\r\n") == 1


@pytest.mark.parametrize("head,handed_on", [
    (b"GET /v2/ HTTP/1.2\r\nHost: x\r\n\r\n", b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n"),
    (b"PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n",
     b"PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"),
    (b"PUT /x HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n", b"PUT /x HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n"),
    (b"GET /v2/ HTTP/1.1\r\nHost: \r\nX: \xff\r\n\r\n", b"GET /v2/ HTTP/1.1\r\nHost: \r\nX: \xff\r\n\r\n"),
])
def test_go_request_head_accepts(head, handed_on):
    assert go_request_head(head) == (None, handed_on)
