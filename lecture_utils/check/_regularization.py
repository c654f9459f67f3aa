r"""Checks for the regularization exercises (notebook 03).

The learner writes penalties that return ``(value, grad)`` like
:mod:`lecture_utils.regularization`:

- ``l2(W)``: :math:`\sum W^2`, gradient :math:`2W`
- ``l1(W)``: :math:`\sum |W|`, gradient :math:`\mathrm{sign}(W)` (any value in [-1, 1] at 0)
- ``elastic_net(W, beta)``: :math:`\sum (\beta W^2 + |W|)`,
  gradient :math:`2\beta W + \mathrm{sign}(W)`

Reference values come from :mod:`lecture_utils.regularization`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import regularization
from ..data import regularization_example
from ._feedback import (
    CheckResult,
    Problem,
    as_pair,
    call_watching,
    check_each,
    close,
    first_match,
    fmt,
)
from ._harness import as_loss_and_gradient
from ._question import Answer, Question, ask
from ._result import graded

__all__ = ["l1", "l2", "elastic_net", "regularization_preference"]

# (the value or gradient a mistake gives, message, hint)
_Bug = tuple[Any, str, str]


@dataclass(frozen=True)
class _WeightCase:
    label: str
    W: np.ndarray
    beta: float | None = None  # only for elastic net


def _weight_cases(with_zeros: bool) -> list[_WeightCase]:
    ex = regularization_example()
    rng = np.random.default_rng(3)
    W = np.round(rng.normal(0, 1, size=(5, 3)), 2)
    if with_zeros:
        W[1, 2] = W[3, 0] = 0.0
    cases = [
        _WeightCase("the lecture's w1 = [1, 0, 0, 0]", ex.w1),
        _WeightCase("the lecture's w2 = [0.25, 0.25, 0.25, 0.25]", ex.w2),
        _WeightCase("a random W of shape (5, 3) with negative entries", W),
    ]
    return cases


def _run_penalty_check(
    name: str,
    fn: Callable[..., Any],
    cases: list[_WeightCase],
    diagnose_value: Callable[[float, _WeightCase], Problem | None],
    diagnose_grad: Callable[[np.ndarray, _WeightCase], Problem | None],
) -> CheckResult:
    """Call ``fn`` on each case, check the returned ``(value, grad)``.

    The first named mistake wins; a plain "expected X, got Y" is reported only when no input
    shows which mistake it is.
    """

    def examine(case: _WeightCase) -> Problem | None:
        args = (case.W,) if case.beta is None else (case.W, case.beta)
        returned, problem = call_watching(fn, args, dict(W=case.W))
        if problem:
            return problem
        value, grad, error = as_pair(returned, "value", "grad")
        if error:
            return Problem(error)
        unsummed = (
            f"the value has shape {case.W.shape}, one number per "
            "weight; the penalty is one number: did you forget to sum?"
        )
        number, grad_arr, error = as_loss_and_gradient(
            value,
            grad,
            case.W.shape,
            unsummed=(case.W.shape, unsummed),
            value_name="the value",
            grad_name="grad",
        )
        if error:
            return Problem(error)
        return diagnose_value(number, case) or diagnose_grad(grad_arr, case)

    return check_each(
        name, cases, examine, f"value and gradient correct on all {len(cases)} inputs"
    )


def _generic_grad(got: np.ndarray, want: np.ndarray) -> Problem:
    flat = int(np.argmax(np.abs(got - want)))
    idx = np.unravel_index(flat, want.shape)
    where = ", ".join(str(int(i)) for i in idx)
    return Problem(
        f"grad[{where}] is {fmt(got[idx])} but should be {fmt(want[idx])}",
        "differentiate the penalty one weight at a time",
        specific=False,
    )


# ----------------------------------------------------------------------------------------
# L2
# ----------------------------------------------------------------------------------------


def _l2_value(got: float, case: _WeightCase) -> Problem | None:
    W = case.W
    want = regularization.l2(W)[0]
    if close(got, want):
        return None
    bugs: list[_Bug] = [
        (float(np.sum(np.abs(W))), "that is the L1 penalty sum(|W|); L2 is sum(W**2)", ""),
        (
            float(np.sqrt(np.sum(W**2))),
            "that is the L2 norm sqrt(sum(W**2)); the penalty is its square, sum(W**2)",
            "",
        ),
        (
            0.5 * want,
            "the value is 0.5 * sum(W**2); this course uses sum(W**2) (gradient 2 * W)",
            "",
        ),
        (float(np.sum(W)), "the weights were summed without squaring them", "use np.sum(W**2)"),
    ]
    return first_match(got, want, bugs) or Problem(
        f"the value is {fmt(got)} but should be sum(W**2) = {fmt(want)}", specific=False
    )


def _l2_grad(got: np.ndarray, case: _WeightCase) -> Problem | None:
    W = case.W
    want = regularization.l2(W)[1]
    if close(got, want):
        return None
    bugs: list[_Bug] = [
        (W, "the gradient of sum(W**2) is 2 * W; yours is W (missing the factor 2)", ""),
        (np.sign(W), "that is the L1 gradient sign(W); the gradient of sum(W**2) is 2 * W", ""),
        (W**2, "that is each weight's penalty W**2, not its derivative 2 * W", ""),
    ]
    return first_match(got, want, bugs) or _generic_grad(got, want)


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
    return _run_penalty_check("l2", fn, _weight_cases(with_zeros=False), _l2_value, _l2_grad)


# ----------------------------------------------------------------------------------------
# L1
# ----------------------------------------------------------------------------------------


def _l1_value(got: float, case: _WeightCase) -> Problem | None:
    W = case.W
    want = regularization.l1(W)[0]
    if close(got, want):
        return None
    bugs: list[_Bug] = [
        (
            float(np.sum(W)),
            "the negative weights were subtracted: the penalty is sum(|W|)",
            "use np.abs(W)",
        ),
        (float(np.sum(W**2)), "that is the L2 penalty sum(W**2); L1 is sum(|W|)", ""),
    ]
    return first_match(got, want, bugs) or Problem(
        f"the value is {fmt(got)} but should be sum(|W|) = {fmt(want)}", specific=False
    )


def _l1_grad(got: np.ndarray, case: _WeightCase) -> Problem | None:
    W = case.W
    want = regularization.l1(W)[1]
    nonzero = W != 0
    # at w = 0, |w| has a kink: any subgradient in [-1, 1] is accepted
    ok = close(got[nonzero], want[nonzero]) and bool(np.all(np.abs(got[~nonzero]) <= 1))
    if ok:
        return None
    bugs: list[_Bug] = [
        (W, "the derivative of |w| is sign(w) (+1 or -1), not w", "use np.sign(W)"),
        (2 * W, "that is the L2 gradient 2 * W; the derivative of |w| is sign(w)", ""),
        (
            np.ones_like(W),
            "the derivative of |w| is -1 for negative weights, not +1",
            "use np.sign(W)",
        ),
    ]
    match = first_match(got, want, bugs)
    if match:
        return match
    if close(got[nonzero], want[nonzero]):
        return Problem(
            "at w = 0 your gradient is outside [-1, 1]: |w| has a kink there, and any value "
            "in [-1, 1] is a valid subgradient",
            "np.sign(0) gives 0, the usual choice",
        )
    return _generic_grad(got, want)


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
    return _run_penalty_check("l1", fn, _weight_cases(with_zeros=True), _l1_value, _l1_grad)


# ----------------------------------------------------------------------------------------
# Elastic net
# ----------------------------------------------------------------------------------------


def _elastic_cases() -> list[_WeightCase]:
    base = _weight_cases(with_zeros=False)
    return [
        _WeightCase(f"{base[1].label}, beta=1", base[1].W, 1.0),
        _WeightCase(f"{base[2].label}, beta=0.5", base[2].W, 0.5),
        _WeightCase(f"{base[2].label}, beta=2", base[2].W, 2.0),
    ]


def _elastic_value(got: float, case: _WeightCase) -> Problem | None:
    W, beta = case.W, float(case.beta or 0.0)
    sq, ab = float(np.sum(W**2)), float(np.sum(np.abs(W)))
    want = regularization.elastic_net(W, beta)[0]
    if close(got, want):
        return None
    bugs: list[_Bug] = [
        (
            sq + beta * ab,
            "beta multiplies the wrong term: the penalty is sum(beta * W**2 + |W|)",
            "",
        ),
        (beta * sq, "the L1 part sum(|W|) is missing", ""),
        (ab, "the L2 part beta * sum(W**2) is missing", ""),
        (sq + ab, "beta is missing: the penalty is sum(beta * W**2 + |W|)", ""),
        (beta * sq + float(np.sum(W)), "the L1 part needs absolute values: sum(|W|)", ""),
    ]
    return first_match(got, want, bugs) or Problem(
        f"the value is {fmt(got)} but should be sum(beta * W**2 + |W|) = {fmt(want)}",
        specific=False,
    )


def _elastic_grad(got: np.ndarray, case: _WeightCase) -> Problem | None:
    W, beta = case.W, float(case.beta or 0.0)
    want = regularization.elastic_net(W, beta)[1]
    if close(got, want):
        return None
    bugs: list[_Bug] = [
        (
            beta * W + np.sign(W),
            "the derivative of beta * W**2 is 2 * beta * W; the factor 2 is missing",
            "",
        ),
        (2 * beta * W, "the gradient is missing the L1 part sign(W)", ""),
        (np.sign(W), "the gradient is missing the L2 part 2 * beta * W", ""),
        (
            2 * W + beta * np.sign(W),
            "beta multiplies the wrong term of the gradient: it is 2 * beta * W + sign(W)",
            "",
        ),
        (2 * beta * W + W, "the derivative of |W| is sign(W), not W", ""),
    ]
    return first_match(got, want, bugs) or _generic_grad(got, want)


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
    return _run_penalty_check("elastic_net", fn, _elastic_cases(), _elastic_value, _elastic_grad)


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
