"""The student edition (``make student``, tools/editions.py) and the exercise contract.

- The generator replaces solution regions exactly as nbgrader's ClearSolutions does, clears
  the outputs of solution and test cells only, keeps everything else, and is deterministic.
- ``notebooks/student/`` (and ``notebooks/ko/student/``) is up to date: made again in memory
  and compared byte for byte.
- No line of any solution region appears in the student edition.
- Every instructor notebook has exercises, and its cells follow the contract (markers
  balanced, nbgrader metadata, unique ``exN-`` grade_ids, each solution code cell followed by a
  test cell that calls ``check.``), so a later edit cannot break the nbgrader loop silently.
- The student edition runs top to bottom: nothing raises, and every test cell shows one line
  ``⏳ not implemented yet: ...``. One kernel per notebook, one BLAS thread.
- ``lecture_utils.check._friendly.install`` turns a top-level ``NotImplementedError`` into that
  one line in IPython.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from lecture_utils.check import _friendly

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)

INSTRUCTOR = editions.instructor_notebooks(ROOT)
ENGLISH_STUDENT = [editions.student_path(p) for p in INSTRUCTOR if p.parent.name == "notebooks"]


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT / "notebooks")) for p in paths]


def _cell(kind: str, source: str, nbgrader: dict | None = None, outputs: list | None = None):
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


def _tiny_notebook() -> dict[str, Any]:
    return {
        "cells": [
            _cell("code", "x = 1\nx", outputs=[{"output_type": "stream", "text": "1\n"}]),
            _cell(
                "code",
                "def f(a):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return a + 1\n"
                "    ### END SOLUTION\n",
                {**SOLUTION, "grade_id": "ex1-code", "schema_version": 3},
                STREAM,
            ),
            _cell(
                "code",
                "check.f(f)\n### BEGIN HIDDEN TESTS\nassert f(1) == 2\n### END HIDDEN TESTS",
                {**TEST, "grade_id": "ex1-check", "schema_version": 3},
                STREAM,
            ),
            _cell(
                "markdown",
                "### BEGIN SOLUTION\nThe derivative is 2x.\n### END SOLUTION",
                {**ANSWER, "grade_id": "ex2-answer", "schema_version": 3},
            ),
        ],
        "metadata": {"celltoolbar": "Create Assignment", "widgets": {"state": {"k": 1}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# ------------------------------------------------------------------------------------------
# The generator
# ------------------------------------------------------------------------------------------


def test_solution_regions_become_nbgraders_stubs_at_their_indentation():
    student = editions.student_notebook(_tiny_notebook())
    sources = [editions.cell_source(c) for c in student["cells"]]
    assert sources[1] == (
        "def f(a):\n    '''Doc.'''\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    )
    assert sources[2] == "check.f(f)"  # hidden tests removed, delimiters included
    assert sources[3] == "YOUR ANSWER HERE"


def test_a_solution_cell_without_markers_is_replaced_whole_as_nbgrader_does():
    code = _cell("code", "answer = 42", {**SOLUTION, "grade_id": "ex1-code"})
    text = _cell("markdown", "It is 42.", {**ANSWER, "grade_id": "ex2-answer"})
    assert editions.cell_source(editions.student_cell(code)) == editions.CODE_STUB
    assert editions.cell_source(editions.student_cell(text)) == editions.TEXT_STUB


def test_outputs_are_cleared_only_in_solution_and_test_cells_and_metadata_is_kept():
    notebook = _tiny_notebook()
    student = editions.student_notebook(notebook)
    lecture, solution, test, answer = student["cells"]
    assert lecture["outputs"] == notebook["cells"][0]["outputs"] and lecture["execution_count"]
    assert solution["outputs"] == [] and solution["execution_count"] is None
    assert test["outputs"] == [] and test["execution_count"] is None
    for before, after in zip(notebook["cells"], student["cells"], strict=True):
        assert after["metadata"] == before["metadata"] and after["id"] == before["id"]
    assert student["metadata"] == {"widgets": {"state": {"k": 1}}}  # celltoolbar dropped
    assert notebook == _tiny_notebook(), "the instructor notebook must not be changed"


@pytest.mark.parametrize(
    "source",
    [
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
        "def f():\n    ### BEGIN SOLUTION\n    return 1",
        "check.f(f)\n### BEGIN HIDDEN TESTS\nassert True",
    ],
)
def test_unbalanced_markers_are_refused(source):
    meta = {**SOLUTION, "grade_id": "ex1-code"} if "SOLUTION" in source else TEST
    with pytest.raises(ValueError, match="BEGIN"):
        editions.student_cell(_cell("code", source, meta))


def test_a_solution_region_outside_a_solution_cell_is_refused():
    with pytest.raises(ValueError, match="solution: true"):
        editions.student_cell(_cell("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"))


def test_every_edition_directory_gets_its_student_folder_and_writing_is_deterministic(tmp_path):
    for folder in ("notebooks", "notebooks/ko"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "01_x.ipynb").write_text(json.dumps(_tiny_notebook()), "utf-8")
    (tmp_path / "notebooks" / "student").mkdir()
    (tmp_path / "notebooks" / "student" / "99_gone.ipynb").write_text("{}", "utf-8")
    assert len(editions.stale_files(tmp_path)) == 3  # two missing, one left over
    editions.write_student_editions(tmp_path)
    written = {p: p.read_bytes() for p in sorted(tmp_path.rglob("student/*.ipynb"))}
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "notebooks/ko/student/01_x.ipynb",
        "notebooks/student/01_x.ipynb",
    ]
    assert editions.write_student_editions(tmp_path) == []
    assert {p: p.read_bytes() for p in written} == written
    assert editions.stale_files(tmp_path) == []
    assert editions.student_editions(tmp_path) == editions.student_editions(tmp_path)


# ------------------------------------------------------------------------------------------
# The committed student edition
# ------------------------------------------------------------------------------------------


def test_the_committed_student_edition_is_up_to_date():
    stale = editions.stale_files(ROOT)
    assert not stale, "run `make student` and commit the result:\n" + "\n".join(stale)


def _trivial(line: str) -> bool:
    """Too short or too common to mean anything: `)`, `pass`, `else:`, `n = 0` ..."""
    return len(line) < 8 or not re.search(r"[A-Za-z0-9]", line)


def _visible_text(notebook: dict[str, Any]) -> str:
    """Every cell's source and every text output a learner sees."""
    parts = []
    for cell in notebook["cells"]:
        parts.append(editions.cell_source(cell))
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            html = output.get("data", {}).get("text/html", "")
            for value in (text, html):
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


@pytest.mark.parametrize("path", INSTRUCTOR, ids=_ids(INSTRUCTOR))
def test_no_line_of_a_solution_appears_in_the_student_edition(path):
    instructor = editions.load(path)
    visible = _visible_text(editions.student_notebook(instructor))
    leaks = sorted(
        {
            f"cell {index}: {line.strip()!r}"
            for index, lines in editions.solution_regions(instructor)
            for line in lines
            if not _trivial(line.strip()) and line.strip() in visible
        }
    )
    assert not leaks, f"{path.name}: solution lines visible in the student edition:\n" + "\n".join(
        leaks
    )


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
    good = _tiny_notebook()
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


@pytest.mark.parametrize("path", INSTRUCTOR, ids=_ids(INSTRUCTOR))
def test_every_instructor_notebook_follows_the_exercise_contract(path):
    problems = contract_problems(editions.load(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", INSTRUCTOR, ids=_ids(INSTRUCTOR))
def test_every_instructor_notebook_has_exercises(path):
    kinds = [_kind(cell) for cell in editions.load(path)["cells"]]
    assert "solution code" in kinds or "written answer" in kinds, f"{path.name}: no exercise"
    assert "test" in kinds or "written answer" in kinds, f"{path.name}: nothing is graded"


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
@pytest.mark.parametrize("path", ENGLISH_STUDENT, ids=_ids(ENGLISH_STUDENT))
def test_the_student_edition_runs_and_each_exercise_says_not_implemented(path, kernel_environment):
    problems = run_problems(path)
    assert not problems, "\n".join(problems)


def test_the_run_reports_a_stub_at_the_top_level_and_a_chatty_test_cell(
    tmp_path, kernel_environment
):
    notebook = {
        "cells": [
            _cell("code", "print('⏳ not implemented yet: f')", {**TEST, "grade_id": "ex1-check"}),
            _cell("code", "print('✅ f')\nprint('more')", {**TEST, "grade_id": "ex2-check"}),
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
    notebook["cells"][1] = _cell("code", "# YOUR CODE HERE\nraise NotImplementedError()")
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


def test_a_cell_tagged_reveals_answer_loses_its_output_in_the_student_edition():
    """The "run" half of a predict-then-run question prints the answer: students get it blank."""
    run = _cell("code", "print(9.0)")
    run["metadata"]["tags"] = [editions.REVEALS_ANSWER]
    run["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["9.0\n"]}]
    run["execution_count"] = 3
    student = editions.student_cell(run)
    assert student["outputs"] == [] and student["execution_count"] is None
    assert editions.cell_source(student) == "print(9.0)"


@pytest.mark.parametrize(("language", "tags"), [("en", []), ("ko", ["language"])])
def test_a_markdown_cell_tagged_reveals_answer_is_replaced_in_the_language_of_the_edition(
    language, tags
):
    explanation = _cell("markdown", "About 9 = C - 1: every wrong class adds 1.")
    explanation["metadata"]["tags"] = [editions.REVEALS_ANSWER]
    first = _cell("code", "import lecture_utils")
    first["metadata"]["tags"] = tags
    notebook = {"cells": [first, explanation], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    student = editions.student_notebook(notebook)
    assert editions.cell_source(student["cells"][1]) == editions.REVEALED_LATER[language]
    assert "9" not in editions.cell_source(student["cells"][1])


def test_a_written_answer_loses_its_quoted_numbers_in_the_student_edition():
    answer = _cell("markdown", "### BEGIN SOLUTION\nIt is 3.9.\n### END SOLUTION", ANSWER)
    answer["metadata"]["nbgrader"]["grade_id"] = "ex3-answer"
    answer["metadata"]["quotes"] = [{"text": "3.9", "expr": "f'{4.9 - 1:.1f}'"}]
    student = editions.student_cell(answer)
    assert "quotes" not in student["metadata"] and "3.9" not in json.dumps(student)
