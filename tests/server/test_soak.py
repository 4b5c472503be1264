"""A bounded soak over real sockets: several clients, a few thousand requests, cuts, resets,
stalls, refusals, forged tokens and bare-LF requests mixed with pushes and pulls.

The server runs with a small connection limit and a 1 s idle timeout, so
leaked or stalled connections would exhaust it. At the end: no answer was a
500, every connection has been closed and counted, the server still answers
and every store invariant holds. Bounded by request counts, not by time.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
import uuid
from urllib.parse import urlsplit

import regcompat as rc
from regcompat.engine.http import HTTPTransport
from regcompat.registry.upload_token import pack
from regcompat.server import serve
from regcompat.server.limits import Limits
from regcompat.server.stats import ConnectionStats
from regcompat.testing import random_image, validate_store

from .rawhttp import port_of, status_of
from .test_faults import DOCKER_110, alive, push

CLIENTS = 8
OPS = 250
KINDS = ("push", "pull", "blob", "cut", "reset", "stall", "refused", "forged", "bare-lf", "garbage")
WEIGHTS = (2, 10, 6, 4, 3, 1, 2, 2, 2, 2)


def _raw(port: int, data: bytes, *, half_close: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
        return out


def test_bounded_soak():
    registry = rc.Registry("2.8", upload_ids=lambda: str(uuid.uuid4()))
    stats = ConnectionStats()
    images = [random_image(90 + n, layers=2) for n in range(4)]
    statuses: list[int] = []
    stalled: list[socket.socket] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    with serve(registry, limits=Limits(connection_limit=24, idle_timeout=1), stats=stats) as url:
        port = port_of(url)
        with HTTPTransport(url) as transport:
            for n, image in enumerate(images):
                assert push(transport, "soak/base", image, f"t{n}").status == 201

        def client(n: int) -> None:
            rng = random.Random(n)
            try:
                with HTTPTransport(url, timeout=60) as transport:
                    for _ in range(OPS):
                        kind = rng.choices(KINDS, WEIGHTS)[0]
                        status = _one(kind, rng, transport)
                        with lock:
                            statuses.append(status)
            except BaseException as exc:  # reported below, with the thread's kind of failure
                errors.append(exc)

        def _one(kind: str, rng: random.Random, transport: HTTPTransport) -> int:
            image = rng.choice(images)
            repo = f"soak/r{rng.randrange(3)}"
            if kind == "push":
                return push(transport, repo, image, f"t{rng.randrange(3)}").status
            if kind == "pull":
                method = rng.choice(["GET", "HEAD"])
                return transport.handle(rc.Request(method, f"/v2/soak/base/manifests/t{rng.randrange(4)}",
                                                   DOCKER_110)).status
            if kind == "blob":
                return transport.handle(rc.Request("GET", f"/v2/soak/base/blobs/{image.layers[0].digest}")).status
            if kind == "cut":
                return status_of(_raw(port, b"PUT /v2/soak/cut/manifests/t HTTP/1.1\r\nHost: x\r\n"
                                            b"Content-Length: 4096\r\n\r\n{\"schemaVersion\""))
            if kind == "reset":
                sock = socket.create_connection(("127.0.0.1", port), timeout=60)
                sock.sendall(b"PUT /v2/soak/reset/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n{")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
                return 0
            if kind == "stall":
                sock = socket.create_connection(("127.0.0.1", port), timeout=60)
                sock.sendall(b"GET /v2/ HTTP/1.1\r\nHos")
                with lock:
                    stalled.append(sock)
                return 0
            if kind == "refused":
                return status_of(_raw(port, b"GET /v2/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
            if kind == "forged":
                start = transport.handle(rc.Request("POST", f"/v2/{repo}/blobs/uploads/"))
                parts = urlsplit(start.headers["Location"])
                uid = parts.path.rsplit("/", 1)[1]
                forged = pack(b"guessed secret", repo, uid, 0)
                status = transport.handle(rc.Request("DELETE", f"{parts.path}?_state={forged}")).status
                assert status == 404, status
                return transport.handle(rc.Request("DELETE", f"{parts.path}?{parts.query}")).status
            if kind == "bare-lf":
                return status_of(_raw(port, b"GET /v2/soak/base/tags/list HTTP/1.1\nHost: x\n\n"))
            return status_of(_raw(port, rng.randbytes(rng.randrange(1, 200)))) or 0

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        for sock in stalled:  # the idle timeout closes every stalled connection
            assert sock.recv(100) == b""
            sock.close()
        deadline = time.monotonic() + 60
        while stats.snapshot()["open"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(url)
        counts = stats.snapshot()

    assert len(statuses) == CLIENTS * OPS
    assert 500 not in statuses and 201 in statuses and 499 in statuses
    assert set(statuses) <= {0, 200, 201, 202, 204, 400, 404, 499, 501, 505}
    assert counts["open"] <= 1 and counts["cut"] > 0 and counts["reset"] > 0 and counts["refused"] > 0
    assert counts["timed_out"] >= len(stalled)
    validate_store(registry)
