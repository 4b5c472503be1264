"""A private Docker daemon (Debian's ``docker.io``, 20.10) for the live engine tests.

``dockerd`` runs as root without systemd, on its own unix socket, with its
data root, exec root, pid file, daemon configuration and trust key in one
temporary directory (nothing under /var/lib/docker or /etc/docker is read or
written): ``--iptables=false --bridge=none --storage-driver=vfs``, so it needs
no network set-up and no kernel storage driver. The ``docker`` CLI is run with
``--host unix://...`` and its own ``DOCKER_CONFIG``. Loopback registries are
insecure-allowed by default (127.0.0.0/8), so plain-HTTP registries on
127.0.0.1 need no configuration. :func:`docker_daemon` is the session fixture.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import in_ci, require_tool
from tests.live.processes import stop_process

__all__ = ["Dockerd", "docker_daemon"]


class _UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=2)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(2)
        self.sock.connect(self.path)


class Dockerd:
    """One ``dockerd`` process; ``docker(*args)`` runs the CLI against it."""

    def __init__(self, dockerd: str, docker: str):
        self.dockerd, self.cli = dockerd, docker
        self.dir = Path(tempfile.mkdtemp(prefix="rc-dockerd-"))
        self.socket = str(self.dir / "docker.sock")
        self.process: subprocess.Popen | None = None
        self.env = {**os.environ, "DOCKER_CONFIG": str(self.dir / "cli")}
        self.env.pop("DOCKER_HOST", None)

    def start(self, timeout: float = 60.0) -> Dockerd:
        config = self.dir / "daemon.json"
        config.write_text(json.dumps({"deprecated-key-path": str(self.dir / "key.json")}))
        with open(self.dir / "dockerd.log", "ab") as log:
            self.process = subprocess.Popen(
                [self.dockerd, "--iptables=false", "--bridge=none", "--storage-driver=vfs",
                 "--config-file", str(config), "--data-root", str(self.dir / "data"),
                 "--exec-root", str(self.dir / "exec"), "--pidfile", str(self.dir / "dockerd.pid"),
                 "--host", f"unix://{self.socket}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dockerd exited with status {self.process.returncode}:\n{self.log_tail()}")
            if self._ping():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"dockerd did not answer within {timeout}s:\n{self.log_tail()}")

    def _ping(self) -> bool:
        try:
            conn = _UnixHTTP(self.socket)
            conn.request("GET", "/_ping")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def docker(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        result = subprocess.run([self.cli, "--host", f"unix://{self.socket}", *args], env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed: {result.stderr}")
        return result

    def output_bytes(self, *args: str) -> bytes:
        """The CLI's standard output as bytes (``docker save``)."""
        return subprocess.run([self.cli, "--host", f"unix://{self.socket}", *args], env=self.env,
                              capture_output=True, timeout=120, check=True).stdout

    def remove_all_images(self) -> None:
        """Forget every image, so the next pull downloads everything and prints the same lines."""
        ids = self.docker("images", "--all", "--quiet", check=True).stdout.split()
        if ids:
            self.docker("rmi", "--force", *dict.fromkeys(ids), check=True)

    def log_tail(self, lines: int = 30) -> str:
        path = self.dir / "dockerd.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def _containerd_pid(self) -> int | None:
        """The containerd this dockerd started (it writes the pid in its exec root)."""
        try:
            return int((self.dir / "exec" / "containerd" / "containerd.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        containerd = self._containerd_pid()
        stop_process(self.process, grace=30)
        self.process = None
        if containerd is not None:  # dockerd stops it; wait for it, and end it if it outlived dockerd
            deadline = time.monotonic() + 15
            while _alive(containerd) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(containerd):
                os.kill(containerd, signal.SIGKILL)

    def close(self) -> None:
        """Stop the daemon and remove its directory (its containerd may still be writing for a moment)."""
        self.stop()
        deadline = time.monotonic() + 20
        while True:
            shutil.rmtree(self.dir, ignore_errors=True)
            if not self.dir.exists() or time.monotonic() > deadline:
                return
            time.sleep(0.5)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone for our purpose
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="session")
def docker_daemon():
    """A started private daemon for the whole session; stopped and removed at the end."""
    binaries = require_tool("dockerd"), require_tool("docker")
    if os.geteuid() != 0:
        message = "dockerd needs root (CI runs as root)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    daemon = Dockerd(*binaries)
    try:
        yield daemon.start()
    finally:
        daemon.close()
