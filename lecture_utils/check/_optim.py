r"""Checks for the update-rule exercises of notebook 09 (the rules of :mod:`lecture_utils.optim`).

:math:`\eta` is the step size (``step_size``):

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
to the library's :func:`lecture_utils.optim.optimize` on the same
:class:`lecture_utils.landscape.Valley`. Every expected value comes from the library's rules
(:class:`~lecture_utils.optim.Momentum`, :class:`~lecture_utils.optim.RMSProp`,
:class:`~lecture_utils.optim.Adam`), stepped from the learner's state. A wrong answer is
compared with the usual mistakes (a flipped sign, a forgotten :math:`\beta`, no bias
correction, :math:`\epsilon` inside the square root, ...) to name it. The machinery they
share is in ``_rule_harness``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import optim
from ._feedback import CheckResult
from ._result import graded
from ._rule_harness import Bug, StepCase, check_rule, path_problem, random_arrays

__all__ = ["momentum_update", "rmsprop_update", "adam_update"]

# ----------------------------------------------------------------------------------------
# The references: one step of the library's update rules (lecture_utils.optim), from the
# state the learner's function gets, returning what it must return
# ----------------------------------------------------------------------------------------


def _momentum(w, dw, v, step_size, beta):
    w_new, state = optim.Momentum(step_size, beta=beta)._step_from(w, dw, {"v": v}, t=1)
    return w_new, state["v"]


def _rmsprop(w, dw, cache, step_size, decay, eps):
    rule = optim.RMSProp(step_size, decay=decay, eps=eps)
    w_new, state = rule._step_from(w, dw, {"cache": cache}, t=1)
    return w_new, state["cache"]


def _adam(w, dw, m, v, t, step_size, beta1, beta2, eps):
    rule = optim.Adam(step_size, beta1=beta1, beta2=beta2, eps=eps)
    w_new, state = rule._step_from(w, dw, {"m": m, "v": v}, t=t)
    return w_new, state["m"], state["v"]


# ----------------------------------------------------------------------------------------
# momentum_update(w, dw, v, step_size, beta) -> (w, v)
# ----------------------------------------------------------------------------------------


def _momentum_cases() -> list[StepCase]:
    w, dw, v = random_arrays(11, (4, 3), 3)
    return [
        StepCase(
            "w = [1, -2], dw = [0.5, 0.5], v = [0.1, -0.2], step_size 0.1, beta 0.9",
            dict(
                w=np.array([1.0, -2.0]),
                dw=np.array([0.5, 0.5]),
                v=np.array([0.1, -0.2]),
                step_size=0.1,
                beta=0.9,
            ),
        ),
        StepCase(
            "random w, dw, v of shape (4, 3), step_size 0.05, beta 0.8",
            dict(w=w, dw=dw, v=v, step_size=0.05, beta=0.8),
        ),
        StepCase(
            "a first step (v = 0), step_size 0.3, beta 0.9",
            dict(w=w, dw=dw, v=np.zeros_like(w), step_size=0.3, beta=0.9),
        ),
    ]


def _momentum_bugs(a: dict[str, Any]) -> list[Bug]:
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


@graded
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

    return check_rule(
        "momentum_update",
        fn,
        _momentum_cases(),
        _momentum,
        _momentum_bugs,
        ("w", "v"),
        lambda f: path_problem(f, optim.Momentum(0.05, beta=0.9), 1, call, ("w", "v")),
    )


# ----------------------------------------------------------------------------------------
# rmsprop_update(w, dw, cache, step_size, decay, eps) -> (w, cache)
# ----------------------------------------------------------------------------------------


def _rmsprop_cases() -> list[StepCase]:
    w, dw, c = random_arrays(12, (3, 4), 3)
    return [
        StepCase(
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
        StepCase(
            "random w, dw and cache (3, 4), step_size 0.01, decay 0.99, eps 0.1",
            dict(w=w, dw=dw, cache=c * c, step_size=0.01, decay=0.99, eps=0.1),
        ),
        StepCase(
            "a first step (cache = 0), step_size 0.01, decay 0.99, eps 1e-8",
            dict(w=w, dw=dw, cache=np.zeros_like(w), step_size=0.01, decay=0.99, eps=1e-8),
        ),
    ]


def _rmsprop_bugs(a: dict[str, Any]) -> list[Bug]:
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


@graded
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

    return check_rule(
        "rmsprop_update",
        fn,
        _rmsprop_cases(),
        _rmsprop,
        _rmsprop_bugs,
        ("w", "cache"),
        lambda f: path_problem(
            f, optim.RMSProp(0.05, decay=0.99, eps=1e-8), 1, call, ("w", "cache")
        ),
    )


# ----------------------------------------------------------------------------------------
# adam_update(w, dw, m, v, t, step_size, beta1, beta2, eps) -> (w, m, v)
# ----------------------------------------------------------------------------------------


def _adam_cases() -> list[StepCase]:
    w, dw, m, s = random_arrays(13, (4, 2), 4)
    return [
        StepCase(
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
        StepCase(
            "random arrays (4, 2), t = 7, step_size 0.01, beta1 0.8, beta2 0.99, eps 0.1",
            dict(w=w, dw=dw, m=m, v=s * s, t=7, step_size=0.01, beta1=0.8, beta2=0.99, eps=0.1),
        ),
        StepCase(
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


def _adam_bugs(a: dict[str, Any]) -> list[Bug]:
    w, dw, m, v, t = a["w"], a["dw"], a["m"], a["v"], a["t"]
    lr, b1, b2, eps = a["step_size"], a["beta1"], a["beta2"], a["eps"]
    right_w, right_m, right_v = _adam(w, dw, m, v, t, lr, b1, b2, eps)
    m_hat, v_hat = right_m / (1 - b1**t), right_v / (1 - b2**t)
    bugs: list[Bug] = [
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


@graded
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

    return check_rule(
        "adam_update",
        fn,
        _adam_cases(),
        _adam,
        _adam_bugs,
        ("w", "m", "v"),
        lambda f: path_problem(
            f, optim.Adam(0.1, beta1=0.9, beta2=0.999, eps=1e-8), 2, call, ("w", "m", "v")
        ),
    )
