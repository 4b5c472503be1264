"""Layer boundaries: the core imports no notebook or HTTP-server code, and the public names resolve."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import regcompat as rc

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("ipywidgets", "pandas", "matplotlib", "waitress", "http.server", "wsgiref")
ADAPTERS = ("regcompat.server", "regcompat.notebook", "regcompat.cli")


def core_modules() -> list[str]:
    names = ["regcompat"]
    for info in pkgutil.walk_packages([str(ROOT / "regcompat")], prefix="regcompat."):
        if not info.name.startswith(ADAPTERS):
            names.append(info.name)
    return sorted(names)


def test_core_modules_are_found():
    names = core_modules()
    for expected in ("regcompat.engine.pull", "regcompat.registry.app", "regcompat.manifest.convert",
                     "regcompat.scenarios", "regcompat.engine.http"):
        assert expected in names
    assert not any(n.startswith(ADAPTERS) for n in names)


def test_core_imports_no_notebook_or_server_code():
    script = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('regcompat.server', 'regcompat.notebook')))))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    forbidden, adapters = (json.loads(line) for line in done.stdout.splitlines())
    assert forbidden == [] and adapters == []


def test_every_public_name_resolves():
    for name in rc.__all__:
        assert getattr(rc, name) is not None, name
    assert {"Engine", "ENGINE_VERSIONS", "scenario", "compatibility_matrix", "Registry"} <= set(rc.__all__)
