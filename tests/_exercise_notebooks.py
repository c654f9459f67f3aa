"""Exercise notebooks for the tests of the student edition and of the exercise contract.

- ``editions``: tools/editions.py (the student edition generator), loaded as a module;
- ``ROOT``, the checkout; ``INSTRUCTOR``, every instructor notebook (``notebooks/`` and
  ``notebooks/ko/``); ``notebook_ids``, their pytest ids (paths under ``notebooks/``);
- ``make_cell``: a hand-made cell, with nbgrader metadata built from ``SOLUTION``, ``TEST`` or
  ``ANSWER`` (``STREAM`` is a stored output); ``tiny_notebook``: four such cells that follow
  the exercise contract (a lecture cell, a solution, its test cell, a written answer).

Shared by tests/test_student_edition_generator.py, tests/test_exercise_contract.py and
tests/test_student_edition_runs.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)

INSTRUCTOR = editions.instructor_notebooks(ROOT)


def notebook_ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT / "notebooks")) for p in paths]


def make_cell(kind: str, source: str, nbgrader: dict | None = None, outputs: list | None = None):
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": hashlib.sha256(source.encode()).hexdigest()[:8],
        "metadata": {"nbgrader": nbgrader} if nbgrader else {},
        "source": source.splitlines(keepends=True),
    }
    if kind == "code":
        cell.update(execution_count=1, outputs=outputs or [])
    return cell


STREAM = [{"name": "stdout", "output_type": "stream", "text": ["✅ done\n"]}]
SOLUTION = {"grade": False, "solution": True, "locked": False, "task": False}
TEST = {"grade": True, "solution": False, "locked": True, "task": False, "points": 1}
ANSWER = {"grade": True, "solution": True, "locked": False, "task": False, "points": 2}


def tiny_notebook() -> dict[str, Any]:
    return {
        "cells": [
            make_cell("code", "x = 1\nx", outputs=[{"output_type": "stream", "text": "1\n"}]),
            make_cell(
                "code",
                "def f(a):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return a + 1\n"
                "    ### END SOLUTION\n",
                {**SOLUTION, "grade_id": "ex1-code", "schema_version": 3},
                STREAM,
            ),
            make_cell(
                "code",
                "check.f(f)\n### BEGIN HIDDEN TESTS\nassert f(1) == 2\n### END HIDDEN TESTS",
                {**TEST, "grade_id": "ex1-check", "schema_version": 3},
                STREAM,
            ),
            make_cell(
                "markdown",
                "### BEGIN SOLUTION\nThe derivative is 2x.\n### END SOLUTION",
                {**ANSWER, "grade_id": "ex2-answer", "schema_version": 3},
            ),
        ],
        "metadata": {"celltoolbar": "Create Assignment", "widgets": {"state": {"k": 1}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
