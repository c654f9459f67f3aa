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
compared with the table of usual mistakes (a flipped sign, a forgotten :math:`\beta`, no bias
correction, :math:`\epsilon` inside the square root, ...) to name it. Each rule is declared
with ``_rule_harness.rule_exercise`` and checked by the one runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import optim
from ._exercise import Case, Mistake, run
from ._result import CheckResult, graded
from ._rule_harness import path_problem, random_arrays, rule_exercise

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


def _cases(
    steps: list[tuple[str, dict[str, Any]]], reference: Callable[..., tuple[np.ndarray, ...]]
) -> list[Case]:
    """Single-step cases; the fact ``reference`` is the library's step (see :func:`_right`)."""
    return [Case(label, args, facts={"reference": reference}) for label, args in steps]


def _right(c: Case) -> tuple[np.ndarray, ...]:
    """The library's step on this case, computed once and only when a mistake needs it."""
    if "right" not in c.facts:
        c.facts["right"] = c.reference(**c.args)
    return c.facts["right"]


# ----------------------------------------------------------------------------------------
# momentum_update(w, dw, v, step_size, beta) -> (w, v)
# ----------------------------------------------------------------------------------------


def _momentum_cases() -> list[Case]:
    w, dw, v = random_arrays(11, (4, 3), 3)
    hand = dict(
        w=np.array([1.0, -2.0]),
        dw=np.array([0.5, 0.5]),
        v=np.array([0.1, -0.2]),
        step_size=0.1,
        beta=0.9,
    )
    return _cases(
        [
            ("w = [1, -2], dw = [0.5, 0.5], v = [0.1, -0.2], step_size 0.1, beta 0.9", hand),
            (
                "random w, dw, v of shape (4, 3), step_size 0.05, beta 0.8",
                dict(w=w, dw=dw, v=v, step_size=0.05, beta=0.8),
            ),
            (
                "a first step (v = 0), step_size 0.3, beta 0.9",
                dict(w=w, dw=dw, v=np.zeros_like(w), step_size=0.3, beta=0.9),
            ),
        ],
        _momentum,
    )


def _pt_v(c: Case) -> np.ndarray:
    return c.beta * c.v + c.dw  # the other common convention


_MOMENTUM_MISTAKES = (
    Mistake("the step goes uphill: v should subtract step_size * dw",
            "v = beta * v - step_size * dw",
            gives=lambda c: (c.w + c.beta * c.v + c.step_size * c.dw,
                             c.beta * c.v + c.step_size * c.dw)),
    Mistake("the old velocity is not multiplied by beta", "v = beta * v - step_size * dw",
            gives=lambda c: (c.w + c.v - c.step_size * c.dw, c.v - c.step_size * c.dw)),
    Mistake("w moves by the old velocity; it must move by the new one",
            "first update v, then w = w + v with that new v",
            gives=lambda c: (c.w + c.v, _right(c)[1])),
    Mistake("that is the other common form (v = beta * v + dw, w = w - step_size * v): "
            "it moves w the same way, but this exercise stores v = beta * v - step_size * dw",
            "v = beta * v - step_size * dw; w = w + v",
            gives=lambda c: (c.w - c.step_size * _pt_v(c), _pt_v(c))),
    Mistake("the two results are swapped",
            "return (w, v): the new parameters first, then the new velocity",
            gives=lambda c: (_right(c)[1], _right(c)[0])),
    Mistake("the gradient is scaled by (1 - beta): that is an average, not this momentum form",
            "v = beta * v - step_size * dw",
            gives=lambda c: (c.w + c.beta * c.v - (1 - c.beta) * c.step_size * c.dw,
                             c.beta * c.v - (1 - c.beta) * c.step_size * c.dw)),
)  # fmt: skip


def _momentum_run(f: Callable[..., Any]) -> str:
    def call(f, w, dw, state, t):
        return f(w, dw, state[0], 0.05, 0.9)

    return path_problem(f, optim.Momentum(0.05, beta=0.9), 1, call, ("w", "v"))


MOMENTUM_UPDATE = rule_exercise(
    "momentum_update", _momentum_cases, _momentum, _MOMENTUM_MISTAKES, ("w", "v"), _momentum_run
)


@graded
def momentum_update(fn: Callable[..., Any]) -> CheckResult:
    r"""Check ``fn(w, dw, v, step_size, beta) -> (w_new, v_new)``.

    SGD with momentum: :math:`v \leftarrow \beta v - \eta\, dw`, :math:`w \leftarrow w + v`,
    as :class:`lecture_utils.optim.Momentum`, without changing the inputs.

    Returns
    -------
    CheckResult
    """
    return run(MOMENTUM_UPDATE, fn)


# ----------------------------------------------------------------------------------------
# rmsprop_update(w, dw, cache, step_size, decay, eps) -> (w, cache)
# ----------------------------------------------------------------------------------------


def _rmsprop_cases() -> list[Case]:
    w, dw, c = random_arrays(12, (3, 4), 3)
    hand = dict(
        w=np.array([1.0, -2.0]),
        dw=np.array([0.5, -4.0]),
        cache=np.array([0.2, 1.0]),
        step_size=0.1,
        decay=0.9,
        eps=1e-8,
    )
    return _cases(
        [
            (
                "w = [1, -2], dw = [0.5, -4], cache = [0.2, 1.0], step_size 0.1, decay 0.9, "
                "eps 1e-8",
                hand,
            ),
            (
                "random w, dw and cache (3, 4), step_size 0.01, decay 0.99, eps 0.1",
                dict(w=w, dw=dw, cache=c * c, step_size=0.01, decay=0.99, eps=0.1),
            ),
            (
                "a first step (cache = 0), step_size 0.01, decay 0.99, eps 1e-8",
                dict(w=w, dw=dw, cache=np.zeros_like(w), step_size=0.01, decay=0.99, eps=1e-8),
            ),
        ],
        _rmsprop,
    )


def _rms_step(c: Case, denominator: np.ndarray, sign: float = -1.0) -> np.ndarray:
    return c.w + sign * c.step_size * c.dw / denominator


def _no_average(c: Case) -> np.ndarray:
    return c.decay * c.cache + c.dw * c.dw


_RMSPROP_MISTAKES = (
    Mistake("the new dw**2 is not multiplied by (1 - decay)",
            "the cache is a running average: decay * old cache + (1 - decay) * dw^2",
            gives=lambda c: (_rms_step(c, np.sqrt(_no_average(c)) + c.eps), _no_average(c))),
    Mistake("eps is inside the square root", "divide by (np.sqrt(cache) + eps)",
            gives=lambda c: (_rms_step(c, np.sqrt(_right(c)[1] + c.eps)), _right(c)[1])),
    Mistake("the square root of the cache is missing", "divide by (np.sqrt(cache) + eps)",
            gives=lambda c: (_rms_step(c, _right(c)[1] + c.eps), _right(c)[1])),
    Mistake("the step goes uphill: subtract it",
            "w moves by -step_size * dw / (sqrt(cache) + eps)",
            gives=lambda c: (_rms_step(c, np.sqrt(_right(c)[1]) + c.eps, +1.0), _right(c)[1])),
    Mistake("the step uses the old cache; update the cache first",
            "first cache = ..., then w = ... with the new cache",
            gives=lambda c: (_rms_step(c, np.sqrt(c.cache) + c.eps), _right(c)[1])),
    Mistake("the two results are swapped", "return (w, cache)",
            gives=lambda c: (_right(c)[1], _right(c)[0])),
)  # fmt: skip


def _rmsprop_run(f: Callable[..., Any]) -> str:
    def call(f, w, dw, state, t):
        return f(w, dw, state[0], 0.05, 0.99, 1e-8)

    rule = optim.RMSProp(0.05, decay=0.99, eps=1e-8)
    return path_problem(f, rule, 1, call, ("w", "cache"))


RMSPROP_UPDATE = rule_exercise(
    "rmsprop_update", _rmsprop_cases, _rmsprop, _RMSPROP_MISTAKES, ("w", "cache"), _rmsprop_run
)


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
    return run(RMSPROP_UPDATE, fn)


# ----------------------------------------------------------------------------------------
# adam_update(w, dw, m, v, t, step_size, beta1, beta2, eps) -> (w, m, v)
# ----------------------------------------------------------------------------------------


def _adam_cases() -> list[Case]:
    w, dw, m, s = random_arrays(13, (4, 2), 4)
    hand = dict(
        w=np.array([1.0, -2.0]),
        dw=np.array([0.5, -4.0]),
        m=np.array([0.1, 0.2]),
        v=np.array([0.3, 1.0]),
        t=3,
        step_size=0.1,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
    )
    zero = np.zeros_like(w)
    first = dict(w=w, dw=dw, m=zero, v=zero, t=1, step_size=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    return _cases(
        [
            (
                "w = [1, -2], dw = [0.5, -4], m = [0.1, 0.2], v = [0.3, 1.0], t = 3, "
                "step_size 0.1, beta1 0.9, beta2 0.999, eps 1e-8",
                hand,
            ),
            (
                "random arrays (4, 2), t = 7, step_size 0.01, beta1 0.8, beta2 0.99, eps 0.1",
                dict(w=w, dw=dw, m=m, v=s * s, t=7, step_size=0.01, beta1=0.8, beta2=0.99, eps=0.1),
            ),
            (
                "a first step (m = v = 0, t = 1), step_size 0.01, beta1 0.9, beta2 0.999",
                first,
            ),
        ],
        _adam,
    )


def _hats(c: Case) -> tuple[np.ndarray, np.ndarray]:
    """The bias-corrected m_hat and v_hat of the right step."""
    return _right(c)[1] / (1 - c.beta1**c.t), _right(c)[2] / (1 - c.beta2**c.t)


def _adam_with(c: Case, **changed: Any) -> tuple[np.ndarray, ...]:
    """The library's step with some arguments changed (e.g. t + 1, swapped betas)."""
    return _adam(**{**c.args, **changed})


def _adam_step(c: Case, m: np.ndarray, denominator: np.ndarray, sign: float = -1.0) -> tuple:
    return (c.w + sign * c.step_size * m / denominator, _right(c)[1], _right(c)[2])


_ADAM_MISTAKES = (
    Mistake("no bias correction: divide m by (1 - beta1**t) and v by (1 - beta2**t) before "
            "the step", "m_hat = m / (1 - beta1**t); v_hat = v / (1 - beta2**t)",
            gives=lambda c: _adam_step(c, _right(c)[1], np.sqrt(_right(c)[2]) + c.eps)),
    Mistake("the bias correction uses t + 1; t is already the number of this step (1, 2, ...)",
            "m_hat = m / (1 - beta1**t)", gives=lambda c: _adam_with(c, t=c.t + 1)),
    Mistake("eps is inside the square root", "divide by (np.sqrt(v_hat) + eps)",
            gives=lambda c: _adam_step(c, _hats(c)[0], np.sqrt(_hats(c)[1] + c.eps))),
    Mistake("the square root of v_hat is missing", "divide by (np.sqrt(v_hat) + eps)",
            gives=lambda c: _adam_step(c, _hats(c)[0], _hats(c)[1] + c.eps)),
    Mistake("the step goes uphill: subtract it",
            "w moves by -step_size * m_hat / (sqrt(v_hat) + eps)",
            gives=lambda c: _adam_step(c, _hats(c)[0], np.sqrt(_hats(c)[1]) + c.eps, +1.0)),
    Mistake("the returned m and v are the bias-corrected ones; keep the raw running averages "
            "(the correction is only for the step)",
            "return (w, m, v) with m = beta1 * m + (1 - beta1) * dw, not m_hat",
            gives=lambda c: (_right(c)[0], *_hats(c))),
    Mistake("beta1 and beta2 are swapped: beta1 goes with m (the gradient), beta2 with v (dw**2)",
            "m = beta1 * m + (1 - beta1) * dw; v = beta2 * v + (1 - beta2) * dw**2",
            gives=lambda c: _adam_with(c, beta1=c.beta2, beta2=c.beta1)),
    Mistake("the bias correction uses t - 1; t is already the number of this step",
            "m_hat = m / (1 - beta1**t)",
            gives=lambda c: _adam_with(c, t=c.t - 1) if c.t > 1 else None),
)  # fmt: skip


def _adam_run(f: Callable[..., Any]) -> str:
    def call(f, w, dw, state, t):
        return f(w, dw, state[0], state[1], t, 0.1, 0.9, 0.999, 1e-8)

    rule = optim.Adam(0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    return path_problem(f, rule, 2, call, ("w", "m", "v"))


ADAM_UPDATE = rule_exercise(
    "adam_update", _adam_cases, _adam, _ADAM_MISTAKES, ("w", "m", "v"), _adam_run
)


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
    return run(ADAM_UPDATE, fn)
