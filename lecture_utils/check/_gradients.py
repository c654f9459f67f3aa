r"""Checks for the gradient and descent exercises (notebooks 06 and 07).

- :func:`numerical_gradient`: centered finite differences, ``fn(f, x, h) -> grad``;
- :func:`rel_error`: the relative error used for gradient checking;
- :func:`gradient_descent`: ``w <- w - step_size * grad`` repeated;
- :func:`sgd_step`: one minibatch step of a softmax classifier.

Each is an :class:`~._exercise.Exercise` (seeded inputs, the reference from
:mod:`lecture_utils.gradients`, :mod:`lecture_utils.optim` or :mod:`lecture_utils.losses`,
and the table of the usual mistakes: forward instead of centered differences, a missing
factor 2, a ``+`` instead of a ``-``, one step too many, an input changed in place, ...).
``sample_minibatch`` (notebook 07, too) is in ``_minibatch.py``: its answer is random.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import gradients, losses, optim
from ..gradients import count_evaluations
from ..landscape import two_weight_problem
from ._exercise import Case, Exercise, Lazy, Mistake, Output, array, run
from ._feedback import (
    Problem,
    as_array,
    as_number,
    close,
    fmt,
    shape_of,
)
from ._result import CheckResult, graded

__all__ = [
    "numerical_gradient",
    "rel_error",
    "gradient_descent",
    "sgd_step",
]


def _close_to(rtol: float, atol: float) -> Callable[[Any, Any, Case], bool]:
    """An ``Output.equal`` with its own tolerance."""
    return lambda got, want, case: close(got, want, rtol=rtol, atol=atol)


def _unnamed(text: Callable[[Any, Any], str], hint: str = "") -> Callable[..., Problem]:
    """An ``Output.unnamed`` that fails the check at once (named or not, the first case wins)."""
    return lambda got, want, case: Problem(text(got, want), hint)


# ----------------------------------------------------------------------------------------
# numerical_gradient(f, x, h) -> grad
# ----------------------------------------------------------------------------------------


def _cube_sum(x: np.ndarray) -> float:
    return float(np.sum(x**3) + np.sum(np.sin(x)))


def _gradient_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    X = rng.normal(size=(7, 4))
    y = rng.integers(0, 3, size=7)

    def softmax_of_W(W: np.ndarray) -> float:
        return losses.softmax_loss(W, X, y, 0.1)[0]

    cases = [
        ("f(x) = sum(x**3 + sin(x)) at x of shape (3,), h = 1e-3",
         _cube_sum, np.array([0.5, -1.0, 2.0]), 1e-3),
        ("the softmax loss at W of shape (4, 3), h = 1e-5",
         softmax_of_W, 0.1 * rng.normal(size=(4, 3)), 1e-5),
        ("f(x) = sum(x**3 + sin(x)) at x of shape (2, 3), h = 1e-2",
         _cube_sum, rng.normal(size=(2, 3)), 1e-2),
    ]  # fmt: skip
    # f is counted, to report how often the learner's code evaluates it
    return [Case(label, {"f": count_evaluations(f), "x": x, "h": h}) for label, f, x, h in cases]


def _centered(c: Case) -> np.ndarray:
    return gradients.numerical_gradient(c.f.f, c.x.copy(), c.h)


def _evaluations(cases: Sequence[Case]) -> str:
    calls, size = cases[1].f.calls, cases[1].x.size
    extra = "" if calls <= 2 * size + 1 else (
        f" (it called f {calls} times for {size} parameters; 2 per parameter is enough)"
    )  # fmt: skip
    return (
        f"correct on all {len(cases)} inputs; it called f {calls} times for the "
        f"{size} weights of W, 2 per parameter{extra}"
    )


NUMERICAL_GRADIENT = Exercise(
    name="numerical_gradient",
    cases=_gradient_cases,
    returns=(
        Output(
            "the gradient",
            array("the gradient", lambda c: c.x.shape),
            equal=_close_to(1e-5, 1e-8),
            unnamed=_unnamed(
                lambda got, want: (
                    f"gradient {fmt(got.ravel()[:4])}... should be {fmt(want.ravel()[:4])}..."
                ),
                "perturb one entry at a time and put it back before the next",
            ),
        ),
    ),
    reference=lambda f, x, h: (gradients.numerical_gradient(f.f, x.copy(), h),),
    mistakes=(
        Mistake(
            "your gradient matches forward differences (f(x+h) - f(x)) / h",
            "use centered differences (f(x+h) - f(x-h)) / (2h): their error shrinks "
            "like h**2 instead of h",
            gives=lambda c: gradients.numerical_gradient_forward(c.f.f, c.x.copy(), c.h),
        ),
        Mistake(
            "your gradient is twice too big",
            "divide by 2h, not by h",
            gives=lambda c: 2 * _centered(c),
        ),
        Mistake(
            "your gradient is half of what it should be",
            "divide by 2h, not 4h",
            gives=lambda c: _centered(c) / 2,
        ),
        Mistake(
            "your gradient has the wrong sign",
            "it is f(x+h) - f(x-h), in this order",
            gives=lambda c: -_centered(c),
        ),
    ),  # fmt: skip
    success=_evaluations,
    in_place="x is not the same after your function: "
    "put every entry back after perturbing it (x[ix] = old_value)",
    in_place_hint="save old = x[ix]; set x[ix] = old + h, evaluate; "
    "x[ix] = old - h, evaluate; then x[ix] = old",
)


@graded
def numerical_gradient(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's centered-difference gradient ``fn(f, x, h) -> grad``.

    Parameters
    ----------
    fn : callable
        ``fn(f, x, h)`` with ``f(x) -> float``, x an array of any shape and h > 0, returning
        an array of x's shape: ``(f(x + h e_i) - f(x - h e_i)) / (2 h)`` for every entry i.
        It may change x while it works, but must leave it as it found it.

    Returns
    -------
    CheckResult
    """
    return run(NUMERICAL_GRADIENT, fn)


# ----------------------------------------------------------------------------------------
# rel_error(a, b) -> float
# ----------------------------------------------------------------------------------------


def _rel_cases() -> list[Case]:
    pairs = [
        ("a = [1, 2], b = [1, 3]", np.array([1.0, 2.0]), np.array([1.0, 3.0])),
        ("a = [-2, 5, 1e-3], b = [2, 5, 1e-3]", np.array([-2.0, 5.0, 1e-3]),
         np.array([2.0, 5.0, 1e-3])),
        ("two zero gradients", np.zeros((2, 2)), np.zeros((2, 2))),
        ("a = [1e-9], b = [3e-9] (tiny values)", np.array([1e-9]), np.array([3e-9])),
        ("analytic vs numerical (4, 3)", np.linspace(-1, 1, 12).reshape(4, 3),
         np.linspace(-1, 1, 12).reshape(4, 3) * (1 + 1e-6)),
    ]  # fmt: skip
    return [Case(label, {"a": a, "b": b}) for label, a, b in pairs]


def _read_rel_error(value: Any, case: Case) -> tuple[Any, str]:
    got, error = as_number(value, "the relative error")
    if error:
        if (shape_of(value) or ()) != ():
            error += ": take the max over the entries"
        if np.all(case.a == 0) and np.all(case.b == 0):
            error += " (0 / 0 for two zero arrays: use max(1e-8, |a| + |b|) as denominator)"
    return got, error


def _entry_errors(c: Case, denominator: np.ndarray) -> np.ndarray:
    return np.abs(c.a - c.b) / np.maximum(denominator, 1e-8)


REL_ERROR = Exercise(
    name="rel_error",
    cases=_rel_cases,
    returns=(
        Output(
            "the relative error",
            _read_rel_error,
            equal=_close_to(1e-6, 1e-15),
            unnamed=_unnamed(lambda got, want: f"got {fmt(got)}, expected {fmt(want)}"),
        ),
    ),
    reference=lambda a, b: (gradients.rel_error(a, b),),
    mistakes=(
        Mistake(
            "you took the mean of the entries' errors",
            "gradient checking looks at the worst entry: take the max",
            gives=lambda c: float(_entry_errors(c, np.abs(c.a) + np.abs(c.b)).mean()),
        ),
        Mistake(
            "your denominator is |a + b|; it should be |a| + |b|",
            "with |a + b|, opposite signs give a huge error",
            gives=lambda c: float(np.max(_entry_errors(c, np.abs(c.a + c.b)))),
        ),
        Mistake(
            "you returned the absolute difference",
            "divide by max(1e-8, |a| + |b|) so the size of the gradient does not matter",
            gives=lambda c: float(np.max(np.abs(c.a - c.b))),
        ),
    ),  # fmt: skip
    success="correct on all 5 inputs, including two zero arrays",
)


@graded
def rel_error(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(a, b) -> max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)``.

    Returns
    -------
    CheckResult
    """
    return run(REL_ERROR, fn)


# ----------------------------------------------------------------------------------------
# gradient_descent(loss_and_grad, w0, step_size, n_steps) -> w
# ----------------------------------------------------------------------------------------


def _descent_cases() -> list[Case]:
    problem = two_weight_problem()
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def quadratic(w: np.ndarray) -> tuple[float, np.ndarray]:
        return 0.5 * float(w @ A @ w), A @ w

    cases = [
        ("the quadratic L(w) = w.A.w / 2 from w0 = [1, -1], step 0.1, 5 steps",
         quadratic, np.array([1.0, -1.0]), 0.1, 5),
        ("the 2-weight softmax classifier from w0 = [2.5, -1.5], step 1.0, 30 steps",
         problem.loss_and_grad, np.array([2.5, -1.5]), 1.0, 30),
        ("the quadratic from w0 = [0.5, 2], step 0.3, 1 step",
         quadratic, np.array([0.5, 2.0]), 0.3, 1),
    ]  # fmt: skip
    return [
        Case(label, {"loss_and_grad": f, "w0": w0, "step_size": eta, "n_steps": n},
             facts={"n_plus": n + 1, "n_minus": n - 1, "n": n})
        for label, f, w0, eta, n in cases
    ]  # fmt: skip


def _run_gd(
    loss_and_grad: Callable[[np.ndarray], Any], w0: np.ndarray, eta: float, n: int
) -> np.ndarray:
    """The last point of the library's :func:`lecture_utils.optim.gradient_descent`."""
    return optim.gradient_descent(loss_and_grad, w0, eta, n).final


def _read_last_point(value: Any, case: Case) -> tuple[Any, str]:
    if not isinstance(value, tuple) and len(shape_of(value) or ()) == 2:
        path = np.asarray(value, dtype=float)
        if path.shape[1] == 2:
            return None, f"returned a path of {path.shape[0]} points; return only the last point w"
    return as_array(value, "the returned w", case.w0.shape)


def _uphill(c: Case) -> np.ndarray:
    return _run_gd(lambda w: (0.0, -c.loss_and_grad(w)[1]), c.w0, c.step_size, c.n)


GRADIENT_DESCENT = Exercise(
    name="gradient_descent",
    cases=_descent_cases,
    returns=(
        Output(
            "the returned w",
            _read_last_point,
            equal=_close_to(1e-7, 1e-10),
            unnamed=_unnamed(lambda got, want: f"ended at {fmt(got)}, expected {fmt(want)}"),
        ),
    ),
    reference=lambda loss_and_grad, w0, step_size, n_steps: (
        _run_gd(loss_and_grad, w0, step_size, n_steps),
    ),
    mistakes=(
        Mistake(
            "you moved uphill: w + step_size * dw",
            "the update is w = w - step_size * dw",
            gives=_uphill,
        ),
        Mistake(
            "you took {n_plus} steps instead of {n}",
            "range(n_steps) runs n_steps times",
            gives=lambda c: _run_gd(c.loss_and_grad, c.w0, c.step_size, c.n + 1),
        ),
        Mistake(
            "you took {n_minus} steps instead of {n}",
            "range(n_steps) runs n_steps times",
            gives=lambda c: _run_gd(c.loss_and_grad, c.w0, c.step_size, c.n - 1),
        ),
        Mistake(
            "your steps ignore step_size",
            "multiply dw by step_size",
            gives=lambda c: _run_gd(c.loss_and_grad, c.w0, 1.0, c.n),
        ),
        Mistake(
            "you used the gradient at w0 for every step",
            "recompute dw at the current w in every step",
            gives=lambda c: c.w0 - c.step_size * c.n * c.loss_and_grad(c.w0)[1],
        ),
    ),  # fmt: skip
    success="correct on a quadratic bowl and on the 2-weight classifier",
    in_place_hint="`w -= step_size * dw` changes w0 itself if w is w0: start from w = w0.copy()",
)


@graded
def gradient_descent(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(loss_and_grad, w0, step_size, n_steps) -> w`` (the last point).

    ``loss_and_grad(w)`` returns ``(loss, dw)``; the function takes ``n_steps`` steps
    ``w = w - step_size * dw`` from ``w0`` (without changing ``w0``) and returns the final w.

    Returns
    -------
    CheckResult
    """
    return run(GRADIENT_DESCENT, fn)


# ----------------------------------------------------------------------------------------
# sgd_step(W, X_batch, y_batch, step_size, reg) -> W_new
# ----------------------------------------------------------------------------------------


def _step_cases() -> list[Case]:
    rng = np.random.default_rng(7)
    cases = []
    for label, (d, c, b), eta, reg in (
        ("W (5, 3), a batch of 4, step 0.5, reg 0.1", (5, 3, 4), 0.5, 0.1),
        ("W (8, 4), a batch of 16, step 0.05, reg 0.0", (8, 4, 16), 0.05, 0.0),
    ):
        W = rng.normal(size=(d, c))
        Xb = rng.normal(size=(b, d))
        yb = rng.integers(0, c, size=b)
        args = {"W": W, "X_batch": Xb, "y_batch": yb, "step_size": eta, "reg": reg}
        facts = {  # the gradient with and without regularization, for the mistakes
            "dW": Lazy(lambda c: losses.softmax_loss(c.W, c.X_batch, c.y_batch, c.reg)[1]),
            "dW0": Lazy(lambda c: losses.softmax_loss(c.W, c.X_batch, c.y_batch, 0.0)[1]),
        }
        cases.append(Case(label, args, facts=facts))
    return cases


def _read_new_weights(value: Any, case: Case) -> tuple[Any, str]:
    if isinstance(value, tuple) and len(value) == 2 and shape_of(value[0]) == case.W.shape:
        value = value[0]  # (W_new, loss) is fine too
    return as_array(value, "W_new", case.W.shape)


SGD_STEP = Exercise(
    name="sgd_step",
    cases=_step_cases,
    returns=(
        Output(
            "W_new",
            _read_new_weights,
            equal=_close_to(1e-7, 1e-10),
            unnamed=_unnamed(
                lambda got, want: (
                    "W_new differs from W - step_size * dW by up to "
                    f"{fmt(np.abs(got - want).max())}"
                ),
                "use loss, dW = losses.softmax_loss(W, X_batch, y_batch, reg)",
            ),
        ),
    ),
    reference=lambda W, X_batch, y_batch, step_size, reg: (
        optim.SGD(step_size).step(W, losses.softmax_loss(W, X_batch, y_batch, reg)[1]),
    ),
    mistakes=(
        Mistake(
            "you moved uphill: W + step_size * dW",
            "W_new = W - step_size * dW",
            gives=lambda c: c.W + c.step_size * c.dW,
        ),
        Mistake("you returned the gradient dW, not the new weights", gives=lambda c: c.dW),
        Mistake(
            "you returned the step, not the new weights",
            "add it to W",
            gives=lambda c: -c.step_size * c.dW,
        ),
        Mistake(
            "the step ignores step_size", "multiply dW by step_size", gives=lambda c: c.W - c.dW
        ),
        Mistake(
            "the step leaves out the regularization gradient 2 * reg * W",
            "pass reg to the loss",
            gives=lambda c: c.W - c.step_size * c.dW0,
        ),
    ),  # fmt: skip
    success="correct on all 2 batches",
    in_place_hint="`W -= ...` changes the caller's W: write W_new = W - step_size * dW",
)


@graded
def sgd_step(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X_batch, y_batch, step_size, reg) -> W_new`` for a softmax classifier.

    One step of minibatch SGD: ``loss, dW = lecture_utils.losses.softmax_loss(W, X_batch,
    y_batch, reg)`` and ``W_new = W - step_size * dW``, without changing W.

    Returns
    -------
    CheckResult
    """
    return run(SGD_STEP, fn)
