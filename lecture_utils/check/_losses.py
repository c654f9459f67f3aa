r"""Checks for the loss-function exercises (notebooks 01 and 02).

Each check is an :class:`~._exercise.Exercise`: the lecture's cat/car/frog example and seeded
random inputs, the reference from :mod:`lecture_utils.losses`, and the table of the usual
mistakes (forgot to divide by N, counted the correct class, forgot ``max(0, .)``, forgot the
regularization term or its gradient, ...), which :func:`~._exercise.run` names.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from .. import losses
from ..data import lecture_example
from ._exercise import Case, Exercise, Lazy, Mistake, Output, run
from ._feedback import Problem, as_array, call_learner, fmt, shape_of
from ._harness import loss_cases, loss_exercise, regularized_loss_mistakes, with_loss_facts
from ._question import Answer, Question, ask, zero_to_infinity
from ._result import CheckResult, graded

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


def _hinge_cases() -> list[Case]:
    ex = lecture_example()
    rng = np.random.default_rng(0)
    s1 = np.round(rng.normal(0, 2, size=(6, 4)), 2)
    y1 = rng.integers(0, 4, size=6)
    s2 = np.round(rng.normal(0, 2, size=(5, 3)), 2)
    y2 = rng.integers(0, 3, size=5)
    cases = [
        Case("the lecture's cat/car/frog scores", {"scores": ex.scores, "y": ex.y}),
        Case("random scores (N=6, C=4)", {"scores": s1, "y": y1}),
        Case("random scores (N=5, C=3) with delta=2", {"scores": s2, "y": y2}, {"delta": 2.0}),
    ]
    return [c.with_facts(delta=c.kwargs.get("delta", 1.0), n=len(c.y)) for c in cases]


def _read_hinge(value: Any, case: Case) -> tuple[Any, str | Problem]:
    n, c = case.scores.shape
    shape = shape_of(value)
    if shape == ():
        return None, Problem(
            f"returned one number ({fmt(value)}), but it should "
            f"return one loss per example, shape ({n},)",
            "did you average or sum over the examples? That is the next step (L); "
            "here return the L_i themselves",
        )
    if shape == (n, c):
        return None, (
            f"returned shape {(n, c)}, one value per class; "
            f"sum over the classes j != y_i to get one L_i per example, shape ({n},)"
        )
    return as_array(value, "the result", (n,))


HINGE_LOSSES = Exercise(
    name="hinge_losses",
    cases=_hinge_cases,
    returns=(
        Output(
            "L_i",
            _read_hinge,
            unnamed=lambda got, want, c: Problem(
                f"L_i = {fmt(got)} but should be {fmt(want)}", specific=False
            ),
        ),
    ),
    reference=lambda scores, y, delta=1.0: (losses.hinge_losses(scores, y, delta),),
    mistakes=(
        Mistake(
            "every L_i is too big by exactly delta = {delta:g}: "
            "the sum over classes must skip the correct class j = y_i",
            "for j == y_i the term would be max(0, s_yi - s_yi + delta) = delta; "
            "skip it (`if j == y[i]: continue`, or set that margin to 0)",
            gives=lambda c: losses.hinge_losses(c.scores, c.y, c.delta) + c.delta,
        ),
        Mistake(
            "your L_i equal the sum of the raw margins: did you forget max(0, .)?",
            "a margin that is already met (s_j - s_yi + delta < 0) must contribute 0, not a "
            "negative number",
            gives=lambda c: _margins(c.scores, c.y, c.delta).sum(axis=1),
        ),
        Mistake(
            "your L_i ignore the margin delta: use max(0, s_j - s_yi + delta)",
            gives=lambda c: np.maximum(0.0, _margins(c.scores, c.y, 0.0)).sum(axis=1),
        ),
        Mistake(
            "with delta={delta:g} your function gave the losses for delta = 1: "
            "use the `delta` argument instead of a fixed 1",
            gives=lambda c: losses.hinge_losses(c.scores, c.y, 1.0) if c.delta != 1 else None,
        ),
    ),
    success="correct on all 3 inputs, including the lecture's example",
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
    return run(HINGE_LOSSES, fn)


# ----------------------------------------------------------------------------------------
# svm_loss(W, X, y, reg) -> (loss, dW)
# ----------------------------------------------------------------------------------------


def _svm_cases() -> list[Case]:
    facts = dict(
        dscores=Lazy(lambda c: losses.scores_loss(c.X @ c.W, c.y)[1]),  # already divided by N
        data=Lazy(lambda c: float(losses.hinge_losses(c.X @ c.W, c.y).mean())),
        grad_data=Lazy(lambda c: c.X.T @ c.dscores),
    )
    return [with_loss_facts(c).with_facts(**facts) for c in loss_cases(seed=1)]


def _dscores_part(c: Case, correct: bool) -> np.ndarray:
    """The correct-class (or the wrong-class) entries of the mean loss's dscores."""
    at_correct = np.zeros_like(c.dscores, dtype=bool)
    at_correct[np.arange(c.n), c.y] = True
    return np.where(at_correct == correct, c.dscores, 0.0)


SVM_LOSS = loss_exercise(
    "svm_loss",
    _svm_cases,
    losses.svm_loss,
    regularized_loss_mistakes(
        forgot_mean="did you forget to divide by N?", summed="the summed data loss"
    )
    + (
        Mistake(
            "the data loss is N = {n} times too big: did you forget to divide by N?",
            "the loss is the mean of the L_i: sum them, then divide by the number of examples",
            gives=lambda c: c.n * c.data + c.reg_term,
        ),
        Mistake(
            "the data loss is N = {n} times too small: did you divide by N twice?",
            gives=lambda c: c.data / c.n + c.reg_term,
        ),
        Mistake(
            "the loss is too big by exactly delta = 1: "
            "the sum over classes must skip the correct class j = y_i",
            "for j == y_i the term would be max(0, s_yi - s_yi + 1) = 1 for every example",
            gives=lambda c: c.data + 1.0 + c.reg_term,
        ),
        Mistake(
            "your loss matches the sum of the raw margins: did you forget max(0, .)?",
            "only margins with s_j - s_yi + delta > 0 count",
            gives=lambda c: float(_margins(c.X @ c.W, c.y, 1.0).sum(axis=1).mean()) + c.reg_term,
        ),
        Mistake(
            "dW is missing the correct-class part: "
            "each violated margin also subtracts x_i from dW[:, y_i]",
            "s_yi appears in every violated margin with a minus sign",
            gives=lambda c: c.X.T @ _dscores_part(c, correct=False) + c.grad_reg,
            output=1,
        ),
        Mistake(
            "dW is missing the wrong-class part: each violated margin j adds x_i to dW[:, j]",
            gives=lambda c: c.X.T @ _dscores_part(c, correct=True) + c.grad_reg,
            output=1,
        ),
    ),  # fmt: skip
    "loss and gradient correct on all 4 inputs, including the lecture's example",
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
    return run(SVM_LOSS, fn)


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


def _too_slow(fn: Callable[..., Any]) -> Problem | None:
    """Time ``fn`` against the library's loops on N = 1000: a Problem when not 20x faster."""
    rng = np.random.default_rng(2)
    W = rng.normal(0, 0.01, size=(40, 10))
    X = rng.normal(0, 1, size=(1000, 40))
    y = rng.integers(0, 10, size=1000)
    t_naive = _best_time(lambda: losses.svm_loss_naive(W, X, y, 0.1), repeats=2)
    start = time.perf_counter()
    out = call_learner(fn, W, X, y, 0.1)  # the first call may raise: it is the learner's code
    first = time.perf_counter() - start
    if not out.ok:
        return Problem(f"on N=1000 examples your function {out.error}")
    t_yours = min(first, _best_time(lambda: fn(W, X, y, 0.1), repeats=2))
    speedup = t_naive / max(t_yours, 1e-9)
    if speedup >= _MIN_SPEEDUP:
        return None
    return Problem(
        f"correct, but only {speedup:.1f}x faster than the loops of svm_loss_naive "
        f"on N=1000 (a vectorized version is over {_MIN_SPEEDUP:.0f}x faster): "
        "it looks like it still loops over the examples or classes",
        "compute all scores at once (X @ W), all margins at once, and dW = X.T @ (...)",
    )


#: svm_loss's exercise, then a timing against the loops of losses.svm_loss_naive
SVM_LOSS_VECTORIZED = replace(
    SVM_LOSS,
    name="svm_loss_vectorized",
    after=_too_slow,
    success=f"correct on all 4 inputs, and vectorized (over {_MIN_SPEEDUP:.0f}x faster than "
    "the loops)",
)


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
    return run(SVM_LOSS_VECTORIZED, fn)


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
    unbounded="how far above the correct class's score can a wrong class's score be?",
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
