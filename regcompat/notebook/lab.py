"""``regcompat lab``: open JupyterLab on the first lesson.

Looks for the ``notebooks/`` folder next to the installed package (a source
checkout or an editable install) or in the current directory, and runs
``python -m jupyterlab`` there with ``00-start-here.ipynb`` open. Left out:
copying the notebooks out of a wheel (they are not packaged; clone the
repository or use Binder).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["find_notebooks", "lab_command", "launch"]

FIRST = "00-start-here.ipynb"


def find_notebooks(start: Path | None = None) -> Path:
    """The folder holding ``00-start-here.ipynb``; raises FileNotFoundError with advice."""
    candidates = []
    if start is not None:
        candidates += [Path(start), Path(start) / "notebooks"]
    candidates += [Path.cwd() / "notebooks", Path.cwd(), Path(__file__).resolve().parents[2] / "notebooks"]
    for folder in candidates:
        if (folder / FIRST).is_file():
            return folder.resolve()
    raise FileNotFoundError(
        f"cannot find notebooks/{FIRST}: run 'regcompat lab' from a clone of the regcompat repository"
    )


def lab_command(folder: Path, *, port: int | None = None, browser: bool = True) -> list[str]:
    """The JupyterLab command line :func:`launch` runs."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", str(folder / FIRST)]
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers often run as root; Jupyter refuses to start otherwise
    return cmd


def launch(start: Path | None = None, *, port: int | None = None, browser: bool = True) -> int:
    """Start JupyterLab on the first lesson and wait for it; returns its exit status."""
    try:
        folder = find_notebooks(start)
    except FileNotFoundError as err:
        print(f"regcompat lab: {err}", file=sys.stderr)
        return 2
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        print("regcompat lab: JupyterLab is not installed; pip install 'regcompat[lab]'", file=sys.stderr)
        return 2
    try:
        return subprocess.call(lab_command(folder, port=port, browser=browser), cwd=folder)
    except KeyboardInterrupt:
        return 0
