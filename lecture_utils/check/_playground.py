r"""Checks for the classifier-playground exercises (notebook 05).

The playground scores a 2-D point :math:`x` (a row of X) as :math:`s = xW + b` with W of shape
(D, C) = (2, 3), one *column* per class, and b of shape (C,). The lecture writes the same
classifier as :math:`Wx + b` with a (3, 2) matrix whose *rows* are the classes. The exercises
here name the mistakes that come from mixing the two, from forgetting the bias, and from
treating the bias like a weight (it is not regularized).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import losses
from ..data import playground_points
from ._exercise import Case, Exercise, Lazy, Mistake, Output, array, number, run
from ._feedback import Problem, as_array, fmt, shape_of
from ._question import resolve
from ._result import CheckResult, failed, graded, passed

__all__ = ["linear_scores", "softmax_loss_with_bias", "zero_loss_parameters"]

_TRANSPOSE_HINT = (
    "the library's W has one column per class, shape (D, C) = (2, 3); the lecture's W is its "
    "transpose, shape (3, 2). Scores of all points at once: X @ W + b"
)


def _cases() -> list[Case]:
    X, y = playground_points()
    W = np.array([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]])
    b = np.array([0.0, 0.5, -0.5])
    rng = np.random.default_rng(5)
    cases = [("the playground's 9 points and starting W, b, reg=0.1", X, y, W, b, 0.1)]
    for n, d, c, reg in [(7, 4, 5, 0.0), (6, 3, 2, 0.5)]:
        cases.append(
            (
                f"random data (N={n}, D={d}, C={c}), reg={reg:g}",
                rng.normal(size=(n, d)),
                rng.integers(0, c, size=n),
                rng.normal(0, 0.7, size=(d, c)),
                rng.normal(0, 0.5, size=c),
                reg,
            )
        )
    return [
        Case(label, {"X": X, "y": y, "W": W, "b": b, "reg": reg}, facts={"n": len(y)})
        for label, X, y, W, b, reg in cases
    ]


# ----------------------------------------------------------------------------------------
# linear_scores(X, W, b) -> (N, C)
# ----------------------------------------------------------------------------------------


def _scores_cases() -> list[Case]:
    return [Case(c.label, {k: c.args[k] for k in ("X", "W", "b")}) for c in _cases()]


def _read_scores(value: Any, case: Case) -> tuple[Any, str | Problem]:
    got, error = as_array(value, "the result", (case.X.shape[0], case.W.shape[1]))
    return (None, Problem(error, _TRANSPOSE_HINT)) if error else (got, "")


LINEAR_SCORES = Exercise(
    name="linear_scores",
    cases=_scores_cases,
    returns=(
        Output(
            "the scores",
            _read_scores,
            unnamed=lambda got, want, c: Problem(
                f"expected scores {fmt(want)}, got {fmt(got)}", specific=False
            ),
        ),
    ),
    reference=lambda X, W, b: (X @ W + b,),
    mistakes=(
        Mistake(
            "the bias is missing: s = X @ W + b",
            "b has one entry per class; broadcasting adds it to every row",
            gives=lambda c: c.X @ c.W,
        ),
        Mistake("the bias has the wrong sign: s = X @ W + b", gives=lambda c: c.X @ c.W - c.b),
    ),
    success="correct on all 3 inputs, including the playground's",
    # numpy's "shapes ... not aligned" / "size mismatch": W used the lecture's way round
    error_hint=lambda m: _TRANSPOSE_HINT if "shapes" in m or "mismatch" in m else "",
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
    return run(LINEAR_SCORES, fn)


# ----------------------------------------------------------------------------------------
# softmax_loss_with_bias(W, b, X, y, reg) -> (loss, dW, db)
# ----------------------------------------------------------------------------------------


def _bias_cases() -> list[Case]:
    cases = []
    for c in _cases():
        args = {k: c.args[k] for k in ("W", "b", "X", "y", "reg")}
        facts = {
            **c.facts,
            "ref": Lazy(lambda c: losses.linear_loss(c.W, c.X, c.y, c.reg, "softmax", b=c.b)),
            "no_bias": Lazy(lambda c: losses.linear_loss(c.W, c.X, c.y, c.reg, "softmax")),
        }
        cases.append(Case(c.label, args, facts=facts))
    return cases


def _read_db(value: Any, case: Case) -> tuple[Any, str]:
    got, error = as_array(value, "db", case.b.shape)
    if error and shape_of(value) == (case.n,):
        error = "db has one value per example: sum dscores over the examples (axis=0)"
    return got, error


SOFTMAX_LOSS_WITH_BIAS = Exercise(
    name="softmax_loss_with_bias",
    cases=_bias_cases,
    returns=(
        Output("the loss", number("the loss")),
        Output(
            "dW",
            array("dW", lambda c: c.W.shape),
            unnamed=lambda got, want, c: Problem(
                f"dW is {fmt(got)} but should be {fmt(want)}",
                "dW = X^T dscores / N + 2 reg W, as without a bias",
                specific=False,
            ),
        ),
        Output(
            "db",
            _read_db,
            unnamed=lambda got, want, c: Problem(
                f"db is {fmt(got)} but should be {fmt(want)}",
                "s_j = x W[:, j] + b_j, so dL_i/db_j = dL_i/ds_j: sum dscores over the examples",
                specific=False,
            ),
        ),
    ),
    reference=lambda W, b, X, y, reg: (
        (r := losses.linear_loss(W, X, y, reg, "softmax", b=b)).loss, r.dW, r.db
    ),
    mistakes=(
        Mistake("the loss ignores the bias: the scores are X @ W + b",
                gives=lambda c: c.no_bias.loss),
        Mistake("the bias was regularized too: the penalty is reg * sum(W**2), the bias is not "
                "part of it (as in the lecture's demo)",
                gives=lambda c: c.ref.loss + c.reg * float(np.sum(c.b**2))),
        Mistake("the loss is missing the regularization term reg * sum(W**2)",
                gives=lambda c: c.ref.data_loss),
        Mistake("the data loss is N = {n} times too big: did you forget the mean?",
                gives=lambda c: c.n * c.ref.data_loss + c.ref.reg_loss),
        Mistake("db is all zeros: did you fill it in?", when=lambda got, c: not np.any(got),
                output=2),
        Mistake("db includes 2 * reg * b: the bias is not regularized, so its gradient is only "
                "the data part",
                "db_j = sum over the examples of dL/ds_ij (dscores already divided by N)",
                gives=lambda c: c.ref.db + 2 * c.reg * c.b, output=2),
        Mistake("db is N = {n} times too big: did you forget to divide by N?",
                gives=lambda c: c.n * c.ref.db, output=2),
        Mistake("db has the wrong sign", gives=lambda c: -c.ref.db, output=2),
    ),
    success="loss, dW and db correct on all 3 inputs: these are the numbers next to "
    "the playground's sliders",
    returns_as="three values",
)  # fmt: skip


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
    return run(SOFTMAX_LOSS_WITH_BIAS, fn)


# ----------------------------------------------------------------------------------------
# zero_loss_parameters(W, b): a W and b with zero SVM data loss on the 9 points
# ----------------------------------------------------------------------------------------


@graded
def zero_loss_parameters(W: Any, b: Any = None) -> CheckResult:
    """Check a W (2, 3) and b (3,) whose multiclass SVM data loss on the 9 points is 0.

    Every point's correct class must beat both other classes by at least 1.

    Parameters
    ----------
    W : array_like of shape (2, 3)
        One column per class (``app.parameters()[0]`` of the playground). Or a zero-argument
        function (or a pair) giving ``(W, b)``.
    b : array_like of shape (3,)

    Returns
    -------
    CheckResult
    """
    name = "zero_loss_parameters"
    if b is None:
        pair, error = resolve(W)
        if error:
            return failed(name, error)
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            return failed(name, "give W and b: zero_loss_parameters(W, b)")
        W, b = pair
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
