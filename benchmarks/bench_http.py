"""HTTP throughput: ``regcompat serve --registry-version 2.8`` against Debian's docker-registry 2.8.2.

Run ``python benchmarks/bench_http.py`` (``--seconds N`` per line, default 3).
Both servers run as their own processes on loopback on this machine, each
with its default logging (one line per request), and get the same request
mix from one keep-alive client (``HTTPTransport``), one request at a time:

  * manifest GET by tag with conversion (no ``Accept``: schema2 -> signed schema1);
  * manifest GET by digest (schema2, stored bytes);
  * blob GET (a 4 MiB layer);
  * blob upload of 64 MiB (``POST`` then monolithic ``PUT ?digest=``), then a
    ``GET`` of it checked byte for byte once.

then, to see the servers under load and abuse:

  * manifest GET by digest from 8 keep-alive clients at once;
  * cut uploads: connect, announce 1 MiB of manifest, send 16 bytes,
    half-close, read the 499 until the server closes;
  * memory by announcement: 8 clients at once announce 4 GiB each, send
    1 KiB and half-close (the peak memory this adds is the figure).

Memory is read from /proc for each server process: resident memory once
serving (``VmRSS``), the peak over the whole run (``VmHWM``), and how much
the first upload of the 64 MiB blob and the announcements raised that peak
(re-uploading a stored blob costs regcompat one more transient copy, as the
model holds bodies in memory; the real registry streams them to disk).

Every response is checked (status, digest) so a fast wrong answer cannot
count. Each line prints both throughputs and regcompat/real; the budget is
>= 0.5 on every line. The script exits non-zero only when something breaks;
a line under budget is reported, not failed (budgets live here, not in tests).
Bounded: each line runs for at most ``--seconds`` (uploads at most 8 times).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regcompat as rc
from regcompat.engine.http import HTTPTransport
from regcompat.testing import random_image
from tests.live.processes import RealRegistry, free_port, wait_until_serving

BUDGET = 0.5
REPO = "bench/app"
BLOB_SIZE = 4 << 20
UPLOAD_SIZE = 64 << 20
CLIENTS = 8
ANNOUNCED = 4 << 30


def proc_memory(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` of a process, in bytes."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) << 10
    return fields


def raw_cut(port: int, announced: int, sent: bytes) -> bytes:
    """Announce ``announced`` bytes of manifest, send ``sent``, half-close; read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(f"PUT /v2/{REPO}/manifests/cut HTTP/1.1\r\nHost: x\r\n"
                     f"Content-Length: {announced}\r\n\r\n".encode() + sent)
        sock.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    assert out.startswith(b"HTTP/1.1 499 "), out[:100]
    return out


def concurrent(seconds: float, clients: int, make_action) -> tuple[int, float]:
    """``clients`` threads, each repeating its own action for ``seconds``; total count and elapsed."""
    counts = [0] * clients
    errors: list[BaseException] = []
    start = threading.Barrier(clients + 1)

    def worker(n: int) -> None:
        try:
            action, close = make_action()
            try:
                action()  # warm-up
                start.wait()
                deadline = time.perf_counter() + seconds
                while time.perf_counter() < deadline:
                    action()
                    counts[n] += 1
            finally:
                close()
        except BaseException as exc:  # reported after the join
            errors.append(exc)
            start.abort()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(counts), time.perf_counter() - began


def start_regcompat() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regcompat.cli", "serve", "--registry-version", "2.8",
                                "--host", "127.0.0.1", "--port", str(port), "--max-body-size", "8G"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(port, process)
    return process, f"http://127.0.0.1:{port}"


def upload(transport: HTTPTransport, data: bytes, digest: str) -> None:
    start = transport.handle(rc.Request("POST", f"/v2/{REPO}/blobs/uploads/"))
    assert start.status == 202, start.body
    done = transport.handle(rc.Request("PUT", f"{start.headers['Location']}&digest={digest}",
                                       [("Content-Type", "application/octet-stream")], data))
    assert done.status == 201 and done.headers["Docker-Content-Digest"] == digest, done.body


def prepare(transport: HTTPTransport, image, blob: bytes) -> dict:
    for b in image.blobs():
        upload(transport, b.data, str(b.digest))
    blob_digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    upload(transport, blob, blob_digest)
    manifest = image.schema2()
    put = transport.handle(rc.Request("PUT", f"/v2/{REPO}/manifests/latest",
                                      [("Content-Type", rc.MediaType.SCHEMA2)], manifest.raw))
    assert put.status == 201, put.body
    return {"manifest": str(manifest.digest), "blob": blob_digest}


def timed(seconds: float, limit: int, action) -> tuple[int, float]:
    action()  # warm-up, not counted
    count, started = 0, time.perf_counter()
    while count < limit and (count == 0 or time.perf_counter() - started < seconds):
        action()
        count += 1
    return count, time.perf_counter() - started


def lines_for(url: str, pid: int, image, blob: bytes, big: bytes, big_digest: str,
              seconds: float) -> tuple[dict[str, tuple], dict[str, int]]:
    port = int(url.rsplit(":", 1)[1])
    memory = {"serving": proc_memory(pid)["VmRSS"]}
    with HTTPTransport(url) as transport:
        refs = prepare(transport, image, blob)

        def by_tag():
            r = transport.handle(rc.Request("GET", f"/v2/{REPO}/manifests/latest"))
            assert r.status == 200 and r.headers["Content-Type"] == rc.MediaType.SCHEMA1_SIGNED, r.status

        def by_digest():
            r = transport.handle(rc.Request("GET", f"/v2/{REPO}/manifests/{refs['manifest']}",
                                            [("Accept", rc.MediaType.SCHEMA2)]))
            assert r.status == 200 and r.headers["Docker-Content-Digest"] == refs["manifest"], r.status

        def blob_get():
            r = transport.handle(rc.Request("GET", f"/v2/{REPO}/blobs/{refs['blob']}"))
            assert r.status == 200 and len(r.body) == BLOB_SIZE, r.status

        def big_upload():
            upload(transport, big, big_digest)

        def many_by_digest():
            client = HTTPTransport(url)

            def action():
                r = client.handle(rc.Request("GET", f"/v2/{REPO}/manifests/{refs['manifest']}",
                                             [("Accept", rc.MediaType.SCHEMA2)]))
                assert r.status == 200 and r.headers["Docker-Content-Digest"] == refs["manifest"], r.status
            return action, client.close

        results = {
            "manifest GET by tag, converted": (*timed(seconds, 100_000, by_tag), 0),
            "manifest GET by digest": (*timed(seconds, 100_000, by_digest), 0),
            "blob GET, 4 MiB": (*timed(seconds, 10_000, blob_get), BLOB_SIZE),
        }
        before = proc_memory(pid)["VmHWM"]
        big_upload()  # the first time this blob is stored
        memory["first 64 MiB upload raised the peak by"] = proc_memory(pid)["VmHWM"] - before
        results["blob upload, 64 MiB"] = (*timed(seconds, 8, big_upload), UPLOAD_SIZE)
        check = transport.handle(rc.Request("GET", f"/v2/{REPO}/blobs/{big_digest}"))
        assert check.status == 200 and check.body == big, "uploaded blob did not come back intact"
    results[f"manifest GET by digest, {CLIENTS} clients"] = (*concurrent(seconds, CLIENTS, many_by_digest), 0)
    results["cut uploads (499, then closed)"] = (*timed(seconds, 100_000, lambda: raw_cut(port, 1 << 20, b"{" * 16)), 0)
    before = proc_memory(pid)["VmHWM"]
    announcers = [threading.Thread(target=raw_cut, args=(port, ANNOUNCED, b"{" * 1024)) for _ in range(CLIENTS)]
    for thread in announcers:
        thread.start()
    for thread in announcers:
        thread.join()
    memory[f"{CLIENTS} x 4 GiB announced raised the peak by"] = proc_memory(pid)["VmHWM"] - before
    with HTTPTransport(url) as transport:
        assert transport.handle(rc.Request("GET", "/v2/")).status == 200, "server stopped answering"
    memory["peak over the run"] = proc_memory(pid)["VmHWM"]
    return results, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per line (default 3)")
    args = parser.parse_args(argv)
    binary = "/usr/bin/docker-registry"
    if not os.path.exists(binary):
        print("docker-registry is not installed: apt-get install docker-registry", file=sys.stderr)
        return 2
    rng = random.Random(0)
    image = random_image(1)
    blob = rng.randbytes(BLOB_SIZE)
    big = rng.randbytes(UPLOAD_SIZE)
    big_digest = "sha256:" + hashlib.sha256(big).hexdigest()

    real = RealRegistry(binary, quiet=False).start()
    ours_process, ours_url = start_regcompat()
    try:
        theirs, their_memory = lines_for(real.url, real.process.pid, image, blob, big, big_digest, args.seconds)
        mine, my_memory = lines_for(ours_url, ours_process.pid, image, blob, big, big_digest, args.seconds)
    finally:
        real.close()
        ours_process.terminate()
        ours_process.wait(10)

    print(f"{'request mix (one keep-alive client)':36} {'regcompat':>16} {'docker-registry':>16} {'ratio':>7}")
    worst = float("inf")
    for name in mine:
        n1, t1, size = mine[name]
        n2, t2, _ = theirs[name]
        a, b = n1 / t1, n2 / t2
        unit = "req/s"
        if size >= UPLOAD_SIZE:
            a, b, unit = a * size / 2**20, b * size / 2**20, "MiB/s"
        ratio = a / b
        worst = min(worst, ratio)
        flag = "" if ratio >= BUDGET else f"  UNDER BUDGET ({BUDGET})"
        print(f"{name:36} {a:10.1f} {unit:5} {b:10.1f} {unit:5} {ratio:7.2f}{flag}")
    print(f"worst ratio {worst:.2f} (budget >= {BUDGET} on every line)")
    print(f"\n{'memory (MiB, from /proc)':44} {'regcompat':>10} {'docker-registry':>16}")
    for name in my_memory:
        print(f"{name:44} {my_memory[name] / 2**20:10.1f} {their_memory[name] / 2**20:16.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
