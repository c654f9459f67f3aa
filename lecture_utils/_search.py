"""Strategies 1 and 2 of the lecture: random search and random local search.

Import them from :mod:`lecture_utils.optim`.
"""

from __future__ import annotations

import numpy as np

from ._history import (
    History,
    LossFn,
    _check_callable,
    _check_n_steps,
    _check_shape,
    _check_start,
    _finite_loss,
    _history,
)
from ._validation import check_positive, check_positive_int, check_seed

__all__ = ["random_search", "random_local_search"]


def random_search(
    loss_fn: LossFn,
    shape: tuple[int, ...] | int,
    n_tries: int,
    scale: float = 1e-3,
    seed: int | np.random.Generator = 0,
) -> History:
    """Strategy 1: try random parameters, keep the best.

    Each try draws ``W = scale * standard_normal(shape)`` independently of the others.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(W) -> float`` for W of shape ``shape``.
    shape : tuple of int or int
        Shape of the parameter, e.g. (D, C).
    n_tries : int
        Number of random parameters to try (>= 1); one loss evaluation each.
    scale : float, default 1e-3
        Standard deviation of the random entries (> 0).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    History
        ``n_tries`` points: after try k, the best parameter so far and its loss (so ``losses``
        never increases); ``evaluations[k] = k + 1``.
    """
    _check_callable(loss_fn, "loss_fn")
    shape = _check_shape(shape)
    n_tries = check_positive_int(n_tries, "n_tries")
    scale = check_positive(scale, "scale")
    rng = check_seed(seed)
    params = np.empty((n_tries, *shape))
    losses = np.empty(n_tries)
    best_W, best_loss = None, np.inf
    for k in range(n_tries):
        W = scale * rng.standard_normal(shape)
        loss = _finite_loss(loss_fn(W), "loss_fn")
        if best_W is None or loss < best_loss:
            best_W, best_loss = W, loss
        params[k], losses[k] = best_W, best_loss
    return _history(params, losses, n_tries, evaluations=np.arange(1, n_tries + 1))


def random_local_search(
    loss_fn: LossFn,
    W0: np.ndarray,
    n_steps: int,
    step_size: float,
    seed: int | np.random.Generator = 0,
) -> History:
    """Strategy 2: take a random step, keep it only if the loss goes down.

    ``W_try = W + step_size * standard_normal(W.shape)``; ``W = W_try`` if
    ``loss_fn(W_try) < loss_fn(W)``.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(W) -> float``.
    W0 : ndarray of any shape, e.g. (D, C)
        Starting point (not modified).
    n_steps : int
        Number of random steps tried (>= 0).
    step_size : float
        Standard deviation of each random step (> 0).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    History
        ``n_steps + 1`` points (the start, then W after each try, accepted or not);
        ``losses`` never increases; ``evaluations[k] = k + 1``.
    """
    _check_callable(loss_fn, "loss_fn")
    W = _check_start(W0, "W0")
    n_steps = _check_n_steps(n_steps)
    step_size = check_positive(step_size, "step_size")
    rng = check_seed(seed)
    params = np.empty((n_steps + 1, *W.shape), dtype=W.dtype)
    losses = np.empty(n_steps + 1)
    loss = _finite_loss(loss_fn(W.copy()), "loss_fn")
    params[0], losses[0] = W, loss
    for k in range(1, n_steps + 1):
        W_try = W + W.dtype.type(step_size) * rng.standard_normal(W.shape).astype(W.dtype)
        loss_try = _finite_loss(loss_fn(W_try), "loss_fn")
        if loss_try < loss:
            W, loss = W_try, loss_try
        params[k], losses[k] = W, loss
    return _history(params, losses, n_steps + 1, evaluations=np.arange(1, n_steps + 2))
