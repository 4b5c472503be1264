"""The pieces of the one-machine workshop hub that are code, not settings.

``jupyterhub_config.py`` (next to this file) imports them. What they model is
the way The Littlest JupyterHub (TLJH) runs a class on one machine:

* :class:`WorkshopAuthenticator`: first-use sign-up (``jupyterhub-
  firstuseauthenticator``, TLJH's default authenticator): a learner picks a
  name and a password on first login, and from then on only that password
  opens that name. Each learner is a real Unix account, created on first
  login (JupyterHub's ``LocalAuthenticator``) and put in one group; a name
  that already belongs to an account *outside* that group (``root``, the
  instructor's own login, a service account) is refused, so nobody can sign
  up as an existing system user.
* :func:`lesson_hook`: the spawner's start-up hook. Before a learner's server
  starts it makes their home private (mode 0700) and, running as the
  learner, writes the learner copies of the lessons with ``regcompat
  workspace`` (outputs cleared; an edited copy is never overwritten).
* :func:`spawner_class`: ``SystemdSpawner`` (``jupyterhub-systemdspawner``)
  where systemd runs the machine, as TLJH does, because it is the spawner
  that *enforces* ``mem_limit`` (``MemoryMax``) and ``cpu_limit``
  (``CPUQuota``); JupyterHub's ``LocalProcessSpawner`` elsewhere, which
  enforces neither (it only passes ``MEM_LIMIT``/``CPU_LIMIT`` to the server
  as information). The hub logs which one it uses.

Left out: HTTPS (put the hub behind a TLS-terminating proxy or set
``c.JupyterHub.ssl_cert``/``ssl_key``), quotas on disk, and removing learner
accounts after the workshop (``userdel -r NAME``; the guide says how).
"""

from __future__ import annotations

import asyncio
import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.auth import LocalAuthenticator
from traitlets import Unicode

__all__ = ["WorkshopAuthenticator", "ensure_group", "lesson_hook", "spawner_class", "COURSE_DIR"]

COURSE_DIR = "regcompat-course"   # the learner copies, inside each learner's home
HOME_MODE = 0o700


def ensure_group(name: str) -> None:
    """Create the learners' Unix group if it does not exist yet (the hub runs as root)."""
    try:
        grp.getgrnam(name)
    except KeyError:
        subprocess.run(["groupadd", name], check=True)


class WorkshopAuthenticator(LocalAuthenticator, FirstUseAuthenticator):
    """First-use sign-up whose learners are Unix accounts of one group."""

    learner_group = Unicode("regcompat-learners", config=True,
                            help="The Unix group of the accounts the hub creates for learners.")

    def validate_username(self, name: str) -> bool:
        if not super().validate_username(name):
            return False
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            return True   # a new learner: the hub creates the account on first login
        try:
            group = grp.getgrnam(self.learner_group)
        except KeyError:
            return False
        if name in group.gr_mem or account.pw_gid == group.gr_gid:
            return True
        self.log.warning("refusing %r: a Unix account outside group %s", name, self.learner_group)
        return False


def spawner_class(choice: str) -> str:
    """The spawner to use: ``systemd``, ``local``, or ``auto`` (systemd when it runs the machine)."""
    if choice == "auto":
        try:
            import systemdspawner  # noqa: F401
        except ImportError:
            choice = "local"
        else:
            choice = "systemd" if Path("/run/systemd/system").is_dir() and shutil.which("systemctl") else "local"
    if choice == "systemd":
        return "systemdspawner.SystemdSpawner"
    if choice == "local":
        return "jupyterhub.spawner.LocalProcessSpawner"
    raise ValueError(f"unknown spawner {choice!r}: choose auto, systemd or local")


def lesson_hook(python: str, lessons: str, environment: dict[str, str], timeout: float = 120):
    """A ``Spawner.pre_spawn_hook`` that gives the learner a private home and the lessons.

    ``python`` is the learner environment's interpreter (it has regcompat),
    ``lessons`` the folder of the executed lessons, ``environment`` what the
    learner's processes get (``PATH``, ``PYTHONPATH``). ``regcompat workspace``
    runs as the learner, in their home, so every file it writes is theirs.
    A failure is logged and the server still starts: the learner can run the
    same command from a terminal.
    """

    async def deliver(spawner) -> None:
        account = pwd.getpwnam(spawner.user.name)
        home = Path(account.pw_dir)
        home.mkdir(mode=HOME_MODE, exist_ok=True)
        os.chown(home, account.pw_uid, account.pw_gid)
        os.chmod(home, HOME_MODE)
        env = {**environment, "HOME": str(home), "USER": account.pw_name, "LANG": "C.UTF-8"}
        cmd = [python, "-m", "regcompat.cli", "workspace", str(home / COURSE_DIR), "--source", lessons]
        proc = await asyncio.create_subprocess_exec(
            *cmd, cwd=home, env=env, user=account.pw_uid, group=account.pw_gid, extra_groups=[],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), timeout)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
            spawner.log.error("lessons for %s: regcompat workspace took over %ss", account.pw_name, timeout)
            return
        text = out.decode("utf-8", "replace").strip()
        if proc.returncode:
            spawner.log.error("lessons for %s: regcompat workspace failed: %s", account.pw_name, text)
        else:
            spawner.log.info("lessons for %s: %s", account.pw_name, text.splitlines()[0] if text else "done")

    return deliver
