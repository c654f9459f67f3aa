"""Shared pieces of the browser tests: paths, server helpers and the latency report."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
#: Where a test run writes its latency report and screenshots: a build folder, so `make test`
#: leaves the working tree as it found it. `make docs` runs the browser tests and copies this
#: folder's content over the committed copies in docs/ (override with LECTURE_UTILS_REPORT_DIR).
REPORT_DIR = Path(os.environ.get("LECTURE_UTILS_REPORT_DIR") or ROOT / "build" / "browser-report")
SCREENSHOTS = REPORT_DIR / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
#: A venv with jupyterlab + ipywidgets and no ipympl (`make lab-without-ipympl` creates it): the
#: server of the fallback-renderer test, a front-end without `jupyter-matplotlib`.
LAB_WITHOUT_IPYMPL = Path(
    os.environ.get("LECTURE_UTILS_LAB_WITHOUT_IPYMPL") or ROOT / "build" / "lab-without-ipympl"
)
# Flags measured to work headless as root in containers (see the field notes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# wide enough that the widest app (960 px) fits next to the file browser
VIEWPORT = {"width": 1600, "height": 1200}
#: The old single target for key press -> changed pixels (median per notebook), in ms; the
#: test's failure limit is twice this (see test_notebooks_in_lab.LATENCY_LIMIT_MS).
LATENCY_TARGET_MS = 150.0
#: The targets per device pixel ratio on a quiet 2-core machine (issue 13), in ms: reported
#: (meets / misses) in the latency report, not enforced by the tests.
LATENCY_TARGETS_MS = {1: 80.0, 2: 100.0}
SERVER_START_TIMEOUT = 90.0

# Anything not served by the test's own servers is refused (Voilà asks a CDN for fonts).
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])(?!data:)(?!blob:).*")


def notebooks() -> list[Path]:
    """The notebooks to test: every ``notebooks/*.ipynb`` that exists now."""
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(reason: str) -> None:
    """Skip (a learner's machine) or fail (CI) when the browser cannot be driven."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing browser is a failure, not a skip)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(home: Path) -> dict[str, str]:
    """The run's environment for a server: own lab settings and workspaces, no Agg forced."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # notebooks choose their backend, as for a learner
    env["JUPYTERLAB_SETTINGS_DIR"] = str(home / "settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(home / "workspaces")
    env["PYTHONUNBUFFERED"] = "1"
    # kernels import this checkout's lecture_utils, whichever checkout the venv was installed from
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def lab_settings(settings_dir: Path) -> None:
    """User settings of the test's JupyterLab: no news, no update check, no windowing."""
    overrides = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
            "windowingMode": "none",
        },
    }
    for rel, value in overrides.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"server did not answer {url} in {timeout:.0f} s:\n{log.read_text()[-3000:]}"
    )


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Wait until the server accepts connections (for Voilà: GET / would run the notebook)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s:\n{log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (SIGTERM lets Jupyter shut its kernels down)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class Server:
    """A running Jupyter server (JupyterLab or Voilà) started by the tests."""

    def __init__(self, url: str, root: Path, proc: subprocess.Popen, log: Path):
        self.url = url
        self.root = root
        self.proc = proc
        self.log = log

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel session (frees the CPU for the next notebook)."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


def copy_notebooks(dest: Path) -> Path:
    shutil.copytree(
        NOTEBOOK_DIR, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    return dest


# ---------------------------------------------------------------------------------------------
# Results: <REPORT_DIR>/browser-latency.{json,md} (copied to docs/ by `make docs`)
# ---------------------------------------------------------------------------------------------


def chromium_version() -> str:
    try:
        out = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    match = re.search(r"Chromium [\d.]+", out)
    return match.group(0) if match else out.strip() or "unknown"


def write_latency_docs(record: dict[str, dict[str, Any]]) -> None:
    """Merge this session's measurements into REPORT_DIR/browser-latency.json; rewrite the .md.

    Entries of notebooks that no longer exist are dropped; notebooks not run this session
    keep their earlier entry (from an earlier run into the same folder).
    """
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    json_path = REPORT_DIR / "browser-latency.json"
    try:
        old = json.loads(json_path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        old = {}
    existing = {p.name for p in notebooks()}
    merged = {k: v for k, v in old.items() if v.get("notebook") in existing}
    merged.update(record)
    merged = dict(sorted(merged.items()))
    meta = {
        "target_ms": LATENCY_TARGET_MS,
        "targets_ms_by_device_pixel_ratio": {str(k): v for k, v in LATENCY_TARGETS_MS.items()},
        "browser": chromium_version(),
        "cpu_count": os.cpu_count(),
        "measure": "keydown (ArrowRight/ArrowLeft on a slider handle) -> first frame whose "
        "canvas pixels differ (or first new Image src decoded), timed in the page with "
        "performance.now(); sharp: -> the Image frame at full device resolution decoded",
    }
    json_path.write_text(json.dumps({"meta": meta, "results": merged}, indent=2) + "\n")

    lines = [
        "# Browser-measured latency",
        "",
        "Written by `tests/browser/` and copied here by `make docs`; do not edit by hand.",
        "",
        f"Key press on a slider handle -> first changed pixels of the app's picture, "
        f"measured in headless {meta['browser']} on {meta['cpu_count']} cores, at device "
        f"pixel ratio 1 and 2 (targets on a quiet machine: median <= "
        f"{LATENCY_TARGETS_MS[1]:.0f} ms at ratio 1, <= {LATENCY_TARGETS_MS[2]:.0f} ms at "
        "ratio 2). The apps draw into a core ipywidgets Image at the screen's ratio; at "
        "ratio 2 they send drafts at ratio 1 while the slider moves, then the frame at full "
        "resolution; `sharp ms` is key press -> that frame decoded. Pages marked (ipympl "
        "canvas) ran with the renderer ipympl: the apps draw on ipympl's canvas. Pages marked "
        "(no ipympl) ran in a JupyterLab whose front-end lacks jupyter-matplotlib: the apps "
        "draw into the Image at ratio 1 there. `held key` (ratio 1): an arrow key held for 10 "
        "key events, from the last event that moved the slider to the last new picture, per "
        "app, with the pictures per moving events; the last picture must be that of the "
        "slider's final value. "
        "`load` is the 1-minute load average when the page was measured.",
        "",
        "| page | ratio | apps | slider moved | presses | median ms | max ms | sharp ms "
        "| held key ms (pictures/events) | load | run all s | screenshot |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, r in merged.items():
        shot = f"[png](screenshots/{r['screenshot']})" if r.get("screenshot") else ""
        median = f"{r['median_ms']:.0f}" if r.get("median_ms") is not None else "-"
        worst = f"{max(r['latencies_ms']):.0f}" if r.get("latencies_ms") else "-"
        run_all = f"{r['run_all_s']:.1f}" if r.get("run_all_s") is not None else "-"
        sliders = ", ".join(r.get("sliders", [])) or "-"
        ratio = r.get("device_pixel_ratio", 1)
        load = f"{r['load']:.1f}" if r.get("load") is not None else "-"
        sharp = f"{r['sharp_median_ms']:.0f}" if r.get("sharp_median_ms") is not None else "-"
        held = ", ".join(
            f"{h['end_ms']:.0f} ({h['pictures']}/{h['keys']})" for h in r.get("held_key", [])
        )
        lines.append(
            f"| {key} | {ratio:g} | {r.get('apps', 0)} | {sliders} "
            f"| {len(r.get('latencies_ms', []))} | {median} | {worst} | {sharp} | {held or '-'} "
            f"| {load} | {run_all} | {shot} |"
        )
    (REPORT_DIR / "browser-latency.md").write_text("\n".join(lines) + "\n")
