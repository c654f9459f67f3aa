r"""Checks for the derivation exercises: the gradient of the mean data loss w.r.t. the scores.

The learner derives :math:`\partial L / \partial s` on paper and writes ``fn(scores, y)``
returning it, shape (N, C), for the mean data loss :math:`L = \frac1N \sum_i L_i`:

- multiclass SVM (:math:`\Delta = 1`): :math:`\partial L/\partial s_{ij} = \frac1N
  \mathbb 1[s_j - s_{y_i} + 1 > 0]` for :math:`j \ne y_i`, and minus the number of violated
  margins of example i (over N) for :math:`j = y_i`;
- softmax: :math:`\partial L/\partial s_{ij} = \frac1N (P_{ij} - \mathbb 1[j = y_i])`.

The right answer is :func:`lecture_utils.losses.svm_losses_and_dscores` /
:func:`~lecture_utils.losses.softmax_losses_and_dscores` divided by N; the learner's answer
must also match a numerical gradient of the mean loss (:func:`lecture_utils.gradients.\
numerical_gradient`), which is what "confirm the derivation with a gradient check" means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import gradients, losses
from ..data import lecture_example
from ._exercise import Case, Exercise, Mistake, Output, array, run
from ._feedback import Problem, close, fmt
from ._result import CheckResult, graded

__all__ = ["svm_dscores", "softmax_dscores"]

# a per-example (losses (N,), dscores (N, C)) function of lecture_utils.losses
_PerExample = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _svm(scores: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return losses.svm_losses_and_dscores(scores, y, 1.0)


def _softmax(scores: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return losses.softmax_losses_and_dscores(scores, y)


def _cases() -> list[Case]:
    """The lecture's cat/car/frog scores and two seeded random score tables (no ties).

    The first random table is square with labels that are not their own transpose, so a
    transposed answer or a one-hot on the wrong axis shows.
    """
    ex = lecture_example()
    rng = np.random.default_rng(16)
    cases = [Case("the lecture's cat/car/frog scores", {"scores": ex.scores.copy(), "y": ex.y})]
    labels = (np.array([1, 2, 3, 0]), rng.integers(0, 3, size=6))  # the first not symmetric
    for y in labels:
        n, c = y.size, 4 if y.size == 4 else 3
        scores = rng.normal(0, 2, size=(n, c))
        cases.append(Case(f"random scores (N={n}, C={c})", {"scores": scores, "y": y}))
    return [Case(k.label, k.args, facts={"n": k.args["y"].size}) for k in cases]


def mean_loss_gradient(per_example: _PerExample, scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/dscores (N, C) of the mean loss: the library's per-example dscores divided by N."""
    return per_example(scores, y)[1] / y.size


def numerical_mean_loss_gradient(
    per_example: _PerExample, scores: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """The same gradient by centered differences of the mean loss (h = 1e-5)."""

    def mean_loss(s: np.ndarray) -> float:
        return float(per_example(s, y)[0].mean())

    return gradients.numerical_gradient(mean_loss, scores.copy(), 1e-5)


def _exercise(name: str, per_example: _PerExample, mistakes: tuple[Mistake, ...]) -> Exercise:
    def equal(got: Any, want: Any, case: Case) -> bool:
        numerical = numerical_mean_loss_gradient(per_example, **case.args)
        return close(got, want) and close(got, numerical, rtol=1e-5, atol=1e-7)

    def unnamed(got: Any, want: Any, case: Case) -> Problem:
        i, j = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
        return Problem(
            f"dscores differs from the numerical gradient of the mean loss; the largest "
            f"difference is at dscores[{i}, {j}] (example {i}, class {j}): {fmt(got[i, j])}",
            "compare with lecture_utils.gradients.numerical_gradient(lambda s: mean loss of s, "
            "scores) entry by entry",
            specific=False,
        )

    shape = array("dscores", lambda case: case.args["scores"].shape)
    common = (
        Mistake(
            "dscores is all zeros: did you fill it in?",
            when=lambda got, case: not np.any(got),
        ),
        Mistake(
            "dscores has the wrong sign: it points downhill; the gradient points uphill",
            gives=lambda case: -_mean(per_example, case),
        ),
        Mistake(
            "dscores is N = {n} times too big: the loss is the MEAN over the examples, "
            "so every entry is divided by N",
            gives=lambda case: case.facts["n"] * _mean(per_example, case),
        ),
        Mistake(
            "dscores is transposed: row i belongs to example i, one column per class (N, C)",
            gives=lambda case: _square(_mean(per_example, case).T),
        ),
    )
    return Exercise(
        name=name,
        cases=_cases,
        returns=(Output("dscores", shape, equal=equal, unnamed=unnamed),),
        reference=lambda scores, y: (mean_loss_gradient(per_example, scores, y),),
        mistakes=common + mistakes,
        success="correct on all 3 score tables, and it agrees with a numerical gradient of "
        "the mean loss: your derivation is confirmed",
    )


def _mean(per_example: _PerExample, case: Case) -> np.ndarray:
    return mean_loss_gradient(per_example, **case.args)


def _square(a: np.ndarray) -> np.ndarray | None:
    return a if a.shape[0] == a.shape[1] else None


# ----------------------------------------------------------------------------------------
# The SVM's named mistakes
# ----------------------------------------------------------------------------------------


def _svm_parts(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(wrong-class part, violated-margin counts, rows) of the SVM's dscores times N."""
    scores, y = case.args["scores"], case.args["y"]
    rows = np.arange(y.size)
    ds = _svm(scores, y)[1]
    wrong = ds.copy()
    wrong[rows, y] = 0
    return wrong, -ds[rows, y], rows


def _svm_no_correct(case: Case) -> np.ndarray:
    return _svm_parts(case)[0] / case.facts["n"]


def _svm_correct_minus_one(case: Case) -> np.ndarray | None:
    wrong, count, rows = _svm_parts(case)
    if not np.any(count > 1):
        return None
    wrong[rows, case.args["y"]] = -(count > 0).astype(float)
    return wrong / case.facts["n"]


def _svm_every_margin(case: Case) -> np.ndarray:
    scores, y = case.args["scores"], case.args["y"]
    rows = np.arange(y.size)
    ds = np.ones_like(scores)
    ds[rows, y] = -(scores.shape[1] - 1)
    return ds / y.size


_SVM_MISTAKES = (
    Mistake(
        "the correct-class column is missing: s_yi appears with a minus sign in every "
        "violated margin, so dL_i/ds_yi = -(number of violated margins of example i)",
        "for j = y_i, differentiate max(0, s_j - s_yi + 1) with respect to s_yi",
        gives=_svm_no_correct,
    ),
    Mistake(
        "the correct-class entry is -1; it is minus the NUMBER of violated margins of the "
        "example (each violated margin subtracts 1)",
        gives=_svm_correct_minus_one,
    ),
    Mistake(
        "every margin was counted, also the met ones: only a violated margin "
        "(s_j - s_yi + 1 > 0) has a slope; max(0, .) is flat where the margin is met",
        gives=_svm_every_margin,
    ),
)


@graded
def svm_dscores(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(scores, y) -> dscores``: dL/dscores of the mean multiclass SVM loss.

    :math:`L = \frac1N \sum_i \sum_{j \ne y_i} \max(0, s_{ij} - s_{iy_i} + 1)`.

    Parameters
    ----------
    fn : callable
        ``fn(scores (N, C), y (N,)) -> ndarray (N, C)``.

    Returns
    -------
    CheckResult
        ✅ when ``fn`` matches :func:`lecture_utils.losses.svm_losses_and_dscores` divided by
        N and a numerical gradient, on the lecture's scores and two random tables.

    Examples
    --------
    >>> from lecture_utils import losses
    >>> check_result = svm_dscores(lambda s, y: losses.svm_losses_and_dscores(s, y, 1.0)[1])
    >>> check_result.passed, "N = 3 times too big" in check_result.message
    (False, True)
    """
    return run(_exercise("svm_dscores", _svm, _SVM_MISTAKES), fn)


# ----------------------------------------------------------------------------------------
# Softmax's named mistakes
# ----------------------------------------------------------------------------------------


def _probabilities(case: Case) -> np.ndarray:
    return losses.softmax(case.args["scores"]) / case.facts["n"]


def _wrong_axis_one_hot(case: Case) -> np.ndarray | None:
    """P - 1 at [y_i, i] instead of [i, y_i], when those indices exist."""
    p, y = losses.softmax(case.args["scores"]), case.args["y"]
    n, c = p.shape
    if y.max() >= n or n > c:
        return None
    p[y, np.arange(n)] -= 1
    return p / n


_SOFTMAX_MISTAKES = (
    Mistake(
        "these are the probabilities P without subtracting 1 at the correct class: "
        "dL_i/ds_j = P_j - 1 when j = y_i",
        "-log P_yi = -s_yi + log sum_k e^(s_k): the -s_yi term gives the -1",
        gives=_probabilities,
    ),
    Mistake(
        "the one-hot is on the wrong axis: the 1 is subtracted at [y_i, i] instead of "
        "[i, y_i] (row = example, column = class)",
        "subtract 1 at row i, column y_i of each example i",
        gives=_wrong_axis_one_hot,
    ),
)


@graded
def softmax_dscores(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(scores, y) -> dscores``: dL/dscores of the mean softmax (cross-entropy) loss.

    :math:`L = \frac1N \sum_i -\log P_{iy_i}`, :math:`P_{ij} = e^{s_{ij}} / \sum_k e^{s_{ik}}`.

    Parameters
    ----------
    fn : callable
        ``fn(scores (N, C), y (N,)) -> ndarray (N, C)``.

    Returns
    -------
    CheckResult
        ✅ when ``fn`` matches :func:`lecture_utils.losses.softmax_losses_and_dscores`
        divided by N and a numerical gradient, on the lecture's scores and two random tables.

    Examples
    --------
    >>> from lecture_utils import losses
    >>> def mine(s, y):
    ...     return losses.softmax_losses_and_dscores(s, y)[1] / len(y)
    >>> softmax_dscores(mine).passed
    True
    """
    return run(_exercise("softmax_dscores", _softmax, _SOFTMAX_MISTAKES), fn)
