r"""Questions answered with numbers (or words): a table and one rule to read it.

A :class:`Question` is a table: the right answer with what to say once it is given, the known
wrong answers with the mistake each one shows, and what to say about any other answer. No
message of a wrong answer states the right value: it names the mistake ("you counted the
correct class") and asks the next question.

The learner answers with the value(s) themselves or with a zero-argument function returning
them (the exercise cells of the notebooks: ``check.svm_initial_loss(predicted_svm_initial_loss)``).
A function that still raises ``NotImplementedError`` gives the one ⏳ line.

The tolerance rule (one for every question)
-------------------------------------------
A given number :math:`a` matches a table value :math:`v` when

.. math:: |a - v| \le 0.01 \cdot \max(1, |v|),

that is within 0.01 for values up to 1 and within 1 % above, so ``2.3``, ``2.303`` and
``np.log(10)`` all match :math:`\ln 10 = 2.3026`; an infinite value matches only the same
infinity. Words match when they are equal after :meth:`Question.parse` normalised them.

Examples
--------
>>> q = Question(
...     name="c_minus_one",
...     right=Answer(9, "9 = C - 1"),
...     wrong=(Answer(10, "10 counts the correct class too"),),
...     otherwise="{0} is not it",
... )
>>> ask(q, 10)
❌ c_minus_one: 10 counts the correct class too
>>> ask(q, lambda: 9.04)
✅ c_minus_one: 9 = C - 1
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._feedback import call_learner, fmt
from ._result import CheckResult, failed, passed

__all__ = ["Answer", "Question", "ask", "matches", "numbers", "resolve", "zero_to_infinity"]

#: A value of the table: a number, a word, a tuple of them, or a predicate on the given tuple.
Value = Any


@dataclass(frozen=True)
class Answer:
    """One row of a question's table.

    Attributes
    ----------
    value : number, str, tuple or callable
        The answer (a tuple when the question asks for several values), or a predicate
        ``given_tuple -> bool`` that recognises a whole family of answers.
    message, hint : str
        What to say; ``{0}``, ``{1}``, ... are the given values (numbers rounded by ``fmt``).
    """

    value: Value
    message: str
    hint: str = ""


def _number(x: Any) -> float | None:
    """``float(x)`` for a real number (or 0-d array), infinities included; else None."""
    if isinstance(x, (bool, np.bool_, str)):
        return None
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr) if arr.ndim == 0 and not np.isnan(arr) else None


def numbers(count: int, usage: str) -> Callable[[Any], tuple[tuple[Any, ...] | None, str]]:
    """A parser for ``count`` numbers; ``usage`` is the message for anything else."""

    def parse(given: tuple[Any, ...]) -> tuple[tuple[Any, ...] | None, str]:
        if len(given) != count:
            return None, usage
        values = tuple(_number(x) for x in given)
        return (None, usage) if any(v is None for v in values) else (values, "")

    return parse


def matches(given: Any, value: Any) -> bool:
    """The one tolerance rule: ``|a - v| <= 0.01 * max(1, |v|)``; infinities and words exactly.

    >>> matches(2.3, np.log(10)), matches(9.5, 9), matches(float("inf"), np.inf)
    (True, False, True)
    """
    if isinstance(given, str) or isinstance(value, str):
        return given == value
    a, v = float(given), float(value)
    if math.isinf(a) or math.isinf(v):
        return a == v
    return abs(a - v) <= 0.01 * max(1.0, abs(v))


def _is_row(row_value: Value, given: tuple[Any, ...]) -> bool:
    if callable(row_value):
        return bool(row_value(given))
    expected = row_value if isinstance(row_value, tuple) else (row_value,)
    return len(expected) == len(given) and all(
        matches(g, v) for g, v in zip(given, expected, strict=True)
    )


@dataclass(frozen=True)
class Question:
    """A question's table: the right answer, the known wrong ones, and everything else.

    Attributes
    ----------
    name : str
        The check's name.
    right : Answer
        The right answer and its explanation (shown only once it is given).
    wrong : tuple of Answer
        Known wrong answers, tried in order; the first row that matches is reported.
    otherwise, otherwise_hint : str
        What to say about any other answer (``{0}``... are the given values).
    parse : callable
        ``given tuple -> (values, "")`` or ``(None, what to give instead)``; by default one
        number.
    """

    name: str
    right: Answer
    wrong: tuple[Answer, ...] = ()
    otherwise: str = "{0} is not it"
    otherwise_hint: str = ""
    parse: Callable[[tuple[Any, ...]], tuple[tuple[Any, ...] | None, str]] = numbers(
        1, "your answer should be a number"
    )


def resolve(answer: Any) -> tuple[Any, str]:
    """The answer itself, or what a zero-argument answer function returns.

    Returns ``(value, "")`` or ``(None, what went wrong)``; a function that still raises
    ``NotImplementedError`` raises :class:`~lecture_utils.check._result.NotImplementedYet`.
    """
    if not callable(answer):
        return answer, ""
    out = call_learner(answer)
    if not out.ok:
        return None, f"your answer function {out.error}"
    return out.value, ""


def _shown(values: tuple[Any, ...]) -> list[Any]:
    return [v if isinstance(v, str) else fmt(v) for v in values]


def ask(question: Question, *given: Any) -> CheckResult:
    """Check the given answer(s) against the table of ``question``.

    A single argument may be a zero-argument function, or a tuple when the question asks for
    several values.
    """
    if len(given) == 1:
        value, error = resolve(given[0])
        if error:
            return failed(question.name, error)
        given = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    values, usage = question.parse(given)
    if values is None:
        return failed(question.name, usage)
    shown = _shown(values)
    if _is_row(question.right.value, values):
        return passed(question.name, question.right.message.format(*shown))
    for row in question.wrong:
        if _is_row(row.value, values):
            return failed(question.name, row.message.format(*shown), row.hint.format(*shown))
    return failed(
        question.name, question.otherwise.format(*shown), question.otherwise_hint.format(*shown)
    )


def zero_to_infinity(
    name: str, *, not_negative: str, reaches_zero: str, unbounded: str, success: str
) -> Question:
    """The question "smallest and largest possible loss?" whose answer is ``(0, inf)``.

    ``not_negative`` and ``reaches_zero`` are the hints for a lowest value below and above
    0, ``unbounded`` the hint for a finite highest value.
    """
    return Question(
        name=name,
        right=Answer((0.0, math.inf), success),
        wrong=(
            Answer(
                lambda g: g[0] < 0 and not matches(g[0], 0),
                "the smallest possible loss is not {0}",
                not_negative,
            ),
            Answer(
                lambda g: g[0] > 0 and not matches(g[0], 0),
                "the smallest possible loss is not {0}",
                reaches_zero,
            ),
            Answer(
                lambda g: math.isfinite(g[1]),
                "{1} can be exceeded: is there a largest possible loss at all?",
                unbounded,
            ),
        ),  # fmt: skip
        otherwise="({0}, {1}) is not it: how small and how large can one L_i get?",
        parse=numbers(
            2,
            f"give two numbers, e.g. {name}(lowest, highest); "
            "float('inf') stands for 'no upper limit'",
        ),
    )
