r"""Checks for the second half of the derivation exercises: the gradient for the lecture's W.

The lecture writes :math:`f(x_i) = W x_i` with :math:`W` of shape (C, D), one row per class,
so the scores of all examples are :math:`S = X W^\top`, shape (N, C). After deriving
:math:`\partial L / \partial s` (``svm_dscores`` / ``softmax_dscores``), the learner writes
``fn(W, X, y, reg)`` returning :math:`\nabla_W L` of shape (C, D) for

.. math:: L = \frac1N \sum_i L_i + \lambda \sum W^2 \quad\Rightarrow\quad
          \nabla_W L = \mathrm{dscores}^\top X + 2 \lambda W .

The right answer is the library's gradient for the (D, C) orientation, transposed:
``losses.svm_loss(W.T, X, y, reg)[1].T`` (the same numbers, one transpose apart).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import losses
from ._exercise import Case, Exercise, Lazy, Output, array, run
from ._harness import dW_mistakes, with_loss_facts
from ._result import CheckResult, graded

__all__ = ["svm_grad_lecture", "softmax_grad_lecture"]

_Loss = Callable[..., tuple[float, np.ndarray]]


def _cases() -> list[Case]:
    """Two seeded random problems, W (C, D) with C != D so that a transposed answer shows."""
    rng = np.random.default_rng(23)
    cases = []
    for n, d, c, reg in ((6, 5, 3, 0.1), (9, 4, 5, 0.3)):
        args = {
            "W": rng.normal(0, 0.5, size=(c, d)),
            "X": rng.normal(size=(n, d)),
            "y": rng.integers(0, c, size=n),
            "reg": reg,
        }
        cases.append(Case(f"random data (N={n}, D={d}, C={c}), reg={reg}", args, facts={"n": n}))
    return cases


def _gradient(loss: _Loss, W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> np.ndarray:
    """The library's gradient for the lecture's W (C, D): that of W.T (D, C), transposed."""
    return loss(W.T, X, y, reg)[1].T


def _exercise(name: str, loss: _Loss) -> Exercise:
    def with_facts(case: Case) -> Case:
        a = case.args
        return with_loss_facts(
            case, grad_data=Lazy(lambda c: _gradient(loss, a["W"], a["X"], a["y"], 0.0))
        )

    return Exercise(
        name=name,
        cases=lambda: [with_facts(case) for case in _cases()],
        returns=(Output("dW", array("dW", lambda case: case.args["W"].shape)),),
        reference=lambda W, X, y, reg: (_gradient(loss, W, X, y, reg),),
        # the mistakes every regularized dW invites (notebooks 01-04's checks), read off the
        # one array this function returns
        mistakes=tuple(dataclasses.replace(m, output=0) for m in dW_mistakes()),
        success="correct on both problems: your gradient for the lecture's W (C, D) is "
        "dscores^T X + 2 reg W",
    )


@graded
def svm_grad_lecture(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(W, X, y, reg) -> dW``: the SVM gradient for the lecture's W of shape (C, D).

    Parameters
    ----------
    fn : callable
        ``fn(W (C, D), X (N, D), y (N,), reg) -> ndarray (C, D)``, the gradient of the mean
        multiclass SVM loss (:math:`\Delta = 1`) plus :math:`\lambda \sum W^2`.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from lecture_utils import losses
    >>> svm_grad_lecture(lambda W, X, y, reg: losses.svm_loss(W.T, X, y, reg)[1].T).passed
    True
    """
    return run(_exercise("svm_grad_lecture", losses.svm_loss), fn)


@graded
def softmax_grad_lecture(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(W, X, y, reg) -> dW``: the softmax gradient for the lecture's W (C, D).

    Parameters
    ----------
    fn : callable
        ``fn(W (C, D), X (N, D), y (N,), reg) -> ndarray (C, D)``, the gradient of the mean
        softmax loss plus :math:`\lambda \sum W^2`.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from lecture_utils import losses
    >>> softmax_grad_lecture(lambda W, X, y, reg: losses.softmax_loss(W, X, y, reg)[1]).passed
    False
    """
    return run(_exercise("softmax_grad_lecture", losses.softmax_loss), fn)
