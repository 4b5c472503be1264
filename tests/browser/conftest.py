"""Browser fixtures: JupyterLab on a free loopback port over a learner workspace, and Debian's chromium.

One JupyterLab server for the whole session (root: a temporary workspace made
by ``regcompat workspace`` from this checkout's ``notebooks/``), kernels
importing this checkout (``PYTHONPATH``), Jupyter's config, settings and
runtime folders private to the session. The notebook setting
``windowingMode`` is ``none`` so that every cell is laid out (JupyterLab
otherwise skips the layout of cells off screen, and their widths could not be
measured). Playwright's sync API drives ``/usr/bin/chromium``: no browser is
downloaded. Without chromium or playwright the tests skip (fail when
``CI=true``), as the live tests do.

Screenshots go to ``test-artifacts/browser/`` at the repository root
(gitignored), or to ``$REGCOMPAT_ARTIFACTS``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from regcompat.notebook.lab import LAB_SETTINGS, app_settings
from regcompat.notebook.workspace import make_workspace
from tests.conftest import in_ci, require_tool

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions",
                 "--disable-default-apps", "--mute-audio"]
VIEWPORT = {"width": 1366, "height": 900}

pytestmark = pytest.mark.browser


def _require_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed: pip install -e '.[test]'"
        if in_ci():
            pytest.fail(message + " (CI=true: a missing tool is a failure, not a skip)")
        pytest.skip(message)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab: its URL, token and workspace folder."""

    def __init__(self, base: str, token: str, folder: Path, process: subprocess.Popen, log: Path):
        self.base, self.token, self.folder, self.process, self.log = base, token, folder, process, log

    def url(self, path: str) -> str:
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("REGCOMPAT_ARTIFACTS") or ROOT / "test-artifacts" / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Lab:
    require_tool("chromium")
    _require_playwright()
    home = tmp_path_factory.mktemp("jupyterlab")
    folder = make_workspace(home / "course", source=ROOT / "notebooks").folder
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, PYTHONPATH=str(ROOT), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), PYTHONHASHSEED="0", TZ="UTC")
    log = home / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
           f"--ServerApp.root_dir={folder}", "--LabApp.expose_app_in_browser=True", *LAB_SETTINGS,
           f"--LabApp.app_settings_dir={app_settings(home / 'app-settings')}", "--allow-root"]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                request = urllib.request.Request(base + "/api/status", headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        yield Lab(base, token, folder, process, log)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser(lab):
    sync_playwright = _require_playwright()
    manager = sync_playwright().start()
    executable = CHROMIUM if Path(CHROMIUM).exists() else require_tool("chromium")
    chromium = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        manager.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()
