"""serve() and run(): waitress on loopback, started and stopped cleanly, one log line a request."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from datetime import UTC
from urllib.parse import urlsplit

import pytest

import regcompat as rc
from regcompat.engine.http import HTTPTransport, TransportError
from regcompat.server import make_app, serve
from tests.live.processes import free_port, wait_until_serving


def test_serve_binds_loopback_on_a_free_port_and_stops_cleanly():
    threads_before = set(threading.enumerate())
    with serve(rc.Registry("2.8")) as url:
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port > 0
        transport = HTTPTransport(url)
        response = transport.handle(rc.Request("GET", "/v2/"))
        assert response.status == 200
        assert response.headers["Docker-Distribution-Api-Version"] == "registry/2.0"
        assert "Server" not in response.headers  # Go's net/http sends none
        transport.handle(rc.Request("GET", "/v2/"))  # keep-alive connection left open on purpose
    with pytest.raises(OSError):
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(threading.enumerate()) - threads_before
    with pytest.raises(TransportError):
        transport.handle(rc.Request("GET", "/v2/"))


def test_serve_many_times_in_a_row():
    for _ in range(5):
        with serve(rc.Registry("2.3.0")) as url:
            assert HTTPTransport(url).handle(rc.Request("GET", "/v2/")).status == 200


def test_served_app_is_the_given_registry():
    registry = rc.Registry("2.8")
    assert make_app(registry).registry is registry


def test_run_serves_in_the_foreground_and_logs_each_request():
    port = free_port()
    code = (f"import regcompat as rc; from regcompat.server import run; "
            f"run(rc.Registry('2.3.0'), '127.0.0.1', {port})")
    process = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    try:
        wait_until_serving(port, process)
        with HTTPTransport(f"http://127.0.0.1:{port}") as transport:
            assert transport.handle(rc.Request("GET", "/v2/nope/manifests/x",
                                               [("User-Agent", "docker/1.9.1")])).status == 404
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    access = [line for line in err.splitlines() if '"GET ' in line]
    assert len(access) == 2  # the readiness probe and ours
    assert '"GET /v2/nope/manifests/x HTTP/1.1" 404' in access[1] and '"docker/1.9.1"' in access[1]


def test_cli_serve_end_to_end():
    """``regcompat serve --registry-version 2.8 --schema1-push`` answers a signed schema1 push with 201."""
    from datetime import datetime

    from regcompat.manifest import libtrust
    from regcompat.manifest.convert import EMPTY_LAYER, EMPTY_LAYER_DIGEST

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regcompat.cli", "serve", "--registry-version", "2.8",
                                "--port", str(port), "--schema1-push"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(port, process)
        image = rc.sample_image()
        with HTTPTransport(f"http://127.0.0.1:{port}") as transport:
            blobs = [(b.digest, b.data) for b in image.layers] + [(EMPTY_LAYER_DIGEST, EMPTY_LAYER)]
            for digest, data in blobs:
                start = transport.handle(rc.Request("POST", "/v2/cli/app/blobs/uploads/"))
                assert transport.handle(rc.Request("PUT", f"{start.headers['Location']}&digest={digest}",
                                                   body=data)).status == 201
            signed = libtrust.sign(image.schema1_payload("cli/app", "old"), libtrust.TrustKey.from_seed("cli"),
                                   now=datetime(2026, 1, 1, tzinfo=UTC))
            put = transport.handle(rc.Request("PUT", "/v2/cli/app/manifests/old", body=signed))
            assert put.status == 201, put.body
    finally:
        process.terminate()
        process.wait(10)


def test_several_listening_sockets_all_get_the_hooks():
    """A host name resolving to several addresses makes waitress wrap several servers."""
    from regcompat.server.serve import _stop, base_url, create_server

    class Recorder:
        def __init__(self):
            self.accepts = []

        def handle(self, request):
            self.accepts.append(request.headers.get_all("Accept"))
            return rc.Response(200, [], b"")

    recorder = Recorder()
    a, b = free_port(), free_port()
    server = create_server(recorder, listen=f"127.0.0.1:{a} 127.0.0.1:{b}")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert base_url(server) == f"http://127.0.0.1:{a}"
        for port in (a, b):
            with HTTPTransport(f"http://127.0.0.1:{port}") as transport:
                transport.handle(rc.Request("GET", "/v2/", [("Accept", "a"), ("Accept", "b")]))
    finally:
        _stop(server, thread)
    assert recorder.accepts == [["a", "b"], ["a", "b"]]  # separate lines: the parser hook is on both
    assert not thread.is_alive()
