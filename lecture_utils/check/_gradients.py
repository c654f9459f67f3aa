r"""Checks for the gradient and descent exercises (notebooks 06 and 07).

- :func:`numerical_gradient`: centered finite differences, ``fn(f, x, h) -> grad``;
- :func:`rel_error`: the relative error used for gradient checking;
- :func:`gradient_descent`: ``w <- w - step_size * grad`` repeated;
- :func:`sample_minibatch`: a random batch of distinct examples;
- :func:`sgd_step`: one minibatch step of a softmax classifier.

Each runs the learner's function on a few seeded inputs, compares with
:mod:`lecture_utils.gradients`, :mod:`lecture_utils.optim` or :mod:`lecture_utils.losses`,
and names the usual mistakes (forward instead of centered differences, a missing factor 2, a
``+`` instead of a ``-``, one step too many, an input changed in place, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import gradients, losses
from ..gradients import count_evaluations
from ..landscape import two_weight_problem
from ._feedback import (
    CheckResult,
    Problem,
    as_array,
    as_number,
    as_pair,
    call_learner,
    call_watching,
    close,
    failed,
    first_match,
    fmt,
    passed,
    shape_of,
)
from ._result import graded

__all__ = [
    "numerical_gradient",
    "rel_error",
    "gradient_descent",
    "sample_minibatch",
    "sgd_step",
]


# ----------------------------------------------------------------------------------------
# numerical_gradient(f, x, h) -> grad
# ----------------------------------------------------------------------------------------


def _cube_sum(x: np.ndarray) -> float:
    return float(np.sum(x**3) + np.sum(np.sin(x)))


def _gradient_cases() -> list[tuple[str, Callable[[np.ndarray], float], np.ndarray, float]]:
    rng = np.random.default_rng(6)
    X = rng.normal(size=(7, 4))
    y = rng.integers(0, 3, size=7)

    def softmax_of_W(W: np.ndarray) -> float:
        return losses.softmax_loss(W, X, y, 0.1)[0]

    return [
        ("f(x) = sum(x**3 + sin(x)) at x of shape (3,), h = 1e-3",
         _cube_sum, np.array([0.5, -1.0, 2.0]), 1e-3),
        ("the softmax loss at W of shape (4, 3), h = 1e-5",
         softmax_of_W, 0.1 * rng.normal(size=(4, 3)), 1e-5),
        ("f(x) = sum(x**3 + sin(x)) at x of shape (2, 3), h = 1e-2",
         _cube_sum, rng.normal(size=(2, 3)), 1e-2),
    ]  # fmt: skip


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
    name = "numerical_gradient"
    cases = _gradient_cases()
    evaluations = []
    for label, f, x0, h in cases:
        x = x0.copy()
        counted = count_evaluations(f)
        value, problem = call_watching(
            fn,
            (counted, x, h),
            dict(x=x),
            in_place="x is not the same after your function: "
            "put every entry back after perturbing it (x[ix] = old_value)",
            in_place_hint="save old = x[ix]; set x[ix] = old + h, evaluate; "
            "x[ix] = old - h, evaluate; then x[ix] = old",
        )
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        got, error = as_array(value, "the gradient", x0.shape)
        if error:
            return failed(name, f"on {label}: {error}")
        want = gradients.numerical_gradient(f, x0.copy(), h)
        if not close(got, want, rtol=1e-5, atol=1e-8):
            forward = gradients.numerical_gradient_forward(f, x0.copy(), h)
            bugs = [
                (
                    forward,
                    "your gradient matches forward differences (f(x+h) - f(x)) / h",
                    "use centered differences (f(x+h) - f(x-h)) / (2h): their error shrinks "
                    "like h**2 instead of h",
                ),
                (2 * want, "your gradient is twice too big", "divide by 2h, not by h"),
                (want / 2, "your gradient is half of what it should be", "divide by 2h, not 4h"),
                (-want, "your gradient has the wrong sign", "it is f(x+h) - f(x-h), in this order"),
            ]
            problem = first_match(got, want, bugs) or Problem(
                f"gradient {fmt(got.ravel()[:4])}... should be {fmt(want.ravel()[:4])}...",
                "perturb one entry at a time and put it back before the next",
            )
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        evaluations.append((counted.calls, x0.size))
    calls, size = evaluations[1]
    extra = (
        ""
        if calls <= 2 * size + 1
        else (f" (it called f {calls} times for {size} parameters; 2 per parameter is enough)")
    )
    return passed(
        name,
        f"correct on all {len(cases)} inputs; it called f {calls} times for the "
        f"{size} weights of W, 2 per parameter{extra}",
    )


# ----------------------------------------------------------------------------------------
# rel_error(a, b) -> float
# ----------------------------------------------------------------------------------------


@graded
def rel_error(fn: Callable[..., Any]) -> CheckResult:
    """Check a learner's ``fn(a, b) -> max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)``.

    Returns
    -------
    CheckResult
    """
    name = "rel_error"
    cases = [
        ("a = [1, 2], b = [1, 3]", np.array([1.0, 2.0]), np.array([1.0, 3.0])),
        ("a = [-2, 5, 1e-3], b = [2, 5, 1e-3]", np.array([-2.0, 5.0, 1e-3]),
         np.array([2.0, 5.0, 1e-3])),
        ("two zero gradients", np.zeros((2, 2)), np.zeros((2, 2))),
        ("a = [1e-9], b = [3e-9] (tiny values)", np.array([1e-9]), np.array([3e-9])),
        ("analytic vs numerical (4, 3)", np.linspace(-1, 1, 12).reshape(4, 3),
         np.linspace(-1, 1, 12).reshape(4, 3) * (1 + 1e-6)),
    ]  # fmt: skip
    for label, a, b in cases:
        value, problem = call_watching(fn, (a, b), dict(a=a, b=b))
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        got, error = as_number(value, "the relative error")
        if error:
            if (shape_of(value) or ()) != ():
                error += ": take the max over the entries"
            if got is None and np.all(a == 0) and np.all(b == 0):
                error += " (0 / 0 for two zero arrays: use max(1e-8, |a| + |b|) as denominator)"
            return failed(name, f"on {label}: {error}")
        want = gradients.rel_error(a, b)
        if not close(got, want, rtol=1e-6, atol=1e-15):
            r = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)
            bugs = [
                (float(r.mean()), "you took the mean of the entries' errors",
                 "gradient checking looks at the worst entry: take the max"),
                (float(np.max(np.abs(a - b) / np.maximum(np.abs(a + b), 1e-8))),
                 "your denominator is |a + b|; it should be |a| + |b|",
                 "with |a + b|, opposite signs give a huge error"),
                (float(np.max(np.abs(a - b))), "you returned the absolute difference",
                 "divide by max(1e-8, |a| + |b|) so the size of the gradient does not matter"),
            ]  # fmt: skip
            problem = first_match(got, want, bugs) or Problem(
                f"got {fmt(got)}, expected {fmt(want)}", ""
            )
            return failed(name, f"on {label}: {problem.message}", problem.hint)
    return passed(name, f"correct on all {len(cases)} inputs, including two zero arrays")


# ----------------------------------------------------------------------------------------
# gradient_descent(loss_and_grad, w0, step_size, n_steps) -> w
# ----------------------------------------------------------------------------------------


def _descent_cases() -> list[tuple[str, Callable[[np.ndarray], Any], np.ndarray, float, int]]:
    problem = two_weight_problem()
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def quadratic(w: np.ndarray) -> tuple[float, np.ndarray]:
        return 0.5 * float(w @ A @ w), A @ w

    return [
        ("the quadratic L(w) = w.A.w / 2 from w0 = [1, -1], step 0.1, 5 steps",
         quadratic, np.array([1.0, -1.0]), 0.1, 5),
        ("the 2-weight softmax classifier from w0 = [2.5, -1.5], step 1.0, 30 steps",
         problem.loss_and_grad, np.array([2.5, -1.5]), 1.0, 30),
        ("the quadratic from w0 = [0.5, 2], step 0.3, 1 step",
         quadratic, np.array([0.5, 2.0]), 0.3, 1),
    ]  # fmt: skip


def _run_gd(loss_and_grad: Callable[[np.ndarray], Any], w0: np.ndarray, eta: float, n: int):
    w = w0.copy()
    for _ in range(n):
        w = w - eta * loss_and_grad(w)[1]
    return w


@graded
def gradient_descent(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(loss_and_grad, w0, step_size, n_steps) -> w`` (the last point).

    ``loss_and_grad(w)`` returns ``(loss, dw)``; the function takes ``n_steps`` steps
    ``w = w - step_size * dw`` from ``w0`` (without changing ``w0``) and returns the final w.

    Returns
    -------
    CheckResult
    """
    name = "gradient_descent"
    for label, f, w0, eta, n in _descent_cases():
        start = w0.copy()
        counted = count_evaluations(f)
        value, problem = call_watching(
            fn,
            (counted, start, eta, n),
            dict(w0=start),
            in_place_hint="`w -= step_size * dw` changes w0 itself if w is w0: "
            "start from w = w0.copy()",
        )
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        if isinstance(value, (list, tuple)) or len(shape_of(value) or ()) == 2:
            arr = np.asarray(value, dtype=float) if not isinstance(value, tuple) else None
            if arr is not None and arr.ndim == 2 and arr.shape[1] == 2:
                return failed(
                    name,
                    f"on {label}: returned a path of {arr.shape[0]} points; return only the "
                    "last point w",
                )
        got, error = as_array(value, "the returned w", w0.shape)
        if error:
            return failed(name, f"on {label}: {error}")
        want = _run_gd(f, w0, eta, n)
        if close(got, want, rtol=1e-7, atol=1e-10):
            continue

        def uphill(w: np.ndarray, f: Callable[[np.ndarray], Any] = f) -> tuple[float, Any]:
            return 0.0, -f(w)[1]

        bugs = [
            (_run_gd(uphill, w0, eta, n),
             "you moved uphill: w + step_size * dw", "the update is w = w - step_size * dw"),
            (_run_gd(f, w0, eta, n + 1), f"you took {n + 1} steps instead of {n}",
             "range(n_steps) runs n_steps times"),
            (_run_gd(f, w0, eta, n - 1) if n > 1 else w0,
             f"you took {n - 1} steps instead of {n}", "range(n_steps) runs n_steps times"),
            (_run_gd(f, w0, 1.0, n), "your steps ignore step_size", "multiply dw by step_size"),
            (w0 - eta * n * f(w0)[1], "you used the gradient at w0 for every step",
             "recompute dw at the current w in every step"),
        ]  # fmt: skip
        problem = first_match(got, want, bugs) or Problem(
            f"ended at {fmt(got)}, expected {fmt(want)}", ""
        )
        return failed(name, f"on {label}: {problem.message}", problem.hint)
    return passed(name, "correct on a quadratic bowl and on the 2-weight classifier")


# ----------------------------------------------------------------------------------------
# sample_minibatch(X, y, batch_size, rng) -> (X_batch, y_batch)
# ----------------------------------------------------------------------------------------


@graded
def sample_minibatch(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(X, y, batch_size, rng) -> (X_batch, y_batch)``.

    The batch must hold ``batch_size`` *distinct* examples drawn at random with ``rng`` (a
    ``numpy.random.Generator``), each row of ``X_batch`` with its own label; the same seed
    must give the same batch, and over many calls every example must be drawn about equally
    often.

    Returns
    -------
    CheckResult
    """
    name = "sample_minibatch"
    n, d, b = 20, 3, 5
    X = np.arange(n * d, dtype=float).reshape(n, d)  # row i is identifiable by X[i, 0] / d
    y = (np.arange(n) * 7) % 4
    counts = np.zeros(n)
    batches = []
    for call in range(400):
        watch = dict(X=X, y=y) if call == 0 else {}  # once is enough
        value, problem = call_watching(fn, (X, y, b, np.random.default_rng(call)), watch)
        if problem:
            return failed(name, problem.message)
        Xb, yb, error = as_pair(value, "X_batch", "y_batch")
        if error:
            return failed(name, error)
        Xb, error = as_array(Xb, "X_batch", (b, d))
        if error:
            return failed(name, f"with N = {n}, D = {d}, batch_size = {b}: {error}")
        yb = np.asarray(yb)
        if yb.shape != (b,):
            return failed(name, f"y_batch has shape {yb.shape} but should have shape ({b},)")
        rows = Xb[:, 0] / d
        if not np.allclose(Xb, X[np.clip(np.round(rows).astype(int), 0, n - 1)]):
            return failed(name, "the rows of X_batch are not rows of X")
        idx = np.round(rows).astype(int)
        if not np.array_equal(yb, y[idx]):
            return failed(
                name,
                "y_batch does not match X_batch: use the same indices for both (X[idx], y[idx])",
            )
        if len(set(idx.tolist())) < b:
            return failed(
                name,
                "the batch holds the same example twice",
                "draw without replacement: rng.choice(N, size=batch_size, replace=False)",
            )
        counts[idx] += 1
        batches.append(tuple(idx))
    again = call_learner(fn, X, y, b, np.random.default_rng(0))
    if again.ok and not np.array_equal(np.asarray(again.value[0]), X[list(batches[0])]):
        return failed(
            name,
            "the same seed gave a different batch: draw with the rng you are given",
            "use rng.choice(...) or rng.permutation(...), not np.random",
        )
    if len(set(batches)) < 300:
        return failed(name, "the batches hardly change from seed to seed: they are not random")
    expected = 400 * b / n
    if counts.min() < 0.5 * expected or counts.max() > 1.5 * expected:
        return failed(
            name,
            f"over 400 batches some examples were drawn {int(counts.min())} times and others "
            f"{int(counts.max())} times (about {expected:.0f} each expected)",
            "every example should be equally likely: rng.choice(N, size=batch_size, replace=False)",
        )
    return passed(
        name,
        f"distinct, random, reproducible batches; over 400 batches each "
        f"example was drawn {int(counts.min())} to {int(counts.max())} times",
    )


# ----------------------------------------------------------------------------------------
# sgd_step(W, X_batch, y_batch, step_size, reg) -> W_new
# ----------------------------------------------------------------------------------------


@graded
def sgd_step(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X_batch, y_batch, step_size, reg) -> W_new`` for a softmax classifier.

    One step of minibatch SGD: ``loss, dW = lecture_utils.losses.softmax_loss(W, X_batch,
    y_batch, reg)`` and ``W_new = W - step_size * dW``, without changing W.

    Returns
    -------
    CheckResult
    """
    name = "sgd_step"
    rng = np.random.default_rng(7)
    cases = []
    for label, (d, c, b), eta, reg in (
        ("W (5, 3), a batch of 4, step 0.5, reg 0.1", (5, 3, 4), 0.5, 0.1),
        ("W (8, 4), a batch of 16, step 0.05, reg 0.0", (8, 4, 16), 0.05, 0.0),
    ):
        W = rng.normal(size=(d, c))
        Xb = rng.normal(size=(b, d))
        yb = rng.integers(0, c, size=b)
        cases.append((label, W, Xb, yb, eta, reg))
    for label, W, Xb, yb, eta, reg in cases:
        value, problem = call_watching(
            fn,
            (W, Xb, yb, eta, reg),
            dict(W=W, X_batch=Xb, y_batch=yb),
            in_place_hint="`W -= ...` changes the caller's W: write W_new = W - step_size * dW",
        )
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        if isinstance(value, tuple) and len(value) == 2 and shape_of(value[0]) == W.shape:
            value = value[0]  # (W_new, loss) is fine too
        got, error = as_array(value, "W_new", W.shape)
        if error:
            return failed(name, f"on {label}: {error}")
        loss, dW = losses.softmax_loss(W, Xb, yb, reg)
        want = W - eta * dW
        if close(got, want, rtol=1e-7, atol=1e-10):
            continue
        dW0 = losses.softmax_loss(W, Xb, yb, 0.0)[1]
        bugs = [
            (W + eta * dW, "you moved uphill: W + step_size * dW", "W_new = W - step_size * dW"),
            (dW, "you returned the gradient dW, not the new weights", ""),
            (-eta * dW, "you returned the step, not the new weights", "add it to W"),
            (W - dW, "the step ignores step_size", "multiply dW by step_size"),
            (W - eta * dW0, "the step leaves out the regularization gradient 2 * reg * W",
             "pass reg to the loss"),
        ]  # fmt: skip
        problem = first_match(got, want, bugs) or Problem(
            f"W_new differs from W - step_size * dW by up to {fmt(np.abs(got - want).max())}",
            "use loss, dW = losses.softmax_loss(W, X_batch, y_batch, reg)",
        )
        return failed(name, f"on {label}: {problem.message}", problem.hint)
    return passed(name, f"correct on all {len(cases)} batches")
