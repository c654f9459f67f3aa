"""Fixtures for the real-browser tests: Debian's Chromium, a JupyterLab and a Voilà server.

- ``browser``: Playwright's Python API driving ``/usr/bin/chromium`` (never a downloaded
  browser). Without it the tests skip with the reason shown in pytest's summary; with
  ``CI=true`` a missing browser fails them instead.
- ``lab_server``: one JupyterLab for the whole session on 127.0.0.1, a free port, no token,
  the project's own Python kernel, serving a *copy* of ``notebooks/`` so that running the
  notebooks in the browser never rewrites the committed files. Its settings turn off news,
  update checks and notebook windowing (every cell stays in the DOM).
- ``lab_server_without_ipympl``: the same, but the server runs from ``build/lab-without-ipympl``
  (JupyterLab + ipywidgets, no ipympl: ``make lab-without-ipympl``), so its front-end has no
  ``jupyter-matplotlib``; the kernel is still this Python (a kernelspec in its data dir).
- ``start_voila``: starts ``voila <notebook>`` the way ``make classroom`` does.
- ``latency_record``: the measured latencies; at the end of the session they are merged into
  ``build/browser-report/browser-latency.{json,md}`` (with the screenshots), so a test run
  leaves the working tree clean; ``make docs`` copies them over the committed ``docs/``
  (which the README links).

Jupyter, IPython and matplotlib state already lives in the run's private directory
(the root ``conftest.py``); the servers get their own settings and workspace directories on top.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LAB_WITHOUT_IPYMPL,
    LATENCY_TARGETS_MS,
    NOT_LOCAL,
    REPORT_DIR,
    SERVER_START_TIMEOUT,
    VIEWPORT,
    Server,
    copy_notebooks,
    free_port,
    lab_settings,
    missing,
    server_env,
    stop,
    wait_http,
    wait_port,
    write_latency_docs,
)

REPORT_MD = REPORT_DIR / "browser-latency.md"

# ---------------------------------------------------------------------------------------------
# Browser
# ---------------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test of the session.

    Once started, Playwright's sync API keeps an asyncio event loop marked as running in the
    main thread until the session ends. Tests that look for a running loop (the renderer's,
    which check how frames are scheduled in a kernel) or start one must not see it, so they
    run first. The sort is stable: the order within each group is kept.
    """
    here = Path(__file__).resolve().parent
    items.sort(key=lambda item: here in Path(str(item.path)).resolve().parents)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, driven by Playwright (one browser for the session)."""
    if not CHROMIUM.exists():
        missing(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(apt-get install chromium); .ci/run installs it"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    except Exception as exc:
        playwright.stop()
        missing(f"{CHROMIUM} did not start: {str(exc).splitlines()[0]}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Make pages in a fresh browser context that refuses every non-local request.

    ``new_page(ratio=2)`` gives a page with device pixel ratio 2 (a "retina" laptop screen:
    ipympl then renders four times the pixels); the default is 1.
    """
    contexts: dict[float, Any] = {}

    def make(ratio: float = 1) -> Any:
        if ratio not in contexts:
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=ratio)
            context.route(NOT_LOCAL, lambda route: route.abort())
            contexts[ratio] = context
        page = contexts[ratio].new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts.values():
        context.close()


# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------


def _start_lab(python: Path | str, home: Path, env: dict[str, str]) -> Server:
    """Start JupyterLab with ``python`` on a free port, serving a copy of notebooks/."""
    root = home / "root"
    root.mkdir()
    copy_notebooks(root / "notebooks")
    lab_settings(home / "settings")
    port = free_port()
    log = home / "jupyterlab.log"
    cmd = [
        str(python),
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.disable_check_xsrf=True",  # the tests call the REST API with urllib
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/api/status", proc, log, SERVER_START_TIMEOUT)
    except RuntimeError as exc:
        stop(proc)
        pytest.fail(f"JupyterLab did not start: {exc}")
    return Server(url, root, proc, log)


@pytest.fixture(scope="session")
def lab_server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One JupyterLab for the session, serving a copy of notebooks/ (``root/notebooks``)."""
    home = tmp_path_factory.mktemp("lab")
    server = _start_lab(sys.executable, home, server_env(home))
    yield server
    stop(server.proc)


@pytest.fixture(scope="session")
def lab_server_ipympl_canvas(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A JupyterLab like ``lab_server`` whose kernels draw the apps on the ipympl canvas.

    ``LECTURE_UTILS_RENDERER=ipympl`` in the server's environment, which its kernels inherit:
    the renderer a learner chooses with ``use_renderer("ipympl")``.
    """
    home = tmp_path_factory.mktemp("lab-ipympl-canvas")
    env = server_env(home)
    env["LECTURE_UTILS_RENDERER"] = "ipympl"
    server = _start_lab(sys.executable, home, env)
    yield server
    stop(server.proc)


@pytest.fixture(scope="session")
def lab_server_without_ipympl(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A JupyterLab whose front-end has no ``jupyter-matplotlib``, with the project's kernel.

    The server runs from LAB_WITHOUT_IPYMPL (a venv with jupyterlab + ipywidgets only, made by
    ``make lab-without-ipympl``; disabling the labextension is not enough, the canvas still
    renders). The kernel is this Python, through a kernelspec in the server's own
    JUPYTER_DATA_DIR, preferred over the server venv's (``JUPYTER_PREFER_ENV_PATH=0``).
    """
    python = LAB_WITHOUT_IPYMPL / "bin" / "python"
    if not python.exists():
        missing(f"{python} not found: run `make lab-without-ipympl` (a venv without ipympl)")
    check = subprocess.run([str(python), "-c", "import ipympl"], capture_output=True)
    if check.returncode == 0:
        pytest.fail(f"{LAB_WITHOUT_IPYMPL} has ipympl installed: it must not")
    home = tmp_path_factory.mktemp("lab-without-ipympl")
    env = server_env(home)
    env["JUPYTER_DATA_DIR"] = str(home / "data")
    env["JUPYTER_PREFER_ENV_PATH"] = "0"
    spec = home / "data" / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (project)",
                "language": "python",
            }
        )
    )
    server = _start_lab(python, home, env)
    yield server
    stop(server.proc)


@pytest.fixture
def start_voila(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Path], Server]]:
    """Start ``voila <notebook>`` (as ``make classroom`` does) on a free port; stopped after."""
    procs: list[subprocess.Popen] = []

    def start(notebook: Path) -> Server:
        home = tmp_path_factory.mktemp("voila")
        root = copy_notebooks(home / "notebooks")
        port = free_port()
        log = home / "voila.log"
        cmd = [
            sys.executable,
            "-m",
            "voila",
            notebook.name,
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
        ]
        with log.open("w") as out:
            proc = subprocess.Popen(
                cmd, cwd=root, env=server_env(home), stdout=out, stderr=subprocess.STDOUT
            )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_port(port, proc, log, SERVER_START_TIMEOUT)
        return Server(url, root, proc, log)

    yield start
    for proc in procs:
        stop(proc)


# ---------------------------------------------------------------------------------------------
# Results: <REPORT_DIR>/browser-latency.{json,md}
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def latency_record() -> Iterator[dict[str, dict[str, Any]]]:
    """Tests put one entry per notebook (or Voilà page) here; written to REPORT_DIR at the end."""
    yield _RECORD
    if _RECORD:
        write_latency_docs(_RECORD)


#: This session's measurements (also shown at the end of pytest's output).
_RECORD: dict[str, dict[str, Any]] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show each page's median latency in the test output, even when every test passed."""
    if not _RECORD:
        return
    terminalreporter.section("browser-measured latency: key press -> changed pixels")
    for key, r in sorted(_RECORD.items()):
        median = "no app" if r["median_ms"] is None else f"median {r['median_ms']:5.0f} ms"
        if r.get("sharp_median_ms") is not None:
            median += f", sharp {r['sharp_median_ms']:.0f} ms"
        terminalreporter.write_line(
            f"{key:<42} {median}  ({len(r['latencies_ms'])} presses, "
            f"run all {r['run_all_s']:.1f} s)"
        )
    terminalreporter.write_line(
        f"targets (quiet machine): median <= {LATENCY_TARGETS_MS[1]:.0f} ms at ratio 1, "
        f"<= {LATENCY_TARGETS_MS[2]:.0f} ms at ratio 2; see {REPORT_MD} "
        "(`make docs` copies it to docs/)"
    )
