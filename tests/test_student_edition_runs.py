"""The student edition runs top to bottom, and says which exercise is not implemented yet.

- Each English student notebook runs in one kernel (one BLAS thread): nothing raises, and every
  test cell shows one line ``⏳ not implemented yet: ...``. ``run_problems`` reports a stub at
  the top level and a test cell that says more (tested on hand-made notebooks).
- ``lecture_utils.check._friendly.install`` turns a top-level ``NotImplementedError`` into that
  one line in IPython.

The student notebooks take about 40 s to run (``slow``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from _exercise_notebooks import INSTRUCTOR, ROOT, TEST, editions, make_cell, notebook_ids

from lecture_utils.check import _friendly

ENGLISH_STUDENT = [editions.student_path(p) for p in INSTRUCTOR if p.parent.name == "notebooks"]


# ------------------------------------------------------------------------------------------
# The student edition runs top to bottom
# ------------------------------------------------------------------------------------------


def _shown_text(cell: dict[str, Any]) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "".join("".join(p) if isinstance(p, list) else p for p in parts).strip()


def run_problems(path: Path) -> list[str]:
    """Run a student notebook top to bottom in one kernel; what breaks the contract.

    Nothing may raise; a ``NotImplementedError`` at the top level means a stub outside a
    function body. Every test cell must show exactly one line ``⏳ not implemented yet: ...``.
    """
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    started: list[int] = []
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=lambda cell, cell_index: started.append(cell_index),
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        where = f"{path.name} cell {started[-1] if started else '?'}"
        if error.ename == "NotImplementedError":
            return [
                f"{where}: NotImplementedError at the top level. The exercise contract puts "
                "every solution inside a function body, so that Run All goes on and the check "
                f"prints one '{_friendly.PREFIX}' line."
            ]
        return [f"{where} raised {error.ename}: {error.evalue}"]
    return [
        f"{path.name} cell {index}: a test cell must show one line '{_friendly.PREFIX} ...', "
        f"shows {_shown_text(cell)!r}"
        for index, cell in enumerate(notebook.cells)
        if editions.is_test_cell(cell)
        and not (_shown_text(cell).startswith(_friendly.PREFIX) and "\n" not in _shown_text(cell))
    ]


@pytest.fixture
def kernel_environment(monkeypatch):
    """The kernel as a learner's: its own matplotlib backend, one BLAS thread, this checkout."""
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", ENGLISH_STUDENT, ids=notebook_ids(ENGLISH_STUDENT))
def test_the_student_edition_runs_and_each_exercise_says_not_implemented(path, kernel_environment):
    problems = run_problems(path)
    assert not problems, "\n".join(problems)


def test_the_run_reports_a_stub_at_the_top_level_and_a_chatty_test_cell(
    tmp_path, kernel_environment
):
    notebook = {
        "cells": [
            make_cell(
                "code", "print('⏳ not implemented yet: f')", {**TEST, "grade_id": "ex1-check"}
            ),
            make_cell("code", "print('✅ f')\nprint('more')", {**TEST, "grade_id": "ex2-check"}),
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    chatty = tmp_path / "chatty.ipynb"
    chatty.write_text(json.dumps(notebook), encoding="utf-8")
    assert run_problems(chatty) == [
        "chatty.ipynb cell 1: a test cell must show one line '⏳ not implemented yet: ...', "
        "shows '✅ f\\nmore'"
    ]
    notebook["cells"][1] = make_cell("code", "# YOUR CODE HERE\nraise NotImplementedError()")
    stub = tmp_path / "stub.ipynb"
    stub.write_text(json.dumps(notebook), encoding="utf-8")
    (problem,) = run_problems(stub)
    assert problem.startswith("stub.ipynb cell 1: NotImplementedError at the top level")


# ------------------------------------------------------------------------------------------
# The friendly line for NotImplementedError in IPython
# ------------------------------------------------------------------------------------------


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    yield InteractiveShell(config=Config(HistoryManager={"enabled": False}))


def test_install_shows_one_line_for_a_top_level_not_implemented_error(shell, capsys):
    assert _friendly.install(shell) is True
    assert _friendly.install(shell) is True  # installing twice changes nothing
    shell.run_cell(
        "def my_l2(W):\n    '''Doc.'''\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )
    result = shell.run_cell("value, grad = my_l2(1.0)")
    out = capsys.readouterr()
    assert out.out == (
        "⏳ not implemented yet: replace raise NotImplementedError() in my_l2 with your code\n"
    )
    assert "Traceback" not in out.out + out.err
    assert isinstance(result.error_in_exec, NotImplementedError), "the cell still fails"
    shell.run_cell("raise NotImplementedError('the sparse case')")
    assert capsys.readouterr().out == (
        "⏳ not implemented yet: replace raise NotImplementedError() in this cell with your "
        "code (the sparse case)\n"
    )


def test_install_leaves_other_errors_and_other_handlers_alone(shell, capsys):
    _friendly.install(shell)
    shell.run_cell("1 / 0")
    assert "ZeroDivisionError" in capsys.readouterr().out
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    other = InteractiveShell(config=Config(HistoryManager={"enabled": False}))
    other.set_custom_exc((KeyError,), lambda *args, **kwargs: None)
    assert _friendly.install(other) is False
    assert other.custom_exceptions == (KeyError,)


def test_install_outside_ipython_does_nothing(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert _friendly.install() is False
