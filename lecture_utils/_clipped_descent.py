r"""Gradient descent on a linear classifier with a bias, kept inside a box.

The classifier playground (notebook 05) scores a point :math:`x` as :math:`s = xW + b` and its
"step" and "run" buttons take gradient steps on both parameters:

.. math::

    W \leftarrow \mathrm{clip}(W - \eta\, \partial L / \partial W), \qquad
    b \leftarrow \mathrm{clip}(b - \eta\, \partial L / \partial b),

with :math:`L = \frac{1}{N}\sum_i L_i + \lambda \sum W^2` from
:func:`lecture_utils.losses.linear_loss` (the bias is not regularized) and ``clip`` keeping
every entry in the range of the playground's sliders (a *projected* gradient descent). It is a
computation, not a view, so it lives here and is tested on its own.

Public through :mod:`lecture_utils.optim` (``optim.clipped_descent``), beside the other
descents.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ._history import _check_n_steps
from ._per_example import check_linear_loss_args, checked_linear_loss
from ._validation import as_float_array, check_finite_number, check_positive
from .losses import LossResult

__all__ = ["DescentRun", "bias_gradient", "clipped_descent"]


class DescentRun(NamedTuple):
    """The points of a :func:`clipped_descent` run.

    Attributes
    ----------
    Ws : list of ndarray of shape (D, C)
        W before the first step and after each step (only the last one with
        ``keep_all=False``).
    bs : list of ndarray of shape (C,)
        b likewise.
    results : list of LossResult
        :func:`~lecture_utils.losses.linear_loss` at each of the ``n_steps + 1`` points
        (always all of them); ``results[k].loss`` is the total loss before step k.
    """

    Ws: list[np.ndarray]
    bs: list[np.ndarray]
    results: list[LossResult]

    def losses(self) -> np.ndarray:
        """The total loss at each point, shape (n_steps + 1,)."""
        return np.array([r.loss for r in self.results])


def bias_gradient(result: LossResult) -> np.ndarray:
    r""":math:`\partial L / \partial b` of a :func:`~lecture_utils.losses.linear_loss` result.

    Parameters
    ----------
    result : LossResult
        Computed with or without a bias.

    Returns
    -------
    ndarray of shape (C,)
        ``result.db``, or zeros if the loss had no bias.
    """
    return result.db if result.db is not None else np.zeros(result.scores.shape[1])


def _check_bounds(bounds: Any) -> tuple[float, float]:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise TypeError(f"bounds must be a pair (low, high), got {bounds!r}")
    lo, hi = (float(v) if math.isinf(v) else check_finite_number(v, "bounds") for v in bounds)
    if not lo < hi:
        raise ValueError(f"bounds must have low < high, got ({lo:g}, {hi:g})")
    return lo, hi


def clipped_descent(
    W: Any,
    b: Any,
    X: Any,
    y: Any,
    reg: float,
    loss: str,
    step_size: float,
    n_steps: int,
    *,
    bounds: tuple[float, float] = (-math.inf, math.inf),
    delta: float = 1.0,
    keep_all: bool = True,
) -> DescentRun:
    r"""``n_steps`` gradient steps on W and b, each entry clipped to ``bounds`` after a step.

    Each step is :math:`W \leftarrow \mathrm{clip}(W - \eta\, dW)`,
    :math:`b \leftarrow \mathrm{clip}(b - \eta\, db)`, with ``dW`` and ``db`` the gradients of
    the total loss :math:`L = \frac{1}{N}\sum_i L_i + \lambda \sum W^2` of
    :func:`lecture_utils.losses.linear_loss` for scores :math:`s = XW + b`.

    Parameters
    ----------
    W : array_like of shape (D, C)
        Starting weights, one column per class (not modified).
    b : array_like of shape (C,)
        Starting biases (not modified).
    X : array_like of shape (N, D)
    y : array_like of shape (N,)
        Labels in [0, C).
    reg : float
        :math:`\lambda \ge 0`.
    loss : str
        A key of :data:`lecture_utils.losses.LOSSES`.
    step_size : float
        :math:`\eta > 0`.
    n_steps : int
        Number of steps (>= 0).
    bounds : (float, float), default (-inf, inf)
        Every entry of W and b is clipped to ``[low, high]`` after each step.
    delta : float, default 1.0
        Margin :math:`\Delta` of the hinge losses.
    keep_all : bool, default True
        Keep W and b at every point; False keeps only the last (the loss results are kept
        for every point either way).

    Returns
    -------
    DescentRun
        ``Ws``, ``bs`` and the ``n_steps + 1`` loss ``results`` along the path.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    >>> y = np.array([0, 1, 2])
    >>> run = clipped_descent(np.zeros((2, 3)), np.zeros(3), X, y, 0.0, "svm", 0.1, 5)
    >>> len(run.Ws), run.Ws[-1].shape, run.bs[-1].shape
    (6, (2, 3), (3,))
    >>> losses = run.losses()
    >>> float(losses[0]), bool(losses[-1] < losses[0])
    (2.0, True)
    """
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    step_size = check_positive(step_size, "step_size")
    n = _check_n_steps(n_steps)
    lo, hi = _check_bounds(bounds)
    # checked once: the steps keep every shape and dtype, so only W and b can go bad (NaN/Inf)
    W_c, X, y, reg, form, delta, b_c = check_linear_loss_args(W, X, y, reg, loss, delta, b)
    Ws, bs, results = [W], [b], []
    for k in range(n + 1):
        result = checked_linear_loss(W_c, X, y, reg, form, delta, b_c)
        results.append(result)
        if k < n:
            W = np.clip(W - step_size * result.dW, lo, hi)
            b = np.clip(b - step_size * bias_gradient(result), lo, hi)
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                as_float_array(W, "W", ndim=2)  # raises: "W contains NaN or Inf (...)"
                as_float_array(b, "b", ndim=1)
            W_c, b_c = W, b
            if not keep_all:
                Ws.clear()
                bs.clear()
            Ws.append(W)
            bs.append(b)
    return DescentRun(Ws, bs, results)
