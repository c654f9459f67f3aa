"""JupyterHub for a class on one machine: the Loss & Optimization Lab for every student.

Run from a checkout where the project is installed with its ``hub`` extra (``make install``
does it, or ``pip install -c constraints.txt -e '.[lab,hub]'``) and configurable-http-proxy is
on PATH (``npm install --prefix build/chp configurable-http-proxy@5.3.0``, see the README)::

    sudo .venv/bin/jupyterhub -f deploy/jupyterhub_config.py

What it sets up (numbers measured with benchmarks/classroom_load.py, see the README):

- **Spawner**: ``LocalProcessSpawner``: each student is a Unix account on the machine (PAM login,
  the default authenticator) and gets a single-user JupyterLab started from *this* Python
  environment (the course environment: lecture_utils, ipywidgets, ipympl), opening JupyterLab.
  ``LAB_HUB_SPAWNER=simple`` switches to JupyterHub's ``SimpleLocalProcessSpawner`` (every
  student runs as the hub's own Unix user, homes under ``LAB_HUB_HOMES``): no isolation between
  students, for a demo or the load benchmark only.
- **Memory limit**: ``Spawner.mem_limit`` is set (1 GiB, about four times the measured
  235 MiB of a student with notebook 07 open) but the local spawners do **not** enforce it:
  they only pass it to the server as ``MEM_LIMIT`` (shown by jupyter-resource-usage if
  installed). To enforce it on one machine use The Littlest JupyterHub or
  ``jupyterhub-systemdspawner`` (cgroups, ``SystemdSpawner.mem_limit``); on Kubernetes use
  deploy/z2jh/values.yaml.
- **One BLAS thread per kernel** (``OPENBLAS_NUM_THREADS=1`` and friends): the lab's matrices
  are small; with a class on a few cores, threads per kernel only compete. The stored notebook
  outputs were made with one thread too.
- **Idle culler** (jupyterhub-idle-culler as a hub-managed service): stops a student's server
  after ``LAB_HUB_CULL_TIMEOUT`` seconds without activity (default 3600), freeing its memory.
- Long start timeouts: CPU at login is the bottleneck (20 students logging in at once on
  2 cores: about a minute each).

Environment variables (all optional): ``LAB_HUB_IP`` (default 127.0.0.1; use 0.0.0.0 behind
HTTPS for a real class), ``LAB_HUB_PORT`` (8000), ``LAB_HUB_SPAWNER`` (``local`` or
``simple``), ``LAB_HUB_HOMES`` (``/tmp/lab-hub-homes/{username}`` for ``simple``),
``LAB_HUB_CULL_TIMEOUT`` (3600), ``LAB_HUB_GROUP`` (the Unix group allowed to log in,
``students``), ``LAB_HUB_STATE`` (directory of the hub's database and cookie secret; the
current directory by default).
"""

# ``c`` is the config object JupyterHub passes to this file.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (defined by JupyterHub's config loader)

#: The course environment: the interpreter that runs the hub also runs every student's server
#: and kernel, so lecture_utils and the widget front-ends are the ones installed here.
ENV_BIN = Path(sys.executable).parent

# --- network --------------------------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("LAB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("LAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
# The proxy from npm (build/chp/node_modules/.bin) when it is not on PATH already.
_chp = Path(__file__).resolve().parents[1] / "build/chp/node_modules/.bin/configurable-http-proxy"
if _chp.exists():
    c.ConfigurableHTTPProxy.command = [str(_chp)]

# --- state ----------------------------------------------------------------------------------
_state = Path(os.environ.get("LAB_HUB_STATE", "."))
c.JupyterHub.db_url = f"sqlite:///{_state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(_state / "jupyterhub_cookie_secret")

# --- who may log in ------------------------------------------------------------------------
# PAM (the default authenticator): the Unix accounts in group LAB_HUB_GROUP ("students").
c.LocalAuthenticator.allowed_groups = {os.environ.get("LAB_HUB_GROUP", "students")}

# --- students' servers ----------------------------------------------------------------------
if os.environ.get("LAB_HUB_SPAWNER", "local") == "simple":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = os.environ.get(
        "LAB_HUB_HOMES", "/tmp/lab-hub-homes/{username}"
    )
else:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True
c.Spawner.mem_limit = "1G"  # advisory here (MEM_LIMIT); enforced by systemd/Kubernetes spawners
c.Spawner.environment = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # glibc hands freed memory back to the system sooner: 4-5 MiB less per kernel after
    # notebook 07 (benchmarks/kernel_memory.py: 144.5 vs 148.7 MiB RSS, 143.2 after a
    # gc.collect()); no effect on results. MALLOC_ARENA_MAX=2 measured no further gain.
    "MALLOC_TRIM_THRESHOLD_": "131072",
    # the course environment first on PATH, so terminals and `pip` are the course's
    "PATH": f"{ENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
}
# No language servers are installed for students: jupyter-lsp would only scan for them at
# every server start (login is CPU-bound). Voila stays: /voila/render/<notebook> is classroom
# mode inside the hub.
c.Spawner.args = ["--ServerApp.jpserver_extensions=jupyter_lsp=False"]
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 180

# --- idle culler ----------------------------------------------------------------------------
CULL_TIMEOUT = int(os.environ.get("LAB_HUB_CULL_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(CULL_TIMEOUT // 6, 60)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
