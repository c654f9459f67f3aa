"""The test run's own environment, set up in the root conftest.py.

Checks that Jupyter/IPython/matplotlib state stays out of $HOME, that unit tests
draw with Agg while nbval kernels keep the notebook backend, and that nbval
honours a trailing ``;`` the way JupyterLab does.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

STATE_VARIABLES = [
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
    "IPYTHONDIR",
    "MPLCONFIGDIR",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "XDG_RUNTIME_DIR",
]


@pytest.mark.parametrize("name", STATE_VARIABLES)
def test_state_directory_is_private_to_the_run(name: str, test_state_dir: Path):
    path = Path(os.environ[name]).resolve()
    assert path.is_relative_to(test_state_dir.resolve()), f"{name}={path}"
    assert path.is_dir()


def test_unit_tests_draw_with_agg():
    assert os.environ["MPLBACKEND"] == "Agg"
    assert matplotlib.get_backend().lower() == "agg"


def _run_in_kernel(kernel, code: str) -> list[dict]:
    """Execute ``code`` in an nbval kernel; return its iopub output messages."""
    msg_id = kernel.execute_cell_input(code, allow_stdin=False)
    kernel.await_reply(msg_id, timeout=60)
    outputs = []
    while True:
        msg = kernel.get_message(stream="iopub", timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        if msg["msg_type"] in {"execute_result", "stream", "display_data", "error"}:
            outputs.append(msg)


@pytest.fixture(scope="module")
def nbval_kernel(tmp_path_factory):
    kernel_module = pytest.importorskip("nbval.kernel")
    kernel = kernel_module.RunningKernel(
        kernel_module.CURRENT_ENV_KERNEL_NAME, cwd=str(tmp_path_factory.mktemp("kernel"))
    )
    yield kernel
    kernel.stop()


def test_nbval_hides_the_result_of_a_cell_ending_in_semicolon(nbval_kernel):
    shown = _run_in_kernel(nbval_kernel, "x = 20\nx + 1")
    assert [m["content"]["data"]["text/plain"] for m in shown] == ["21"]
    hidden = _run_in_kernel(nbval_kernel, "x = 20\nx + 1;")
    assert hidden == []


def test_nbval_kernel_inherits_isolation_but_not_agg(nbval_kernel, test_state_dir: Path):
    code = "import os; print(os.environ['IPYTHONDIR']); print(os.environ.get('MPLBACKEND'))"
    (msg,) = _run_in_kernel(nbval_kernel, code)
    ipython_dir, backend = msg["content"]["text"].splitlines()
    assert Path(ipython_dir).is_relative_to(test_state_dir)
    assert backend != "Agg"
