"""``regcompat lab``: JupyterLab on the learner copy of the start lesson.

:func:`launch` makes (or updates) the learner workspace with
:func:`regcompat.notebook.workspace.make_workspace`, then runs
``python -m jupyterlab`` with that folder as its root and
``00-start-here.ipynb`` open, with JupyterLab's news and update checks turned
off: the server fetches no news (``LabApp.news_url=None``), and the setting
``fetchNews`` defaults to "Never" through an ``overrides.d`` file in a private
copy of JupyterLab's application settings folder (without it the front end asks
"Would you like to get notified about official Jupyter news?" in a pop-up
that covers the course map, whatever the server says). A learner's own
settings still win.

JupyterLab runs in its own session so that a terminal's Ctrl-C reaches only
this process; on SIGINT or SIGTERM it is sent SIGTERM (Jupyter then shuts its
kernels down), given a few seconds, then killed. Kernels still running after
that (found by their connection files in the private runtime folder this
launcher gives JupyterLab) are ended too, so stopping ``regcompat lab`` never
leaves a kernel behind. Left out: copying the lessons out of a wheel (they
are not packaged; clone the repository or use Binder).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .workspace import START, WorkspaceError, find_source, make_workspace

__all__ = ["FIRST", "LAB_SETTINGS", "SETTING_OVERRIDES", "app_settings", "find_notebooks", "lab_command", "launch",
           "stop"]

FIRST = START

# Command-line settings for JupyterLab: no news feed (its "Would you like to receive official Jupyter
# news?" pop-up covers the start lesson) and no update check.
LAB_SETTINGS = ("--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
# Default settings for the front end (JupyterLab's overrides format: plugin id -> settings).
SETTING_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def app_settings(target: Path) -> Path:
    """A copy of JupyterLab's application settings folder at ``target``, plus :data:`SETTING_OVERRIDES`.

    Pass it as ``--LabApp.app_settings_dir``. Imports JupyterLab (to find its folder).
    """
    from jupyterlab.commands import get_app_dir

    default = Path(get_app_dir()) / "settings"
    target = Path(target)
    if default.is_dir():
        shutil.copytree(default, target, dirs_exist_ok=True)
    (target / "overrides.d").mkdir(parents=True, exist_ok=True)
    (target / "overrides.d" / "regcompat.json").write_text(json.dumps(SETTING_OVERRIDES, indent=1) + "\n")
    return target


def find_notebooks(start: Path | None = None) -> Path:
    """The folder holding the lessons; raises FileNotFoundError with advice."""
    try:
        return find_source(start)
    except WorkspaceError as err:
        raise FileNotFoundError(str(err)) from None


def lab_command(folder: Path, *, port: int | None = None, browser: bool = True,
                settings: Path | None = None) -> list[str]:
    """The JupyterLab command line :func:`launch` runs on ``folder`` (a workspace).

    ``settings`` is an application settings folder made by :func:`app_settings`.
    """
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *LAB_SETTINGS,
           str(Path(folder) / FIRST)]
    if settings is not None:
        cmd.append(f"--LabApp.app_settings_dir={settings}")
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers often run as root; Jupyter refuses to start otherwise
    return cmd


def _kernels_using(runtime_dir: str) -> list[int]:
    """Process ids whose command line names a file in ``runtime_dir`` (Linux /proc; elsewhere none)."""
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():
        return pids
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if runtime_dir.encode() in cmdline:
            pids.append(int(entry.name))
    return pids


def stop(process: subprocess.Popen, runtime_dir: str | None = None, *, grace: float = 10.0) -> None:
    """Stop JupyterLab: SIGTERM, ``grace`` seconds, SIGKILL; then end kernels it left in ``runtime_dir``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if runtime_dir:
        for pid in _kernels_using(runtime_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def launch(folder: Path | None = None, *, source: Path | None = None, reset: str | None = None,
           port: int | None = None, browser: bool = True, start: Path | None = None) -> int:
    """Make the learner workspace, run JupyterLab on it until stopped; returns its exit status.

    ``start`` is the old name of ``source``.
    """
    try:
        made = make_workspace(folder, source=source if source is not None else start, reset=reset)
    except WorkspaceError as err:
        print(f"regcompat lab: {err}", file=sys.stderr)
        return 2
    print(f"regcompat lab: {made.summary()}", file=sys.stderr)
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        print("regcompat lab: JupyterLab is not installed; pip install 'regcompat[lab]'", file=sys.stderr)
        return 2
    private = Path(tempfile.mkdtemp(prefix="regcompat-lab-"))
    runtime = str(private / "runtime")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=runtime)
    command = lab_command(made.folder, port=port, browser=browser, settings=app_settings(private / "app-settings"))
    process = subprocess.Popen(command, cwd=made.folder, env=env, start_new_session=True)
    stopping = []

    def _on_signal(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, _on_signal) for s in handled}
    try:
        while process.poll() is None:
            time.sleep(0.2)
        status = process.returncode
    except KeyboardInterrupt:
        status = 0
    finally:
        for s in previous:
            signal.signal(s, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the shutdown
        stop(process, runtime)
        for s, handler in previous.items():
            signal.signal(s, handler)
        shutil.rmtree(private, ignore_errors=True)
    return status
