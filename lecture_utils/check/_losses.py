r"""Checks for the loss-function exercises (notebooks 01 and 02).

Each check runs the learner's function on the lecture's cat/car/frog example and on seeded
random inputs, compares with :mod:`lecture_utils.losses`, and when a value is wrong it tries
the usual mistakes one by one (forgot to divide by N, counted the correct class, forgot
``max(0, .)``, forgot the regularization term or its gradient, ...) to say which one it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import losses
from ..data import lecture_example
from ._feedback import (
    CheckResult,
    Problem,
    as_array,
    call_watching,
    check_each,
    close,
    failed,
    first_match,
    fmt,
    passed,
    shape_of,
)
from ._harness import (
    LossCase,
    check_loss_function,
    diagnose_dW,
    loss_cases,
    regularization_loss_bugs,
)
from ._question import Answer, Question, ask, zero_to_infinity
from ._result import graded

__all__ = [
    "hinge_losses",
    "svm_loss",
    "svm_loss_vectorized",
    "svm_initial_loss",
    "svm_loss_bounds",
]


def _margins(scores: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """s_j - s_{y_i} + delta for every class, with the correct class set to 0. Shape (N, C)."""
    rows = np.arange(scores.shape[0])
    m = scores - scores[rows, y][:, None] + delta
    m[rows, y] = 0.0
    return m


# ----------------------------------------------------------------------------------------
# hinge_losses(scores, y, delta=1.0) -> (N,)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ScoresCase:
    label: str
    scores: np.ndarray
    y: np.ndarray
    delta: float | None  # None: call without delta, the default 1.0 applies


def _scores_cases() -> list[_ScoresCase]:
    ex = lecture_example()
    rng = np.random.default_rng(0)
    s1 = np.round(rng.normal(0, 2, size=(6, 4)), 2)
    y1 = rng.integers(0, 4, size=6)
    s2 = np.round(rng.normal(0, 2, size=(5, 3)), 2)
    y2 = rng.integers(0, 3, size=5)
    return [
        _ScoresCase("the lecture's cat/car/frog scores", ex.scores, ex.y, None),
        _ScoresCase("random scores (N=6, C=4)", s1, y1, None),
        _ScoresCase("random scores (N=5, C=3) with delta=2", s2, y2, 2.0),
    ]


def _diagnose_hinge(got: np.ndarray, case: _ScoresCase) -> Problem | None:
    """None if ``got`` is right, else what is wrong."""
    delta = 1.0 if case.delta is None else case.delta
    want = losses.hinge_losses(case.scores, case.y, delta)
    if close(got, want):
        return None
    m = _margins(case.scores, case.y, delta)
    bugs = [
        (
            want + delta,
            f"every L_i is too big by exactly delta = {fmt(delta)}: "
            "the sum over classes must skip the correct class j = y_i",
            "for j == y_i the term would be max(0, s_yi - s_yi + delta) = delta; "
            "skip it (`if j == y[i]: continue`, or set that margin to 0)",
        ),
        (
            m.sum(axis=1),
            "your L_i equal the sum of the raw margins: did you forget max(0, .)?",
            "a margin that is already met (s_j - s_yi + delta < 0) must contribute 0, not a "
            "negative number",
        ),
        (
            np.maximum(0.0, _margins(case.scores, case.y, 0.0)).sum(axis=1),
            "your L_i ignore the margin delta: use max(0, s_j - s_yi + delta)",
            "",
        ),
    ]
    if case.delta is not None and case.delta != 1.0:
        bugs.append(
            (
                losses.hinge_losses(case.scores, case.y, 1.0),
                f"with delta={fmt(delta)} your function gave the losses for delta = 1: "
                "use the `delta` argument instead of a fixed 1",
                "",
            )
        )
    return first_match(got, want, bugs) or Problem(
        f"L_i = {fmt(got)} but should be {fmt(want)}", specific=False
    )


@graded
def hinge_losses(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(scores, y, delta=1.0)`` returning per-example SVM losses (N,).

    Parameters
    ----------
    fn : callable
        ``fn(scores (N, C), y (N,), delta=1.0) -> ndarray of shape (N,)``.

    Returns
    -------
    CheckResult
        ✅ when ``fn`` matches :func:`lecture_utils.losses.hinge_losses` on the lecture's
        example and two random ones; otherwise ❌ with what looks wrong.
    """
    cases = _scores_cases()

    def examine(case: _ScoresCase) -> Problem | None:
        kwargs = {} if case.delta is None else {"delta": case.delta}
        value, problem = call_watching(
            fn, (case.scores, case.y), dict(scores=case.scores, y=case.y), kwargs=kwargs
        )
        if problem:
            return problem
        n, c = case.scores.shape
        shape = shape_of(value)
        if shape == ():
            return Problem(
                f"returned one number ({fmt(value)}), but it should "
                f"return one loss per example, shape ({n},)",
                "did you average or sum over the examples? That is the next step (L); "
                "here return the L_i themselves",
            )
        if shape == (n, c):
            return Problem(
                f"returned shape {(n, c)}, one value per class; "
                f"sum over the classes j != y_i to get one L_i per example, shape ({n},)",
            )
        got, error = as_array(value, "the result", (n,))
        return Problem(error) if error else _diagnose_hinge(got, case)

    return check_each(
        "hinge_losses",
        cases,
        examine,
        f"correct on all {len(cases)} inputs, including the lecture's example",
    )


# ----------------------------------------------------------------------------------------
# svm_loss(W, X, y, reg) -> (loss, dW)
# ----------------------------------------------------------------------------------------


def _loss_cases() -> list[LossCase]:
    return loss_cases(seed=1)


def _diagnose_loss(got: float, case: LossCase) -> Problem | None:
    n = case.X.shape[0]
    scores = case.X @ case.W
    data = float(losses.hinge_losses(scores, case.y).mean())
    reg_term = case.reg * float(np.sum(case.W**2))
    want = data + reg_term
    if close(got, want):
        return None
    bugs = regularization_loss_bugs(
        data,
        reg_term,
        n,
        forgot_mean="did you forget to divide by N?",
        summed="the summed data loss",
    )
    bugs += [
        (
            n * data + reg_term,
            f"the data loss is N = {n} times too big: did you forget to divide by N?",
            "the loss is the mean of the L_i: sum them, then divide by the number of examples",
        ),
        (
            data / n + reg_term,
            f"the data loss is N = {n} times too small: did you divide by N twice?",
            "",
        ),
        (
            data + 1.0 + reg_term,
            "the loss is too big by exactly delta = 1: "
            "the sum over classes must skip the correct class j = y_i",
            "for j == y_i the term would be max(0, s_yi - s_yi + 1) = 1 for every example",
        ),
        (
            float(_margins(scores, case.y, 1.0).sum(axis=1).mean()) + reg_term,
            "your loss matches the sum of the raw margins: did you forget max(0, .)?",
            "only margins with s_j - s_yi + delta > 0 count",
        ),
    ]
    return first_match(got, want, bugs) or Problem(
        f"the loss is {fmt(got)} but should be {fmt(want)}", specific=False
    )


def _diagnose_gradient(got: np.ndarray, case: LossCase) -> Problem | None:
    n = case.X.shape[0]
    _, dscores = losses.scores_loss(case.X @ case.W, case.y)  # already divided by N

    def svm_bugs(grad_reg: np.ndarray) -> list[tuple[np.ndarray, str, str]]:
        wrong_only = dscores.copy()
        wrong_only[np.arange(n), case.y] = 0
        correct_only = dscores - wrong_only
        return [
            (
                case.X.T @ wrong_only + grad_reg,
                "dW is missing the correct-class part: "
                "each violated margin also subtracts x_i from dW[:, y_i]",
                "s_yi appears in every violated margin with a minus sign",
            ),
            (
                case.X.T @ correct_only + grad_reg,
                "dW is missing the wrong-class part: each violated margin j adds x_i to dW[:, j]",
                "",
            ),
        ]

    return diagnose_dW(got, case.X.T @ dscores, case.W, case.reg, n, svm_bugs)


def _check_loss_function(name: str, fn: Callable[..., Any]) -> CheckResult:
    """The checks shared by :func:`svm_loss` and :func:`svm_loss_vectorized`."""
    cases = _loss_cases()
    return check_loss_function(
        name,
        fn,
        cases,
        _diagnose_loss,
        _diagnose_gradient,
        f"loss and gradient correct on all {len(cases)} inputs, including the lecture's example",
    )


@graded
def svm_loss(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(W, X, y, reg) -> (loss, dW)`` for the multiclass SVM loss.

    Loops or vectorized, either is fine here (see :func:`svm_loss_vectorized` for speed).

    Parameters
    ----------
    fn : callable
        ``fn(W (D, C), X (N, D), y (N,), reg) -> (loss: float, dW: ndarray (D, C))`` with
        loss = mean hinge loss (delta = 1) + reg * sum(W**2).

    Returns
    -------
    CheckResult
    """
    return _check_loss_function("svm_loss", fn)


#: A vectorized loss must beat the library's loops by at least this factor (a fully
#: vectorized one is about 100x faster; a loop over the examples alone is well below 20x).
_MIN_SPEEDUP = 20.0


def _best_time(fn: Callable[[], Any], repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@graded
def svm_loss_vectorized(fn: Callable[..., Any]) -> CheckResult:
    """Check a vectorized ``fn(W, X, y, reg) -> (loss, dW)``: correct, and no Python loops.

    First the same checks as :func:`svm_loss`; then it times ``fn`` against
    :func:`lecture_utils.losses.svm_loss_naive` on N = 1000 examples: it must be at least
    20 times faster (a loop over the examples, even with vectorized inner work, is not).

    Parameters
    ----------
    fn : callable
        ``fn(W (D, C), X (N, D), y (N,), reg) -> (loss, dW (D, C))``.

    Returns
    -------
    CheckResult
    """
    name = "svm_loss_vectorized"
    result = _check_loss_function(name, fn)
    if not result:
        return result
    rng = np.random.default_rng(2)
    W = rng.normal(0, 0.01, size=(40, 10))
    X = rng.normal(0, 1, size=(1000, 40))
    y = rng.integers(0, 10, size=1000)
    t_naive = _best_time(lambda: losses.svm_loss_naive(W, X, y, 0.1), repeats=2)
    t_yours = _best_time(lambda: fn(W, X, y, 0.1), repeats=3)
    speedup = t_naive / max(t_yours, 1e-9)
    if speedup < _MIN_SPEEDUP:
        return failed(
            name,
            f"correct, but only {speedup:.1f}x faster than the loops of svm_loss_naive "
            f"on N=1000 (a vectorized version is over {_MIN_SPEEDUP:.0f}x faster): "
            "it looks like it still loops over the examples or classes",
            "compute all scores at once (X @ W), all margins at once, and dW = X.T @ (...)",
        )
    return passed(
        name,
        f"correct on all {len(_loss_cases())} inputs, and vectorized "
        f"(over {_MIN_SPEEDUP:.0f}x faster than the loops)",
    )


# ----------------------------------------------------------------------------------------
# Questions answered with a number
# ----------------------------------------------------------------------------------------


#: "C = 10 classes, delta = 1, W so small that every score is about 0: the SVM loss?"
SVM_INITIAL_LOSS = Question(
    name="svm_initial_loss",
    right=Answer(
        9.0,
        "9 = C - 1: each of the 9 wrong classes adds max(0, 0 - 0 + 1) = 1. "
        "If a fresh model's loss is far from C - 1, look for a bug before training",
    ),
    wrong=(
        Answer(
            10.0,
            "10 counts the correct class too; the sum runs over the wrong classes j != y_i only",
        ),
        Answer(
            1.0,
            "1 is what one wrong class contributes: max(0, 0 - 0 + 1); "
            "how many wrong classes are there?",
        ),
        Answer(
            0.0,
            "0 would mean every margin is met; with all scores equal, "
            "each wrong class misses the margin by delta = 1",
        ),
    ),
    otherwise="{0} is not it: with all scores 0, what is max(0, s_j - s_yi + 1) "
    "for one wrong class, and how many wrong classes are there?",
)


@graded
def svm_initial_loss(answer: Any) -> CheckResult:
    """Check the answer to: "C = 10 classes, delta = 1, W so small that every score is about 0.

    What is the multiclass SVM loss?" (The sanity check to run before training.)

    Parameters
    ----------
    answer : float or callable
        A number, or a zero-argument function returning it.

    Returns
    -------
    CheckResult
    """
    return ask(SVM_INITIAL_LOSS, answer)


#: "What are the smallest and largest possible values of the SVM loss?"
SVM_LOSS_BOUNDS = zero_to_infinity(
    "svm_loss_bounds",
    not_negative="max(0, .) is never negative, so no L_i is below 0",
    reaches_zero="when every margin is met, every term is max(0, negative) = 0",
    unbounded="a wrong class's score can be arbitrarily larger than the correct one: "
    "use float('inf')",
    success="0 when every margin is met by at least delta; no upper limit, "
    "because scores (and so margins) can be arbitrarily large",
)


@graded
def svm_loss_bounds(lowest: Any, highest: Any = None) -> CheckResult:
    """Check the answer to: "What are the smallest and largest possible values of the SVM loss?"

    Parameters
    ----------
    lowest, highest : float
        Use ``float("inf")`` (or ``np.inf``) for "no upper limit". Or pass one zero-argument
        function (or a tuple) giving ``(lowest, highest)``.

    Returns
    -------
    CheckResult
    """
    return ask(SVM_LOSS_BOUNDS, *((lowest,) if highest is None else (lowest, highest)))
