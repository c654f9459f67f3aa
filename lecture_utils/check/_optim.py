r"""Checks for the training and update-rule exercises (notebooks 08 and 09).

Notebook 08, training a linear classifier:

- ``accuracy(W, X, y)``: the fraction of rows of X whose highest score :math:`X W` is the
  label.
- ``sgd_epoch(W, X, y, step_size, reg, batch_size, rng)``: one epoch of minibatch SGD on
  the softmax loss, visiting the examples in the order ``rng.permutation(N)``.

Notebook 09, update rules (the formulas of :mod:`lecture_utils.optim`):

- ``momentum_update(w, dw, v, step_size, beta) -> (w, v)``:
  :math:`v \leftarrow \beta v - \eta\, dw`, :math:`w \leftarrow w + v`
- ``rmsprop_update(w, dw, cache, step_size, decay, eps) -> (w, cache)``:
  :math:`c \leftarrow \rho c + (1-\rho)\, dw^2`,
  :math:`w \leftarrow w - \eta\, dw/(\sqrt c + \epsilon)`
- ``adam_update(w, dw, m, v, t, step_size, beta1, beta2, eps) -> (w, m, v)``:
  :math:`m \leftarrow \beta_1 m + (1-\beta_1) dw`,
  :math:`v \leftarrow \beta_2 v + (1-\beta_2) dw^2`,
  :math:`w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)` with
  :math:`\hat m = m / (1-\beta_1^t)`, :math:`\hat v = v / (1-\beta_2^t)`.

Each update-rule check tries single steps (a hand example, random arrays, a first step from
zero state) and then runs the learner's rule for many steps on a valley-shaped quadratic, next
to the library's :func:`lecture_utils.optim.optimize`. A wrong answer is compared with the usual
mistakes (a flipped sign, a forgotten :math:`\beta`, no bias correction, :math:`\epsilon`
inside the square root, ...) to name it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import losses, optim
from ._feedback import (
    CheckResult,
    as_array,
    as_number,
    call_learner,
    call_watching,
    close,
    failed,
    first_match,
    fmt,
    passed,
)

__all__ = ["accuracy", "sgd_epoch", "momentum_update", "rmsprop_update", "adam_update"]

# (the outputs a mistake gives, message, hint)
_Bug = tuple[tuple[np.ndarray, ...], str, str]


# ----------------------------------------------------------------------------------------
# Reference formulas (tests check that they agree with lecture_utils.optim, step by step)
# ----------------------------------------------------------------------------------------


def _momentum(w, dw, v, step_size, beta):
    v_new = beta * v - step_size * dw
    return w + v_new, v_new


def _rmsprop(w, dw, cache, step_size, decay, eps):
    cache_new = decay * cache + (1 - decay) * dw * dw
    return w - step_size * dw / (np.sqrt(cache_new) + eps), cache_new


def _adam(w, dw, m, v, t, step_size, beta1, beta2, eps):
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw * dw
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return w - step_size * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# ----------------------------------------------------------------------------------------
# Shared machinery of the update-rule checks
# ----------------------------------------------------------------------------------------

# A valley 20 times steeper across than along (as in notebook 09's app), tilted a little.
_A = np.array([[0.5, 0.6], [0.6, 3.7]])


def _valley(w: np.ndarray) -> tuple[float, np.ndarray]:
    return float(0.5 * w @ _A @ w), _A @ w


@dataclass(frozen=True)
class _StepCase:
    label: str
    args: dict[str, Any]  # in the learner's argument order


def _as_outputs(
    value: Any, names: tuple[str, ...], shape: tuple[int, ...]
) -> tuple[tuple[np.ndarray, ...] | None, str]:
    """The learner's returned tuple as arrays of ``shape``, or what is wrong with it."""
    expected = f"return the tuple ({', '.join(names)})"
    if value is None:
        return None, f"returned None: did you forget the `return`? {expected}"
    if not isinstance(value, (tuple, list)):
        return None, f"returned a single {type(value).__name__}; {expected}"
    if len(value) != len(names):
        return None, f"returned {len(value)} values; {expected}"
    arrays = []
    for name, item in zip(names, value, strict=True):
        arr, error = as_array(item, f"the returned {name}", shape)
        if error:
            return None, error
        arrays.append(arr)
    return tuple(arrays), ""


def _flat(outputs: tuple[np.ndarray, ...]) -> np.ndarray:
    return np.concatenate([np.ravel(o) for o in outputs])


def _check_rule(
    name: str,
    fn: Callable[..., Any],
    cases: list[_StepCase],
    reference: Callable[..., tuple[np.ndarray, ...]],
    bugs: Callable[[dict[str, Any]], list[_Bug]],
    outputs: tuple[str, ...],
    path: Callable[[Callable[..., Any]], str],
) -> CheckResult:
    """Single steps on every case, then a many-step run; the first problem is reported."""
    for case in cases:
        args = case.args
        arrays = {k: v for k, v in args.items() if isinstance(v, np.ndarray)}
        value, problem = call_watching(fn, tuple(args.values()), arrays)
        if problem:
            return failed(name, f"on {case.label}: {problem.message}", problem.hint)
        got, error = _as_outputs(value, outputs, args["w"].shape)
        if error:
            return failed(name, f"on {case.label}: {error}")
        want = reference(*args.values())
        if close(_flat(got), _flat(want)):
            continue
        flat_bugs = [(_flat(b), message, hint) for b, message, hint in bugs(args)]
        problem = first_match(_flat(got), _flat(want), flat_bugs)
        if problem is not None:
            return failed(name, f"on {case.label}: {problem.message}", problem.hint)
        for k, (g, w_) in enumerate(zip(got, want, strict=True)):
            if not close(g, w_):
                return failed(
                    name,
                    f"on {case.label}: the returned {outputs[k]} is {fmt(g)}, expected {fmt(w_)}",
                    "write the formula step by step, one line per symbol, and compare",
                )
    problem = path(fn)
    if problem:
        return failed(name, problem, "each call must return the new state; feed it back in")
    return passed(
        name, f"correct on {len(cases)} single steps and on a 40-step run next to the library"
    )


def _path_problem(
    fn: Callable[..., Any],
    optimizer: optim.Optimizer,
    n_state: int,
    call: Callable[[Any, np.ndarray, np.ndarray, list[np.ndarray], int], Any],
    outputs: tuple[str, ...],
) -> str:
    """Run the learner's rule 40 steps on the valley; '' if it follows ``optimize`` exactly."""
    n_steps = 40
    w0 = np.array([-3.0, 1.5])
    want = optim.optimize(_valley, w0, optimizer, n_steps).params
    w, state = w0.copy(), [np.zeros(2) for _ in range(n_state)]
    for t in range(1, n_steps + 1):
        _, dw = _valley(w)
        out = call_learner(call, fn, w, dw, state, t)
        if not out.ok:
            return f"on step {t} of a 40-step run: your function {out.error}"
        got, error = _as_outputs(out.value, outputs, (2,))
        if error:
            return f"on step {t} of a 40-step run: {error}"
        w, state = got[0], list(got[1:])
        if not close(w, want[t], rtol=1e-6, atol=1e-9):
            return (
                f"single steps are right, but after {t} steps of a 40-step run w = {fmt(w)}, "
                f"while lecture_utils.optim gives {fmt(want[t])}"
            )
    return ""


def _random_arrays(seed: int, shape: tuple[int, ...], n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.round(rng.normal(size=shape), 3) for _ in range(n)]


# ----------------------------------------------------------------------------------------
# momentum_update(w, dw, v, step_size, beta) -> (w, v)
# ----------------------------------------------------------------------------------------


def _momentum_cases() -> list[_StepCase]:
    w, dw, v = _random_arrays(11, (4, 3), 3)
    return [
        _StepCase(
            "w = [1, -2], dw = [0.5, 0.5], v = [0.1, -0.2], step_size 0.1, beta 0.9",
            dict(
                w=np.array([1.0, -2.0]),
                dw=np.array([0.5, 0.5]),
                v=np.array([0.1, -0.2]),
                step_size=0.1,
                beta=0.9,
            ),
        ),
        _StepCase(
            "random w, dw, v of shape (4, 3), step_size 0.05, beta 0.8",
            dict(w=w, dw=dw, v=v, step_size=0.05, beta=0.8),
        ),
        _StepCase(
            "a first step (v = 0), step_size 0.3, beta 0.9",
            dict(w=w, dw=dw, v=np.zeros_like(w), step_size=0.3, beta=0.9),
        ),
    ]


def _momentum_bugs(a: dict[str, Any]) -> list[_Bug]:
    w, dw, v, lr, beta = a["w"], a["dw"], a["v"], a["step_size"], a["beta"]
    right_w, right_v = _momentum(w, dw, v, lr, beta)
    pt_v = beta * v + dw  # the other common convention
    return [
        (
            (w + beta * v + lr * dw, beta * v + lr * dw),
            "the step goes uphill: v should subtract step_size * dw",
            "v = beta * v - step_size * dw",
        ),
        (
            (w + v - lr * dw, v - lr * dw),
            "the old velocity is not multiplied by beta",
            "v = beta * v - step_size * dw",
        ),
        (
            (w + v, right_v),
            "w moves by the old velocity; it must move by the new one",
            "first update v, then w = w + v with that new v",
        ),
        (
            (w - lr * pt_v, pt_v),
            "that is the other common form (v = beta * v + dw, w = w - step_size * v): "
            "it moves w the same way, but this exercise stores v = beta * v - step_size * dw",
            "v = beta * v - step_size * dw; w = w + v",
        ),
        (
            (right_v, right_w),
            "the two results are swapped",
            "return (w, v): the new parameters first, then the new velocity",
        ),
        (
            (w + beta * v - (1 - beta) * lr * dw, beta * v - (1 - beta) * lr * dw),
            "the gradient is scaled by (1 - beta): that is an average, not this momentum form",
            "v = beta * v - step_size * dw",
        ),
    ]


def momentum_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(w, dw, v, step_size, beta) -> (w_new, v_new)``.

    SGD with momentum: :math:`v \leftarrow \beta v - \eta\, dw`, :math:`w \leftarrow w + v`,
    as :class:`lecture_utils.optim.Momentum`, without changing the inputs.

    Returns
    -------
    CheckResult
    """

    def call(f, w, dw, state, t):
        return f(w, dw, state[0], 0.05, 0.9)

    return _check_rule(
        "momentum_update",
        fn,
        _momentum_cases(),
        _momentum,
        _momentum_bugs,
        ("w", "v"),
        lambda f: _path_problem(f, optim.Momentum(0.05, beta=0.9), 1, call, ("w", "v")),
    )


# ----------------------------------------------------------------------------------------
# rmsprop_update(w, dw, cache, step_size, decay, eps) -> (w, cache)
# ----------------------------------------------------------------------------------------


def _rmsprop_cases() -> list[_StepCase]:
    w, dw, c = _random_arrays(12, (3, 4), 3)
    return [
        _StepCase(
            "w = [1, -2], dw = [0.5, -4], cache = [0.2, 1.0], step_size 0.1, decay 0.9, eps 1e-8",
            dict(
                w=np.array([1.0, -2.0]),
                dw=np.array([0.5, -4.0]),
                cache=np.array([0.2, 1.0]),
                step_size=0.1,
                decay=0.9,
                eps=1e-8,
            ),
        ),
        _StepCase(
            "random w, dw and cache (3, 4), step_size 0.01, decay 0.99, eps 0.1",
            dict(w=w, dw=dw, cache=c * c, step_size=0.01, decay=0.99, eps=0.1),
        ),
        _StepCase(
            "a first step (cache = 0), step_size 0.01, decay 0.99, eps 1e-8",
            dict(w=w, dw=dw, cache=np.zeros_like(w), step_size=0.01, decay=0.99, eps=1e-8),
        ),
    ]


def _rmsprop_bugs(a: dict[str, Any]) -> list[_Bug]:
    w, dw, c, lr, rho, eps = (a[k] for k in ("w", "dw", "cache", "step_size", "decay", "eps"))
    right_w, right_c = _rmsprop(w, dw, c, lr, rho, eps)
    no_avg = rho * c + dw * dw
    return [
        (
            (w - lr * dw / (np.sqrt(no_avg) + eps), no_avg),
            "the new dw**2 is not multiplied by (1 - decay)",
            "cache = decay * cache + (1 - decay) * dw**2",
        ),
        (
            (w - lr * dw / np.sqrt(right_c + eps), right_c),
            "eps is inside the square root",
            "divide by (np.sqrt(cache) + eps)",
        ),
        (
            (w - lr * dw / (right_c + eps), right_c),
            "the square root of the cache is missing",
            "divide by (np.sqrt(cache) + eps)",
        ),
        (
            (w + lr * dw / (np.sqrt(right_c) + eps), right_c),
            "the step goes uphill: subtract it",
            "w = w - step_size * dw / (np.sqrt(cache) + eps)",
        ),
        (
            (w - lr * dw / (np.sqrt(c) + eps), right_c),
            "the step uses the old cache; update the cache first",
            "first cache = ..., then w = ... with the new cache",
        ),
        ((right_c, right_w), "the two results are swapped", "return (w, cache)"),
    ]


def rmsprop_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(w, dw, cache, step_size, decay, eps) -> (w_new, cache_new)``.

    RMSProp: :math:`c \leftarrow \rho c + (1-\rho)\, dw^2`,
    :math:`w \leftarrow w - \eta\, dw / (\sqrt{c} + \epsilon)`, as
    :class:`lecture_utils.optim.RMSProp`.

    Returns
    -------
    CheckResult
    """

    def call(f, w, dw, state, t):
        return f(w, dw, state[0], 0.05, 0.99, 1e-8)

    return _check_rule(
        "rmsprop_update",
        fn,
        _rmsprop_cases(),
        _rmsprop,
        _rmsprop_bugs,
        ("w", "cache"),
        lambda f: _path_problem(
            f, optim.RMSProp(0.05, decay=0.99, eps=1e-8), 1, call, ("w", "cache")
        ),
    )


# ----------------------------------------------------------------------------------------
# adam_update(w, dw, m, v, t, step_size, beta1, beta2, eps) -> (w, m, v)
# ----------------------------------------------------------------------------------------


def _adam_cases() -> list[_StepCase]:
    w, dw, m, s = _random_arrays(13, (4, 2), 4)
    return [
        _StepCase(
            "w = [1, -2], dw = [0.5, -4], m = [0.1, 0.2], v = [0.3, 1.0], t = 3, "
            "step_size 0.1, beta1 0.9, beta2 0.999, eps 1e-8",
            dict(
                w=np.array([1.0, -2.0]),
                dw=np.array([0.5, -4.0]),
                m=np.array([0.1, 0.2]),
                v=np.array([0.3, 1.0]),
                t=3,
                step_size=0.1,
                beta1=0.9,
                beta2=0.999,
                eps=1e-8,
            ),
        ),
        _StepCase(
            "random arrays (4, 2), t = 7, step_size 0.01, beta1 0.8, beta2 0.99, eps 0.1",
            dict(w=w, dw=dw, m=m, v=s * s, t=7, step_size=0.01, beta1=0.8, beta2=0.99, eps=0.1),
        ),
        _StepCase(
            "a first step (m = v = 0, t = 1), step_size 0.01, beta1 0.9, beta2 0.999",
            dict(
                w=w,
                dw=dw,
                m=np.zeros_like(w),
                v=np.zeros_like(w),
                t=1,
                step_size=0.01,
                beta1=0.9,
                beta2=0.999,
                eps=1e-8,
            ),
        ),
    ]


def _adam_bugs(a: dict[str, Any]) -> list[_Bug]:
    w, dw, m, v, t = a["w"], a["dw"], a["m"], a["v"], a["t"]
    lr, b1, b2, eps = a["step_size"], a["beta1"], a["beta2"], a["eps"]
    right_w, right_m, right_v = _adam(w, dw, m, v, t, lr, b1, b2, eps)
    m_hat, v_hat = right_m / (1 - b1**t), right_v / (1 - b2**t)
    bugs: list[_Bug] = [
        (
            (w - lr * right_m / (np.sqrt(right_v) + eps), right_m, right_v),
            "no bias correction: divide m by (1 - beta1**t) and v by (1 - beta2**t) before "
            "the step",
            "m_hat = m / (1 - beta1**t); v_hat = v / (1 - beta2**t)",
        ),
        (
            _adam(w, dw, m, v, t + 1, lr, b1, b2, eps),
            "the bias correction uses t + 1; t is already the number of this step (1, 2, ...)",
            "m_hat = m / (1 - beta1**t)",
        ),
        (
            (w - lr * m_hat / np.sqrt(v_hat + eps), right_m, right_v),
            "eps is inside the square root",
            "divide by (np.sqrt(v_hat) + eps)",
        ),
        (
            (w - lr * m_hat / (v_hat + eps), right_m, right_v),
            "the square root of v_hat is missing",
            "divide by (np.sqrt(v_hat) + eps)",
        ),
        (
            (w + lr * m_hat / (np.sqrt(v_hat) + eps), right_m, right_v),
            "the step goes uphill: subtract it",
            "w = w - step_size * m_hat / (np.sqrt(v_hat) + eps)",
        ),
        (
            (right_w, m_hat, v_hat),
            "the returned m and v are the bias-corrected ones; keep the raw running averages "
            "(the correction is only for the step)",
            "return (w, m, v) with m = beta1 * m + (1 - beta1) * dw, not m_hat",
        ),
        (
            _adam(w, dw, m, v, t, lr, b2, b1, eps),
            "beta1 and beta2 are swapped: beta1 goes with m (the gradient), beta2 with v (dw**2)",
            "m = beta1 * m + (1 - beta1) * dw; v = beta2 * v + (1 - beta2) * dw**2",
        ),
    ]
    if t > 1:
        bugs.append(
            (
                _adam(w, dw, m, v, t - 1, lr, b1, b2, eps),
                "the bias correction uses t - 1; t is already the number of this step",
                "m_hat = m / (1 - beta1**t)",
            )
        )
    return bugs


def adam_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(w, dw, m, v, t, step_size, beta1, beta2, eps) -> (w_new, m_new, v_new)``.

    Adam with bias correction (t = 1 at the first step), as :class:`lecture_utils.optim.Adam`:
    :math:`m \leftarrow \beta_1 m + (1-\beta_1) dw`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) dw^2`,
    :math:`w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)`.

    Returns
    -------
    CheckResult
    """

    def call(f, w, dw, state, t):
        return f(w, dw, state[0], state[1], t, 0.1, 0.9, 0.999, 1e-8)

    return _check_rule(
        "adam_update",
        fn,
        _adam_cases(),
        _adam,
        _adam_bugs,
        ("w", "m", "v"),
        lambda f: _path_problem(
            f, optim.Adam(0.1, beta1=0.9, beta2=0.999, eps=1e-8), 2, call, ("w", "m", "v")
        ),
    )


# ----------------------------------------------------------------------------------------
# Notebook 08: accuracy(W, X, y) and sgd_epoch(W, X, y, step_size, reg, batch_size, rng)
# ----------------------------------------------------------------------------------------


def accuracy(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X, y) -> float``: the fraction of rows whose top score is the label.

    Scores are ``X @ W`` of shape (N, C); the prediction of row i is the column of its
    highest score.

    Returns
    -------
    CheckResult
    """
    name = "accuracy"
    rng = np.random.default_rng(21)
    cases = []
    for label, (n, d, c) in (
        ("20 examples, D = 5, C = 3", (20, 5, 3)),
        ("7 examples, D = 4, C = 7", (7, 4, 7)),
    ):
        W = rng.normal(size=(d, c))
        X = rng.normal(size=(n, d))
        y = rng.integers(0, c, size=n)
        y[: n // 2] = (X @ W)[: n // 2].argmax(axis=1)  # about half right
        cases.append((label, W, X, y))
    for label, W, X, y in cases:
        value, problem = call_watching(fn, (W, X, y), dict(W=W, X=X, y=y))
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        got, error = as_number(value, "the result")
        if error:
            return failed(name, f"on {label}: {error}")
        scores = X @ W
        want = float(np.mean(scores.argmax(axis=1) == y))
        if close(got, want):
            continue
        n_right = int(np.sum(scores.argmax(axis=1) == y))
        if close(got, 100 * want):
            return failed(
                name, f"on {label}: you returned a percentage ({fmt(got)}); return a fraction"
            )
        if close(got, n_right):
            return failed(
                name,
                f"on {label}: you returned the number of correct rows ({n_right}); divide by N",
            )
        if close(got, 1 - want):
            return failed(
                name,
                f"on {label}: you returned the error rate ({fmt(got)}), 1 - accuracy",
                "count the rows where the prediction equals the label",
            )
        return failed(
            name,
            f"on {label}: got {fmt(got)}, expected {fmt(want)} ({n_right} of {len(y)} right)",
            "predictions = scores.argmax(axis=1): the best class of each row (axis=1)",
        )
    return passed(name, f"correct on {len(cases)} inputs")


def _sgd_epoch_reference(W, X, y, step_size, reg, batch_size, rng, *, variant=""):
    n = X.shape[0]
    order = np.arange(n) if variant == "no_shuffle" else rng.permutation(n)
    stop = n - n % batch_size if variant == "drop_last" else n
    batch_losses = []
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        loss, dW = losses.softmax_loss(W, X[idx], y[idx], reg)
        step = dW if variant != "plus" else -dW
        W = W - step_size * step
        batch_losses.append(loss)
    return W, np.array(batch_losses)


def sgd_epoch(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X, y, step_size, reg, batch_size, rng) -> (W_new, batch_losses)``.

    One epoch of minibatch SGD on the softmax loss: ``order = rng.permutation(N)``, then for
    each run of ``batch_size`` consecutive indices of ``order`` (the last batch may be
    smaller): ``loss, dW = lecture_utils.losses.softmax_loss(W, X[idx], y[idx], reg)`` and
    ``W = W - step_size * dW``. ``batch_losses`` holds each batch's loss, in order.

    Returns
    -------
    CheckResult
    """
    name = "sgd_epoch"
    data = np.random.default_rng(22)
    cases = []
    for label, (n, d, c, b), lr, reg in (
        ("N = 23 examples, D = 4, C = 3, batch_size 5", (23, 4, 3, 5), 0.5, 1e-3),
        ("N = 40, D = 6, C = 5, batch_size 8", (40, 6, 5, 8), 0.1, 0.05),
    ):
        W = 0.01 * data.normal(size=(d, c))
        X = data.normal(size=(n, d))
        y = data.integers(0, c, size=n)
        cases.append((label, W, X, y, lr, reg, b))
    for seed, (label, W, X, y, lr, reg, b) in enumerate(cases):
        value, problem = call_watching(
            fn, (W, X, y, lr, reg, b, np.random.default_rng(seed)), dict(W=W, X=X, y=y)
        )
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            return failed(
                name,
                f"on {label}: return the pair (W_new, batch_losses), got {type(value).__name__}",
            )
        got_W, error = as_array(value[0], "the returned W", W.shape)
        if error:
            return failed(name, f"on {label}: {error}")
        n_batches = -(-X.shape[0] // b)
        got_losses = np.asarray(value[1], dtype=float).ravel()

        def reference(variant: str = "", seed=seed, args=(W, X, y, lr, reg, b)):
            rng = np.random.default_rng(seed)
            return _sgd_epoch_reference(*args, rng, variant=variant)

        want_W, want_losses = reference()
        if close(got_W, want_W) and close(got_losses, want_losses):
            continue
        for variant, message, hint in (
            (
                "no_shuffle",
                "W matches an epoch over the examples in their stored order",
                "visit them in the order rng.permutation(N)",
            ),
            (
                "drop_last",
                f"W matches an epoch that skips the last, smaller batch "
                f"({X.shape[0] % b} examples)",
                "range(0, N, batch_size) also gives the last partial batch",
            ),
            ("plus", "W goes uphill: subtract step_size * dW", "W = W - step_size * dW"),
        ):
            if close(got_W, reference(variant)[0]):
                return failed(name, f"on {label}: {message}", hint)
        if not close(got_W, want_W):
            return failed(
                name,
                f"on {label}: W after the epoch differs from the recipe's (largest difference "
                f"{fmt(np.abs(got_W - want_W).max())})",
                "one rng.permutation(N) per epoch, batches order[start:start + batch_size], "
                "losses.softmax_loss(W, X[idx], y[idx], reg), W = W - step_size * dW",
            )
        if got_losses.shape != (n_batches,):
            return failed(
                name,
                f"on {label}: batch_losses has {got_losses.size} entries; expected one per batch "
                f"({n_batches})",
            )
        return failed(
            name,
            f"on {label}: W is right but batch_losses is {fmt(got_losses)}, expected "
            f"{fmt(want_losses)}",
            "append each batch's loss before stepping W",
        )
    return passed(name, f"correct on {len(cases)} epochs (same batches, same W, same losses)")
