"""What the exercises of a loss ``f(W, X, y, reg) -> (loss, dW)`` share (notebooks 01-04).

The SVM and softmax losses are one kind of :class:`~._exercise.Exercise`: the lecture's
example and seeded random data (:func:`loss_cases`), two outputs (the loss, a number; dW, an
array shaped like W), the library's loss as the reference, and the mistakes every regularized
loss invites, named once here: the regularization term or its gradient missing, halved or
divided by N, a missing mean, the wrong sign, a transposed dW (:func:`loss_exercise`). A topic
adds its own mistakes. Each case carries the facts the mistakes are written in: ``n``, the mean
data loss ``data``, the term ``reg_term`` = reg * sum(W**2), the data gradient ``grad_data``
and ``grad_reg`` = 2 * reg * W.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..data import lecture_example
from ._exercise import Case, Exercise, Lazy, Mistake, Output, array, diagnose
from ._feedback import Problem, as_array, as_number, fmt, shape_of

__all__ = [
    "GRAD_HINT",
    "loss_cases",
    "with_loss_facts",
    "loss_exercise",
    "dW_mistakes",
    "regularized_loss_mistakes",
    "regularization_loss_bugs",
    "diagnose_dW",
    "as_loss_and_gradient",
]

#: Where to look when dW is wrong in no way a check can name.
GRAD_HINT = (
    "compare your dW with a numerical gradient: "
    "lecture_utils.gradients.grad_check(lambda W: f(W, X, y, reg)[0], W, f(W, X, y, reg)[1])"
)

# (the value a mistake gives, message, hint)
_Bug = tuple[Any, str, str]


def loss_cases(seed: int) -> list[Case]:
    """The lecture's example (X = identity, so X @ W is its score table) and three random ones.

    Each case has the arguments ``W, X, y, reg`` and the facts ``n`` and ``large`` (False).
    """
    ex = lecture_example()
    label = "the lecture's example (X = identity, so X @ W is the lecture's score table), reg=0"
    cases = [_loss_case(label, ex.scores.copy(), np.eye(3), ex.y, 0.0)]
    rng = np.random.default_rng(seed)
    for n, d, c, reg in [(6, 5, 4, 0.0), (8, 7, 3, 0.1), (5, 4, 6, 0.5)]:
        W = rng.normal(0, 0.5, size=(d, c))
        X = rng.normal(0, 1, size=(n, d))
        y = rng.integers(0, c, size=n)
        cases.append(_loss_case(f"random data (N={n}, D={d}, C={c}), reg={reg:g}", W, X, y, reg))
    return cases


def _loss_case(
    label: str, W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, large: bool = False
) -> Case:
    return Case(label, {"W": W, "X": X, "y": y, "reg": reg}, facts={"n": len(y), "large": large})


def with_loss_facts(case: Case, **facts: Any) -> Case:
    """``case`` with the facts the shared mistakes use, computed when first read.

    The topic adds ``data`` (the mean data loss) and ``grad_data`` (its gradient) to
    ``facts``; ``reg_term`` and ``grad_reg`` are added here.
    """
    return case.with_facts(
        reg_term=Lazy(lambda c: c.reg * float(np.sum(c.W**2))),
        grad_reg=Lazy(lambda c: 2 * c.reg * c.W),
        **facts,
    )


# ----------------------------------------------------------------------------------------
# The loss: one number
# ----------------------------------------------------------------------------------------

# (value from (data, reg_term, n), message, hint); {forgot_mean} and {summed} are the topic's
_REG_LOSS: list[tuple[Callable[[float, float, int], float], str, str]] = [
    (
        lambda d, r, n: d,
        "the loss is missing the regularization term reg * sum(W**2)",
        "add reg * np.sum(W * W) after averaging the data loss",
    ),
    (
        lambda d, r, n: d + 0.5 * r,
        "the regularization term is 0.5 * reg * sum(W**2); "
        "this course uses reg * sum(W**2) (with gradient 2 * reg * W)",
        "",
    ),
    (
        lambda d, r, n: n * (d + r),
        "the loss is N = {n} times too big: {forgot_mean}",
        "divide {summed} by N, then add reg * np.sum(W * W)",
    ),
    (
        lambda d, r, n: d + r / n,
        "the regularization term was divided by N too: "
        "divide only the data loss by N, then add reg * np.sum(W * W)",
        "",
    ),
]


def regularization_loss_bugs(
    data: float, reg_term: float, n: int, *, forgot_mean: str, summed: str
) -> list[_Bug]:
    """The usual mistakes with ``loss = data + reg * sum(W**2)`` (none when the term is 0).

    ``forgot_mean`` asks about the missing mean (``"did you forget to divide by N?"``);
    ``summed`` names what to divide by N (``"the summed data loss"``).
    """
    if not reg_term > 0:
        return []
    words = dict(n=n, forgot_mean=forgot_mean, summed=summed)
    return [(f(data, reg_term, n), m.format(**words), h.format(**words)) for f, m, h in _REG_LOSS]


def regularized_loss_mistakes(*, forgot_mean: str, summed: str) -> tuple[Mistake, ...]:
    """:func:`regularization_loss_bugs` as mistakes of output 0 (the loss), on the case's facts."""
    words = dict(n="{n}", forgot_mean=forgot_mean, summed=summed)
    return tuple(
        Mistake(
            m.format(**words),
            h.format(**words),
            gives=lambda c, f=f: f(c.data, c.reg_term, c.n) if c.reg_term > 0 else None,
        )
        for f, m, h in _REG_LOSS
    )


def _read_loss(value: Any, case: Case) -> tuple[Any, str]:
    if shape_of(value) == (case.n,):
        return None, (
            f"the loss has shape ({case.n},): one value per example; "
            "return their mean (plus the regularization term) as one number"
        )
    return as_number(value, "the loss")


# ----------------------------------------------------------------------------------------
# dW: an array shaped like W
# ----------------------------------------------------------------------------------------


def _with_reg(value: Callable[[Case], np.ndarray]) -> Callable[[Case], Any]:
    """A mistake that only a regularized case (reg > 0) can show."""
    return lambda c: value(c) if c.reg > 0 else None


_DW_SHARED = (
    Mistake("dW is all zeros: did you fill it in?", when=lambda got, c: not np.any(got), output=1),
    Mistake(
        "dW is missing the regularization gradient 2 * reg * W",
        "the loss has + reg * sum(W**2), so dW needs + 2 * reg * W",
        gives=_with_reg(lambda c: c.grad_data),
        output=1,
    ),
    Mistake(
        "the regularization gradient should be 2 * reg * W "
        "(the derivative of reg * sum(W**2)); yours is reg * W",
        gives=_with_reg(lambda c: c.grad_data + c.grad_reg / 2),
        output=1,
    ),
    Mistake(
        "dW is N = {n} times too big: did you forget to divide dW by N?",
        gives=_with_reg(lambda c: c.n * (c.grad_data + c.grad_reg)),
        output=1,
    ),
    Mistake(
        "the regularization gradient was divided by N too: add 2 * reg * W after "
        "dividing the data gradient by N",
        gives=_with_reg(lambda c: c.grad_data + c.grad_reg / c.n),
        output=1,
    ),
    Mistake(
        "the data part of dW is N = {n} times too big: did you forget to divide dW by N?",
        gives=lambda c: c.n * c.grad_data + c.grad_reg,
        output=1,
    ),
    Mistake(
        "dW has the wrong sign: the gradient points uphill, "
        "in the direction that increases the loss",
        gives=lambda c: -(c.grad_data + c.grad_reg),
        output=1,
    ),
    Mistake(
        "dW is transposed: dW[k, j] belongs to W[k, j], shape (D, C)",
        gives=lambda c: (c.grad_data + c.grad_reg).T if c.W.shape[0] == c.W.shape[1] else None,
        output=1,
    ),
)


def dW_mistakes(topic: tuple[Mistake, ...] = ()) -> tuple[Mistake, ...]:
    """The mistakes every regularized dW invites, then the topic's own (all of output 1)."""
    return _DW_SHARED + topic


def _unnamed_dW(got: np.ndarray, want: np.ndarray, case: Case) -> Problem:
    k, j = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
    return Problem(
        f"dW differs from the true gradient; the largest difference is at dW[{k}, {j}]: "
        f"{fmt(got[k, j])} instead of {fmt(want[k, j])}",
        GRAD_HINT,
        specific=False,
    )


_DW = Output("dW", array("dW", lambda c: c.W.shape), unnamed=_unnamed_dW)


def diagnose_dW(
    got: np.ndarray,
    grad_data: np.ndarray,
    W: np.ndarray,
    reg: float,
    n: int,
    topic_bugs: Callable[[np.ndarray], list[_Bug]],
) -> Problem | None:
    """None if ``got`` is ``grad_data + 2 * reg * W``, else what is wrong with it.

    ``topic_bugs(grad_reg)`` gives a loss's own ``(value, message, hint)`` mistakes; the
    shared ones are :func:`dW_mistakes`.
    """
    case = with_loss_facts(Case("", {"W": W, "reg": reg}, facts={"n": n}), grad_data=grad_data)
    topic = tuple(
        Mistake(message, hint, gives=lambda c, v=value: v, output=1)
        for value, message, hint in topic_bugs(case.grad_reg)
    )
    return diagnose(_DW, dW_mistakes(topic), got, grad_data + case.grad_reg, case)


# ----------------------------------------------------------------------------------------
# The exercise
# ----------------------------------------------------------------------------------------


def loss_exercise(
    name: str,
    cases: Callable[[], list[Case]],
    reference: Callable[..., tuple[float, np.ndarray]],
    mistakes: tuple[Mistake, ...],
    success: str,
    *,
    quiet: bool = False,
) -> Exercise:
    """The exercise ``fn(W, X, y, reg) -> (loss, dW)``.

    Parameters
    ----------
    name : str
    cases : callable
        ``() -> list of Case`` with the facts of :func:`with_loss_facts`.
    reference : callable
        The library's loss ``(W, X, y, reg) -> (loss, dW)``.
    mistakes : tuple of Mistake
        The topic's mistakes of the loss (output 0), of dW (output 1, on top of
        :func:`dW_mistakes`) and of the raw returned value (output None).
    success : str
    quiet : bool
        Silence numpy's overflow warnings during the learner's call.
    """
    return Exercise(
        name=name,
        cases=cases,
        returns=(Output("the loss", _read_loss), _DW),
        reference=reference,
        mistakes=mistakes + dW_mistakes(),
        success=success,
        quiet=quiet,
    )


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
