"""The WSGI adapter on its own: environ in, core Request to the model, WSGI answer out."""

from __future__ import annotations

import io
import logging

import pytest

import regcompat as rc
from regcompat.server.wsgi import (
    CHUNK_SIZE,
    make_app,
    read_body,
    request_headers,
    request_target,
    status_line,
)


class Recorder:
    """A stand-in registry that records what it was asked and answers a fixed response."""

    def __init__(self, response: rc.Response | None = None):
        self.requests: list[rc.Request] = []
        self.complete: list[bool] = []
        self.response = response or rc.Response(200, [("Content-Type", "text/plain")], b"hello")

    def handle(self, request: rc.Request, *, body_complete: bool = True) -> rc.Response:
        self.requests.append(request)
        self.complete.append(body_complete)
        return self.response


def environ(method="GET", uri="/v2/", body=b"", length=None, **extra) -> dict:
    env = {"REQUEST_METHOD": method, "REQUEST_URI": uri, "PATH_INFO": uri.split("?")[0],
           "QUERY_STRING": uri.partition("?")[2], "SERVER_PROTOCOL": "HTTP/1.1",
           "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:5000", "wsgi.input": io.BytesIO(body)}
    if length is not None or body:
        env["CONTENT_LENGTH"] = str(len(body) if length is None else length)
    env.update(extra)
    return env


def call(app, env) -> tuple[str, list[tuple[str, str]], bytes]:
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    body = b"".join(bytes(chunk) for chunk in app(env, start_response))
    return captured["status"], captured["headers"], body


def test_target_is_the_request_uri_with_the_path_decoded_as_go_routes_it():
    assert request_target(environ(uri="/v2/a%2Fb/tags/list?n=1&last=x%3D")) == "/v2/a/b/tags/list?n=1&last=x%3D"
    assert request_target(environ(uri="/v2/a%3Fb/tags/list")) == "/v2/a%3Fb/tags/list"


def test_absolute_form_target_is_reduced_to_path_and_query():
    assert request_target(environ(uri="http://localhost:5000/v2/x/tags/list?n=2")) == "/v2/x/tags/list?n=2"


def test_target_rebuilt_from_path_info_without_request_uri():
    env = environ(uri="/v2/x y/tags/list?n=1")
    del env["REQUEST_URI"]
    assert request_target(env) == "/v2/x%20y/tags/list?n=1"


def test_raw_header_lines_are_kept_one_per_line():
    lines = (("Host", "h"), ("Accept", "a"), ("Accept", "b"))
    headers = request_headers(environ(**{"regcompat.raw_headers": lines, "HTTP_ACCEPT": "a, b"}))
    assert headers.get_all("Accept") == ["a", "b"]


def test_headers_rebuilt_from_environ_when_server_folds_them():
    headers = request_headers(environ(HTTP_ACCEPT="a, b", CONTENT_TYPE="application/json",
                                      HTTP_DOCKER_CONTENT_DIGEST="sha256:x"))
    assert headers["Host"] == "localhost:5000"
    assert headers.get_all("Accept") == ["a, b"]
    assert headers["content-type"] == "application/json"
    assert headers["Docker-Content-Digest"] == "sha256:x"


def test_body_read_in_chunks_up_to_content_length():
    data = bytes(range(256)) * (CHUNK_SIZE // 100)
    body, complete = read_body(environ(body=data + b"trailing", length=len(data)))
    assert complete and body == data


def test_short_body_is_reported_incomplete():
    body, complete = read_body(environ(body=b"abc", length=10))
    assert body == b"abc" and not complete


@pytest.mark.parametrize("method,uri", [("PUT", "/v2/a/b/manifests/t"), ("PATCH", "/v2/a/b/blobs/uploads/u"),
                                        ("GET", "/v2/")])
def test_cut_short_body_reaches_the_model_marked_incomplete(method, uri):
    """The adapter only reports the cut; what distribution answers is the model's (tests/registry)."""
    registry = Recorder()
    call(make_app(registry), environ(method, uri, b"abc", length=100))
    assert [(r.method, r.body) for r in registry.requests] == [(method, b"abc")]
    assert registry.complete == [False]


def test_complete_body_reaches_the_model_marked_complete():
    registry = Recorder()
    call(make_app(registry), environ("PUT", "/v2/a/b/manifests/t", b"abc"))
    assert registry.complete == [True]


def test_truncation_flag_from_the_server_counts_even_without_content_length():
    registry = Recorder()
    env = environ("PATCH", "/v2/a/blobs/uploads/u", **{"regcompat.body_truncated": True})
    call(make_app(registry), env)
    assert registry.complete == [False]


def test_request_reaches_the_model_unchanged():
    registry = Recorder()
    lines = (("Host", "localhost:5000"), ("Content-Type", "application/octet-stream"))
    call(make_app(registry), environ("PUT", "/v2/a/manifests/t?x=1", b"{}", **{"regcompat.raw_headers": lines}))
    (request,) = registry.requests
    assert (request.method, request.target, request.body) == ("PUT", "/v2/a/manifests/t?x=1", b"{}")
    assert list(request.headers) == list(lines)


def test_head_sends_headers_without_body():
    registry = Recorder(rc.Response(200, [("Content-Length", "523")], b""))
    status, headers, body = call(make_app(registry), environ("HEAD", "/v2/a/manifests/t"))
    assert status == "200 OK" and dict(headers)["Content-Length"] == "523" and body == b""


def test_head_without_model_length_sends_none():
    """Go omits Content-Length on some HEAD answers (after a redirect); the model decides."""
    registry = Recorder(rc.Response(301, [("Location", "/v2/")], b""))
    _, headers, body = call(make_app(registry), environ("HEAD", "/x"))
    assert "Content-Length" not in dict(headers) and body == b""


@pytest.mark.parametrize("status", [204, 304])
def test_no_body_statuses(status):
    _, _, body = call(make_app(Recorder(rc.Response(status, [], b"ignored"))), environ())
    assert body == b""


def test_large_body_streamed_through_file_wrapper_without_copy():
    data = b"x" * (3 * CHUNK_SIZE + 7)
    seen = {}

    def wrapper(fileobj, block):
        seen["block"] = block
        return iter(lambda: fileobj.read(block), b"")

    _, headers, body = call(make_app(Recorder(rc.Response(200, [], data))),
                            environ(**{"wsgi.file_wrapper": wrapper}))
    assert body == data and dict(headers)["Content-Length"] == str(len(data))
    assert seen["block"] == CHUNK_SIZE


@pytest.mark.parametrize("code,line", [(200, "200 OK"), (201, "201 Created"), (202, "202 Accepted"),
                                       (404, "404 Not Found"), (416, "416 Requested Range Not Satisfiable"),
                                       (499, "499 status code 499")])
def test_status_line_uses_go_reason_phrases(code, line):
    assert status_line(code) == line


def test_one_log_line_per_request(caplog):
    app = make_app(Recorder())
    with caplog.at_level(logging.INFO, logger="regcompat.server"):
        call(app, environ(uri="/v2/?a=1", HTTP_USER_AGENT="docker/1.10.0"))
        call(app, environ("HEAD", "/v2/"))
    lines = [r.getMessage() for r in caplog.records if r.name == "regcompat.server"]
    assert len(lines) == 2
    assert '"GET /v2/?a=1 HTTP/1.1" 200 5 "" "docker/1.10.0"' in lines[0]
    assert '"HEAD /v2/ HTTP/1.1" 200 0' in lines[1]


def test_reading_a_large_body_costs_one_copy_not_two():
    import tracemalloc

    data = bytes(16 << 20)
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        body, complete = read_body({"CONTENT_LENGTH": str(len(data)), "wsgi.input": stream})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert complete and body == data
    assert peak < len(data) * 3 // 2  # the body plus chunks in flight; a joined copy would double it
