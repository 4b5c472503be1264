"""skopeo (Debian package) as the external oracle for the formats layer.

Tests that use the ``skopeo`` fixture skip when it is not installed, except in
CI (``CI=true``), where a missing skopeo is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture(scope="session")
def skopeo():
    path = shutil.which("skopeo")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("skopeo is required in CI")
        pytest.skip("skopeo not installed")

    def run(*args: str) -> str:
        return subprocess.run([path, *args], check=True, capture_output=True, text=True).stdout
    return run
