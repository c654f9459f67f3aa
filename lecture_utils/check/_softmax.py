r"""Checks for the softmax exercises (notebook 04).

Each check runs the learner's function on the lecture's cat/car/frog example, on seeded
random inputs and on *large* scores (the lecture's shifted by 1000, or around :math:`\pm 1000`),
compares with :mod:`lecture_utils.losses`, and names the usual mistakes: not numerically
stable (``np.exp`` overflows to ``inf`` and ``inf / inf`` gives ``nan``), normalized over the
wrong axis, forgot the mean over examples, missing the regularization term or its gradient,
missing the :math:`-1` of the correct class in the gradient, ...
"""

from __future__ import annotations

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
    first_match,
    fmt,
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

__all__ = ["softmax", "softmax_loss", "softmax_initial_loss", "softmax_loss_bounds"]

_STABILITY_HINT = (
    "subtract each row's maximum before np.exp: s - s.max(axis=1, keepdims=True). "
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


@dataclass(frozen=True)
class _ScoresCase:
    label: str
    scores: np.ndarray
    large: bool = False


def _softmax_cases() -> list[_ScoresCase]:
    ex = lecture_example()
    rng = np.random.default_rng(3)
    large = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0], [1000.0, 0.0, -1000.0]])
    return [
        _ScoresCase("the lecture's cat/car/frog scores (one row per image)", ex.scores),
        _ScoresCase("random scores (N=5, C=4)", np.round(rng.normal(0, 3, size=(5, 4)), 2)),
        _ScoresCase("large scores (around ±1000)", large, large=True),
    ]


def _softmax_over(s: np.ndarray, shift: np.ndarray | float, axis: int | None) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        e = np.exp(s - shift)
        return e / e.sum(axis=axis, keepdims=axis is not None)


def _diagnose_softmax(got: np.ndarray, case: _ScoresCase) -> Problem | None:
    s = case.scores
    want = losses.softmax(s)
    if close(got, want):
        return None
    row_max = s.max(axis=1, keepdims=True)
    with np.errstate(over="ignore"):
        unnormalized = np.exp(s)
    unnormalized_message = (
        "your result is e^s, the *unnormalized* probabilities: divide by their sum"
    )
    bugs = [
        (unnormalized, unnormalized_message, "each row: e / e.sum(axis=1, keepdims=True)"),
        (
            np.exp(s - row_max),
            unnormalized_message,
            "each row: e / e.sum(axis=1, keepdims=True)",
        ),
        (
            _softmax_over(s, row_max, axis=0),
            "each column sums to 1 instead of each row: you normalized over axis 0 "
            "(over the examples) instead of over the classes (axis=1)",
            "use e.sum(axis=1, keepdims=True): one sum per example (row)",
        ),
        (
            _softmax_over(s, row_max, axis=None),
            "the whole matrix sums to 1: you divided by one sum over all examples; "
            "each example (row) needs its own sum (axis=1)",
            "e.sum(axis=1, keepdims=True)",
        ),
        (
            losses.log_softmax(s),
            "these are log-probabilities (log-softmax); return the probabilities themselves",
            "",
        ),
        (
            _softmax_over(s, s.max(axis=0, keepdims=True), axis=1),
            "you subtracted each *column's* maximum; subtract each row's maximum "
            "(s.max(axis=1, keepdims=True)): only a constant per example cancels",
            "",
        ),
    ]
    return first_match(got, want, bugs) or Problem(
        f"expected probabilities {fmt(want)}, got {fmt(got)}", specific=False
    )


def _unstable_softmax(got: Any, case: _ScoresCase) -> Problem:
    """What to say when the result on the large scores contains inf or nan."""
    s = case.scores
    global_max = _softmax_over(s, s.max(), axis=1)
    arr = np.asarray(got, dtype=float)
    if arr.shape == s.shape and np.array_equal(np.isnan(arr), np.isnan(global_max)):
        return Problem(
            "on the row [-1000, -999, -998] your result is nan: you subtracted one maximum "
            "for the whole matrix (1002), so every e^(s - 1002) of that row underflows to 0 "
            "and 0 / 0 = nan",
            "subtract each row's own maximum: s.max(axis=1, keepdims=True)",
        )
    return Problem(
        "not numerically stable: your result contains inf or nan. For scores around 1000, "
        "np.exp overflows (e^710 is already larger than the largest float64, so it becomes "
        "inf), and inf / inf = nan",
        _STABILITY_HINT,
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
    cases = _softmax_cases()

    def examine(case: _ScoresCase) -> Problem | None:
        value, problem = call_watching(fn, (case.scores,), dict(scores=case.scores), quiet=True)
        if problem:
            return problem
        n, c = case.scores.shape
        if shape_of(value) == (n,):
            return Problem(
                f"returned shape ({n},), one number per example; return "
                f"every class's probability, shape ({n}, {c})",
                "did you pick out the correct class's probability? That is the loss's job",
            )
        if case.large and value is not None and not _all_finite(value):
            return _unstable_softmax(value, case)
        got, error = as_array(value, "the result", (n, c))
        return Problem(error) if error else _diagnose_softmax(got, case)

    return check_each(
        "softmax",
        cases,
        examine,
        f"correct on all {len(cases)} inputs, including the lecture's example, "
        "and stable on scores around ±1000",
    )


# ----------------------------------------------------------------------------------------
# softmax_loss(W, X, y, reg) -> (loss, dW)
# ----------------------------------------------------------------------------------------


def _loss_cases() -> list[LossCase]:
    ex = lecture_example()
    large = LossCase(
        "the lecture's scores + 1000 (the same losses, but e^1000 overflows), reg=0",
        ex.scores + 1000.0,
        np.eye(3),
        ex.y,
        0.0,
        large=True,
    )
    return [*loss_cases(seed=4), large]


def _diagnose_loss(got: float, case: LossCase) -> Problem | None:
    n = case.X.shape[0]
    rows = np.arange(n)
    scores = case.X @ case.W
    log_p = losses.log_softmax(scores)
    data = float(-log_p[rows, case.y].mean())
    reg_term = case.reg * float(np.sum(case.W**2))
    want = data + reg_term
    if close(got, want):
        return None
    bugs = regularization_loss_bugs(
        data,
        reg_term,
        n,
        forgot_mean="did you forget the mean over examples?",
        summed="the summed -log P",
    )
    p_axis0 = _softmax_over(scores, scores.max(axis=1, keepdims=True), axis=0)
    with np.errstate(divide="ignore"):
        axis0 = float(-np.log(p_axis0[rows, case.y]).mean())
    bugs += [
        (
            n * data + reg_term,
            f"the data loss is N = {n} times too big: did you forget the mean over examples "
            "(divide the sum of the L_i by N)?",
            "L = (1/N) * sum_i L_i + reg * sum(W**2)",
        ),
        (
            data / n + reg_term,
            f"the data loss is N = {n} times too small: did you divide by N twice?",
            "",
        ),
        (
            -data + reg_term,
            "the data loss has the wrong sign: L_i = -log P(y_i), and log P <= 0, so L_i >= 0",
            "",
        ),
        (
            data / np.log(10) + reg_term,
            "you used log base 10; the softmax loss uses the natural log (np.log)",
            "",
        ),
        (
            float(-log_p.sum(axis=1).mean()) + reg_term,
            "you summed -log P over every class; only the correct class's probability "
            "counts: L_i = -log P(y_i)",
            "pick it out with probs[np.arange(N), y]",
        ),
        (
            axis0 + reg_term,
            "the probabilities were normalized over axis 0 (over the examples); each "
            "example's probabilities must sum to 1 over the classes (axis=1)",
            "use .sum(axis=1, keepdims=True)",
        ),
    ]
    return first_match(got, want, bugs) or Problem(
        f"the loss is {fmt(got)} but should be {fmt(want)}", specific=False
    )


def _diagnose_gradient(got: np.ndarray, case: LossCase) -> Problem | None:
    n = case.X.shape[0]
    p = losses.softmax(case.X @ case.W)
    dscores = p.copy()
    dscores[np.arange(n), case.y] -= 1

    def softmax_bugs(grad_reg: np.ndarray) -> list[tuple[np.ndarray, str, str]]:
        return [
            (
                case.X.T @ p / n + grad_reg,
                "dW is missing the -1 of the correct class: dL_i/ds_j = P_j - 1 when j = y_i, "
                "and P_j otherwise",
                "dscores = probs.copy(); dscores[np.arange(N), y] -= 1; dW = X.T @ dscores / N",
            )
        ]

    return diagnose_dW(got, case.X.T @ dscores / n, case.W, case.reg, n, softmax_bugs)


def _unstable_loss(case: LossCase, loss_value: Any, dW: Any) -> Problem | None:
    """What to say when the loss or dW on the large scores is inf or nan."""
    if case.large and not (_all_finite(loss_value) and _all_finite(dW)):
        return Problem(
            "not numerically stable: your loss or dW is inf or nan. "
            "np.exp(1003.2) overflows to inf, and inf / inf = nan (or log(0) = -inf)",
            _STABILITY_HINT + "; or compute log P directly: (s - max) - log(sum(exp(s - max)))",
        )
    return None


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
    cases = _loss_cases()
    return check_loss_function(
        "softmax_loss",
        fn,
        cases,
        _diagnose_loss,
        _diagnose_gradient,
        f"loss and gradient correct on all {len(cases)} inputs, including the lecture's "
        "example, and stable on scores around 1000",
        quiet=True,
        check_returned=_unstable_loss,
    )


# ----------------------------------------------------------------------------------------
# Questions answered with a number
# ----------------------------------------------------------------------------------------


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
    unbounded="as P(y_i) -> 0 (the correct score far below another), -log P(y_i) -> "
    "infinity: use float('inf')",
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
