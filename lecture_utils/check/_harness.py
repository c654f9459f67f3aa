"""What the checks of a loss ``f(W, X, y, reg) -> (loss, dW)`` share (notebooks 01-04).

The SVM and softmax losses are checked the same way: on the lecture's example and seeded
random data (:func:`loss_cases`), through one loop (:func:`check_loss_function`) that calls the
learner's function, unpacks ``(loss, dW)`` and hands the numbers to the topic's diagnosis.
The mistakes every such loss invites (the regularization term or its gradient missing, halved
or divided by N, a missing mean, the wrong sign, a transposed dW) are named here once:
:func:`regularization_loss_bugs` and :func:`diagnose_dW`. The penalties of notebook 03 use
:func:`as_loss_and_gradient` for their ``(value, grad)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data import lecture_example
from ._feedback import (
    CheckResult,
    Problem,
    as_array,
    as_number,
    as_pair,
    call_watching,
    check_each,
    close,
    first_match,
    fmt,
    shape_of,
)

__all__ = [
    "LossCase",
    "loss_cases",
    "check_loss_function",
    "as_loss_and_gradient",
    "regularization_loss_bugs",
    "diagnose_dW",
    "GRAD_HINT",
]


@dataclass(frozen=True)
class LossCase:
    """One input of a loss check: ``f(W, X, y, reg)``; ``large`` marks scores around 1000."""

    label: str
    W: np.ndarray
    X: np.ndarray
    y: np.ndarray
    reg: float
    large: bool = False


def loss_cases(seed: int) -> list[LossCase]:
    """The lecture's example (X = identity, so X @ W is its score table) and three random ones."""
    ex = lecture_example()
    cases = [
        LossCase(
            "the lecture's example (X = identity, so X @ W is the lecture's score table), reg=0",
            ex.scores.copy(),
            np.eye(3),
            ex.y,
            0.0,
        )
    ]
    rng = np.random.default_rng(seed)
    for n, d, c, reg in [(6, 5, 4, 0.0), (8, 7, 3, 0.1), (5, 4, 6, 0.5)]:
        W = rng.normal(0, 0.5, size=(d, c))
        X = rng.normal(0, 1, size=(n, d))
        y = rng.integers(0, c, size=n)
        cases.append(LossCase(f"random data (N={n}, D={d}, C={c}), reg={reg:g}", W, X, y, reg))
    return cases


def check_loss_function(
    name: str,
    fn: Callable[..., Any],
    cases: list[LossCase],
    diagnose_loss: Callable[[float, LossCase], Problem | None],
    diagnose_gradient: Callable[[np.ndarray, LossCase], Problem | None],
    success: str,
    *,
    quiet: bool = False,
    check_returned: Callable[[LossCase, Any, Any], Problem | None] | None = None,
) -> CheckResult:
    """Check ``fn(W, X, y, reg) -> (loss, dW)`` on every case.

    Parameters
    ----------
    name : str
    fn : callable
        The learner's loss.
    cases : list of LossCase
    diagnose_loss, diagnose_gradient : callable
        ``(the learner's loss or dW, case) -> Problem | None``: None when right.
    success : str
        The message when every case is right.
    quiet : bool
        Silence numpy's overflow warnings during the learner's call.
    check_returned : callable, optional
        ``(case, loss, dW) -> Problem | None``, run on the returned pair before it is turned
        into numbers (e.g. to explain an inf or nan).
    """

    def examine(case: LossCase) -> Problem | None:
        value, problem = call_watching(
            fn, (case.W, case.X, case.y, case.reg), dict(W=case.W, X=case.X, y=case.y), quiet=quiet
        )
        if problem:
            return problem
        loss_value, dW, error = as_pair(value, "loss", "dW")
        if error:
            return Problem(error)
        problem = check_returned(case, loss_value, dW) if check_returned else None
        if problem:
            return problem
        loss_number, grad, error = as_loss_and_gradient(
            loss_value, dW, case.W.shape, unsummed=_per_example_loss(case.X.shape[0])
        )
        if error:
            return Problem(error)
        return diagnose_loss(loss_number, case) or diagnose_gradient(grad, case)

    return check_each(name, cases, examine, success)


#: Where to look when dW is wrong in no way a check can name.
GRAD_HINT = (
    "compare your dW with a numerical gradient: "
    "lecture_utils.gradients.grad_check(lambda W: f(W, X, y, reg)[0], W, f(W, X, y, reg)[1])"
)

# (the value a mistake gives, message, hint)
_Bug = tuple[Any, str, str]


def as_loss_and_gradient(
    value: Any,
    grad: Any,
    shape: tuple[int, ...],
    *,
    unsummed: tuple[tuple[int, ...], str],
    value_name: str = "the loss",
    grad_name: str = "dW",
) -> tuple[float | None, np.ndarray | None, str]:
    """The two halves of a returned ``(loss, dW)`` as a number and an array of ``shape``.

    ``unsummed`` is ``(shape, message)``: a value of that shape is one term per example (or
    per weight) that was not summed, and ``message`` says so. Returns ``(number, array, "")``
    or ``(None, None, what is wrong)``.
    """
    unsummed_shape, unsummed_message = unsummed
    if shape_of(value) == unsummed_shape:
        return None, None, unsummed_message
    number, error = as_number(value, value_name)
    if error:
        return None, None, error
    arr, error = as_array(grad, grad_name, shape)
    if error:
        return None, None, error
    return number, arr, ""


def _per_example_loss(n: int) -> tuple[tuple[int], str]:
    """A loss of shape (N,) and what to say about it (``unsummed`` of as_loss_and_gradient)."""
    return (n,), (
        f"the loss has shape ({n},): one value per example; "
        "return their mean (plus the regularization term) as one number"
    )


def regularization_loss_bugs(
    data: float, reg_term: float, n: int, *, forgot_mean: str, summed: str
) -> list[_Bug]:
    """The usual mistakes with ``loss = data + reg * sum(W**2)`` (none when the term is 0).

    ``forgot_mean`` asks about the missing mean (``"did you forget to divide by N?"``);
    ``summed`` names what to divide by N (``"the summed data loss"``).
    """
    if not reg_term > 0:
        return []
    want = data + reg_term
    return [
        (
            data,
            "the loss is missing the regularization term reg * sum(W**2)",
            "add reg * np.sum(W * W) after averaging the data loss",
        ),
        (
            data + 0.5 * reg_term,
            "the regularization term is 0.5 * reg * sum(W**2); "
            "this course uses reg * sum(W**2) (with gradient 2 * reg * W)",
            "",
        ),
        (
            n * want,
            f"the loss is N = {n} times too big: {forgot_mean}",
            f"divide {summed} by N, then add reg * np.sum(W * W)",
        ),
        (
            data + reg_term / n,
            "the regularization term was divided by N too: "
            "divide only the data loss by N, then add reg * np.sum(W * W)",
            "",
        ),
    ]


def diagnose_dW(
    got: np.ndarray,
    grad_data: np.ndarray,
    W: np.ndarray,
    reg: float,
    n: int,
    topic_bugs: Callable[[np.ndarray], list[_Bug]],
) -> Problem | None:
    """None if ``got`` is ``grad_data + 2 * reg * W``, else what is wrong with it.

    Parameters
    ----------
    got : ndarray of shape (D, C)
        The learner's dW.
    grad_data : ndarray of shape (D, C)
        The right gradient of the mean data loss.
    W : ndarray of shape (D, C)
    reg : float
    n : int
        The number of examples N.
    topic_bugs : callable
        ``topic_bugs(grad_reg)`` gives the loss's own mistakes (e.g. a missing part of the
        data gradient), each with the regularization gradient ``grad_reg`` added.

    The mistakes every such loss shares are tried too: the regularization gradient missing,
    halved or divided by N, dW N times too big, the wrong sign, transposed, all zeros.
    """
    grad_reg = 2 * reg * W
    want = grad_data + grad_reg
    if close(got, want):
        return None
    bugs: list[_Bug] = []
    if reg > 0:
        bugs += [
            (
                grad_data,
                "dW is missing the regularization gradient 2 * reg * W",
                "the loss has + reg * sum(W**2), so dW needs + 2 * reg * W",
            ),
            (
                grad_data + reg * W,
                "the regularization gradient should be 2 * reg * W "
                "(the derivative of reg * sum(W**2)); yours is reg * W",
                "",
            ),
            (n * want, f"dW is N = {n} times too big: did you forget to divide dW by N?", ""),
            (
                grad_data + grad_reg / n,
                "the regularization gradient was divided by N too: add 2 * reg * W after "
                "dividing the data gradient by N",
                "",
            ),
        ]
    bugs += [
        (
            n * grad_data + grad_reg,
            f"the data part of dW is N = {n} times too big: did you forget to divide dW by N?",
            "",
        ),
        (
            -want,
            "dW has the wrong sign: the gradient points uphill, "
            "in the direction that increases the loss",
            "",
        ),
        *topic_bugs(grad_reg),
    ]
    if want.shape[0] == want.shape[1]:
        bugs.append((want.T, "dW is transposed: dW[k, j] belongs to W[k, j], shape (D, C)", ""))
    if not np.any(got) and np.any(want):
        return Problem("dW is all zeros: did you fill it in?")
    match = first_match(got, want, bugs)
    if match:
        return match
    k, j = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
    return Problem(
        f"dW differs from the true gradient; the largest difference is at dW[{k}, {j}]: "
        f"{fmt(got[k, j])} instead of {fmt(want[k, j])}",
        GRAD_HINT,
        specific=False,
    )
