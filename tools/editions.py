"""Write the student edition of the notebooks: ``python tools/editions.py student``.

The notebooks in ``notebooks/`` are the instructor edition: each exercise's reference solution
sits between nbgrader's markers (``### BEGIN SOLUTION`` / ``### END SOLUTION``, in code cells
and in the markdown cells of written answers). The student edition, ``notebooks/student/``, is
the same notebook with

- every solution region replaced exactly as nbgrader's ``ClearSolutions`` preprocessor does
  (code: ``# YOUR CODE HERE`` and ``raise NotImplementedError()`` at the indentation of the
  ``BEGIN SOLUTION`` line; markdown: ``YOUR ANSWER HERE``; a solution cell without markers is
  replaced whole), and hidden-test regions (``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN
  TESTS``) removed as ``ClearHiddenTests`` does;
- the outputs of solution cells, of test cells (the ``check.`` calls, which would show ✅) and
  of code cells tagged ``reveals-answer`` (the "run" half of a predict-then-run question, which
  prints the measured answer) cleared, every other output kept (lecture outputs, app snapshots,
  widget state); a markdown cell tagged ``reveals-answer`` (the explanation after such a check)
  replaced by one line saying the check's ✅ explains it;
- the nbgrader cell metadata kept, so the student edition is also what nbgrader hands out.

Every directory of instructor notebooks gets its own ``student/`` folder: ``notebooks/`` and,
when it exists, ``notebooks/ko/`` (the Korean edition). The output is deterministic: running
the command twice gives identical bytes. ``python tools/editions.py student --check`` writes
nothing and exits with 1 when a student notebook is missing, stale or left over.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Directories of instructor notebooks, relative to the checkout; those that exist are used.
EDITION_DIRS = ("notebooks", "notebooks/ko")
STUDENT_DIR = "student"

CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_HIDDEN_TESTS = "BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "END HIDDEN TESTS"

Notebook = dict[str, Any]
Cell = dict[str, Any]


#: Tag of a lecture cell that states an exercise's answer: a code cell's output is cleared for
#: students, a markdown cell's text (the explanation after a predict-then-run check) replaced.
REVEALS_ANSWER = "reveals-answer"
#: What a student reads instead of a markdown cell tagged ``reveals-answer``, per language.
REVEALED_LATER = {
    "en": "*The explanation of this result is left out of the student edition: an exercise asks "
    "for it, and its check explains it once your answer is right.*",
    "ko": "*이 결과에 대한 설명은 학생용 판에서 빠져 있습니다. 연습 문제가 이것을 묻고, 답이 "
    "맞으면 체크가 설명해 줍니다.*",
}


def notebook_language(notebook: Notebook) -> str:
    """``"ko"`` for the Korean edition (it has the ``language``-tagged cell), else ``"en"``."""
    for cell in notebook["cells"]:
        if "language" in cell.get("metadata", {}).get("tags", []):
            return "ko"
    return "en"


def cell_source(cell: Cell) -> str:
    """A cell's source as one string (notebooks store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _as_lines(text: str) -> list[str]:
    """The list-of-lines form nbformat writes (each line keeps its newline)."""
    return text.splitlines(keepends=True)


def nbgrader_metadata(cell: Cell) -> dict[str, Any]:
    """The cell's ``metadata.nbgrader`` (empty when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_solution_cell(cell: Cell) -> bool:
    """True for a cell nbgrader treats as a solution (code to write or a written answer)."""
    return bool(nbgrader_metadata(cell).get("solution", False))


def is_test_cell(cell: Cell) -> bool:
    """True for an autograded test cell: a code cell with ``grade: true`` and no solution."""
    meta = nbgrader_metadata(cell)
    return cell["cell_type"] == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _replace_regions(
    source: str, begin: str, end: str, replacement: Callable[[str], list[str]]
) -> tuple[str, bool]:
    """Replace each ``begin`` ... ``end`` region (delimiter lines included) by
    ``replacement(the begin line's indentation)``; returns the new source and whether a region
    was found. Unbalanced or nested delimiters are refused, as nbgrader refuses them."""
    out: list[str] = []
    inside = found = False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ValueError(f"nested {begin!r} in cell:\n{source}")
            inside = found = True
            out.extend(replacement(re.match(r"\s*", line).group(0)))
        elif end in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without {end!r} in cell:\n{source}")
    return "\n".join(out), found


def replace_solution_regions(source: str, cell_type: str) -> tuple[str, bool]:
    """Replace each ``BEGIN SOLUTION`` ... ``END SOLUTION`` region by the stub.

    The same rule as nbgrader's ``ClearSolutions._replace_solution_region``: the line holding
    ``BEGIN SOLUTION`` becomes the stub indented like it, the lines up to and including the
    one holding ``END SOLUTION`` are dropped.

    Returns
    -------
    source : str
        The new source.
    replaced : bool
        Whether the source held a solution region.
    """
    stub = (CODE_STUB if cell_type == "code" else TEXT_STUB).split("\n")
    return _replace_regions(
        source, BEGIN_SOLUTION, END_SOLUTION, lambda indent: [indent + line for line in stub]
    )


def remove_hidden_tests(source: str) -> tuple[str, bool]:
    """Drop each ``BEGIN HIDDEN TESTS`` ... ``END HIDDEN TESTS`` region, delimiters included
    (nbgrader's ``ClearHiddenTests``). Returns the new source and whether one was removed."""
    return _replace_regions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, lambda indent: [])


def solution_regions(notebook: Notebook) -> list[tuple[int, list[str]]]:
    """The lines inside every solution region (markers excluded), with their cell's index.

    A solution cell without markers counts as one region holding its whole source.
    """
    regions: list[tuple[int, list[str]]] = []
    for index, cell in enumerate(notebook["cells"]):
        lines = cell_source(cell).split("\n")
        current: list[str] | None = None
        found = False
        for line in lines:
            if BEGIN_SOLUTION in line:
                current, found = [], True
            elif END_SOLUTION in line and current is not None:
                regions.append((index, current))
                current = None
            elif current is not None:
                current.append(line)
        if is_solution_cell(cell) and not found:
            regions.append((index, lines))
    return regions


def withhold_answers(cell: Cell, language: str) -> None:
    """Hide, in place, what gives an answer away outside the solution regions.

    A markdown cell tagged ``reveals-answer`` gets the line of :data:`REVEALED_LATER`; a
    solution cell loses its quoted numbers (metadata ``quotes``, tests/test_prose_quotes.py),
    which are a written answer's answer. Shared by :func:`student_cell` and nbgrader's release
    (``tools/nbgrader_reveals.py``), so both hide the same.
    """
    if is_solution_cell(cell):
        cell.get("metadata", {}).pop("quotes", None)
    tags = cell.get("metadata", {}).get("tags", [])
    if cell["cell_type"] == "markdown" and REVEALS_ANSWER in tags:
        cell["source"] = REVEALED_LATER[language]


def student_cell(cell: Cell, language: str = "en") -> Cell:
    """The student edition of one cell (a new dict; the argument is not changed)."""
    cell = copy.deepcopy(cell)
    withhold_answers(cell, language)
    source = cell_source(cell)
    source, replaced = replace_solution_regions(source, cell["cell_type"])
    if replaced and not is_solution_cell(cell):
        raise ValueError(
            "a solution region in a cell without nbgrader metadata solution: true "
            f"(cell id {cell.get('id')!r}); nbgrader refuses it too"
        )
    if is_solution_cell(cell) and not replaced:
        source = CODE_STUB if cell["cell_type"] == "code" else TEXT_STUB
    source, _ = remove_hidden_tests(source)
    cell["source"] = _as_lines(source)
    reveals = REVEALS_ANSWER in cell.get("metadata", {}).get("tags", [])
    if cell["cell_type"] == "code" and (is_solution_cell(cell) or is_test_cell(cell) or reveals):
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def student_notebook(notebook: Notebook) -> Notebook:
    """The student edition of an instructor notebook (a new dict)."""
    student = {key: copy.deepcopy(value) for key, value in notebook.items() if key != "cells"}
    language = notebook_language(notebook)
    student["cells"] = [student_cell(cell, language) for cell in notebook["cells"]]
    student.get("metadata", {}).pop("celltoolbar", None)  # as ClearSolutions does
    return student


def dumps(notebook: Notebook) -> str:
    """The notebook as nbformat writes it: one-space indent, sorted keys, UTF-8 text."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path) -> Notebook:
    """Read a notebook file as plain JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def instructor_dirs(root: Path = ROOT) -> list[Path]:
    """The directories of instructor notebooks that exist under ``root``."""
    return [root / name for name in EDITION_DIRS if (root / name).is_dir()]


def instructor_notebooks(root: Path = ROOT) -> list[Path]:
    """Every instructor notebook: ``NN_topic.ipynb`` in each directory of
    :func:`instructor_dirs`."""
    return [path for folder in instructor_dirs(root) for path in sorted(folder.glob("*.ipynb"))]


def student_path(instructor: Path) -> Path:
    """Where the student edition of an instructor notebook goes."""
    return instructor.parent / STUDENT_DIR / instructor.name


def student_editions(root: Path = ROOT) -> dict[Path, str]:
    """Student notebook path -> its text, for every instructor notebook, made in memory."""
    return {
        student_path(path): dumps(student_notebook(load(path)))
        for path in instructor_notebooks(root)
    }


def stale_files(root: Path = ROOT) -> list[str]:
    """Student notebooks that are missing, differ from a fresh build, or have no source."""
    wanted = student_editions(root)
    problems = [
        f"{path.relative_to(root)}: {'stale' if path.exists() else 'missing'}"
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    for folder in instructor_dirs(root):
        for path in sorted((folder / STUDENT_DIR).glob("*.ipynb")):
            if path not in wanted:
                problems.append(f"{path.relative_to(root)}: no instructor notebook")
    return problems


def write_student_editions(root: Path = ROOT) -> list[Path]:
    """Write every student notebook (and remove those whose instructor notebook is gone).

    Returns the paths written or removed.
    """
    wanted = student_editions(root)
    changed: list[Path] = []
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(path)
    for folder in instructor_dirs(root):
        for path in sorted((folder / STUDENT_DIR).glob("*.ipynb")):
            if path not in wanted:
                path.unlink()
                changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    student = sub.add_parser("student", help="write notebooks/student/ (and notebooks/ko/student/)")
    student.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_files()
        for line in problems:
            print(line)
        if problems:
            print("run `make student` and commit notebooks/**/student/")
        return 1 if problems else 0
    changed = write_student_editions()
    for path in changed:
        print(f"{'wrote' if path.exists() else 'removed'} {path.relative_to(ROOT)}")
    print(f"{len(student_editions())} student notebooks, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
