"""The local JupyterHub of ``classroom_load.py``: started from the deploy config, on 127.0.0.1.

The one-server setup of ``deploy/jupyterhub_config.py``, with two benchmark-only changes in a
throw-away config file that loads the deploy file first (see ``BENCH_CONFIG``), and the
process bookkeeping the benchmark's memory figures come from.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
CHP_DIR = ROOT / "build" / "chp"
CHP = CHP_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
CHP_VERSION = "5.3.0"
MIB = 2**20


def ensure_proxy() -> Path:
    """Install configurable-http-proxy into build/chp with npm unless it is there."""
    if not CHP.exists():
        print(f"installing configurable-http-proxy {CHP_VERSION} into {CHP_DIR} (npm) ...")
        subprocess.run(
            ["npm", "install", "--prefix", str(CHP_DIR), "--no-audit", "--no-fund", "--silent",
             f"configurable-http-proxy@{CHP_VERSION}"],
            check=True, timeout=300,
        )  # fmt: skip
    return CHP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


# ---------------------------------------------------------------------------------------------
# The hub
# ---------------------------------------------------------------------------------------------

BENCH_CONFIG = """\
# Written by benchmarks/classroom_load.py: the deploy config, then benchmark-only changes.
load_subconfig({deploy!r})
c.JupyterHub.authenticator_class = "dummy"  # any name and password: benchmark only
c.Authenticator.allow_all = True
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.services.append({{"name": "bench", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{"name": "bench", "scopes": ["admin:users", "admin:servers",
    "access:servers", "read:users"], "services": ["bench"]}})
c.ConfigurableHTTPProxy.command = [{chp!r}]
import os

if os.geteuid() == 0:  # containers, CI: the students' servers run as root here
    c.Spawner.args = [*c.Spawner.args, "--allow-root"]
"""


class Hub:
    """A JupyterHub process started from the deploy config, stopped with all its children."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = workdir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.token = uuid.uuid4().hex
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, psutil.Process] = {}

    def start(self, timeout: float = 60) -> None:
        homes = self.workdir / "homes"
        homes.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "bench_config.py"
        config.write_text(
            BENCH_CONFIG.format(deploy=str(DEPLOY_CONFIG), token=self.token, chp=str(CHP))
        )
        env = dict(
            os.environ,
            LAB_HUB_IP="127.0.0.1",
            LAB_HUB_PORT=str(self.port),
            LAB_HUB_SPAWNER="simple",
            LAB_HUB_HOMES=str(homes / "{username}"),
            LAB_HUB_STATE=str(self.workdir),
            CONFIGPROXY_AUTH_TOKEN=uuid.uuid4().hex,
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[name] = str(self.workdir / name.lower())
        self.log = open(self.workdir / "hub.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config),
             "--JupyterHub.hub_port", str(free_port()),
             "--ConfigurableHTTPProxy.api_url", f"http://127.0.0.1:{free_port()}"],
            cwd=self.workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited; see its log:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"jupyterhub did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40000) -> str:
        return (self.workdir / "hub.log").read_text(errors="replace")[-n:]

    def remember_children(self) -> None:
        """Note every descendant (servers, kernels, proxy) so stop() can reach them all."""
        if self.proc is None:
            return
        try:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen[p.pid] = p
        except psutil.NoSuchProcess:
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        self.remember_children()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the students' servers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        leftovers = [p for p in self.seen.values() if p.is_running()]
        for p in leftovers:
            try:
                p.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=5)
        for p in alive:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        self.proc = None
        self.log.close()

    def own_rss_mib(self) -> float:
        """RSS of the hub and its direct helpers (proxy, idle culler), students' servers aside."""
        self.remember_children()
        hub = psutil.Process(self.proc.pid)
        helpers = [p for p in self.seen.values() if _ppid(p) == hub.pid]
        helpers = [p for p in helpers if "jupyterhub-singleuser" not in _cmdline(p)]
        return sum(rss_mib(p) for p in [hub, *helpers])

    def server_processes(self) -> dict[str, tuple[psutil.Process, list[psutil.Process]]]:
        """Student name -> (single-user server process, its kernel processes)."""
        self.remember_children()
        out = {}
        for p in list(self.seen.values()):
            try:
                if "jupyterhub-singleuser" not in " ".join(p.cmdline()):
                    continue
                user = p.environ().get("JUPYTERHUB_USER")
                out[user] = (p, p.children(recursive=True))
            except psutil.Error:
                continue
        return out


def _ppid(p: psutil.Process) -> int:
    try:
        return p.ppid()
    except psutil.Error:
        return -1


def _cmdline(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def rss_mib(p: psutil.Process) -> float:
    try:
        return p.memory_info().rss / MIB
    except psutil.Error:
        return float("nan")


def uss_mib(p: psutil.Process) -> float:
    try:
        return p.memory_full_info().uss / MIB
    except psutil.Error:
        return float("nan")
