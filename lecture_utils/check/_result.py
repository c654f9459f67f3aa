"""What a check gives back, and how it behaves under nbgrader.

A check returns a :class:`CheckResult`, shown as one line: ``✅`` (passed), ``❌`` (a named
mistake) or ``⏳ not implemented yet: ...`` (the learner's function still raises
``NotImplementedError``). Outside grading it never raises for a wrong answer.

Grading mode: while nbgrader executes a notebook it sets ``NBGRADER_EXECUTION`` to
``autograde`` or ``validate``. Then every check that does not pass raises
:class:`ExerciseFailed` (an ``AssertionError``) with the very text the learner would see, so
the test cell gets 0 points and the feedback shows the message. :func:`graded` adds this to a
check function.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ParamSpec

__all__ = [
    "CheckResult",
    "ExerciseFailed",
    "NotImplementedYet",
    "graded",
    "grading_mode",
    "passed",
    "failed",
    "not_implemented",
]

#: The first words of the one line shown for an exercise that still raises NotImplementedError.
NOT_IMPLEMENTED = "⏳ not implemented yet:"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one exercise check: shown as ✅, ❌ or ⏳ with a message.

    ``bool(result)`` is True when the learner's answer passed, so tests and notebooks can
    write ``assert check.l2(my_l2)``.

    Attributes
    ----------
    name : str
        What was checked, e.g. ``"svm_loss"``.
    passed : bool
        Whether every case matched.
    message : str
        What was found: on failure, the first problem and on which input.
    hint : str
        On failure, what to look at next (may be empty).
    pending : bool
        True when the learner's function raised ``NotImplementedError`` (not attempted yet).

    Examples
    --------
    >>> print(CheckResult("l2", False, "grad is W", "differentiate W**2"))
    ❌ l2: grad is W
       Hint: differentiate W**2
    >>> print(not_implemented("l2", "my_l2"))  # doctest: +ELLIPSIS
    ⏳ not implemented yet: replace raise NotImplementedError() in my_l2 with your code ...
    """

    name: str
    passed: bool
    message: str
    hint: str = ""
    pending: bool = False

    def __bool__(self) -> bool:
        return self.passed

    @property
    def mark(self) -> str:
        """``"✅"``, ``"❌"`` or ``"⏳"``."""
        return "✅" if self.passed else ("⏳" if self.pending else "❌")

    def __str__(self) -> str:
        if self.pending:
            return f"{NOT_IMPLEMENTED} {self.message}"
        text = f"{self.mark} {self.name}: {self.message}"
        if self.hint:
            text += f"\n   Hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else ("#9a6700" if self.pending else "#cf222e")
        style = f"border-left: 4px solid {colour}; padding: 4px 10px; margin: 2px 0"
        if self.pending:
            return f'<div style="{style}">{html.escape(str(self))}</div>'
        body = (
            f'<div style="{style}">'
            f"<b>{self.mark} {html.escape(self.name)}</b>: {html.escape(self.message)}"
        )
        if self.hint:
            body += f"<br><i>Hint:</i> {html.escape(self.hint)}"
        return body + "</div>"


def passed(name: str, message: str) -> CheckResult:
    """A passing result."""
    return CheckResult(name, True, message)


def failed(name: str, message: str, hint: str = "") -> CheckResult:
    """A failing result with what went wrong and, optionally, what to try."""
    return CheckResult(name, False, message, hint)


def not_implemented(name: str, function: str) -> CheckResult:
    """The ⏳ result of check ``name`` when the learner's ``function`` is still a stub."""
    return CheckResult(
        name,
        False,
        f"replace raise NotImplementedError() in {function} with your code "
        "(it raised NotImplementedError: fill in the exercise)",
        pending=True,
    )


class NotImplementedYet(Exception):
    """Raised inside a check when the learner's function raised ``NotImplementedError``.

    It carries the function's name up to :func:`graded`, which turns it into the ⏳ result.
    """

    def __init__(self, function: str) -> None:
        super().__init__(function)
        self.function = function


class ExerciseFailed(AssertionError):
    """A check that did not pass, in grading mode: its message is what the learner sees.

    Examples
    --------
    >>> raise ExerciseFailed("❌ l2: grad is W")
    Traceback (most recent call last):
    ...
    lecture_utils.check._result.ExerciseFailed: ❌ l2: grad is W
    """


_DEMONSTRATIONS = [0]  # how many ``demonstration()`` blocks are open


def grading_mode() -> bool:
    """Whether nbgrader is executing the notebook (``NBGRADER_EXECUTION`` autograde/validate).

    False inside a :func:`demonstration` block.
    """
    if _DEMONSTRATIONS[0]:
        return False
    return os.environ.get("NBGRADER_EXECUTION", "") in ("autograde", "validate")


@contextlib.contextmanager
def demonstration() -> Iterator[None]:
    """A block whose checks show their ❌ and never raise, even while nbgrader grades.

    For the lecture cells that run a check on a deliberately wrong function to show what a
    failed check looks like (they are not exercises, so they must not fail a graded run).

    >>> import os
    >>> os.environ["NBGRADER_EXECUTION"] = "autograde"
    >>> with demonstration():
    ...     grading_mode()
    False
    >>> grading_mode()
    True
    >>> del os.environ["NBGRADER_EXECUTION"]
    """
    _DEMONSTRATIONS[0] += 1
    try:
        yield
    finally:
        _DEMONSTRATIONS[0] -= 1


_P = ParamSpec("_P")


def graded(check: Callable[_P, CheckResult]) -> Callable[_P, CheckResult]:
    """Give a check function the shared behaviour of every public check.

    A :class:`NotImplementedYet` raised while it runs becomes the ⏳ result; in grading mode
    (:func:`grading_mode`) a result that did not pass is raised as :class:`ExerciseFailed`.
    """

    @functools.wraps(check)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> CheckResult:
        try:
            result = check(*args, **kwargs)
        except NotImplementedYet as stub:
            result = not_implemented(check.__name__, stub.function)
        if not result.passed and grading_mode():
            raise ExerciseFailed(str(result))
        return result

    return run
