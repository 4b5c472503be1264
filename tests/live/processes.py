"""Start Debian's docker-registry (distribution 2.8.2) on a free loopback port.

Configuration as the recorded sessions used it (filesystem storage, no
authentication, no extra response headers; the recordings show no
``X-Content-Type-Options`` on API answers), storage in a temporary
directory, optionally with
``compatibility: schema1: enabled: true``.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["RealRegistry", "free_port", "wait_until_serving"]

CONFIG = """\
version: 0.1
log:
  level: {level}
  accesslog:
    disabled: {quiet}
storage:
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: {delete}
http:
  addr: 127.0.0.1:{port}
{extra}"""

SCHEMA1 = """\
compatibility:
  schema1:
    enabled: true
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen | None = None, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"registry exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/v2/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout}s")


class RealRegistry:
    """One ``docker-registry serve`` process; ``.url`` once started."""

    def __init__(self, binary: str, *, schema1: bool = False, delete: bool = False, quiet: bool = True):
        self.binary = binary
        self.quiet = quiet
        self.schema1 = schema1
        self.delete = delete
        self.process: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="regcompat-live-")
        self.url = ""

    def start(self) -> RealRegistry:
        root = Path(self._dir.name)
        for attempt in range(5):
            port = free_port()
            config = root / "config.yml"
            config.write_text(CONFIG.format(root=root / "storage", port=port,
                                            delete=str(self.delete).lower(),
                                            level="error" if self.quiet else "info",
                                            quiet=str(self.quiet).lower(),
                                            extra=SCHEMA1 if self.schema1 else ""))
            with open(root / "registry.log", "ab") as log:
                self.process = subprocess.Popen([self.binary, "serve", str(config)], stdout=log,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                wait_until_serving(port, self.process)
            except RuntimeError:
                self.stop()
                if attempt == 4:
                    raise
                continue
            self.url = f"http://127.0.0.1:{port}"
            return self
        raise AssertionError("unreachable")

    def log_tail(self, lines: int = 20) -> str:
        path = Path(self._dir.name) / "registry.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        stop_process(self.process, grace=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()


def stop_process(process: subprocess.Popen | None, grace: float) -> None:
    """SIGTERM ``process`` if it still runs, wait ``grace`` seconds, then SIGKILL it."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
