"""``regcompat lab`` as a process: learner copies, no news pop-up, and nothing left running after SIGTERM."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from regcompat.notebook.lab import LAB_SETTINGS, SETTING_OVERRIDES, lab_command
from regcompat.notebook.workspace import START

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("jupyterlab")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pids_naming(text: str) -> list[int]:
    """Processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, token: str, method: str = "GET") -> bytes:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_the_command_opens_the_start_lesson_without_news():
    cmd = lab_command(Path("/w"), port=8899, browser=False)
    assert cmd[1:3] == ["-m", "jupyterlab"] and str(Path("/w") / START) in cmd
    assert "--ServerApp.root_dir=/w" in cmd and all(s in cmd for s in LAB_SETTINGS)


def wait_for(base: str, token: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            get(base + "/api/status", token)
            return
        except OSError:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, f"JupyterLab did not answer within {seconds} s"
            time.sleep(0.5)


def page_config(base: str, token: str, path: str) -> dict:
    page = get(base + path, token).decode()
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def news_setting(base: str, token: str) -> str:
    """The front end's fetchNews setting ("none" makes it ask in a pop-up)."""
    plugin = json.loads(get(base + "/lab/api/settings/@jupyterlab/apputils-extension:notification", token))
    default = plugin["schema"]["properties"]["fetchNews"]["default"]
    return plugin["settings"].get("fetchNews", default)  # the composite: the user's value over the default


def test_binder_makes_learner_copies_and_turns_news_off(tmp_path):
    """postBuild makes the workspace the README's Binder URL opens, and its Jupyter config works."""
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "regcompat workspace regcompat-course --source notebooks" in post_build
    assert "binder/jupyter_server_config.json" in post_build
    assert 'cp binder/overrides.json "${settings}/overrides.d/regcompat.json"' in post_build
    assert json.loads((ROOT / "binder" / "overrides.json").read_text()) == SETTING_OVERRIDES
    readme = (ROOT / "README.md").read_text()
    assert "urlpath=lab/tree/regcompat-course/00-start-here.ipynb" in readme
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "jupyter_server_config.json").write_bytes(
        (ROOT / "binder" / "jupyter_server_config.json").read_bytes())
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    (tmp_path / "app" / "overrides.d").mkdir(parents=True)
    (tmp_path / "app" / "overrides.d" / "regcompat.json").write_bytes((ROOT / "binder" / "overrides.json").read_bytes())
    server = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={tmp_path}", "--allow-root",
                               f"--LabApp.app_settings_dir={tmp_path / 'app'}"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base, token, server)
        assert page_config(base, token, "/lab")["news"] == {"disabled": True}
        assert news_setting(base, token) == "false"
    finally:
        server.terminate()
        server.wait(30)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the server and its kernels")
def test_sigterm_stops_jupyterlab_and_its_kernels(tmp_path):
    folder, port, token = tmp_path / "course", free_port(), secrets.token_hex(16)
    env = dict(os.environ, PYTHONPATH=str(ROOT), JUPYTER_TOKEN=token, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    lab = subprocess.Popen([sys.executable, "-m", "regcompat.cli", "lab", str(folder), "--source",
                            str(ROOT / "notebooks"), "--no-browser", "--port", str(port)],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, token, lab)
        assert (folder / START).is_file(), "the learner copies are made before JupyterLab starts"
        config = page_config(base, token, "/lab/tree/" + START)
        assert config["news"] == {"disabled": True}
        assert news_setting(base, token) == "false", "the front end would ask about news in a pop-up"
        assert Path(config["serverRoot"]).resolve() == folder.resolve()
        kernel = json.loads(get(base + "/api/kernels", token, "POST"))["id"]
        deadline = time.monotonic() + 60
        while not (kernels := pids_naming(f"kernel-{kernel}.json")):
            assert time.monotonic() < deadline, "the kernel process did not appear"
            time.sleep(0.3)
        servers = [p for p in pids_naming(f"--ServerApp.root_dir={folder}") if p != lab.pid]
        assert servers, "JupyterLab's server process"
        lab.send_signal(signal.SIGTERM)
        assert lab.wait(30) == 0
        deadline = time.monotonic() + 10
        while any(alive(p) for p in servers + kernels) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in servers + kernels if alive(p)], "JupyterLab or its kernel survived SIGTERM"
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait()
        for pid in pids_naming(str(folder)):
            os.kill(pid, signal.SIGKILL)
