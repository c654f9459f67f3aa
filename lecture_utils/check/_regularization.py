r"""Checks for the regularization exercises (notebook 03).

The learner writes penalties that return ``(value, grad)`` like
:mod:`lecture_utils.regularization`:

- ``l2(W)``: :math:`\sum W^2`, gradient :math:`2W`
- ``l1(W)``: :math:`\sum |W|`, gradient :math:`\mathrm{sign}(W)` (any value in [-1, 1] at 0)
- ``elastic_net(W, beta)``: :math:`\sum (\beta W^2 + |W|)`,
  gradient :math:`2\beta W + \mathrm{sign}(W)`

Each is an :class:`~._exercise.Exercise` whose reference is :mod:`lecture_utils.regularization`
and whose table names the usual mistakes (the other penalty, a missing factor 2 or sign, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import regularization
from ..data import regularization_example
from ._exercise import Case, Exercise, Mistake, Output, array, run
from ._feedback import Problem, as_number, close, fmt, shape_of
from ._question import Answer, Question, ask
from ._result import CheckResult, graded

__all__ = ["l1", "l2", "elastic_net", "regularization_preference"]


def _weight_cases(with_zeros: bool) -> list[Case]:
    ex = regularization_example()
    rng = np.random.default_rng(3)
    W = np.round(rng.normal(0, 1, size=(5, 3)), 2)
    if with_zeros:
        W[1, 2] = W[3, 0] = 0.0
    return [
        Case("the lecture's w1 = [1, 0, 0, 0]", {"W": ex.w1}),
        Case("the lecture's w2 = [0.25, 0.25, 0.25, 0.25]", {"W": ex.w2}),
        Case("a random W of shape (5, 3) with negative entries", {"W": W}),
    ]


def _read_value(value: Any, case: Case) -> tuple[Any, str]:
    if shape_of(value) == case.W.shape:
        return None, (
            f"the value has shape {case.W.shape}, one number per "
            "weight; the penalty is one number: did you forget to sum?"
        )
    return as_number(value, "the value")


def _unnamed_grad(got: np.ndarray, want: np.ndarray, case: Case) -> Problem:
    idx = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
    where = ", ".join(str(int(i)) for i in idx)
    return Problem(
        f"grad[{where}] is {fmt(got[idx])} but should be {fmt(want[idx])}",
        "differentiate the penalty one weight at a time",
        specific=False,
    )


def _penalty(
    name: str,
    cases: Callable[[], list[Case]],
    reference: Callable[..., tuple[float, np.ndarray]],
    formula: str,
    mistakes: tuple[Mistake, ...],
    grad_equal: Callable[[Any, Any, Case], bool] | None = None,
) -> Exercise:
    """A penalty ``fn(W[, beta]) -> (value, grad)``; ``formula`` is the value's, for messages."""
    value = Output(
        "the value",
        _read_value,
        unnamed=lambda got, want, c: Problem(
            f"the value is {fmt(got)} but should be {formula} = {fmt(want)}", specific=False
        ),
    )
    grad = Output("grad", array("grad", lambda c: c.W.shape), grad_equal, _unnamed_grad)
    return Exercise(
        name=name,
        cases=cases,
        returns=(value, grad),
        reference=reference,
        mistakes=mistakes,
        success="value and gradient correct on all 3 inputs",
    )


def _grad(message: str, hint: str = "", **how: Any) -> Mistake:
    """A mistake of the gradient (output 1)."""
    return Mistake(message, hint, output=1, **how)


# ----------------------------------------------------------------------------------------
# L2, L1, elastic net
# ----------------------------------------------------------------------------------------

L2 = _penalty(
    "l2",
    lambda: _weight_cases(with_zeros=False),
    regularization.l2,
    "sum(W**2)",
    (
        Mistake("that is the L1 penalty sum(|W|); L2 is sum(W**2)",
                gives=lambda c: float(np.sum(np.abs(c.W)))),
        Mistake("that is the L2 norm sqrt(sum(W**2)); the penalty is its square, sum(W**2)",
                gives=lambda c: float(np.sqrt(np.sum(c.W**2)))),
        Mistake("the value is 0.5 * sum(W**2); this course uses sum(W**2) (gradient 2 * W)",
                gives=lambda c: 0.5 * float(np.sum(c.W**2))),
        Mistake("the weights were summed without squaring them", "use np.sum(W**2)",
                gives=lambda c: float(np.sum(c.W))),
        _grad("the gradient of sum(W**2) is 2 * W; yours is W (missing the factor 2)",
              gives=lambda c: c.W),
        _grad("that is the L1 gradient sign(W); the gradient of sum(W**2) is 2 * W",
              gives=lambda c: np.sign(c.W)),
        _grad("that is each weight's penalty W**2, not its derivative 2 * W",
              gives=lambda c: c.W**2),
    ),
)  # fmt: skip


def _subgradient_equal(got: np.ndarray, want: np.ndarray, case: Case) -> bool:
    """Right where W != 0; at w = 0, |w| has a kink: any value in [-1, 1] is accepted."""
    nonzero = case.W != 0
    return close(got[nonzero], want[nonzero]) and bool(np.all(np.abs(got[~nonzero]) <= 1))


L1 = _penalty(
    "l1",
    lambda: _weight_cases(with_zeros=True),
    regularization.l1,
    "sum(|W|)",
    (
        Mistake("the negative weights were subtracted: the penalty is sum(|W|)",
                "use np.abs(W)", gives=lambda c: float(np.sum(c.W))),
        Mistake("that is the L2 penalty sum(W**2); L1 is sum(|W|)",
                gives=lambda c: float(np.sum(c.W**2))),
        _grad("the derivative of |w| is sign(w) (+1 or -1), not w", "use np.sign(W)",
              gives=lambda c: c.W),
        _grad("that is the L2 gradient 2 * W; the derivative of |w| is sign(w)",
              gives=lambda c: 2 * c.W),
        _grad("the derivative of |w| is -1 for negative weights, not +1", "use np.sign(W)",
              gives=lambda c: np.ones_like(c.W)),
        _grad("at w = 0 your gradient is outside [-1, 1]: |w| has a kink there, and any value "
              "in [-1, 1] is a valid subgradient", "np.sign(0) gives 0, the usual choice",
              when=lambda got, c: close(got[c.W != 0], np.sign(c.W)[c.W != 0])),
    ),
    grad_equal=_subgradient_equal,
)  # fmt: skip


def _elastic_cases() -> list[Case]:
    base = _weight_cases(with_zeros=False)
    return [
        Case(f"{base[i].label}, beta={beta:g}", {"W": base[i].W, "beta": beta})
        for i, beta in ((1, 1.0), (2, 0.5), (2, 2.0))
    ]


def _sq(c: Case) -> float:
    return float(np.sum(c.W**2))


def _ab(c: Case) -> float:
    return float(np.sum(np.abs(c.W)))


ELASTIC_NET = _penalty(
    "elastic_net",
    _elastic_cases,
    regularization.elastic_net,
    "sum(beta * W**2 + |W|)",
    (
        Mistake("beta multiplies the wrong term: the penalty is sum(beta * W**2 + |W|)",
                gives=lambda c: _sq(c) + c.beta * _ab(c)),
        Mistake("the L1 part sum(|W|) is missing", gives=lambda c: c.beta * _sq(c)),
        Mistake("the L2 part beta * sum(W**2) is missing", gives=_ab),
        Mistake("beta is missing: the penalty is sum(beta * W**2 + |W|)",
                gives=lambda c: _sq(c) + _ab(c)),
        Mistake("the L1 part needs absolute values: sum(|W|)",
                gives=lambda c: c.beta * _sq(c) + float(np.sum(c.W))),
        _grad("the derivative of beta * W**2 is 2 * beta * W; the factor 2 is missing",
              gives=lambda c: c.beta * c.W + np.sign(c.W)),
        _grad("the gradient is missing the L1 part sign(W)", gives=lambda c: 2 * c.beta * c.W),
        _grad("the gradient is missing the L2 part 2 * beta * W", gives=lambda c: np.sign(c.W)),
        _grad("beta multiplies the wrong term of the gradient: it is 2 * beta * W + sign(W)",
              gives=lambda c: 2 * c.W + c.beta * np.sign(c.W)),
        _grad("the derivative of |W| is sign(W), not W",
              gives=lambda c: 2 * c.beta * c.W + c.W),
    ),
)  # fmt: skip


@graded
def l2(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(W) -> (value, grad)`` for the L2 penalty sum(W**2), grad 2 * W.

    Parameters
    ----------
    fn : callable
        ``fn(W (any shape)) -> (value: float, grad: ndarray shaped like W)``.

    Returns
    -------
    CheckResult
    """
    return run(L2, fn)


@graded
def l1(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(W) -> (value, grad)`` for the L1 penalty sum(|W|), grad sign(W).

    At weights that are exactly 0 any gradient value in [-1, 1] is accepted (a subgradient).

    Parameters
    ----------
    fn : callable
        ``fn(W (any shape)) -> (value: float, grad: ndarray shaped like W)``.

    Returns
    -------
    CheckResult
    """
    return run(L1, fn)


@graded
def elastic_net(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, beta) -> (value, grad)`` for sum(beta * W**2 + |W|), grad 2 beta W + sign(W).

    Parameters
    ----------
    fn : callable
        ``fn(W (any shape), beta: float) -> (value: float, grad: ndarray shaped like W)``.

    Returns
    -------
    CheckResult
    """
    return run(ELASTIC_NET, fn)


# ----------------------------------------------------------------------------------------
# The lecture's w1 vs w2 question
# ----------------------------------------------------------------------------------------

_WORDS = {
    "w1": "w1",
    "w2": "w2",
    "tie": "tie",
    "neither": "tie",
    "same": "tie",
    "equal": "tie",
    "both": "tie",
    "none": "tie",
}


def _preference_words(given: tuple[Any, ...]) -> tuple[tuple[str, ...] | None, str]:
    """``(l2, l1)`` normalised to 'w1', 'w2' or 'tie', or how to answer."""
    if len(given) == 1 and isinstance(given[0], dict):
        given = (given[0].get("l2"), given[0].get("l1"))
    if len(given) != 2:
        return None, "answer both questions: regularization_preference(l2=..., l1=...)"
    words = []
    for key, answer in zip(("l2", "l1"), given, strict=True):
        word = _WORDS.get(str(answer).strip().lower()) if answer is not None else None
        if word is None:
            return None, (
                "answer both questions with 'w1', 'w2' or 'tie', e.g. "
                f"regularization_preference(l2='w1', l1='w2'); got {key}={answer!r}"
            )
        words.append(word)
    return tuple(words), ""


#: "x = [1, 1, 1, 1]; w1 = [1, 0, 0, 0], w2 = [.25] * 4: which does L2 prefer, which L1?"
REGULARIZATION_PREFERENCE = Question(
    name="regularization_preference",
    right=Answer(
        ("w2", "tie"),
        "L2 prefers w2 (0.25 < 1): it likes weight spread over all inputs. "
        "L1 gives both 1.0, so it cannot tell them apart",
    ),
    wrong=(
        Answer(
            lambda g: g[0] != "w2",
            "L2 does not choose {0!r} here",
            "L2 sums squares: compute sum(w**2) for w1 and for w2; the smaller penalty is "
            "preferred",
        ),
        Answer(
            lambda g: g[1] != "tie",
            "L1 does not choose {1!r} here",
            "L1 sums absolute values: compute sum(|w|) for w1 and for w2",
        ),
    ),
    parse=_preference_words,
)


@graded
def regularization_preference(l2: Any = None, l1: Any = None) -> CheckResult:
    """Check the answer to: "x = [1, 1, 1, 1]; w1 = [1, 0, 0, 0] and w2 = [.25, .25, .25, .25]
    give the same score. Which does L2 regularization prefer, and which does L1?"

    Parameters
    ----------
    l2, l1 : {"w1", "w2", "tie"}
        The weight vector with the smaller penalty, or ``"tie"`` when both are equal. Or pass
        one zero-argument function returning ``(l2, l1)`` (or a dict with those keys).

    Returns
    -------
    CheckResult
    """
    if l1 is None and (callable(l2) or isinstance(l2, (tuple, list, dict))):
        return ask(REGULARIZATION_PREFERENCE, l2)
    return ask(REGULARIZATION_PREFERENCE, l2, l1)
