"""Faults over real sockets: malformed requests, huge headers, bodies cut short, clients that
vanish mid-upload, concurrent pushes of one tag and a bounded burst of mixed requests.

After each, the server still answers and ``validate_store`` finds every invariant intact
(every blob and manifest hashes to its digest, every tag points at a stored manifest,
every reference exists); nothing half-written is ever visible.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import regcompat as rc
from regcompat.engine.http import HTTPTransport
from regcompat.mediatypes import MediaType
from regcompat.server import serve
from regcompat.testing import random_image, validate_store

from .rawhttp import exchange, port_of, status_of, tls_client_hello

DOCKER_110 = [("Accept", MediaType.SCHEMA2), ("Accept", MediaType.MANIFEST_LIST)]


@pytest.fixture
def served():
    registry = rc.Registry("2.8")
    with serve(registry) as url:
        yield registry, url


def alive(url: str) -> bool:
    with HTTPTransport(url, timeout=5) as transport:
        return transport.handle(rc.Request("GET", "/v2/")).status == 200


def push(transport: HTTPTransport, repo: str, image, tag: str) -> rc.Response:
    for blob in image.blobs():
        start = transport.handle(rc.Request("POST", f"/v2/{repo}/blobs/uploads/"))
        assert start.status == 202, start.body
        put = transport.handle(rc.Request("PUT", f"{start.headers['Location']}&digest={blob.digest}",
                                          [("Content-Type", "application/octet-stream")], blob.data))
        assert put.status == 201, put.body
    manifest = image.schema2()
    return transport.handle(rc.Request("PUT", f"/v2/{repo}/manifests/{tag}",
                                       [("Content-Type", MediaType.SCHEMA2)], manifest.raw))


MALFORMED = [
    (b"GET /v2/a/../b/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", 301),
    (b"GET /v2/a%zz/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET v2/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /v2/a\x00b/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /v2/ HTTP/1.1\r\n\r\n", 400),
    (b"HELLO\r\n\r\n", 400),
    (b"GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
    (b"PUT /v2/a/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
    (b"PUT /v2/a/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    (b"PUT /v2/a/manifests/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"GET /v2/" + b"a/" * 5000 + b"tags/list HTTP/1.1\r\nHost: x\r\n\r\n", 500),
    (b"GET /v2/Bad_Name/manifests/latest HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"DELETE /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", 200),
]


@pytest.mark.parametrize("data,status", MALFORMED, ids=[repr(d[:40]) for d, _ in MALFORMED])
def test_malformed_requests_get_go_registry_statuses(served, data, status):
    registry, url = served
    assert status_of(exchange(port_of(url), data)) == status
    assert alive(url)
    validate_store(registry)


def test_tls_handshake_gets_go_400_immediately(served):
    _, url = served
    started = time.monotonic()
    answer = exchange(port_of(url), tls_client_hello(), timeout=5)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n") and answer.endswith(b"\r\n\r\n400 Bad Request")
    assert time.monotonic() - started < 4  # answered, not timed out
    assert alive(url)


@pytest.mark.parametrize("size,status", [(512 << 10, 200), ((1 << 20) - 200, 200),
                                         ((1 << 20) + 4096, 431), (2 << 20, 431)])
def test_huge_headers_limit_is_gos(served, size, status):
    _, url = served
    data = b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    assert status_of(exchange(port_of(url), data)) == status
    assert alive(url)


@pytest.mark.parametrize("path,code", [("/v2/t/r/manifests/latest", b"MANIFEST_INVALID"),
                                       ("upload", b"UNKNOWN")])
def test_body_shorter_than_content_length_gets_499_and_stores_nothing(served, path, code):
    registry, url = served
    image = random_image(41)
    with HTTPTransport(url) as transport:
        assert push(transport, "t/r", image, "before").status == 201
        if path == "upload":
            location = transport.handle(rc.Request("POST", "/v2/t/r/blobs/uploads/")).headers["Location"]
            path = location[location.index("/v2/"):] + f"&digest={image.layers[0].digest}"
    before = {name: (dict(repo.tags), set(repo.manifests)) for name, repo in registry.store.repositories.items()}
    body = image.schema2().raw
    request = (f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {MediaType.SCHEMA2}\r\n"
               f"Content-Length: {len(body) + 100}\r\n\r\n").encode() + body
    answer = exchange(port_of(url), request, half_close=True)
    assert status_of(answer) == 499
    assert b'"code":"' + code + b'"' in answer and b'"detail":"client disconnected"' in answer
    after = {name: (dict(repo.tags), set(repo.manifests)) for name, repo in registry.store.repositories.items()}
    assert after == before
    validate_store(registry)
    assert alive(url)


def test_client_vanishing_mid_upload_leaves_nothing(served):
    registry, url = served
    big = random.Random(1).randbytes(3 << 20)
    with HTTPTransport(url) as transport:
        start = transport.handle(rc.Request("POST", "/v2/gone/r/blobs/uploads/"))
    location = start.headers["Location"]
    target = location[location.index("/v2/"):]
    for cut in (0, 1000, len(big) // 2):
        with socket.create_connection(("127.0.0.1", port_of(url))) as sock:
            sock.sendall((f"PUT {target}&digest=sha256:{'0' * 64} HTTP/1.1\r\nHost: x\r\n"
                          f"Content-Length: {len(big)}\r\n\r\n").encode() + big[:cut])
        sock.close()
        with socket.create_connection(("127.0.0.1", port_of(url))) as sock:
            sock.sendall(b"PUT /v2/gone/r/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n{")
    time.sleep(0.2)
    assert alive(url)
    assert "t" not in getattr(registry.store.repositories.get("gone/r"), "tags", {})
    assert not any(len(data) in (1000, len(big) // 2) for data in registry.store.blobs.values())
    validate_store(registry)


def test_concurrent_pushes_of_one_tag(served):
    registry, url = served
    images = [random_image(50 + n) for n in range(6)]

    def worker(image):
        with HTTPTransport(url) as transport:
            return push(transport, "race/app", image, "latest")

    with ThreadPoolExecutor(len(images)) as pool:
        results = list(pool.map(worker, images, timeout=60))
    assert [r.status for r in results] == [201] * len(images)
    digests = {r.headers["Docker-Content-Digest"] for r in results}
    assert registry.store.repositories["race/app"].tags["latest"] in digests
    with HTTPTransport(url) as transport:
        got = transport.handle(rc.Request("GET", "/v2/race/app/manifests/latest", DOCKER_110))
    assert got.status == 200 and got.headers["Docker-Content-Digest"] == registry.store.repositories["race/app"].tags["latest"]
    validate_store(registry)


def test_bounded_burst_of_mixed_requests(served):
    """8 clients x 30 requests, mixed; loopback only; stops by itself within the deadline."""
    registry, url = served
    images = [random_image(70 + n, layers=1) for n in range(4)]
    deadline = time.monotonic() + 120
    statuses: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        with HTTPTransport(url, timeout=30) as transport:
            for i in range(30):
                if time.monotonic() > deadline:
                    return
                image = rng.choice(images)
                repo = f"burst/r{rng.randrange(3)}"
                kind = rng.randrange(6)
                if kind == 0:
                    status = push(transport, repo, image, f"t{rng.randrange(3)}").status
                else:
                    target, headers, method, body = {
                        1: (f"/v2/{repo}/manifests/t{rng.randrange(3)}", [], "GET", b""),
                        2: (f"/v2/{repo}/manifests/t{rng.randrange(3)}", DOCKER_110, "HEAD", b""),
                        3: (f"/v2/{repo}/tags/list", [], "GET", b""),
                        4: (f"/v2/{repo}/blobs/{image.layers[0].digest}", [], "GET", b""),
                        5: (f"/v2/{repo}/manifests/bad", [("Content-Type", MediaType.SCHEMA2)], "PUT", b"{x"),
                    }[kind]
                    status = transport.handle(rc.Request(method, target, headers, body)).status
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads)
    assert len(statuses) == 8 * 30
    assert set(statuses) <= {200, 201, 400, 404}
    assert statuses.count(201) > 0
    validate_store(registry)
    assert alive(url)
