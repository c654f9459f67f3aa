"""The student edition (``make student``, tools/editions.py): the generator and its output.

- The generator replaces solution regions exactly as nbgrader's ClearSolutions does, clears
  the outputs of solution and test cells only, keeps everything else, and is deterministic;
  cells that reveal an answer (tag ``reveals-answer``, quoted numbers of a written answer) are
  blanked.
- ``notebooks/student/`` (and ``notebooks/ko/student/``) is up to date: made again in memory
  and compared byte for byte.
- No line of any solution region appears in the student edition.

The exercise contract is tested in tests/test_exercise_contract.py; the student edition's run
top to bottom in tests/test_student_edition_runs.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from _exercise_notebooks import (
    ANSWER,
    INSTRUCTOR,
    ROOT,
    SOLUTION,
    TEST,
    editions,
    make_cell,
    notebook_ids,
    tiny_notebook,
)

# ------------------------------------------------------------------------------------------
# The generator
# ------------------------------------------------------------------------------------------


def test_solution_regions_become_nbgraders_stubs_at_their_indentation():
    student = editions.student_notebook(tiny_notebook())
    sources = [editions.cell_source(c) for c in student["cells"]]
    assert sources[1] == (
        "def f(a):\n    '''Doc.'''\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    )
    assert sources[2] == "check.f(f)"  # hidden tests removed, delimiters included
    assert sources[3] == "YOUR ANSWER HERE"


def test_a_solution_cell_without_markers_is_replaced_whole_as_nbgrader_does():
    code = make_cell("code", "answer = 42", {**SOLUTION, "grade_id": "ex1-code"})
    text = make_cell("markdown", "It is 42.", {**ANSWER, "grade_id": "ex2-answer"})
    assert editions.cell_source(editions.student_cell(code)) == editions.CODE_STUB
    assert editions.cell_source(editions.student_cell(text)) == editions.TEXT_STUB


def test_outputs_are_cleared_only_in_solution_and_test_cells_and_metadata_is_kept():
    notebook = tiny_notebook()
    student = editions.student_notebook(notebook)
    lecture, solution, test, answer = student["cells"]
    assert lecture["outputs"] == notebook["cells"][0]["outputs"] and lecture["execution_count"]
    assert solution["outputs"] == [] and solution["execution_count"] is None
    assert test["outputs"] == [] and test["execution_count"] is None
    for before, after in zip(notebook["cells"], student["cells"], strict=True):
        assert after["metadata"] == before["metadata"] and after["id"] == before["id"]
    assert student["metadata"] == {"widgets": {"state": {"k": 1}}}  # celltoolbar dropped
    assert notebook == tiny_notebook(), "the instructor notebook must not be changed"


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
        editions.student_cell(make_cell("code", source, meta))


def test_a_solution_region_outside_a_solution_cell_is_refused():
    with pytest.raises(ValueError, match="solution: true"):
        editions.student_cell(make_cell("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"))


def test_every_edition_directory_gets_its_student_folder_and_writing_is_deterministic(tmp_path):
    for folder in ("notebooks", "notebooks/ko"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "01_x.ipynb").write_text(json.dumps(tiny_notebook()), "utf-8")
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
# Cells that reveal an answer
# ------------------------------------------------------------------------------------------


def test_a_cell_tagged_reveals_answer_loses_its_output_in_the_student_edition():
    """The "run" half of a predict-then-run question prints the answer: students get it blank."""
    run = make_cell("code", "print(9.0)")
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
    explanation = make_cell("markdown", "About 9 = C - 1: every wrong class adds 1.")
    explanation["metadata"]["tags"] = [editions.REVEALS_ANSWER]
    first = make_cell("code", "import lecture_utils")
    first["metadata"]["tags"] = tags
    notebook = {"cells": [first, explanation], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    student = editions.student_notebook(notebook)
    assert editions.cell_source(student["cells"][1]) == editions.REVEALED_LATER[language]
    assert "9" not in editions.cell_source(student["cells"][1])


def test_a_written_answer_loses_its_quoted_numbers_in_the_student_edition():
    answer = make_cell("markdown", "### BEGIN SOLUTION\nIt is 3.9.\n### END SOLUTION", ANSWER)
    answer["metadata"]["nbgrader"]["grade_id"] = "ex3-answer"
    answer["metadata"]["quotes"] = [{"text": "3.9", "expr": "f'{4.9 - 1:.1f}'"}]
    student = editions.student_cell(answer)
    assert "quotes" not in student["metadata"] and "3.9" not in json.dumps(student)


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


@pytest.mark.parametrize("path", INSTRUCTOR, ids=notebook_ids(INSTRUCTOR))
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
