"""Memory by announcement: a Content-Length costs nothing until bytes arrive.

``regcompat serve`` runs as its own process so its peak resident memory
(``VmHWM`` in /proc) is its own. Eight clients at once announce 4 GiB each,
send 1 KiB and half-close: each gets its 499, and the peak grows by far less
than one announced body (it grew by ~960 MiB per request when the adapter
sized its buffer from the announcement). Linux only (/proc).
"""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.live.processes import free_port, wait_until_serving

from .rawhttp import exchange, status_of

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCED = 4 << 30

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) << 10
    raise AssertionError("no VmHWM")


@pytest.fixture
def server_process():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regcompat.cli", "serve", "--registry-version", "2.8",
                                "--port", str(port), "--max-body-size", "8G"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(port, process)
        yield process, port
    finally:
        process.terminate()
        process.wait(10)


def _announce_and_cut(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(f"PUT /v2/mem/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: {ANNOUNCED}\r\n\r\n"
                     .encode() + b"x" * 1024)
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
        return out


def test_announced_bodies_cost_nothing(server_process):
    process, port = server_process
    for _ in range(3):  # warm up: imports and first allocations happen here, not below
        assert status_of(_announce_and_cut(port)) == 499
    before = _peak_rss(process.pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _announce_and_cut(port), range(8)))
    assert [status_of(a) for a in answers] == [499] * 8
    assert status_of(exchange(port, b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")) == 200
    grown = _peak_rss(process.pid) - before
    assert grown < 32 << 20, f"peak RSS grew by {grown >> 20} MiB"


def test_body_over_the_limit_is_refused_before_reading(server_process):
    _, port = server_process
    answer = exchange(port, b"PUT /v2/mem/app/manifests/t HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            + str(9 << 30).encode() + b"\r\n\r\n")
    assert status_of(answer) == 413
    assert status_of(exchange(port, b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")) == 200
