"""The workshop hub (deploy/jupyterhub) with two learners, on loopback.

Starts JupyterHub with the shipped configuration, signs two learners in
through the login form, starts both servers, runs lesson 00 in each (the
learner copies the start-up hook wrote into their homes), and checks that
neither can reach the other: not with a token, not with the browser's cookie,
not from a kernel through the file system; and that nobody can sign up as an
existing account outside the learners' group. Then it checks the content
delivery a learner relies on: a restart keeps their edits and their other
files, and ``regcompat workspace --reset`` restores one lesson without
touching the rest. A second hub, with a 20 s idle timeout, checks that the
idle culler stops a learner's server and that their files stay. Every account, home, group and process made here is
removed at the end, also after a failure.

Needs root (the hub creates Unix accounts), npm's ``configurable-http-proxy``
and a Python with the learner packages (``regcompat[lab,hub]``'s
dependencies) that an unprivileged account can run: this one, or the one
``REGCOMPAT_HUB_LEARNER_PYTHON`` names. Missing any of them skips the test
locally and fails it in CI.
"""

from __future__ import annotations

import os
import pwd
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import in_ci, require_tool
from tests.deploy.workshop import COURSE, Learner, Workshop, learner_python

pytestmark = pytest.mark.hub

START = "00-start-here.ipynb"


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(message + " (CI=true: a missing prerequisite is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def python() -> str:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        _missing("the workshop hub test runs as root on Linux (it creates Unix accounts)")
    require_tool("configurable-http-proxy")
    found = learner_python([os.environ.get("REGCOMPAT_HUB_LEARNER_PYTHON", ""), sys.executable])
    if found is None:
        _missing("no Python with jupyterlab, ipykernel and jupyterhub that an unprivileged account can run: "
                 "set REGCOMPAT_HUB_LEARNER_PYTHON to one (e.g. a venv in /opt, outside root's home)")
    return found


def test_two_learners_are_isolated_and_keep_their_work(python):
    with Workshop(python) as hub:
        a = Learner(hub, hub.name("a"))
        b = Learner(hub, hub.name("b"))
        for learner in (a, b):
            login = learner.sign_in()
            assert login.status_code == 302, hub.log()
            learner.new_token()
        with ThreadPoolExecutor(2) as pool:              # both ask for their server at once, as in class
            list(pool.map(Learner.start_server, (a, b)))

        # Each has the learner copies in their own home, and lesson 00 runs clean in each.
        for learner in (a, b):
            copy = learner.contents(f"{COURSE}/{START}")
            assert copy.status_code == 200, hub.log()
            code = [c for c in copy.json()["content"]["cells"] if c["cell_type"] == "code"]
            assert code and all(c["outputs"] == [] for c in code)      # outputs cleared
            run = learner.run_lesson("00")
            assert run.cells == len(code) and run.errors == [], run

        # A reaches A's server, never B's: token, then browser cookie (after the OAuth dance).
        assert a.contents("").status_code == 200
        assert a.contents("", owner=b.name).status_code == 403
        assert a.http.get(f"{hub.base}/user/{a.name}/lab", timeout=60).status_code == 200
        assert a.http.get(f"{hub.base}/user/{b.name}/lab", timeout=60).status_code == 403
        assert a.http.get(f"{hub.base}/user/{b.name}/api/contents/", timeout=60).status_code == 403
        assert b.contents("", owner=a.name).status_code == 403

        # Nobody signs up as an existing account outside the learners' group.
        assert Learner(hub, "nobody").sign_in().status_code != 302

        # A's kernel runs as A and cannot read B's home.
        with a.open_kernel(f"{COURSE}/{START}") as kernel:
            assert kernel.execute("import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)") is None
            assert kernel.stdout.strip() == a.name
            assert kernel.execute(f"open('/home/{a.name}/{COURSE}/{START}').close()") is None
            error = kernel.execute(f"open('/home/{b.name}/{COURSE}/{START}').read()")
            assert error is not None and error.startswith("PermissionError"), error
            error = kernel.execute(f"os.listdir('/home/{b.name}')")
            assert error is not None and error.startswith("PermissionError"), error

        # A edits lesson 00 and keeps notes; a server restart (the start-up hook runs again) keeps both.
        nb = a.contents(f"{COURSE}/{START}").json()["content"]
        nb["cells"][0]["source"] = "my own notes"
        saved = a.api("PUT", f"/user/{a.name}/api/contents/{COURSE}/{START}",
                      json={"type": "notebook", "format": "json", "content": nb})
        assert saved.status_code == 200, saved.text
        notes = a.api("PUT", f"/user/{a.name}/api/contents/notes.txt",
                      json={"type": "file", "format": "text", "content": "mine"})
        assert notes.status_code in (200, 201), notes.text
        a.stop_server()
        a.start_server()
        assert _first_source(a) == "my own notes"

        # Reset lesson 00 from A's own kernel, as the guide tells a learner to do in a terminal.
        with a.open_kernel(f"{COURSE}/{START}") as kernel:
            error = kernel.execute("import os, subprocess, sys; r = subprocess.run([sys.executable, '-m', "
                                   "'regcompat.cli', 'workspace', '--reset', '00'], cwd=os.path.expanduser('~'), "
                                   "capture_output=True, text=True); print(r.returncode, r.stdout, r.stderr)")
            assert error is None and kernel.stdout.startswith("0 "), (error, kernel.stdout)
            assert kernel.execute(f"print(os.listdir(os.path.expanduser('~/{COURSE}/.backups')))") is None
            assert kernel.stdout.strip().startswith("['00-start-here-"), kernel.stdout   # the edit, kept aside
        assert _first_source(a) != "my own notes"
        assert a.contents("notes.txt").json()["content"] == "mine"


def _first_source(learner: Learner) -> str:
    cell = learner.contents(f"{COURSE}/{START}").json()["content"]["cells"][0]
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])



def test_an_idle_server_is_stopped_and_the_files_stay(python):
    with Workshop(python, idle_timeout=20) as hub:      # the culler then looks every 10 s
        learner = Learner(hub, hub.name("c"))
        assert learner.sign_in().status_code == 302, hub.log()
        learner.new_token()
        learner.start_server()
        deadline = time.monotonic() + 120
        while learner.api("GET", f"/hub/api/users/{learner.name}").json().get("servers"):
            assert time.monotonic() < deadline, "the idle server was not stopped within 120 s:\n" + hub.log()
            time.sleep(2)
        assert "Culling server " + learner.name in hub.log(tail=None)
        assert Path(pwd.getpwnam(learner.name).pw_dir, COURSE, START).is_file()    # the files stay
