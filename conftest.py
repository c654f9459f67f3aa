"""Test-run isolation shared by the whole suite.

- Jupyter, IPython, matplotlib and XDG state go to a temporary directory for the
  whole run, never to ``$HOME``: a learner's own configuration cannot change a
  test result and the tests leave nothing behind. The variables are set in
  ``os.environ`` before any test module is imported, so kernels and servers
  started by the run (nbval, browser tests) inherit them.
- Unit tests draw with matplotlib's non-interactive ``Agg`` backend. This is
  set per test (``MPLBACKEND`` through ``monkeypatch``) and for this process
  (``matplotlib.use``), but not in the environment that nbval kernels and
  session-scoped Jupyter servers inherit: notebooks pick their own backend.
- nbval runs each cell as Jupyter does, with history on, so a trailing ``;``
  hides a cell's result exactly as in JupyterLab and nbconvert. (nbval >= 0.10
  executes with ``store_history=False``, and IPython then ignores the ``;``:
  nbval issue #194, IPython issue #14162.)

This file sits at the repository root so that every pytest run in the checkout
gets it, including ``pytest --nbval notebooks/01_loss_functions.ipynb`` alone.

Fixtures for a topic belong with that topic's tests; keep this file about the
run's environment.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_STATE_DIR = Path(tempfile.mkdtemp(prefix="lecture-utils-test-state-"))

#: Environment variable -> subdirectory of the run's private state directory.
ISOLATED_DIRS = {
    "JUPYTER_CONFIG_DIR": "jupyter/config",
    "JUPYTER_DATA_DIR": "jupyter/data",
    "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
    "JUPYTERLAB_SETTINGS_DIR": "jupyterlab/settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyterlab/workspaces",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
    "XDG_CONFIG_HOME": "xdg/config",
    "XDG_CACHE_HOME": "xdg/cache",
    "XDG_DATA_HOME": "xdg/data",
    "XDG_STATE_HOME": "xdg/state",
    "XDG_RUNTIME_DIR": "xdg/runtime",
}

# Point every state directory into the private directory before anything
# imports matplotlib or jupyter_core (both read these at import time).
for _name, _sub in ISOLATED_DIRS.items():
    _path = _STATE_DIR / _sub
    _path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ[_name] = str(_path)
# Use platformdirs paths now (silences jupyter_core's migration warning).
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"

import matplotlib  # noqa: E402  (must follow MPLCONFIGDIR)

matplotlib.use("Agg")


def _nbval_runs_cells_with_history() -> None:
    """Make nbval execute cells with ``store_history=True`` (see module docstring)."""
    try:
        from nbval.kernel import RunningKernel
    except ImportError:  # nbval missing: no notebook is tested in this run
        return

    def execute_cell_input(self, cell_input, allow_stdin=None):
        return self.kc.execute(
            cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
        )

    RunningKernel.execute_cell_input = execute_cell_input


_nbval_runs_cells_with_history()


@pytest.fixture(autouse=True)
def _agg_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give each unit test (and any subprocess it starts) the Agg backend."""
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def test_state_dir() -> Path:
    """The run's private directory holding Jupyter/IPython/matplotlib state."""
    return _STATE_DIR


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's private state directory."""
    shutil.rmtree(_STATE_DIR, ignore_errors=True)
