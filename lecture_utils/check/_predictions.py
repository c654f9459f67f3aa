"""Predict, then run: the number questions of notebooks 06-09.

Each exercise asks for a prediction *before* a cell measures the answer: how fast the centered
difference's error shrinks (06), the factor of one step along a valley's steep axis (07), how
many numbers a linear classifier learns (08), the largest step size that still converges (09).
Every answer comes from ``lecture_utils`` itself (the problem's Hessian, the valley's
curvatures), so a change to the lecture's problems cannot leave a stale answer behind. Each
question is a :class:`~._question.Question` table: the right value, known wrong values with
the mistake they show, and the one tolerance rule of :func:`~._question.matches`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import landscape
from ._question import Answer, Question, ask, numbers
from ._result import CheckResult, graded

__all__ = [
    "centered_difference_shrink",
    "linear_classifier_size",
    "steep_axis_factor",
    "valley_max_step_size",
]

#: 06: "By what factor does the centered difference's relative error shrink when h / 10?"
CENTERED_SHRINK = Question(
    name="centered_difference_shrink",
    right=Answer(
        100.0,
        "100: the centered difference's truncation error is proportional to h^2, so h / 10 "
        "divides it by 10^2 (the forward difference's, proportional to h, only by 10)",
    ),
    wrong=(
        Answer(10.0, "10 is the forward difference's factor: its error is proportional to h"),
        Answer(1000.0, "that would be an error proportional to h^3"),
        Answer(
            lambda given: 0 < given[0] < 1,
            "give old error / new error, a number above 1: the error shrinks",
        ),
        Answer(1.0, "in the truncation regime the error does depend on h"),
    ),
    otherwise="{0} is not it: how does the centered difference's error grow with h?",
)


def _steep_curvature() -> tuple[float, float]:
    """(h_min, h_max) of notebook 07's two-weight problem at its minimum."""
    problem = landscape.two_weight_problem()
    h_min, h_max = np.linalg.eigvalsh(problem.hessian(problem.minimum()))
    return float(h_min), float(h_max)


def _steep_factor_question(step_size: float = 3.0) -> Question:
    h_min, h_max = _steep_curvature()
    right = 1 - step_size * h_max
    return Question(
        name="steep_axis_factor",
        right=Answer(
            right,
            "{0}: negative with |factor| < 1, so each step jumps across the floor of the "
            "valley and lands closer: a zig-zag that converges",
        ),
        wrong=(
            Answer(-right, "check the sign: d <- d - eta h d = (1 - eta h) d"),
            Answer(1 - step_size * h_min, "that is the flat axis's factor (h_min)"),
            Answer(
                step_size * h_max, "that is the change eta h d; the new distance is d - eta h d"
            ),
            Answer(-step_size * h_max, "that is the change; the new distance is d - eta h d"),
            Answer(1 - step_size / h_max, "the step size multiplies the curvature"),
        ),
        otherwise="{0} is not it: one step moves d by -eta * (slope h d); what is left of d?",
    )


#: 09: the steeper valley of the exercise.
STEEPER_VALLEY = landscape.Valley(curvatures=(0.2, 16.0))


def _max_step_question() -> Question:
    h_1, h_2 = STEEPER_VALLEY.curvatures
    return Question(
        name="valley_max_step_size",
        right=Answer(
            2 / h_2,
            "{0} = 2 / h_2: |1 - eta h_2| < 1 needs eta < 2 / h_2; the steep axis decides",
        ),
        wrong=(
            Answer(
                1 / h_2,
                "below 1 / h_2 there is no overshoot at all; between 1 / h_2 and that limit "
                "the path zig-zags but still converges",
            ),
            Answer(2 / h_1, "the flat axis allows large steps; the steep axis decides"),
            Answer(1 / h_1, "the flat axis allows large steps; the steep axis decides"),
            Answer(2 / 4.0, "that is the limit of the lecture's valley, with h_2 = 4"),
        ),
        otherwise="{0} is not it: for which eta is |1 - eta h| < 1 on both axes?",
    )


#: 08: "How many numbers does the linear classifier learn on the digits and on CIFAR-10?"
PARAMETER_COUNTS = Question(
    name="linear_classifier_size",
    right=Answer(
        (64 * 10 + 10, 3072 * 10 + 10),
        f"{64 * 10 + 10:,} and {3072 * 10 + 10:,}: D * C weights plus C biases",
    ),
    wrong=(
        Answer((64 * 10, 3072 * 10), "the biases are missing: one per class"),
        Answer(
            (64 + 10, 3072 + 10),
            "you added D and C, but each of the C classes has its own D weights",
        ),
        Answer((64 + 1, 3072 + 1), "that is one class only; there are 10"),
        Answer((3072 * 10 + 10, 64 * 10 + 10), "the digits first, then CIFAR-10"),
    ),
    otherwise="not both right: how many weights does one class have, and how many "
    "classes are there?",
    parse=numbers(2, "give two numbers: (digits, CIFAR-10)"),
)


@graded
def centered_difference_shrink(answer: Any) -> CheckResult:
    """Check the prediction: the factor by which the centered error shrinks when h / 10.

    Parameters
    ----------
    answer : float or callable
        A number (old error / new error), or a zero-argument function returning it.
    """
    return ask(CENTERED_SHRINK, answer)


@graded
def steep_axis_factor(answer: Any) -> CheckResult:
    """Check the prediction: the factor of one step of eta = 3 along the steep axis near w*.

    Parameters
    ----------
    answer : float or callable
        A number (new distance / old distance, with its sign), or a function returning it.
    """
    return ask(_steep_factor_question(), answer)


@graded
def valley_max_step_size(answer: Any) -> CheckResult:
    """Check the prediction: the largest step size for which SGD converges on the valley.

    The valley is ``landscape.Valley(curvatures=(0.2, 16.0))`` (:data:`STEEPER_VALLEY`).

    Parameters
    ----------
    answer : float or callable
        A number, or a zero-argument function returning it.
    """
    return ask(_max_step_question(), answer)


@graded
def linear_classifier_size(answer: Any, cifar10: Any = None) -> CheckResult:
    """Check the count: numbers learned (weights and biases) on the digits and on CIFAR-10.

    Parameters
    ----------
    answer : int, tuple of two ints, or callable
        ``(digits, cifar10)``, the two numbers as two arguments, or a zero-argument function
        returning the pair.
    """
    given = (answer,) if cifar10 is None else (answer, cifar10)
    return ask(PARAMETER_COUNTS, *given)
