"""Shared test helpers: the tools live tests need, and how their absence is reported.

Live tests drive Debian's ``docker-registry`` (distribution 2.8.2),
``skopeo`` and a Docker 20.10 daemon (``dockerd`` and the ``docker`` CLI). On a machine without them they skip with the command that
installs them; when ``CI=true`` a missing tool fails the test instead, so CI
can never go green by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL_HINT = "apt-get install docker-registry skopeo docker.io chromium nodejs npm"
TOOLS = {"docker-registry": "/usr/bin/docker-registry", "skopeo": "skopeo", "dockerd": "dockerd", "docker": "docker"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The path of ``name``; skip (or, in CI, fail) when it is not installed."""
    path = shutil.which(TOOLS.get(name, name)) or shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed: {INSTALL_HINT}"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing tool is a failure, not a skip)")
    pytest.skip(message)


# Property tests explore new random examples on a developer's machine; in CI they
# replay a fixed, derandomised set so that a run's verdict depends only on the code.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if in_ci():
    _hypothesis_settings.load_profile("ci")
