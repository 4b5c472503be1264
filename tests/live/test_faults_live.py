"""Malformed and cut-short requests over raw sockets: the real 2.8.2 and regcompat answer alike.

Compared: the status code, and the body when either side answers with a
registry error envelope. Known differences that come from waitress's HTTP
parser rather than the model (lowercase methods, unknown HTTP versions,
non-ASCII bytes in the request line, the wording of 400/431 pages) are
listed in ``regcompat/server/gohttp.py`` and not sent here.
"""

from __future__ import annotations

import pytest

from regcompat.mediatypes import MediaType
from tests.server.rawhttp import body_of, exchange, port_of, status_of, tls_client_hello

pytestmark = pytest.mark.live

REQUESTS = {
    "dot-dot": b"GET /v2/a/../b/tags/list HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad-escape": b"GET /v2/a%zz/tags/list HTTP/1.1\r\nHost: x\r\n\r\n",
    "escaped-slash": b"GET /v2/faults/a%2Fb/tags/list HTTP/1.1\r\nHost: x\r\n\r\n",
    "relative": b"GET v2/ HTTP/1.1\r\nHost: x\r\n\r\n",
    "nul": b"GET /v2/a\x00b/tags/list HTTP/1.1\r\nHost: x\r\n\r\n",
    "no-host": b"GET /v2/ HTTP/1.1\r\n\r\n",
    "http10": b"GET /v2/ HTTP/1.0\r\n\r\n",
    "options-star": b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown-method": b"BREW /v2/ HTTP/1.1\r\nHost: x\r\n\r\n",
    "garbage": b"HELLO\r\n\r\n",
    "bad-header-name": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
    "bad-content-length": b"PUT /v2/faults/m/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "te-gzip": b"PUT /v2/faults/m/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    "long-path": b"GET /v2/" + b"a/" * 5000 + b"tags/list HTTP/1.1\r\nHost: x\r\n\r\n",
    "header-512k": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (512 << 10) + b"\r\n\r\n",
    "header-1m": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * ((1 << 20) - 200) + b"\r\n\r\n",
    "header-1m+4k": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * ((1 << 20) + 4096) + b"\r\n\r\n",
    "header-2m": b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (2 << 20) + b"\r\n\r\n",
    "expect-continue": (b"PUT /v2/faults/m/manifests/t HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                        b"Content-Length: 2\r\n\r\n{}"),
}


def _compare(real: bytes, ours: bytes) -> None:
    assert status_of(real) == status_of(ours), (real[:300], ours[:300])
    if b'{"errors"' in body_of(real) or b'{"errors"' in body_of(ours):
        assert body_of(real) == body_of(ours)


@pytest.mark.parametrize("name", list(REQUESTS))
def test_malformed_request(real_registry, ours, name):
    real = exchange(port_of(real_registry.url), REQUESTS[name])
    mine = exchange(port_of(ours[1]), REQUESTS[name])
    _compare(real, mine)


def _upload_target(url: str, repo: str) -> str:
    answer = exchange(port_of(url), f"POST /v2/{repo}/blobs/uploads/ HTTP/1.1\r\nHost: x\r\n"
                                    f"Content-Length: 0\r\n\r\n".encode())
    location = next(line for line in answer.split(b"\r\n") if line.lower().startswith(b"location:"))
    value = location.split(b":", 1)[1].strip().decode()
    return value[value.index("/v2/"):]


@pytest.mark.parametrize("kind", ["manifest-put", "upload-patch", "upload-put-digest", "upload-put-no-digest",
                                  "unknown-session-patch", "unknown-session-put", "bad-state-patch"])
def test_body_cut_short(real_registry, ours, kind):
    answers = []
    for url in (real_registry.url, ours[1]):
        if kind == "manifest-put":
            method, target = "PUT", "/v2/faults/short/manifests/latest"
        elif kind.startswith(("unknown-session", "bad-state")):
            target = "/v2/faults/short/blobs/uploads/0c1f6b4e-9b8a-4c3e-8a43-1d2a3b4c5d6e"
            target += "?_state=AAAA" if kind == "bad-state-patch" else ""
            method = "PUT" if kind.endswith("put") else "PATCH"
            if method == "PUT":
                target += "?digest=sha256:" + "0" * 64
        else:
            target = _upload_target(url, "faults/short")
            method = "PATCH" if kind == "upload-patch" else "PUT"
            if kind == "upload-put-digest":
                target += "&digest=sha256:" + "0" * 64
        head = (f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Type: "
                f"{MediaType.SCHEMA2 if kind == 'manifest-put' else 'application/octet-stream'}\r\n"
                f"Content-Length: 500\r\n\r\n").encode()
        answers.append(exchange(port_of(url), head + b'{"schemaVersion": 2', half_close=True))
    _compare(*answers)
    tags = [exchange(port_of(url), b"GET /v2/faults/short/tags/list HTTP/1.1\r\nHost: x\r\n\r\n")
            for url in (real_registry.url, ours[1])]
    _compare(*tags)


def test_tls_handshake_on_the_plain_port_is_refused_at_once(real_registry, ours):
    hello = tls_client_hello()
    real = exchange(port_of(real_registry.url), hello, timeout=5)
    mine = exchange(port_of(ours[1]), hello, timeout=5)
    assert status_of(real) == status_of(mine) == 400
    assert body_of(real) == body_of(mine) == b"400 Bad Request"


def _header(answer: bytes, name: bytes) -> bytes | None:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def test_chunked_patch_upload_as_docker_sends_it(real_registry, ours):
    """Docker streams layers as PATCH with Transfer-Encoding: chunked and no Content-Length."""
    import hashlib

    data = bytes(range(256)) * 300
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (data[:1000], data[1000:50000], data[50000:]))
    chunked += b"0\r\n\r\n"
    results = []
    for url in (real_registry.url, ours[1]):
        target = _upload_target(url, "faults/chunked")
        patch = exchange(port_of(url), (f"PATCH {target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                        f"Content-Type: application/octet-stream\r\n\r\n").encode() + chunked)
        location = _header(patch, b"Location").decode()
        final = location[location.index("/v2/"):] + f"&digest={digest}"
        put = exchange(port_of(url), f"PUT {final} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode())
        results.append([(status_of(a), _header(a, b"Range"), _header(a, b"Docker-Content-Digest"), body_of(a))
                        for a in (patch, put)])
    assert results[0] == results[1]
    assert results[0][1][0] == 201 and results[0][1][2] == digest.encode()


@pytest.mark.parametrize("token", ["garbage", "a", "abc", "abcde", "Zm9v!!", "AAAA", "%zz"])
def test_undecodable_upload_state_token(real_registry, ours, token):
    """distribution reports a bad base64 ``_state`` with Go's CorruptInputError as the detail: a number."""
    request = (f"PATCH /v2/faults/state/blobs/uploads/0c1f6b4e-9b8a-4c3e-8a43-1d2a3b4c5d6e?_state={token} "
               f"HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").encode()
    _compare(exchange(port_of(real_registry.url), request), exchange(port_of(ours[1]), request))
