"""The exercise contract of the instructor notebooks (the cells nbgrader grades).

Every instructor notebook has exercises, and its cells follow the contract (markers balanced,
nbgrader metadata, unique ``exN-`` grade_ids, each solution code cell followed by a test cell
that calls ``check.``), so a later edit cannot break the nbgrader loop silently.
``contract_problems`` lists every way a notebook breaks it, and is tested on hand-made mistakes.
(The behaviour every ``check`` shares is tested in tests/test_check_contract.py.)
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from _exercise_notebooks import INSTRUCTOR, editions, notebook_ids, tiny_notebook

# ------------------------------------------------------------------------------------------
# The exercise contract in the instructor notebooks
# ------------------------------------------------------------------------------------------

KINDS = {
    "solution code": ("code", {"grade": False, "solution": True, "locked": False, "task": False}),
    "test": ("code", {"grade": True, "solution": False, "locked": True, "task": False}),
    "written answer": (
        "markdown",
        {"grade": True, "solution": True, "locked": False, "task": False},
    ),
}
GRADE_ID = re.compile(r"ex\d+-[a-z0-9]+(-[a-z0-9]+)*")


def _kind(cell: dict[str, Any]) -> str | None:
    meta = editions.nbgrader_metadata(cell)
    for name, (cell_type, flags) in KINDS.items():
        if cell["cell_type"] == cell_type and all(meta.get(k) == v for k, v in flags.items()):
            return name
    return None


def _marker_problems(source: str, begin: str, end: str) -> list[str]:
    problems, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            problems += [f"nested {begin!r}"] if inside else []
            inside = True
        elif end in line:
            problems += [] if inside else [f"{end!r} without {begin!r}"]
            inside = False
    return problems + ([f"{begin!r} without {end!r}"] if inside else [])


def contract_problems(notebook: dict[str, Any]) -> list[str]:
    """Every way the notebook's cells break the exercise contract (empty: none)."""
    problems: list[str] = []
    cells = notebook["cells"]
    ids = [cell.get("id") for cell in cells]
    if None in ids or len(set(ids)) != len(ids):
        problems.append("every cell needs an id, unique in the notebook")
    grade_ids: list[str] = []
    for index, cell in enumerate(cells):
        where = f"cell {index} ({cell.get('id')})"
        source = editions.cell_source(cell)
        meta = editions.nbgrader_metadata(cell)
        kind = _kind(cell) if meta else None
        for begin, end in [
            (editions.BEGIN_SOLUTION, editions.END_SOLUTION),
            (editions.BEGIN_HIDDEN_TESTS, editions.END_HIDDEN_TESTS),
        ]:
            problems += [f"{where}: {p}" for p in _marker_problems(source, begin, end)]
        if editions.BEGIN_SOLUTION in source and kind not in ("solution code", "written answer"):
            problems.append(f"{where}: a solution region outside a solution cell")
        if editions.BEGIN_HIDDEN_TESTS in source and kind != "test":
            problems.append(f"{where}: hidden tests outside a test cell")
        if not meta:
            continue
        if kind is None:
            problems.append(f"{where}: nbgrader metadata of no contract kind: {meta}")
            continue
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: schema_version must be 3")
        grade_id = meta.get("grade_id", "")
        grade_ids.append(grade_id)
        if not GRADE_ID.fullmatch(grade_id):
            problems.append(f"{where}: grade_id {grade_id!r} is not exN-...")
        points = meta.get("points")
        if kind != "solution code" and not (isinstance(points, int | float) and points > 0):
            problems.append(f"{where}: a graded cell needs points > 0, has {points!r}")
        if kind == "test" and not re.search(r"\bcheck\.\w+\(", source):
            problems.append(f"{where}: a test cell must call check.NAME(...)")
        if kind == "written answer" and editions.BEGIN_SOLUTION not in source:
            problems.append(f"{where}: the answer must sit between the SOLUTION markers")
        if kind == "solution code":
            problems += [f"{where}: {p}" for p in _solution_code_problems(source)]
            following = next((c for c in cells[index + 1 :] if c["cell_type"] == "code"), None)
            if following is None or _kind(following) != "test":
                problems.append(f"{where}: a solution cell must be followed by its test cell")
    duplicates = sorted({g for g in grade_ids if grade_ids.count(g) > 1})
    if duplicates:
        problems.append(f"grade_ids used twice: {duplicates}")
    return problems


def _solution_code_problems(source: str) -> list[str]:
    """The stub must land inside a function body: a ``def`` above an indented marker."""
    lines = source.split("\n")
    begins = [i for i, line in enumerate(lines) if editions.BEGIN_SOLUTION in line]
    if not begins:
        return ["a solution code cell without ### BEGIN SOLUTION"]
    problems = []
    for i in begins:
        if not lines[i].startswith((" ", "\t")) or not any(
            re.match(r"\s*def \w+\(", line) for line in lines[:i]
        ):
            problems.append(
                "the solution must be inside a function body (a stub raising at the top "
                "level would stop Run All)"
            )
    return problems


def test_contract_checker_finds_each_kind_of_mistake():
    good = tiny_notebook()
    assert contract_problems(good) == []
    broken = copy.deepcopy(good)
    broken["cells"][2]["metadata"]["nbgrader"]["grade_id"] = "ex1-code"  # duplicate
    broken["cells"][1]["source"] = ["### BEGIN SOLUTION\n", "x = 1\n", "### END SOLUTION\n"]
    broken["cells"][3]["metadata"]["nbgrader"]["points"] = 0
    broken["cells"][0]["source"] = ["# BEGIN HIDDEN TESTS\n"]
    found = "\n".join(contract_problems(broken))
    for expected in ["used twice", "function body", "points > 0", "hidden tests outside", "'END"]:
        assert expected in found, expected
    swapped = copy.deepcopy(good)
    swapped["cells"][1:3] = swapped["cells"][2:0:-1]
    assert "followed by its test cell" in "\n".join(contract_problems(swapped))


@pytest.mark.parametrize("path", INSTRUCTOR, ids=notebook_ids(INSTRUCTOR))
def test_every_instructor_notebook_follows_the_exercise_contract(path):
    problems = contract_problems(editions.load(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", INSTRUCTOR, ids=notebook_ids(INSTRUCTOR))
def test_every_instructor_notebook_has_exercises(path):
    kinds = [_kind(cell) for cell in editions.load(path)["cells"]]
    assert "solution code" in kinds or "written answer" in kinds, f"{path.name}: no exercise"
    assert "test" in kinds or "written answer" in kinds, f"{path.name}: nothing is graded"
