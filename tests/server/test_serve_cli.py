"""``regcompat serve``: options reach the registry and the server; upload ids are random and
tokens signed with the server's secret; a forged token cannot touch another client's upload."""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import regcompat as rc
import regcompat.server as server_pkg
from regcompat.cli import build_parser, main
from regcompat.engine.http import HTTPTransport
from regcompat.registry.upload_token import pack
from regcompat.server import serve
from regcompat.server.limits import Limits, parse_size
from regcompat.server.serve import exposure_warning, run
from tests.live.processes import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")


def _captured_run(monkeypatch, *argv):
    calls = []
    monkeypatch.setattr(server_pkg, "run", lambda registry, host, port, **kw: calls.append((registry, host, port, kw)))
    assert main(["serve", *argv], out=open("/dev/null", "w")) == 0
    return calls[0]


def test_options_reach_registry_and_server(monkeypatch):
    registry, host, port, kw = _captured_run(
        monkeypatch, "--registry-version", "2.8", "--port", "5099", "--delete-enabled", "--secret", "s3cret",
        "--max-body-size", "512M", "--connection-limit", "40", "--idle-timeout", "7")
    assert (registry.version, host, port) == ("2.8", "127.0.0.1", 5099)
    assert kw["limits"] == Limits(512 << 20, 40, 7)
    assert registry._state.delete_enabled and registry._state.secret == b"s3cret"
    ids = {registry._state.new_upload_id("a/b") for _ in range(3)}
    assert len(ids) == 3 and all(UUID4.match(i) for i in ids)


def test_defaults(monkeypatch):
    registry, host, port, kw = _captured_run(monkeypatch)
    assert (registry.version, host, port, kw["limits"]) == ("2.3.0", "127.0.0.1", 5000, Limits())
    assert not registry._state.delete_enabled and len(registry._state.secret) == 32


def test_every_serve_option_is_explained():
    serve_parser = build_parser()._subparsers._group_actions[0].choices["serve"]
    options = [a for a in serve_parser._actions if a.option_strings and a.dest != "help"]
    assert {a.dest for a in options} >= {"registry_version", "host", "port", "schema1_push", "delete_enabled",
                                         "secret", "max_body_size", "connection_limit", "idle_timeout"}
    assert all(a.help and len(a.help) > 20 for a in options)


@pytest.mark.parametrize("argv", [["--max-body-size", "lots"], ["--connection-limit", "0"], ["--idle-timeout", "-1"]])
def test_bad_limits_are_user_errors(argv, capsys):
    try:
        code = main(["serve", *argv])
    except SystemExit as exit_:  # argparse's own error for a size it cannot read
        code = exit_.code
    assert code in (1, 2)
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("text,size", [("1048576", 1 << 20), ("512M", 512 << 20), ("2G", 2 << 30),
                                       ("1GiB", 1 << 30), ("64k", 64 << 10)])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("host,exposed", [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                          ("0.0.0.0", True), ("::", True), ("", True)])
def test_exposure_warning(host, exposed):
    assert (exposure_warning(host) is not None) is exposed


def test_run_warns_when_binding_beyond_loopback(monkeypatch, caplog):
    """run() says so before serving (the server itself is a stub here: nothing binds 0.0.0.0)."""
    serve_mod = sys.modules["regcompat.server.serve"]

    class Stub:
        task_dispatcher = type("D", (), {"shutdown": staticmethod(lambda: None)})()

        def run(self):
            return None

    monkeypatch.setattr(serve_mod, "create_server", lambda *a, **k: Stub())
    with caplog.at_level(logging.INFO, logger="regcompat.server"):
        run(rc.Registry("2.8"), "0.0.0.0", 5000)
    assert any(r.levelno == logging.WARNING and "no authentication" in r.getMessage() for r in caplog.records)
    assert any("connections:" in r.getMessage() for r in caplog.records)


def test_forged_token_cannot_touch_another_clients_upload():
    registry = rc.Registry("2.8")
    data = b"a layer of client A"
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with serve(registry) as url, HTTPTransport(url) as alice, HTTPTransport(url) as mallory:
        start = alice.handle(rc.Request("POST", "/v2/team/app/blobs/uploads/"))
        parts = urlsplit(start.headers["Location"])
        uid = parts.path.rsplit("/", 1)[1]
        for secret in (b"", b"guess", b"registry-2.8"):
            forged = pack(secret, "team/app", uid, 0)
            for method in ("DELETE", "PATCH", "PUT", "GET"):
                target = f"{parts.path}?_state={forged}" + ("&digest=" + digest if method == "PUT" else "")
                answer = mallory.handle(rc.Request(method, target, [], b"evil" if method != "DELETE" else b""))
                assert answer.status == 404 and b"BLOB_UPLOAD_INVALID" in answer.body, (method, answer.body)
        done = alice.handle(rc.Request("PUT", f"{start.headers['Location']}&digest={digest}", [], data))
        assert done.status == 201 and done.headers["Docker-Content-Digest"] == digest


def _first_upload(url: str) -> tuple[str, str]:
    with HTTPTransport(url) as transport:
        location = transport.handle(rc.Request("POST", "/v2/a/b/blobs/uploads/")).headers["Location"]
    parts = urlsplit(location)
    return parts.path.rsplit("/", 1)[1], parts.query


def test_two_served_registries_share_no_ids_and_no_tokens():
    """The CLI's server: random uuid4 ids and a random secret per start, so the first upload of a
    fresh server is never predictable and a token from one run is refused by the next."""
    processes, firsts = [], []
    try:
        for _ in range(2):
            port = free_port()
            processes.append(subprocess.Popen([sys.executable, "-m", "regcompat.cli", "serve", "--registry-version",
                                               "2.8", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
            wait_until_serving(port, processes[-1])
            firsts.append(_first_upload(f"http://127.0.0.1:{port}"))
        (uid1, token1), (uid2, _) = firsts
        assert UUID4.match(uid1) and UUID4.match(uid2) and uid1 != uid2
        with HTTPTransport(f"http://127.0.0.1:{port}") as transport:  # the first server's token, sent to the second
            answer = transport.handle(rc.Request("GET", f"/v2/a/b/blobs/uploads/{uid1}?{token1}"))
        assert answer.status == 404 and b"BLOB_UPLOAD_INVALID" in answer.body  # not UNKNOWN: the MAC failed
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
