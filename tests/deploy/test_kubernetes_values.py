"""deploy/kubernetes/values.yaml: what can be checked without a cluster.

The values are not run here (no cluster) and the chart's schema is not part
of this repository (deploy/kubernetes/README.md says how they were checked
against it). These tests check that the file parses, that its ``postStart``
hook really makes the learner copies and keeps an edited one, that the
image's repository folder (README's ``--target-repo-dir``) is where the hook
looks for the lessons, and that it agrees with the one-machine hub.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from tests.deploy.workshop import COURSE, ROOT

K8S = ROOT / "deploy" / "kubernetes"
VALUES = yaml.safe_load((K8S / "values.yaml").read_text())
HOOK = VALUES["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
START = "00-start-here.ipynb"


def _size(text: str) -> float:
    units = {"K": 2**10, "M": 2**20, "G": 2**30}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


def test_the_image_repository_folder_is_where_the_hook_finds_the_lessons():
    target = re.search(r"--target-repo-dir (\S+)", (K8S / "README.md").read_text()).group(1)
    source = shlex.split(HOOK[-1])[shlex.split(HOOK[-1]).index("--source") + 1]
    assert source == f"{target}/notebooks"


def test_the_hook_makes_learner_copies_and_keeps_an_edited_one(tmp_path):
    assert HOOK[:2] == ["sh", "-c"]
    script = HOOK[2].replace("/srv/regcompat", str(ROOT))
    assert script.startswith("regcompat ")
    script = f"{shlex.quote(sys.executable)} -m regcompat.cli " + script[len("regcompat "):]
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    subprocess.run(["sh", "-c", script], env=env, check=True, capture_output=True, timeout=120)
    copy = tmp_path / COURSE / START
    nb = json.loads(copy.read_text())
    assert all(c["outputs"] == [] for c in nb["cells"] if c["cell_type"] == "code")
    copy.write_text(copy.read_text().replace('"cells": [', '"cells": [ ', 1))   # the learner saved it
    edited = copy.read_bytes()
    subprocess.run(["sh", "-c", script], env=env, check=True, capture_output=True, timeout=120)
    assert copy.read_bytes() == edited


def test_it_agrees_with_the_one_machine_hub():
    config = (ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py").read_text()
    single = VALUES["singleuser"]
    assert single["defaultUrl"] == f"/lab/tree/{COURSE}/{START}"
    assert f'setting("MEM_LIMIT", "{single["memory"]["limit"]}")' in config
    assert f'setting("CPU_LIMIT", "{single["cpu"]["limit"]}")' in config
    assert f'setting("CULL_IDLE", "{VALUES["cull"]["timeout"]}")' in config
    assert _size(single["memory"]["guarantee"]) <= _size(single["memory"]["limit"])
    assert float(single["cpu"]["guarantee"]) <= float(single["cpu"]["limit"])
    assert VALUES["hub"]["config"]["JupyterHub"]["authenticator_class"] == "firstuseauthenticator"
