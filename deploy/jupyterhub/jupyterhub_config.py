# JupyterHub for a regcompat workshop on one machine (the way The Littlest JupyterHub runs a class).
#
#   sudo REGCOMPAT_HUB_ADMINS=teacher jupyterhub -f deploy/jupyterhub/jupyterhub_config.py
#
# Runs as root (it creates one Unix account per learner and starts each learner's server as that
# account). Every setting an instructor may change is an environment variable below, with its default;
# notebooks/instructor/jupyterhub.md walks through a whole workshop, deploy/jupyterhub/README.md lists
# the commands. What is enforced where (memory and CPU limits, isolation) is said in regcompat_hub.py.
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from regcompat_hub import COURSE_DIR, WorkshopAuthenticator, ensure_group, lesson_hook, spawner_class  # noqa: E402

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)


def setting(name, default):
    return os.environ.get("REGCOMPAT_HUB_" + name, default)


# --- where it listens and keeps its state -------------------------------------------------------------
DATA = Path(setting("DATA", "/var/lib/regcompat-hub"))        # hub database, cookie secret, passwords
DATA.mkdir(mode=0o700, parents=True, exist_ok=True)
c.JupyterHub.ip = setting("IP", "")                           # "" = every interface (learners connect)
c.JupyterHub.port = int(setting("PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"                             # the hub's own API: loopback only
c.JupyterHub.hub_port = int(setting("API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{setting('PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(DATA / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True                           # stopping the hub stops every server

# --- who signs in: first-use sign-up, one Unix account per learner --------------------------------------
GROUP = setting("GROUP", "regcompat-learners")
ensure_group(GROUP)
c.JupyterHub.authenticator_class = WorkshopAuthenticator
c.WorkshopAuthenticator.learner_group = GROUP
c.WorkshopAuthenticator.dbm_path = str(DATA / "passwords.dbm")
c.WorkshopAuthenticator.min_password_length = 8
c.WorkshopAuthenticator.create_system_users = True
c.WorkshopAuthenticator.add_user_cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "--groups", GROUP]
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,30}$"   # what useradd accepts
c.Authenticator.admin_users = {n for n in setting("ADMINS", "").split(",") if n}
allowed = {n for n in setting("ALLOWED", "").split(",") if n}  # empty: anyone who reaches the hub signs up
if allowed:
    c.Authenticator.allowed_users = allowed
else:
    c.Authenticator.allow_all = True

# --- each learner's server: their home, the lessons, the limits -------------------------------------------
PYTHON = setting("PYTHON", sys.executable)       # the learners' environment: regcompat[lab] + jupyterhub
LESSONS = setting("LESSONS", str(HERE.parents[1] / "notebooks"))
environment = {
    "PATH": os.pathsep.join([str(Path(PYTHON).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
    # as binder/start: the lessons print the same text everywhere
    "PYTHONHASHSEED": "0", "TZ": "UTC", "LANG": "C.UTF-8",
}
if setting("PYTHONPATH", ""):
    environment["PYTHONPATH"] = setting("PYTHONPATH", "")
c.JupyterHub.spawner_class = spawner_class(setting("SPAWNER", "auto"))
c.Spawner.cmd = [PYTHON, "-m", "jupyterhub.singleuser"]
# as binder/jupyter_server_config.json: no news pop-up over the course map, no update checks
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.environment = environment
c.Spawner.default_url = f"/lab/tree/{COURSE_DIR}/00-start-here.ipynb"
c.Spawner.pre_spawn_hook = lesson_hook(PYTHON, LESSONS, environment)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Enforced by SystemdSpawner (MemoryMax, CPUQuota); LocalProcessSpawner only passes them on as information.
c.Spawner.mem_limit = setting("MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(setting("CPU_LIMIT", "1"))
c.SystemdSpawner.dynamic_users = False           # learners are the accounts created above
c.SystemdSpawner.unit_name_template = "regcompat-learner-{USERNAME}"
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True

# --- idle servers are stopped (their files stay; the learner's next login starts a new server) ------------
IDLE = int(setting("CULL_IDLE", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE}",
                f"--cull-every={max(10, min(300, IDLE // 4))}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
