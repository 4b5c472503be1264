"""Live tests skip without docker-registry/skopeo, except in CI, where a missing tool fails."""

from __future__ import annotations

import pytest

from tests import conftest


def test_missing_tool_skips_with_install_hint(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install docker-registry skopeo"):
        conftest.require_tool("skopeo")


def test_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install docker-registry skopeo"):
        conftest.require_tool("docker-registry")


def test_present_tool_gives_its_path(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: f"/opt/bin/{name}")
    assert conftest.require_tool("skopeo") == "/opt/bin/skopeo"
