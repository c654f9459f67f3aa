r"""Checks for the classifier-playground exercises (notebook 05).

The playground scores a 2-D point :math:`x` (a row of X) as :math:`s = xW + b` with W of shape
(D, C) = (2, 3), one *column* per class, and b of shape (C,). The lecture writes the same
classifier as :math:`Wx + b` with a (3, 2) matrix whose *rows* are the classes. The checks here
name the mistakes that come from mixing the two, from forgetting the bias, and from treating
the bias like a weight (it is not regularized).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import losses
from ..data import playground_points
from ._feedback import (
    CheckResult,
    Problem,
    as_array,
    as_number,
    call_watching,
    check_each,
    close,
    failed,
    first_match,
    fmt,
    passed,
    shape_of,
)
from ._result import graded

__all__ = ["linear_scores", "softmax_loss_with_bias", "zero_loss_parameters"]

_TRANSPOSE_HINT = (
    "the library's W has one column per class, shape (D, C) = (2, 3); the lecture's W is its "
    "transpose, shape (3, 2). Scores of all points at once: X @ W + b"
)


@dataclass(frozen=True)
class _Case:
    label: str
    X: np.ndarray
    y: np.ndarray
    W: np.ndarray
    b: np.ndarray
    reg: float


def _cases() -> list[_Case]:
    X, y = playground_points()
    W = np.array([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]])
    b = np.array([0.0, 0.5, -0.5])
    rng = np.random.default_rng(5)
    cases = [_Case("the playground's 9 points and starting W, b, reg=0.1", X, y, W, b, 0.1)]
    for n, d, c, reg in [(7, 4, 5, 0.0), (6, 3, 2, 0.5)]:
        cases.append(
            _Case(
                f"random data (N={n}, D={d}, C={c}), reg={reg:g}",
                rng.normal(size=(n, d)),
                rng.integers(0, c, size=n),
                rng.normal(0, 0.7, size=(d, c)),
                rng.normal(0, 0.5, size=c),
                reg,
            )
        )
    return cases


# ----------------------------------------------------------------------------------------
# linear_scores(X, W, b) -> (N, C)
# ----------------------------------------------------------------------------------------


def _diagnose_scores(got: np.ndarray, case: _Case) -> Problem | None:
    want = case.X @ case.W + case.b
    if close(got, want):
        return None
    bugs = [
        (
            case.X @ case.W,
            "the bias is missing: s = X @ W + b",
            "b has one entry per class; broadcasting adds it to every row",
        ),
        (
            case.X @ case.W - case.b,
            "the bias has the wrong sign: s = X @ W + b",
            "",
        ),
    ]
    return first_match(got, want, bugs) or Problem(
        f"expected scores {fmt(want)}, got {fmt(got)}", specific=False
    )


@graded
def linear_scores(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(X, W, b)`` returning the class scores ``X @ W + b``, (N, C).

    Parameters
    ----------
    fn : callable
        ``fn(X (N, D), W (D, C), b (C,)) -> ndarray (N, C)``.

    Returns
    -------
    CheckResult
    """
    cases = _cases()

    def examine(case: _Case) -> Problem | None:
        value, problem = call_watching(
            fn, (case.X, case.W, case.b), dict(X=case.X, W=case.W, b=case.b)
        )
        if problem:
            # numpy's "shapes ... not aligned" / "size mismatch": W used the lecture's way round
            message = problem.message
            hint = _TRANSPOSE_HINT if "shapes" in message or "mismatch" in message else ""
            return Problem(message, hint)
        n, c = case.X.shape[0], case.W.shape[1]
        got, error = as_array(value, "the result", (n, c))
        return Problem(error, _TRANSPOSE_HINT) if error else _diagnose_scores(got, case)

    return check_each(
        "linear_scores",
        cases,
        examine,
        f"correct on all {len(cases)} inputs, including the playground's",
    )


# ----------------------------------------------------------------------------------------
# softmax_loss_with_bias(W, b, X, y, reg) -> (loss, dW, db)
# ----------------------------------------------------------------------------------------


def _reference(case: _Case) -> losses.LossResult:
    return losses.linear_loss(case.W, case.X, case.y, case.reg, "softmax", b=case.b)


def _diagnose_bias_loss(got: float, case: _Case) -> Problem | None:
    ref = _reference(case)
    if close(got, ref.loss):
        return None
    no_bias = losses.linear_loss(case.W, case.X, case.y, case.reg, "softmax")
    b_penalty = case.reg * float(np.sum(case.b**2))
    bugs = [
        (
            no_bias.loss,
            "the loss ignores the bias: the scores are X @ W + b",
            "",
        ),
        (
            ref.loss + b_penalty,
            "the bias was regularized too: the penalty is reg * sum(W**2), the bias is not "
            "part of it (as in the lecture's demo)",
            "",
        ),
        (
            ref.data_loss,
            "the loss is missing the regularization term reg * sum(W**2)",
            "",
        ),
        (
            case.X.shape[0] * ref.data_loss + ref.reg_loss,
            f"the data loss is N = {case.X.shape[0]} times too big: did you forget the mean?",
            "",
        ),
    ]
    return first_match(got, ref.loss, bugs) or Problem(
        f"the loss is {fmt(got)} but should be {fmt(ref.loss)}", specific=False
    )


def _diagnose_db(got: np.ndarray, case: _Case) -> Problem | None:
    ref = _reference(case)
    want = ref.db
    if close(got, want):
        return None
    n = case.X.shape[0]
    bugs = [
        (
            want + 2 * case.reg * case.b,
            "db includes 2 * reg * b: the bias is not regularized, so its gradient is only "
            "the data part",
            "db = dscores.sum(axis=0), with dscores already divided by N",
        ),
        (n * want, f"db is N = {n} times too big: did you forget to divide by N?", ""),
        (-want, "db has the wrong sign", ""),
    ]
    if not np.any(got) and np.any(want):
        return Problem("db is all zeros: did you fill it in?")
    return first_match(got, want, bugs) or Problem(
        f"db is {fmt(got)} but should be {fmt(want)}",
        "s_j = x W[:, j] + b_j, so dL_i/db_j = dL_i/ds_j: sum dscores over the examples",
        specific=False,
    )


@graded
def softmax_loss_with_bias(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, b, X, y, reg) -> (loss, dW, db)``: the playground's softmax loss.

    Scores are ``X @ W + b``; the loss is the mean of -log P(y_i) + reg * sum(W**2); the bias
    is not regularized.

    Parameters
    ----------
    fn : callable
        ``fn(W (D, C), b (C,), X (N, D), y (N,), reg) -> (loss, dW (D, C), db (C,))``.

    Returns
    -------
    CheckResult
    """
    cases = _cases()

    def examine(case: _Case) -> Problem | None:
        value, problem = call_watching(
            fn,
            (case.W, case.b, case.X, case.y, case.reg),
            dict(W=case.W, b=case.b, X=case.X, y=case.y),
        )
        if problem:
            return problem
        if not (isinstance(value, (tuple, list)) and len(value) == 3):
            return Problem("return the three values (loss, dW, db)")
        loss_number, error = as_number(value[0], "the loss")
        if error:
            return Problem(error)
        dW, error = as_array(value[1], "dW", case.W.shape)
        if error:
            return Problem(error)
        db, error = as_array(value[2], "db", case.b.shape)
        if error:
            n = case.X.shape[0]
            if shape_of(value[2]) == (n,):
                error = "db has one value per example: sum dscores over the examples (axis=0)"
            return Problem(error)
        ref = _reference(case)
        problem = _diagnose_bias_loss(loss_number, case)
        if problem is None and not close(dW, ref.dW):
            problem = Problem(
                f"dW is {fmt(dW)} but should be {fmt(ref.dW)}",
                "dW = X.T @ dscores / N + 2 * reg * W, as without a bias",
                specific=False,
            )
        return problem or _diagnose_db(db, case)

    return check_each(
        "softmax_loss_with_bias",
        cases,
        examine,
        f"loss, dW and db correct on all {len(cases)} inputs: these are the numbers next to "
        "the playground's sliders",
    )


# ----------------------------------------------------------------------------------------
# zero_loss_parameters(W, b): a W and b with zero SVM data loss on the 9 points
# ----------------------------------------------------------------------------------------


@graded
def zero_loss_parameters(W: Any, b: Any) -> CheckResult:
    """Check a W (2, 3) and b (3,) whose multiclass SVM data loss on the 9 points is 0.

    Every point's correct class must beat both other classes by at least 1.

    Parameters
    ----------
    W : array_like of shape (2, 3)
        One column per class (``app.parameters()[0]`` of the playground).
    b : array_like of shape (3,)

    Returns
    -------
    CheckResult
    """
    name = "zero_loss_parameters"
    Wa, error = as_array(W, "W", (2, 3))
    if error:
        hint = _TRANSPOSE_HINT if shape_of(W) == (3, 2) else ""
        return failed(name, error, hint)
    ba, error = as_array(b, "b", (3,))
    if error:
        return failed(name, error)
    X, y = playground_points()
    result = losses.linear_loss(Wa, X, y, 0.0, "svm", b=ba)
    bad = np.flatnonzero(result.losses > 0)
    if bad.size:
        worst = bad[np.argmax(result.losses[bad])]
        listed = ", ".join(f"{i} (L_i = {result.losses[i]:.2f})" for i in bad)
        return failed(
            name,
            f"{bad.size} of 9 points still have a positive loss: {listed}; "
            f"data loss {result.data_loss:.3f}",
            f"point {worst} is the worst: in the playground, move the weights and bias of its "
            f"class ({y[worst]}) until its ring turns black",
        )
    return passed(
        name,
        "every point's correct class wins by at least 1: SVM data loss 0. "
        "(2W and 2b give 0 too: only regularization picks one of them)",
    )
