"""A teacher's grading loop with the real nbgrader, end to end, on a temporary course folder.

The course holds two assignments:

- ``fixture``: one small notebook written here that follows the exercise contract (an
  implementation exercise ``my_svm_loss``, a number question, ``my_l2`` with a hidden test,
  a written answer graded by hand);
- ``notebooks``: every instructor notebook in ``notebooks/`` that carries nbgrader metadata
  (none until the exercise sections are converted; each one is covered as soon as it lands).

The loop is the one the README's instructor's guide describes: ``nbgrader generate_assignment``,
submissions in ``submitted/<student>/<assignment>/``, ``nbgrader autograde``, the gradebook,
``nbgrader generate_feedback``. Submitting the reference solutions gets full marks; each buggy
submission loses exactly the points of the exercises it got wrong, and its feedback shows the
message the check gives for that mistake; submitting the release unchanged gets no points and
the feedback says "not implemented yet". The release equals ``make student``'s edition.

Cost: one ``generate_assignment`` and one ``autograde`` run per assignment (all students at
once), one ``generate_feedback`` run for the fixture, one kernel per submitted notebook: about
25 s for the fixture's seven submissions on a quiet 2-core machine, plus one run of each
converted instructor notebook (2-10 s each).
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "nbgrader",
    reason="nbgrader is in the `teach` extra: pip install -e '.[teach]' (make test installs it)",
)
from nbgrader.api import Gradebook  # noqa: E402

from lecture_utils import check  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)

#: Checks raise ``check.ExerciseFailed`` under nbgrader (the exercise contract). Without it a
#: wrong answer would still get the points, so the tests that need it skip with this reason.
GRADING_MODE = hasattr(check, "ExerciseFailed")
NEEDS_GRADING_MODE = pytest.mark.skipif(
    not GRADING_MODE,
    reason="lecture_utils.check has no ExerciseFailed yet: checks do not fail nbgrader's cells",
)

# ------------------------------------------------------------------------------------------
# The fixture notebook: one exercise of each kind, as the contract writes them
# ------------------------------------------------------------------------------------------

SVM_HEADER = '''\
def my_svm_loss(W, X, y, reg):
    """Multiclass SVM loss (Delta = 1) with L2 regularization, and its gradient.

    W (D, C), X (N, D), y (N,) -> (loss, dW (D, C)).
    """
'''
SVM_SOLUTION = """\
n = X.shape[0]
scores = X @ W
margins = np.maximum(0, scores - scores[np.arange(n), y][:, None] + 1.0)
margins[np.arange(n), y] = 0
loss = margins.sum() / n + reg * np.sum(W * W)
dscores = (margins > 0).astype(float)
dscores[np.arange(n), y] = -dscores.sum(axis=1)
dW = X.T @ dscores / n + 2 * reg * W
return loss, dW
"""
PREDICT_HEADER = '''\
def predicted_svm_initial_loss():
    """Your prediction for C = 10 classes: a number."""
'''
PREDICT_SOLUTION = "return 9.0\n"
L2_HEADER = '''\
def my_l2(W):
    """The L2 penalty sum(W**2) and its gradient: W (D, C) -> (value, grad (D, C))."""
'''
L2_SOLUTION = "return np.sum(W * W), 2 * W\n"
HIDDEN_TEST = "assert np.isclose(my_l2(np.array([[1.0, -2.0]]))[0], 5.0)"
WRITTEN_SOLUTION = "Every wrong class j adds max(0, 0 - 0 + 1) = 1, so L = C - 1."

#: grade_id of each autograded test cell -> (points, its solution cell's header).
EXERCISES = {
    "ex1-check": (3, SVM_HEADER),
    "ex2-check": (1, PREDICT_HEADER),
    "ex3-check": (2, L2_HEADER),
}
WRITTEN = ("ex4-answer", 2)

#: Submissions with typical bugs: student -> {test cell grade_id: the wrong solution body}.
#: Each student gets some exercises wrong and the others right.
BUGS: dict[str, dict[str, str]] = {
    "bugs-correct-class-and-ten": {
        "ex1-check": SVM_SOLUTION.replace("margins[np.arange(n), y] = 0\n", ""),
        "ex2-check": "return 10.0\n",
    },
    "bugs-sum-and-half": {
        "ex1-check": SVM_SOLUTION.replace("margins.sum() / n", "margins.sum()").replace(
            "X.T @ dscores / n", "X.T @ dscores"
        ),
        "ex3-check": "return 0.5 * np.sum(W * W), W\n",
    },
    "bugs-one-and-factor-two": {
        "ex2-check": "return 1.0\n",
        "ex3-check": "return np.sum(W * W), W\n",
    },
    "bugs-no-reg-and-l1": {
        "ex1-check": SVM_SOLUTION.replace(" + reg * np.sum(W * W)", "").replace(
            " + 2 * reg * W", ""
        ),
        "ex3-check": "return np.sum(np.abs(W)), np.sign(W)\n",
    },
    "bugs-gradient-sign-and-zero": {
        "ex1-check": SVM_SOLUTION.replace("return loss, dW", "return loss, -dW"),
        "ex2-check": "return 0.0\n",
    },
}
SOLUTIONS = {"ex1-check": SVM_SOLUTION, "ex2-check": PREDICT_SOLUTION, "ex3-check": L2_SOLUTION}
#: The function each exercise's check receives: the function itself, or its value for a question.
CHECKS = {
    "ex1-check": ("svm_loss", "my_svm_loss"),
    "ex2-check": ("svm_initial_loss", "predicted_svm_initial_loss"),
    "ex3-check": ("l2", "my_l2"),
}


def _meta(kind: str, grade_id: str, points: int = 0) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "solution_code": {"grade": False, "solution": True, "locked": False},
        "test": {"grade": True, "solution": False, "locked": True},
        "answer": {"grade": True, "solution": True, "locked": False},
    }[kind]
    meta = {**meta, "task": False, "grade_id": grade_id, "schema_version": 3}
    if kind != "solution_code":
        meta["points"] = points
    return {"nbgrader": meta}


def _solution_source(header: str, body: str, markers: bool = True) -> str:
    lines = ["### BEGIN SOLUTION\n", *body.splitlines(keepends=True), "### END SOLUTION\n"]
    if not markers:
        lines = body.splitlines(keepends=True)
    return header + textwrap.indent("".join(lines), "    ")


def _cell(kind: str, source: str, cell_id: str, metadata: dict | None = None) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": cell_id,
        "metadata": metadata or {},
        "source": source.splitlines(keepends=True),
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def fixture_notebook() -> dict[str, Any]:
    """The fixture's instructor notebook (contract conventions, nbgrader metadata)."""
    cells = [
        _cell("markdown", "# Fixture: one exercise of each kind", "a0000001"),
        _cell("code", "import numpy as np\n\nfrom lecture_utils import check", "a0000002"),
        _cell(
            "markdown",
            "**Exercise 1.** Implement the SVM loss.\n\n"
            "<details><summary>Hint 1</summary> Use the margins. </details>",
            "a0000003",
        ),
        _cell(
            "code",
            _solution_source(SVM_HEADER, SVM_SOLUTION),
            "a0000004",
            _meta("solution_code", "ex1-code"),
        ),
        _cell("code", "check.svm_loss(my_svm_loss)", "a0000005", _meta("test", "ex1-check", 3)),
        _cell("markdown", "**Exercise 2.** Predict the initial loss for C = 10.", "a0000006"),
        _cell(
            "code",
            _solution_source(PREDICT_HEADER, PREDICT_SOLUTION),
            "a0000007",
            _meta("solution_code", "ex2-code"),
        ),
        _cell(
            "code",
            "check.svm_initial_loss(predicted_svm_initial_loss)",
            "a0000008",
            _meta("test", "ex2-check", 1),
        ),
        _cell("markdown", "**Exercise 3.** The L2 penalty.", "a0000009"),
        _cell(
            "code",
            _solution_source(L2_HEADER, L2_SOLUTION),
            "a000000a",
            _meta("solution_code", "ex3-code"),
        ),
        _cell(
            "code",
            "check.l2(my_l2)\n### BEGIN HIDDEN TESTS\n" + HIDDEN_TEST + "\n### END HIDDEN TESTS",
            "a000000b",
            _meta("test", "ex3-check", 2),
        ),
        _cell("markdown", "**Exercise 4.** Why is the initial loss C - 1?", "a000000c"),
        _cell(
            "markdown",
            f"### BEGIN SOLUTION\n{WRITTEN_SOLUTION}\n### END SOLUTION",
            "a000000d",
            _meta("answer", WRITTEN[0], WRITTEN[1]),
        ),
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def real_notebooks() -> list[Path]:
    """Instructor notebooks that carry nbgrader metadata (the exercise contract)."""
    return [
        path
        for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
        if any(editions.nbgrader_metadata(c) for c in editions.load(path)["cells"])
    ]


def _submission(release: dict[str, Any], bodies: dict[str, str]) -> dict[str, Any]:
    """The released fixture with each solution cell filled: ``bodies[test grade_id]``, or the
    reference solution; an exercise missing from both stays as released."""
    notebook = json.loads(json.dumps(release))
    for cell in notebook["cells"]:
        grade_id = editions.nbgrader_metadata(cell).get("grade_id", "")
        test_id = grade_id.replace("-code", "-check")
        if grade_id.endswith("-code") and test_id in bodies:
            header = EXERCISES[test_id][1]
            cell["source"] = _solution_source(header, bodies[test_id], markers=False)
        elif grade_id == WRITTEN[0] and bodies:
            cell["source"] = WRITTEN_SOLUTION
    return notebook


# ------------------------------------------------------------------------------------------
# The course folder and the nbgrader runs (once per module)
# ------------------------------------------------------------------------------------------


@dataclass
class Course:
    root: Path
    #: (assignment, student, notebook) -> grade_id -> (score, max_score, needs_manual_grade)
    grades: dict[tuple[str, str, str], dict[str, tuple[float | None, float, bool]]]
    runs: list[str]

    def feedback(self, assignment: str, student: str, notebook: str) -> str:
        """The feedback page's visible text (tags dropped, entities decoded, spaces collapsed)."""
        page = self.root / "feedback" / student / assignment / f"{notebook}.html"
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        return " ".join(text.split())

    def release(self, assignment: str, notebook: str) -> dict[str, Any]:
        return editions.load(self.root / "release" / assignment / f"{notebook}.ipynb")


def _path_with_venv(path: str) -> str:
    """PATH with this interpreter's bin directory first: nbgrader's gradebook runs the
    ``alembic`` command, found on PATH, and ``make test`` does not activate .venv."""
    return os.pathsep.join(filter(None, [str(Path(sys.executable).parent), path]))


def _nbgrader(course: Path, *args: str, runs: list[str]) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["PATH"] = _path_with_venv(env.get("PATH", ""))
    env.pop("MPLBACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    runs.append(" ".join(args))
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    assert "[ERROR]" not in done.stderr, f"nbgrader {' '.join(args)} logged errors:\n{done.stderr}"


def _write(path: Path, notebook: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(editions.dumps(notebook), encoding="utf-8")


FIXTURE = ("fixture", "exercises")
STUDENTS = ["reference", "unsolved", *BUGS]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(
        textwrap.dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(ROOT / "tools")!r})
            import nbgrader_reveals

            c = get_config()
            nbgrader_reveals.configure(c)  # the release hides what make student hides
            c.CourseDirectory.course_id = "loss-optimization-lab"
            c.CourseDirectory.root = {str(root)!r}
            c.Execute.timeout = 300
            """
        ),
        encoding="utf-8",
    )
    runs: list[str] = []
    assignments = {"fixture": {"exercises": fixture_notebook()}}
    real = {path.stem: editions.load(path) for path in real_notebooks()}
    if real:
        assignments["notebooks"] = real
    for assignment, notebooks in assignments.items():
        for name, notebook in notebooks.items():
            _write(root / "source" / assignment / f"{name}.ipynb", notebook)
        _nbgrader(root, "generate_assignment", assignment, "--force", runs=runs)

    release = editions.load(root / "release" / "fixture" / "exercises.ipynb")
    fixture_students = {
        "reference": _submission(release, SOLUTIONS),
        "unsolved": release,
        **{student: _submission(release, {**SOLUTIONS, **bugs}) for student, bugs in BUGS.items()},
    }
    for student, notebook in fixture_students.items():
        _write(root / "submitted" / student / "fixture" / "exercises.ipynb", notebook)
    for name, notebook in real.items():  # the instructor's own notebook as the reference
        _write(root / "submitted" / "reference" / "notebooks" / f"{name}.ipynb", notebook)

    grades: dict[tuple[str, str, str], dict[str, tuple[float | None, float, bool]]] = {}
    for assignment, notebooks in assignments.items():
        _nbgrader(root, "autograde", assignment, "--force", runs=runs)
        if assignment == "fixture":  # the tests read only the fixture's feedback
            _nbgrader(root, "generate_feedback", assignment, "--force", runs=runs)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PATH", _path_with_venv(os.environ.get("PATH", "")))
            with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
                students = STUDENTS if assignment == "fixture" else ["reference"]
                for student in students:
                    for name in notebooks:
                        submitted = gradebook.find_submission_notebook(name, assignment, student)
                        grades[assignment, student, name] = {
                            grade.name: (grade.score, grade.max_score, grade.needs_manual_grade)
                            for grade in submitted.grades
                        }
    return Course(root, grades, runs)


# ------------------------------------------------------------------------------------------
# The release is the student edition
# ------------------------------------------------------------------------------------------


def _sources(notebook: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["cell_type"], editions.cell_source(c)) for c in notebook["cells"]]


def test_nbgrader_release_of_the_fixture_is_make_students_edition(course):
    ours = editions.student_notebook(fixture_notebook())
    assert _sources(course.release(*FIXTURE)) == _sources(ours)


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.stem)
def test_nbgrader_release_of_each_notebook_is_the_committed_student_edition(course, path):
    committed = editions.load(editions.student_path(path))
    assert _sources(course.release("notebooks", path.stem)) == _sources(committed)


def test_release_hides_the_hidden_tests_and_the_solutions(course):
    release = json.dumps(course.release(*FIXTURE))
    source = json.dumps(fixture_notebook())
    assert HIDDEN_TEST in source and HIDDEN_TEST not in release
    autograded = course.root / "autograded" / "reference" / "fixture" / "exercises.ipynb"
    assert HIDDEN_TEST in autograded.read_text(encoding="utf-8"), "autograde runs hidden tests"
    for line in [*SVM_SOLUTION.splitlines(), PREDICT_SOLUTION.strip(), WRITTEN_SOLUTION]:
        assert json.dumps(line.strip())[1:-1] not in release, line


# ------------------------------------------------------------------------------------------
# Autograde and feedback
# ------------------------------------------------------------------------------------------


def _auto(grades: dict[str, tuple[float | None, float, bool]]) -> dict[str, tuple[float, float]]:
    """grade_id -> (score, max_score) of the autograded cells."""
    return {name: (score, top) for name, (score, top, manual) in grades.items() if not manual}


def test_the_reference_solutions_get_full_marks(course):
    grades = course.grades["fixture", "reference", "exercises"]
    assert _auto(grades) == {name: (points, points) for name, (points, _) in EXERCISES.items()}
    assert sum(score for score, _ in _auto(grades).values()) == 6


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.stem)
def test_each_instructor_notebook_gets_full_marks(course, path):
    grades = _auto(course.grades["notebooks", "reference", path.stem])
    assert grades, f"{path.name}: no autograded cell"
    lost = {name: score for name, score in grades.items() if score[0] != score[1]}
    assert not lost, f"{path.name}: the reference solutions lose points (score, max): {lost}"


def test_a_written_answer_waits_for_manual_grading_and_no_answer_gets_zero(course):
    for student in STUDENTS:
        score, top, manual = course.grades["fixture", student, "exercises"][WRITTEN[0]]
        if student == "unsolved":  # nbgrader scores an unchanged answer cell 0 by itself
            assert (score, top, manual) == (0.0, WRITTEN[1], False)
        else:
            assert manual and top == WRITTEN[1], (student, score, top, manual)


def _learner_function(test_id: str, body: str):
    """The submitted function, defined in this process as the notebook defines it."""
    import numpy as np

    namespace: dict[str, Any] = {"np": np}
    exec(_solution_source(EXERCISES[test_id][1], body, markers=False), namespace)  # noqa: S102
    return namespace[CHECKS[test_id][1]]


@NEEDS_GRADING_MODE
@pytest.mark.parametrize("student", list(BUGS))
def test_a_buggy_submission_loses_exactly_those_exercises_and_sees_why(course, student):
    got = _auto(course.grades["fixture", student, "exercises"])
    want = {
        name: (0.0 if name in BUGS[student] else points, points)
        for name, (points, _) in EXERCISES.items()
    }
    assert got == want
    feedback = course.feedback("fixture", student, "exercises")
    for test_id, body in BUGS[student].items():
        check_name, _ = CHECKS[test_id]
        result = getattr(check, check_name)(_learner_function(test_id, body))
        assert not result, f"{student}: the bug in {test_id} passes {check_name}"
        message = " ".join(result.message.split())
        assert message in feedback, f"{student}: feedback lacks {message!r}"


@NEEDS_GRADING_MODE
def test_the_release_submitted_unchanged_gets_no_points_and_says_not_implemented(course):
    got = _auto(course.grades["fixture", "unsolved", "exercises"])
    want = {name: (0.0, points) for name, (points, _) in EXERCISES.items()}
    assert got == {**want, WRITTEN[0]: (0.0, WRITTEN[1])}
    feedback = course.feedback("fixture", "unsolved", "exercises")
    for _, function in CHECKS.values():
        assert re.search(rf"⏳ not implemented yet:[^⏳]*\b{function}\b", feedback), function
