"""Go net/http's own answers before the registry handler, as measured on distribution 2.8.2."""

from __future__ import annotations

import pytest

from regcompat.server.gohttp import decoded_target, go_precheck


@pytest.mark.parametrize("method,target,protocol,host,status,body", [
    ("GET", "/v2/a%zz/tags/list", "HTTP/1.1", "h", 400, b"400 Bad Request"),
    ("GET", "/v2/a%2/tags/list", "HTTP/1.1", "h", 400, b"400 Bad Request"),
    ("GET", "v2/", "HTTP/1.1", "h", 400, b"400 Bad Request"),
    ("GET", "/v2/a\x00b", "HTTP/1.1", "h", 400, b"400 Bad Request"),
    ("GET", "/v2/", "HTTP/1.1", None, 400, b"400 Bad Request: missing required Host header"),
    ("OPTIONS", "*", "HTTP/1.1", "h", 200, b""),
])
def test_go_refuses_or_answers_itself(method, target, protocol, host, status, body):
    response = go_precheck(method, target, protocol, host)
    assert response is not None and (response.status, response.body) == (status, body)


@pytest.mark.parametrize("method,target,protocol,host", [
    ("GET", "/v2/", "HTTP/1.1", "h"),
    ("GET", "/v2/", "HTTP/1.0", None),
    ("GET", "http://localhost:5000/v2/", "HTTP/1.1", "h"),
    ("PUT", "/v2/a/blobs/uploads/u?_state=a%3D%3D&digest=sha256:00", "HTTP/1.1", "h"),
    ("BREW", "/v2/", "HTTP/1.1", "h"),
])
def test_handler_runs(method, target, protocol, host):
    assert go_precheck(method, target, protocol, host) is None


@pytest.mark.parametrize("raw,target", [
    ("/v2/a%2Fb/tags/list", "/v2/a/b/tags/list"),
    ("/v2/a%3Fb/tags/list?n=1", "/v2/a%3Fb/tags/list?n=1"),
    ("/v2/a%25b/x", "/v2/a%25b/x"),
    ("/v2/%C3%A9/tags/list", "/v2/%C3%A9/tags/list"),
    ("/v2/x/blobs/uploads/u?_state=ab%3D%3D", "/v2/x/blobs/uploads/u?_state=ab%3D%3D"),
    ("http://h:5000/v2/x?y=1", "/v2/x?y=1"),
])
def test_decoded_target(raw, target):
    assert decoded_target(raw) == target
