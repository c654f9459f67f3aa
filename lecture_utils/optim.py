r"""Finding a good W: random search, gradient descent, minibatch SGD and beyond.

The lecture's strategies, each returning a :class:`History` (the path of parameters and the
loss at every recorded point) that plots can draw:

1. :func:`random_search`: try random W, keep the best.
2. :func:`random_local_search`: perturb W at random, keep the perturbation if the loss drops.
3. :func:`gradient_descent`: follow the slope, :math:`W \leftarrow W - \eta\,\nabla_W L`, with
   the step size :math:`\eta` (``step_size``, also called the learning rate).
4. :func:`sgd`: the same step on the gradient of a random minibatch.

:func:`descent_regime` names what a run did as the step size grows: "slow", "monotone",
"zig-zag", "bouncing" or "diverging" (:data:`REGIMES`); :func:`steps_to_stay_below` counts the
steps after which the loss stays below a level for good.

Beyond the lecture, update rules sharing one interface (``step(w, dw) -> new w``):
:class:`SGD`, :class:`Momentum`, :class:`Nesterov`, :class:`RMSProp` and :class:`Adam`, run by
:func:`optimize`. A linear classifier trained with minibatch SGD is
:class:`lecture_utils.LinearClassifier`.

Every public name is imported from here; the code lives in this module (the gradient steps and
the regimes) and in private ones: ``_history`` (:class:`History`), ``_search`` (strategies 1
and 2) and ``_update_rules`` (the update rules).

Conventions
-----------
``loss_fn(W) -> float``; ``loss_and_grad(W) -> (loss, dW)`` with ``dW`` of W's shape;
``loss_and_grad_batch(W, X_batch, y_batch) -> (loss, dW)``. W may have any shape: (D, C) for a
classifier, (2,) for a point on a 2-D surface. Inputs are never modified; randomness comes only
from the ``seed`` argument (an int or a ``numpy.random.Generator``). A step size that is too
large is a regime to look at, not an error: when the loss overflows, the run stops, returns the
path so far and sets ``History.diverged`` (numpy's overflow warnings are silenced meanwhile).

Examples
--------
>>> import numpy as np
>>> from lecture_utils import optim
>>> bowl = lambda w: (float(w @ w), 2 * w)            # L(w) = |w|^2, gradient 2w
>>> run = optim.gradient_descent(bowl, np.array([1.0, -2.0]), step_size=0.25, n_steps=3)
>>> run.params[-1]                                     # each step halves w
array([ 0.125, -0.25 ])
>>> optim.descent_regime(run.losses, run.params, loss_min=0.0)
'monotone'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._clipped_descent import DescentRun, bias_gradient, clipped_descent
from ._history import (
    History,
    LossAndGrad,
    LossAndGradBatch,
    LossFn,
    _as_loss,
    _as_loss_and_grad,
    _check_callable,
    _check_n_steps,
    _check_start,
    _history,
    _quiet_overflow,
)
from ._search import random_local_search, random_search
from ._update_rules import OPTIMIZERS, SGD, Adam, Momentum, Nesterov, Optimizer, RMSProp
from ._validation import (
    as_float_array,
    check_finite_number,
    check_positive,
    check_positive_int,
    check_seed,
)

__all__ = [
    "History",
    "random_search",
    "random_local_search",
    "gradient_descent",
    "sgd",
    "REGIMES",
    "descent_regime",
    "steps_to_stay_below",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "RMSProp",
    "Adam",
    "OPTIMIZERS",
    "optimize",
    "clipped_descent",
    "DescentRun",
    "bias_gradient",
]


# --------------------------------------------------------------------------------------------
# Following the gradient
# --------------------------------------------------------------------------------------------


def optimize(
    loss_and_grad: LossAndGrad,
    w0: np.ndarray,
    optimizer: Optimizer,
    n_steps: int,
) -> History:
    """Run an update rule for ``n_steps`` steps from ``w0``.

    The optimizer is :meth:`~Optimizer.reset` first, so the same object can be reused.

    Parameters
    ----------
    loss_and_grad : callable
        ``loss_and_grad(w) -> (loss, dw)``, dw of w's shape.
    w0 : ndarray of any shape
        Starting point (not modified).
    optimizer : Optimizer
        E.g. ``Momentum(step_size=0.1, beta=0.9)``.
    n_steps : int
        Number of updates (>= 0).

    Returns
    -------
    History
        ``n_steps + 1`` points (fewer if ``diverged``); ``evaluations[k] = k + 1`` calls of
        ``loss_and_grad`` (the last point is evaluated too, for its loss).
    """
    _check_callable(loss_and_grad, "loss_and_grad")
    w = _check_start(w0, "w0")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an Optimizer such as SGD(...) or Adam(...), "
            f"got {type(optimizer).__name__}"
        )
    n_steps = _check_n_steps(n_steps)
    optimizer.reset()
    return _run(loss_and_grad, w, optimizer, n_steps)


def _run(loss_and_grad: LossAndGrad, w: np.ndarray, optimizer: Optimizer, n_steps: int) -> History:
    """Follow ``optimizer`` from ``w`` (checked input) and return the path."""
    params = np.empty((n_steps + 1, *w.shape), dtype=w.dtype)
    losses = np.empty(n_steps + 1)
    with _quiet_overflow():
        count, diverged = _descend(loss_and_grad, w, optimizer, params, losses)
    return _history(params, losses, count, diverged, evaluations=np.arange(1, count + 1))


def _descend(
    loss_and_grad: LossAndGrad,
    w: np.ndarray,
    optimizer: Optimizer,
    params: np.ndarray,
    losses: np.ndarray,
) -> tuple[int, bool]:
    """Fill ``params``/``losses`` along the path; return (points recorded, diverged)."""
    n_steps = params.shape[0] - 1
    for k in range(n_steps + 1):
        loss, dw = _as_loss_and_grad(loss_and_grad(w.copy()), "loss_and_grad", w.shape)
        if not (np.isfinite(loss) and np.isfinite(w).all()):
            return k, True
        params[k], losses[k] = w, loss
        if k < n_steps:
            if not np.isfinite(dw).all():
                return k + 1, True
            w = optimizer._step_checked(w, dw)  # w and dw were checked just above
    return n_steps + 1, False


def gradient_descent(
    loss_and_grad: LossAndGrad,
    W0: np.ndarray,
    step_size: float,
    n_steps: int,
) -> History:
    r"""Full-batch gradient descent: :math:`W \leftarrow W - \eta\, dW`.

    Parameters
    ----------
    loss_and_grad : callable
        ``loss_and_grad(W) -> (loss, dW)`` on the whole training set, dW of W's shape.
    W0 : ndarray of any shape, e.g. (D, C) or (2,)
        Starting point (not modified).
    step_size : float
        :math:`\eta > 0` (the step size).
    n_steps : int
        Number of steps (>= 0).

    Returns
    -------
    History
        ``params`` of shape (n_steps + 1, \*W0.shape) and ``losses`` (n_steps + 1,). If the
        loss becomes NaN or Inf (too large a step), the run stops, ``diverged`` is True and
        the path ends at the last point with a finite loss.
    """
    _check_callable(loss_and_grad, "loss_and_grad")
    W = _check_start(W0, "W0")
    step_size = check_positive(step_size, "step_size")
    n_steps = _check_n_steps(n_steps)
    return _run(loss_and_grad, W, SGD(step_size), n_steps)


def sgd(
    loss_and_grad_batch: LossAndGradBatch,
    W0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    step_size: float,
    n_steps: int,
    batch_size: int,
    seed: int | np.random.Generator = 0,
    eval_every: int | None = None,
    full_loss_fn: LossFn | None = None,
) -> History:
    r"""Minibatch stochastic gradient descent: :math:`W \leftarrow W - \eta\, dW_{batch}`.

    At every point a batch of ``batch_size`` distinct examples is drawn at random (without
    replacement within the batch, independently across steps; indices sorted, so
    ``batch_size = N`` is exactly full-batch gradient descent).

    Parameters
    ----------
    loss_and_grad_batch : callable
        ``loss_and_grad_batch(W, X_batch, y_batch) -> (loss, dW)``.
    W0 : ndarray of any shape, e.g. (D, C)
        Starting point (not modified).
    X : ndarray of shape (N, D)
        Training examples.
    y : ndarray of shape (N,)
        Their labels.
    step_size : float
        :math:`\eta > 0`.
    n_steps : int
        Number of steps (>= 0).
    batch_size : int
        Examples per batch, in [1, N].
    seed : int or numpy.random.Generator, default 0
        Same seed, same batches, same path.
    eval_every : int, optional
        With ``full_loss_fn``: compute the full loss every ``eval_every`` points (default 1);
        the last point is always included.
    full_loss_fn : callable, optional
        ``full_loss_fn(W) -> float``, e.g. the loss on all of X.

    Returns
    -------
    History
        ``n_steps + 1`` points (fewer if ``diverged``). ``losses[k]`` is the minibatch loss at
        point k (the last point gets one more batch, for its loss). ``evaluations[k] = k + 1``,
        ``examples_seen[k] = (k + 1) * batch_size``; ``full_loss_steps`` / ``full_losses``
        when ``full_loss_fn`` is given.
    """
    _check_callable(loss_and_grad_batch, "loss_and_grad_batch")
    W = _check_start(W0, "W0")
    X_arr = as_float_array(X, "X")
    if X_arr.ndim == 0 or X_arr.shape[0] == 0:
        raise ValueError(
            f"X must have at least one example (shape (N, D), N >= 1), got {X_arr.shape}"
        )
    n = X_arr.shape[0]
    y_arr = np.asarray(y)
    if y_arr.ndim == 0 or y_arr.shape[0] != n:
        raise ValueError(f"y must have one entry per example of X ({n}), got shape {y_arr.shape}")
    step_size = check_positive(step_size, "step_size")
    n_steps = _check_n_steps(n_steps)
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(
            f"batch_size must be <= N = {n} (the number of examples), got {batch_size}"
        )
    if full_loss_fn is not None:
        _check_callable(full_loss_fn, "full_loss_fn")
        eval_every = 1 if eval_every is None else check_positive_int(eval_every, "eval_every")
    elif eval_every is not None:
        raise ValueError("eval_every needs full_loss_fn (the loss to compute every few steps)")
    rng = check_seed(seed)

    full_steps: list[int] = []
    full_losses: list[float] = []
    k = 0  # index of the point being evaluated

    def batch_loss_and_grad(W: np.ndarray) -> tuple[float, np.ndarray]:
        # point k: a fresh batch (and the full loss every eval_every points and at the end)
        nonlocal k
        idx = np.sort(rng.choice(n, size=batch_size, replace=False))
        out = loss_and_grad_batch(W, X_arr[idx], y_arr[idx])
        loss, dW = _as_loss_and_grad(out, "loss_and_grad_batch", W.shape)
        if full_loss_fn is not None and (k % eval_every == 0 or k == n_steps):
            full = _as_loss(full_loss_fn(W.copy()), "full_loss_fn")
            full_steps.append(k)
            full_losses.append(full)
            if not np.isfinite(full):
                loss = np.nan  # reported as divergence, like a non-finite minibatch loss
        k += 1
        return loss, dW

    params = np.empty((n_steps + 1, *W.shape), dtype=W.dtype)
    losses = np.empty(n_steps + 1)
    with _quiet_overflow():
        count, diverged = _descend(batch_loss_and_grad, W, SGD(step_size), params, losses)
    # keep full losses only for recorded points
    n_full = int(np.searchsorted(full_steps, count))
    evaluations = np.arange(1, count + 1)
    has_full = full_loss_fn is not None
    return _history(
        params,
        losses,
        count,
        diverged,
        evaluations=evaluations,
        examples_seen=evaluations * batch_size,
        full_loss_steps=np.array(full_steps[:n_full], dtype=np.int64) if has_full else None,
        full_losses=np.array(full_losses[:n_full], dtype=np.float64) if has_full else None,
    )


# --------------------------------------------------------------------------------------------
# Naming what a run of gradient descent did
# --------------------------------------------------------------------------------------------

#: What gradient descent does as the step size grows, named from the curvature :math:`h_{max}`
#: of the steepest direction (for a quadratic; notebook 07 says what changes when it is not).
REGIMES = ("slow", "monotone", "zig-zag", "bouncing", "diverging")


def descent_regime(losses: Any, params: Any, loss_min: float, diverged: bool = False) -> str:
    r"""Name what a run of gradient descent did: one of :data:`REGIMES`.

    On a quadratic whose steepest curvature is :math:`h_{max}`, a step multiplies the distance
    to the minimum along that direction by :math:`1 - \eta h_{max}`, so the step size decides
    the regime: :math:`\eta < 1/h_{max}` never overshoots ("monotone", or "slow" when the
    flat direction is still far from done), :math:`1/h_{max} < \eta < 2/h_{max}` overshoots
    and zig-zags but converges ("zig-zag"), :math:`\eta > 2/h_{max}` overshoots more at every
    step ("diverging"); on a loss that is not quadratic far from the minimum the overshoot can
    also stop growing, and the path jumps back and forth between two points ("bouncing").
    This function reads the regime off the path; the first rule that applies wins:

    - "diverging": the run diverged (NaN or Inf), or the loss rose at each of the last two
      steps (at the only step of a one-step run);
    - "bouncing": the last step points back, :math:`\Delta w_{K-1} \cdot \Delta w_{K-2} < 0`
      (with :math:`\Delta w_k = w_{k+1} - w_k`), and is no shorter than 0.99 times the step
      before: the path has stopped closing in;
    - "zig-zag": the path overshoots: some step points back,
      :math:`\Delta w_{k+1} \cdot \Delta w_k < 0`, or the path bends to alternate sides at
      two turns in a row (the parts :math:`u_k` of :math:`\Delta w_{k+1}` perpendicular to
      :math:`\Delta w_k` point against each other, :math:`u_{k+1} \cdot u_k < 0`, for two
      consecutive k; a bend shorter than 10^-6 of its step is round-off and does not count);
    - "slow": no overshoot, and more than 10 % of the initial gap is left,
      :math:`L(w_K) - L^* > 0.1\,(L(w_0) - L^*)`;
    - "monotone": no overshoot, and the gap has closed to 10 % or less.

    Parameters
    ----------
    losses : array_like of shape (K + 1,)
        The loss at each point of the path, the start first (e.g. ``History.losses``).
    params : array_like of shape (K + 1, P) or (K + 1, \*param_shape)
        The path (e.g. ``History.params``).
    loss_min : float
        :math:`L^*`, the lowest loss.
    diverged : bool, default False
        Whether the run stopped on a NaN or Inf (``History.diverged``).

    Returns
    -------
    str
        One of :data:`REGIMES`.

    Examples
    --------
    >>> straight = [[4.0], [2.0], [1.0], [0.5]]          # w halves at every step
    >>> descent_regime([16.0, 4.0, 1.0, 0.25], straight, loss_min=0.0)
    'monotone'
    >>> descent_regime([16.0, 4.0, 1.0, 0.25], [[4.0], [-2.0], [1.0], [-0.5]], loss_min=0.0)
    'zig-zag'
    >>> descent_regime([16.0, 16.0, 16.0], [[4.0], [-4.0], [4.0]], loss_min=0.0)
    'bouncing'
    """
    L = np.asarray(losses, dtype=float)
    p = np.asarray(params, dtype=float).reshape(L.shape[0], -1)
    rises = np.diff(L)[-2:] > 0
    if diverged or not np.isfinite(L).all() or (rises.size > 0 and rises.all()):
        return "diverging"
    steps = np.diff(p, axis=0)
    if steps.shape[0] >= 2:
        back = np.einsum("kp,kp->k", steps[1:], steps[:-1]) < 0
        length = np.linalg.norm(steps[-2:], axis=1)
        if back[-1] and length[1] >= 0.99 * length[0]:
            return "bouncing"
        if back.any() or _bends_to_alternate_sides(steps):
            return "zig-zag"
    gap0 = L[0] - loss_min
    if gap0 > 0 and (L[-1] - loss_min) > 0.1 * gap0:
        return "slow"
    return "monotone"


def _bends_to_alternate_sides(steps: np.ndarray) -> bool:
    """Whether a path of steps (K, P) bends left-right-left: two side flips in a row."""
    before, after = steps[:-1], steps[1:]
    norm2 = np.einsum("kp,kp->k", before, before)
    along = np.einsum("kp,kp->k", after, before) / np.where(norm2 > 0, norm2, 1.0)
    sideways = after - along[:, None] * before  # u_k: the bend at point k + 1
    # a bend below 1e-6 of the step is round-off (a straight path), not a side
    bends = np.linalg.norm(sideways, axis=1) > 1e-6 * np.linalg.norm(after, axis=1)
    flips = (np.einsum("kp,kp->k", sideways[1:], sideways[:-1]) < 0) & bends[1:] & bends[:-1]
    return bool((flips[1:] & flips[:-1]).any())


def steps_to_stay_below(losses: Any, level: float) -> int | None:
    r"""The first step after which the loss stays below ``level`` for good.

    The smallest :math:`k` with :math:`L(w_j) < \text{level}` for every :math:`j \ge k` up to
    the end of the run. A path that overshoots dips below the level, rises above it again and
    dips once more; the first dip would count too early, so this counts from the last rise.

    Parameters
    ----------
    losses : array_like of shape (K + 1,)
        The loss at each point of the path, the start first (e.g. ``History.losses``); NaN and
        Inf (a diverged run) count as above the level.
    level : float
        The loss to stay below.

    Returns
    -------
    int or None
        :math:`k` (0 when the whole run is below the level), or None when the last loss is not
        below it.

    Examples
    --------
    >>> steps_to_stay_below([5.0, 0.5, 2.0, 0.4, 0.1], level=1.0)   # dips at 1, back above at 2
    3
    >>> steps_to_stay_below([5.0, 0.5, 2.0], level=1.0) is None
    True
    """
    L = as_float_array(losses, "losses", ndim=1, check_finite=False)
    if L.shape[0] == 0:
        raise ValueError("losses must hold at least one loss, got an empty array")
    level = check_finite_number(level, "level")
    above = np.flatnonzero(~(L < level))  # NaN counts as above
    if above.size == 0:
        return 0
    k = int(above[-1]) + 1
    return k if k < L.shape[0] else None
