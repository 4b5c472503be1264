"""The formats layer stays light: only layer-1 modules and cryptography, never adapters."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "ipywidgets", "IPython", "waitress", "hypothesis", "http.server",
         "wsgiref", "urllib.request")
UPPER_LAYERS = ("regcompat.registry", "regcompat.engine", "regcompat.server", "regcompat.notebook",
                "regcompat.scenarios", "regcompat.cli")


def _modules_after(statement: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", statement + "; import sys; print('\\n'.join(sys.modules))"],
                         check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def _offending(loaded: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in loaded if any(m == n or m.startswith(n + ".") for n in names)}


def test_import_regcompat_manifest_pulls_in_nothing_heavy():
    loaded = _modules_after("import regcompat.manifest")
    assert "cryptography" in loaded and "regcompat.manifest.convert" in loaded
    # tarfile (image layers) and x509 (x5c chains only) are not needed to parse or sign.
    assert not _offending(loaded, HEAVY + UPPER_LAYERS + ("tarfile", "cryptography.x509"))


def test_image_and_testing_stay_in_the_core():
    loaded = _modules_after("import regcompat.image, regcompat.testing")
    assert not _offending(loaded, HEAVY + UPPER_LAYERS)
