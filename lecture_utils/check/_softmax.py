r"""Checks for the softmax exercises (notebook 04).

Each check is an :class:`~._exercise.Exercise` run on the lecture's cat/car/frog example, on
seeded random inputs and on *large* scores (the lecture's shifted by 1000, or around
:math:`\pm 1000`), with the reference from :mod:`lecture_utils.losses` and the table of the
usual mistakes: not numerically stable (``np.exp`` overflows to ``inf`` and ``inf / inf`` gives
``nan``), normalized over the wrong axis, forgot the mean over examples, missing the
regularization term or its gradient, missing the :math:`-1` of the correct class in the
gradient, ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import losses
from ..data import lecture_example
from ._exercise import Case, Exercise, Lazy, Mistake, Output, run
from ._feedback import Problem, as_array, fmt, shape_of
from ._harness import loss_cases, loss_exercise, regularized_loss_mistakes, with_loss_facts
from ._question import Answer, Question, ask, zero_to_infinity
from ._result import CheckResult, graded

__all__ = [
    "softmax",
    "softmax_loss",
    "softmax_initial_loss",
    "softmax_loss_bounds",
]

_STABILITY_HINT = (
    "subtract each row's largest score before exponentiating, "
    "p_j = e^(s_j - m) / sum_k e^(s_k - m) with m = max_k s_k of that row. "
    "The probabilities do not change (the factor e^-max cancels in the ratio), and the "
    "largest exponent becomes e^0 = 1"
)


def _all_finite(value: Any) -> bool:
    try:
        return bool(np.isfinite(np.asarray(value, dtype=float)).all())
    except (TypeError, ValueError):
        return True  # not numbers at all: the shape/type checks will say so


# ----------------------------------------------------------------------------------------
# softmax(scores) -> probabilities (N, C)
# ----------------------------------------------------------------------------------------


def _softmax_cases() -> list[Case]:
    ex = lecture_example()
    rng = np.random.default_rng(3)
    large = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0], [1000.0, 0.0, -1000.0]])
    return [
        Case(label, {"scores": scores}, facts={"large": big})
        for label, scores, big in (
            ("the lecture's cat/car/frog scores (one row per image)", ex.scores, False),
            ("random scores (N=5, C=4)", np.round(rng.normal(0, 3, size=(5, 4)), 2), False),
            ("large scores (around ±1000)", large, True),
        )
    ]


def _softmax_over(s: np.ndarray, shift: np.ndarray | float, axis: int | None) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        e = np.exp(s - shift)
        return e / e.sum(axis=axis, keepdims=axis is not None)


def _unstable_softmax(got: Any, case: Case) -> Problem:
    """What to say when the result on the large scores contains inf or nan."""
    s = case.scores
    global_max = _softmax_over(s, s.max(), axis=1)
    arr = np.asarray(got, dtype=float)
    if arr.shape == s.shape and np.array_equal(np.isnan(arr), np.isnan(global_max)):
        return Problem(
            "on the row [-1000, -999, -998] your result is nan: you subtracted one maximum "
            "for the whole matrix (1002), so every e^(s - 1002) of that row underflows to 0 "
            "and 0 / 0 = nan",
            "subtract each row's own maximum, m_i = max_j s_ij",
        )
    return Problem(
        "not numerically stable: your result contains inf or nan. For scores around 1000, "
        "np.exp overflows (e^710 is already larger than the largest float64, so it becomes "
        "inf), and inf / inf = nan",
        _STABILITY_HINT,
    )


def _read_probabilities(value: Any, case: Case) -> tuple[Any, str | Problem]:
    n, c = case.scores.shape
    if shape_of(value) == (n,):
        return None, Problem(
            f"returned shape ({n},), one number per example; return "
            f"every class's probability, shape ({n}, {c})",
            "did you pick out the correct class's probability? That is the loss's job",
        )
    if case.large and value is not None and not _all_finite(value):
        return None, _unstable_softmax(value, case)
    return as_array(value, "the result", (n, c))


_UNNORMALIZED = "your result is e^s, the *unnormalized* probabilities: divide by their sum"


def _exp(s: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.exp(s)


def _row_max(c: Case) -> np.ndarray:
    return c.scores.max(axis=1, keepdims=True)


SOFTMAX = Exercise(
    name="softmax",
    cases=_softmax_cases,
    returns=(
        Output(
            "the probabilities",
            _read_probabilities,
            unnamed=lambda got, want, c: Problem(
                f"expected probabilities {fmt(want)}, got {fmt(got)}", specific=False
            ),
        ),
    ),
    reference=lambda scores: (losses.softmax(scores),),
    mistakes=(
        Mistake(
            _UNNORMALIZED,
            "divide each row by its own sum over the classes",
            gives=lambda c: _exp(c.scores),
        ),
        Mistake(
            _UNNORMALIZED,
            "divide each row by its own sum over the classes",
            gives=lambda c: np.exp(c.scores - _row_max(c)),
        ),
        Mistake(
            "each column sums to 1 instead of each row: you normalized over axis 0 "
            "(over the examples) instead of over the classes (axis=1)",
            "one sum per example: over the classes (axis 1)",
            gives=lambda c: _softmax_over(c.scores, _row_max(c), axis=0),
        ),
        Mistake(
            "the whole matrix sums to 1: you divided by one sum over all examples; "
            "each example (row) needs its own sum (axis=1)",
            "one sum per example: over the classes (axis 1)",
            gives=lambda c: _softmax_over(c.scores, _row_max(c), axis=None),
        ),
        Mistake(
            "these are log-probabilities (log-softmax); return the probabilities themselves",
            gives=lambda c: losses.log_softmax(c.scores),
        ),
        Mistake(
            "you subtracted each *column's* maximum; subtract each row's maximum "
            "(m_i = max_j s_ij): only a constant per example cancels",
            gives=lambda c: _softmax_over(c.scores, c.scores.max(axis=0, keepdims=True), axis=1),
        ),
    ),
    success="correct on all 3 inputs, including the lecture's example, "
    "and stable on scores around ±1000",
    quiet=True,
)


@graded
def softmax(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(scores)`` returning softmax probabilities, shape (N, C).

    Parameters
    ----------
    fn : callable
        ``fn(scores (N, C)) -> ndarray (N, C)`` with
        ``P[i, j] = exp(s_ij) / sum_k exp(s_ik)``; it must work for large scores too.

    Returns
    -------
    CheckResult
        ✅ when ``fn`` matches :func:`lecture_utils.losses.softmax` on the lecture's scores,
        random scores and scores around ±1000; otherwise ❌ with what looks wrong.
    """
    return run(SOFTMAX, fn)


# ----------------------------------------------------------------------------------------
# softmax_loss(W, X, y, reg) -> (loss, dW)
# ----------------------------------------------------------------------------------------


def _softmax_loss_cases() -> list[Case]:
    ex = lecture_example()
    large = Case(
        "the lecture's scores + 1000 (the same losses, but e^1000 overflows), reg=0",
        {"W": ex.scores + 1000.0, "X": np.eye(3), "y": ex.y, "reg": 0.0},
        facts={"n": 3, "large": True},
    )
    facts = dict(
        scores=Lazy(lambda c: c.X @ c.W),
        log_p=Lazy(lambda c: losses.log_softmax(c.scores)),
        p=Lazy(lambda c: np.exp(c.log_p)),
        data=Lazy(lambda c: float(-c.log_p[np.arange(c.n), c.y].mean())),
        grad_data=Lazy(lambda c: c.X.T @ (c.p - np.eye(c.W.shape[1])[c.y]) / c.n),
    )
    return [with_loss_facts(c, **facts) for c in [*loss_cases(seed=4), large]]


def _axis0_loss(c: Case) -> float:
    p_axis0 = _softmax_over(c.scores, _row_max(c), axis=0)
    with np.errstate(divide="ignore"):
        return float(-np.log(p_axis0[np.arange(c.n), c.y]).mean()) + c.reg_term


def _not_finite(value: Any, c: Case) -> bool:
    """On the large case, a returned (loss, dW) with inf or nan in it."""
    pair = isinstance(value, (tuple, list)) and len(value) == 2
    return c.large and pair and not (_all_finite(value[0]) and _all_finite(value[1]))


SOFTMAX_LOSS = loss_exercise(
    "softmax_loss",
    _softmax_loss_cases,
    losses.softmax_loss,
    (
        Mistake(
            "not numerically stable: your loss or dW is inf or nan. "
            "np.exp(1003.2) overflows to inf, and inf / inf = nan (or log(0) = -inf)",
            _STABILITY_HINT + "; or compute log P directly: (s - max) - log(sum(exp(s - max)))",
            when=_not_finite,
            output=None,
        ),
        *regularized_loss_mistakes(
            forgot_mean="did you forget the mean over examples?", summed="the summed -log P"
        ),
        Mistake(
            "the data loss is N = {n} times too big: did you forget the mean over examples "
            "(divide the sum of the L_i by N)?",
            "L = (1/N) * sum_i L_i + reg * sum(W**2)",
            gives=lambda c: c.n * c.data + c.reg_term,
        ),
        Mistake(
            "the data loss is N = {n} times too small: did you divide by N twice?",
            gives=lambda c: c.data / c.n + c.reg_term,
        ),
        Mistake(
            "the data loss has the wrong sign: L_i = -log P(y_i), and log P <= 0, so L_i >= 0",
            gives=lambda c: -c.data + c.reg_term,
        ),
        Mistake(
            "you used log base 10; the softmax loss uses the natural log (np.log)",
            gives=lambda c: c.data / np.log(10) + c.reg_term,
        ),
        Mistake(
            "you summed -log P over every class; only the correct class's probability "
            "counts: L_i = -log P(y_i)",
            "pick it out with probs[np.arange(N), y]",
            gives=lambda c: float(-c.log_p.sum(axis=1).mean()) + c.reg_term,
        ),
        Mistake(
            "the probabilities were normalized over axis 0 (over the examples); each "
            "example's probabilities must sum to 1 over the classes (axis=1)",
            "one sum per example: over the classes (axis 1)",
            gives=_axis0_loss,
        ),
        Mistake(
            "dW is missing the -1 of the correct class: dL_i/ds_j = P_j - 1 when j = y_i, "
            "and P_j otherwise",
            "dL_i/ds_j = P_ij - 1[j = y_i]; then dW = X^T (those dscores) / N + 2 reg W",
            gives=lambda c: c.X.T @ c.p / c.n + c.grad_reg,
            output=1,
        ),
    ),
    "loss and gradient correct on all 5 inputs, including the lecture's "
    "example, and stable on scores around 1000",
    quiet=True,
)


@graded
def softmax_loss(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(W, X, y, reg) -> (loss, dW)`` for the softmax loss.

    Loops or vectorized, either is fine; it must be numerically stable (it is also run on
    the lecture's scores shifted by 1000, which give the same losses).

    Parameters
    ----------
    fn : callable
        ``fn(W (D, C), X (N, D), y (N,), reg) -> (loss: float, dW: ndarray (D, C))`` with
        loss = mean of -log P(y_i | x_i) + reg * sum(W**2).

    Returns
    -------
    CheckResult
    """
    return run(SOFTMAX_LOSS, fn)


#: "C = 10 classes, every score about 0: the softmax loss?" (right answer: log 10)
SOFTMAX_INITIAL_LOSS = Question(
    name="softmax_initial_loss",
    right=Answer(
        float(np.log(10.0)),
        "log 10 = 2.303: all scores equal, so every class gets P = 1/10 and "
        "L_i = -log(1/10) = log C. A fresh model far from log C has a bug",
    ),
    wrong=(
        Answer(0.1, "0.1 is each class's probability P; the loss is -log of the correct one"),
        Answer(1.0, "1 is log base 10 of 10; the softmax loss uses the natural log (np.log)"),
        Answer(
            9.0, "9 = C - 1 is the multiclass SVM's answer; softmax takes -log of a probability"
        ),
        Answer(
            -float(np.log(10.0)), "the sign: log P is negative, the loss is -log P, which is >= 0"
        ),
        Answer(
            0.0,
            "0 would need P(correct) = 1; with all scores equal, every class has the "
            "same probability",
        ),
        Answer(10.0, "10 is C, the number of classes; the loss is -log of a probability"),
    ),  # fmt: skip
    otherwise="{0} is not it: with all scores 0, what probability does each of the 10 "
    "classes get, and what is -log of it?",
)


@graded
def softmax_initial_loss(answer: Any) -> CheckResult:
    """Check the answer to: "C = 10 classes, every score about 0. What is the softmax loss?"

    (The sanity check to run before training.)

    Parameters
    ----------
    answer : float or callable
        A number (2.3 and ``np.log(10)`` both count, see the tolerance rule of
        ``lecture_utils.check._question``), or a zero-argument function returning it.

    Returns
    -------
    CheckResult
    """
    return ask(SOFTMAX_INITIAL_LOSS, answer)


#: "What are the smallest and largest possible softmax losses L_i?"
SOFTMAX_LOSS_BOUNDS = zero_to_infinity(
    "softmax_loss_bounds",
    not_negative="P(y_i) <= 1, so -log P(y_i) >= 0",
    reaches_zero="as s_yi grows far above the other scores, P(y_i) -> 1 and -log P -> 0",
    unbounded="what happens to -log P(y_i) as P(y_i) -> 0 (the correct score far below another)?",
    success="from 0 to infinity; 0 only in the limit (P(y_i) = 1 would need the correct score "
    "infinitely far ahead), so softmax always wants a bigger margin, unlike the SVM",
)


@graded
def softmax_loss_bounds(lowest: Any, highest: Any = None) -> CheckResult:
    """Check the answer to: "What are the smallest and largest possible softmax losses L_i?"

    Parameters
    ----------
    lowest, highest : float
        Use ``float("inf")`` (or ``np.inf``) for "no upper limit". The smallest value is a
        limit that is approached (say so in words; the number is what is checked). Or pass
        one zero-argument function (or a tuple) giving ``(lowest, highest)``.

    Returns
    -------
    CheckResult
    """
    return ask(SOFTMAX_LOSS_BOUNDS, *((lowest,) if highest is None else (lowest, highest)))
