"""Drive the workshop hub (deploy/jupyterhub) on loopback as learners in a browser would.

Shared by ``tests/deploy/test_hub.py`` (two learners, isolation) and
``benchmarks/bench_workshop.py`` (N learners, measured). :class:`Workshop`
starts JupyterHub with the shipped ``jupyterhub_config.py`` unchanged,
configured only through its ``REGCOMPAT_HUB_*`` environment variables: free
loopback ports, a throwaway state folder, a unique learners' group, and a
learner-readable copy of ``regcompat/`` and ``notebooks/`` (the checkout may
sit in a folder learners cannot enter). On exit it stops the hub, kills every
process left to a learner account, and removes those accounts, their homes and
the group, even after a failure.

:class:`Learner` signs in through the login form (first-use sign-up), asks for
its server as the browser's spawn page does, takes an API token, and runs a
lesson's code cells in a kernel over the Jupyter server's websocket, one cell
after another with think time between them, as someone pressing Shift+Enter.

Linux only, as root (the hub creates Unix accounts). Left out: JupyterLab's
own front end (the browser tests cover it) and HTTPS.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

from tests.live.processes import free_port

__all__ = ["CONFIG", "COURSE", "Learner", "LessonRun", "Workshop", "learner_python", "processes_of", "memory_kb"]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
COURSE = "regcompat-course"
LEARNER_IMPORTS = "import jupyterhub.singleuser, jupyterlab, ipykernel, ipywidgets, pandas, matplotlib, cryptography"
NOBODY = 65534


def learner_python(candidates: list[str]) -> str | None:
    """The first interpreter an unprivileged account can run with the learner packages, or None."""
    for python in candidates:
        if not python:
            continue
        try:
            done = subprocess.run([python, "-c", LEARNER_IMPORTS], user=NOBODY, group=NOBODY, extra_groups=[],
                                  cwd="/", capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return python
    return None


def processes_of(uid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process running as ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        found.append((int(entry.name), cmdline))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(resident, proportional) memory of a process in KiB, from ``/proc/PID/smaps_rollup``; (0, 0) if gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        return 0, 0
    return rss, pss


def _stage(root: Path, into: Path, python: str) -> None:
    """A copy of the package and the lessons that every account can read, compiled as an install is
    (learners cannot write ``__pycache__`` there, so without it every import would compile again)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in ("regcompat", "notebooks"):
        shutil.copytree(root / name, into / name, ignore=ignore)
    subprocess.run([python, "-m", "compileall", "-q", str(into / "regcompat")], check=True, capture_output=True)
    for path in [into, *into.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


class Workshop:
    """A running hub for a class of throwaway learners (a context manager)."""

    def __init__(self, python: str, *, idle_timeout: int = 3600, mem_limit: str = "1G", cpu_limit: str = "1",
                 root: Path = ROOT):
        self.python = python
        self.tag = "rcq" + secrets.token_hex(3)          # prefix of every account and of the group
        self.group = self.tag
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.root = root
        self.settings = {"IP": "127.0.0.1", "PORT": str(self.port), "API_PORT": str(free_port()),
                         "PROXY_API_PORT": str(free_port()), "GROUP": self.group, "SPAWNER": "local",
                         "PYTHON": python, "CULL_IDLE": str(idle_timeout), "MEM_LIMIT": mem_limit,
                         "CPU_LIMIT": cpu_limit}
        self.proc: subprocess.Popen | None = None
        self.names: list[str] = []
        self._tmp: Path | None = None

    def name(self, who: str) -> str:
        name = f"{self.tag}{who}"
        self.names.append(name)
        return name

    def __enter__(self) -> "Workshop":
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        self._tmp = Path(tempfile.mkdtemp(prefix="regcompat-hub-"))
        self._tmp.chmod(0o755)                            # learners read the staged course; state stays 0700
        stage = self._tmp / "course"
        stage.mkdir()
        _stage(self.root, stage, self.python)
        data = self._tmp / "state"
        env = {**os.environ, **{"REGCOMPAT_HUB_" + k: v for k, v in self.settings.items()},
               "REGCOMPAT_HUB_DATA": str(data), "REGCOMPAT_HUB_LESSONS": str(stage / "notebooks"),
               "REGCOMPAT_HUB_PYTHONPATH": str(stage)}
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        self.log_path = self._tmp / "hub.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self._tmp,
                                         env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(self.base + "/hub/api", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within 60 s:\n{self.log()}")

    def log(self, tail: int | None = 6000) -> str:
        """The hub's log (its last ``tail`` characters; all of it with ``tail=None``)."""
        try:
            text = self.log_path.read_text(errors="replace")
            return text[-tail:] if tail else text
        except (AttributeError, OSError):
            return ""

    def hub_pids(self) -> list[int]:
        """The hub and the processes it started itself (the proxy, the idle culler)."""
        if self.proc is None:
            return []
        try:
            sid = os.getsid(self.proc.pid)
        except OSError:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getsid(int(entry.name)) == sid:
                        pids.append(int(entry.name))
                except OSError:
                    pass
        return pids

    def close(self) -> None:
        """Stop everything and remove every account, home and file this workshop made."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)          # the hub stops the learners' servers first
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)     # the proxy and the culler, if still there
            except OSError:
                pass
            self.proc.wait()
        for name in self.names:
            try:
                uid = pwd.getpwnam(name).pw_uid
            except KeyError:
                continue
            for pid, _ in processes_of(uid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)
        try:
            grp.getgrnam(self.group)
        except KeyError:
            pass
        else:
            subprocess.run(["groupdel", self.group], capture_output=True)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


@dataclass
class LessonRun:
    """One lesson run by a learner: seconds, cells run, and the errors seen (empty when it ran clean)."""

    lesson: str
    seconds: float
    cells: int
    errors: list[str] = field(default_factory=list)


class Learner:
    """One learner, signing in and working through a browser's HTTP requests."""

    def __init__(self, workshop: Workshop, name: str, password: str | None = None):
        self.hub = workshop
        self.name = name
        self.password = password or secrets.token_urlsafe(12)
        self.http = requests.Session()
        self.token: str | None = None

    # -- the hub --------------------------------------------------------------------------------
    def sign_in(self) -> requests.Response:
        """The login form, as a browser submits it (the first login picks the password)."""
        page = self.http.get(f"{self.hub.base}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf")
        return self.http.post(f"{self.hub.base}/hub/login?next=", timeout=60, allow_redirects=False,
                               data={"username": self.name, "password": self.password, "_xsrf": xsrf})

    def _xsrf_headers(self) -> dict:
        return {"X-XSRFToken": self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf") or ""}

    def new_token(self) -> str:
        """An API token, as the hub's token page asks for one (cookie + XSRF header)."""
        r = self.http.post(f"{self.hub.base}/hub/api/users/{self.name}/tokens", json={"note": "workshop"},
                           headers=self._xsrf_headers(), timeout=30)
        r.raise_for_status()
        self.token = r.json()["token"]
        return self.token

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.hub.base + path, headers=headers, timeout=kwargs.pop("timeout", 60),
                                **kwargs)

    def start_server(self, timeout: float = 240) -> float:
        """Ask for the server as the spawn page does; seconds until it answers its own API."""
        started = time.monotonic()
        self.http.get(f"{self.hub.base}/hub/spawn/{self.name}", timeout=timeout, allow_redirects=False)
        while time.monotonic() - started < timeout:
            info = self.api("GET", f"/hub/api/users/{self.name}").json()
            server = (info.get("servers") or {}).get("")
            if server and server.get("ready"):
                if self.api("GET", f"/user/{self.name}/api/status").status_code == 200:
                    return time.monotonic() - started
            elif not info.get("pending") and not server and time.monotonic() - started > 10:
                raise RuntimeError(f"{self.name}'s server did not start:\n{self.hub.log()}")
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}'s server was not ready within {timeout} s:\n{self.hub.log()}")

    def stop_server(self) -> None:
        self.api("DELETE", f"/hub/api/users/{self.name}/server")

    # -- the Jupyter server ----------------------------------------------------------------------
    def contents(self, path: str, owner: str | None = None) -> requests.Response:
        return self.api("GET", f"/user/{owner or self.name}/api/contents/{path}")

    def lesson_path(self, number: str) -> str:
        listing = self.contents(COURSE)
        listing.raise_for_status()
        names = sorted(item["name"] for item in listing.json()["content"] if item["name"].startswith(number + "-"))
        if not names:
            raise RuntimeError(f"no lesson {number} in {self.name}'s {COURSE}")
        return f"{COURSE}/{names[0]}"

    def open_kernel(self, path: str) -> "Kernel":
        """A kernel for the notebook at ``path``, as JupyterLab opens one (a session)."""
        r = self.api("POST", f"/user/{self.name}/api/sessions",
                     json={"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}})
        r.raise_for_status()
        session = r.json()
        return Kernel(self, session["id"], session["kernel"]["id"])

    def run_lesson(self, number: str, think: float = 0.0, cell_timeout: float = 300) -> LessonRun:
        """Run every code cell of the learner's copy of lesson ``number``, in order, with think time."""
        path = self.lesson_path(number)
        r = self.contents(path)
        r.raise_for_status()
        cells = [c for c in r.json()["content"]["cells"] if c["cell_type"] == "code"]
        started = time.monotonic()
        errors = []
        with self.open_kernel(path) as kernel:
            for index, cell in enumerate(cells):
                if index:
                    time.sleep(think)
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                error = kernel.execute(source, timeout=cell_timeout)
                if error and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
                    errors.append(f"cell {index}: {error}")
            seconds = time.monotonic() - started - think * max(0, len(cells) - 1)
        return LessonRun(Path(path).stem, seconds, len(cells), errors)


class Kernel:
    """A kernel reached through the proxy's websocket (``/api/kernels/ID/channels``)."""

    def __init__(self, learner: Learner, session_id: str, kernel_id: str):
        self.learner, self.session_id, self.kernel_id = learner, session_id, kernel_id
        base = learner.hub.base.replace("http://", "ws://")
        self.client_session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{base}/user/{learner.name}/api/kernels/{kernel_id}/channels?session_id={self.client_session}",
            header=[f"Authorization: token {learner.token}"], timeout=60)

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.learner.api("DELETE", f"/user/{self.learner.name}/api/sessions/{self.session_id}")

    def execute(self, code: str, timeout: float = 300) -> str | None:
        """Run ``code``; the error it raised (``ename: evalue``) or None. Output text is kept in ``.stdout``."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.learner.name,
                       "session": self.client_session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        self.stdout, error, replied, idle = "", None, False, False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                return f"TimeoutError: no answer within {timeout} s"
            if not isinstance(raw, str):
                continue                                   # binary frames carry widget buffers
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg.get("content", {})
            if kind == "stream" and content.get("name") == "stdout":
                self.stdout += content.get("text", "")
            elif kind == "error":
                error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "execute_reply":
                replied = True
                if content.get("status") == "error" and error is None:
                    error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
        return error
