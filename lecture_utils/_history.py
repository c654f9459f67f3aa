"""What every optimization strategy of :mod:`lecture_utils.optim` shares.

- :class:`History`, the result of every strategy: the path of parameters and the loss at every
  recorded point (import it from :mod:`lecture_utils.optim`);
- the checks of what the learner's functions return (a real loss, a gradient of the
  parameter's shape) and of the strategies' common arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import as_float_array

__all__ = ["History", "LossFn", "LossAndGrad", "LossAndGradBatch"]

LossFn = Callable[[np.ndarray], float]
LossAndGrad = Callable[[np.ndarray], tuple[float, np.ndarray]]
LossAndGradBatch = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[float, np.ndarray]]


# --------------------------------------------------------------------------------------------
# The result of every strategy
# --------------------------------------------------------------------------------------------


def _frozen(a: np.ndarray | None) -> np.ndarray | None:
    if a is not None:
        a.setflags(write=False)
    return a


@dataclass(frozen=True)
class History:
    """The path an optimizer took: parameters and loss at every recorded point.

    Point 0 is the start; point k is the parameter after k steps (for the search strategies:
    the best parameter after k + 1 tries). The arrays are read-only.

    Attributes
    ----------
    params : ndarray of shape (n_points, *param_shape)
        The path, start included.
    losses : ndarray of shape (n_points,), float64
        Loss at each point (for :func:`sgd`: the minibatch loss that gave that step's gradient).
        Always finite.
    evaluations : ndarray of shape (n_points,), int64, or None
        Cumulative number of loss (or loss-and-gradient) evaluations spent up to each point:
        the x axis of a "progress vs cost" plot.
    diverged : bool
        True if the run stopped early because the loss, the parameters or the gradient became
        non-finite (NaN or Inf). The path then ends at the last point with a finite loss.
    examples_seen : ndarray of shape (n_points,), int64, or None
        :func:`sgd` only: cumulative number of training examples whose gradients were computed.
    full_loss_steps : ndarray of shape (n_evals,), int64, or None
        :func:`sgd` with ``full_loss_fn`` only: the points at which the full loss was computed.
    full_losses : ndarray of shape (n_evals,), float64, or None
        The full (all-data) loss at those points.
    """

    params: np.ndarray
    losses: np.ndarray
    evaluations: np.ndarray | None = None
    diverged: bool = False
    examples_seen: np.ndarray | None = None
    full_loss_steps: np.ndarray | None = None
    full_losses: np.ndarray | None = None

    def __len__(self) -> int:
        """Number of recorded points (``n_steps + 1`` for a run that did not diverge)."""
        return int(self.losses.shape[0])

    @property
    def n_steps(self) -> int:
        """Number of steps taken between the first and the last recorded point."""
        return len(self) - 1

    @property
    def final(self) -> np.ndarray:
        """The last parameter, shape ``param_shape``."""
        return self.params[-1]

    @property
    def final_loss(self) -> float:
        """The loss at the last point."""
        return float(self.losses[-1])


def _history(
    params: np.ndarray,
    losses: np.ndarray,
    count: int,
    diverged: bool = False,
    **optional: np.ndarray | None,
) -> History:
    """Build a read-only History from preallocated buffers holding ``count`` points."""
    trimmed = {k: (None if v is None else v[:count]) for k, v in optional.items()}
    return History(
        params=_frozen(params[:count].copy()),
        losses=_frozen(losses[:count].copy()),
        diverged=diverged,
        **{k: _frozen(None if v is None else v.copy()) for k, v in trimmed.items()},
    )


# --------------------------------------------------------------------------------------------
# Checking what user functions return
# --------------------------------------------------------------------------------------------


def _check_callable(fn: Any, name: str) -> None:
    if not callable(fn):
        raise TypeError(f"{name} must be a callable, got {type(fn).__name__}")


def _as_loss(value: Any, fn_name: str) -> float:
    """The loss a user function returned, as a float (NaN/Inf allowed: callers decide)."""
    if isinstance(value, float):  # the common case, checked first: this runs every step
        return value
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
    # dtype kinds: i/u integers, f floats (bool, complex, object and strings are refused)
    if arr is None or arr.shape != () or arr.dtype.kind not in "iuf":
        raise TypeError(f"{fn_name} must return the loss as a real number, got {value!r}")
    return float(arr)


def _as_loss_and_grad(out: Any, fn_name: str, shape: tuple[int, ...]) -> tuple[float, np.ndarray]:
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"{fn_name} must return a tuple (loss, dW), got {type(out).__name__}")
    loss = _as_loss(out[0], fn_name)
    grad = np.asarray(out[1])
    if grad.dtype.kind not in "iuf":
        raise TypeError(f"{fn_name} must return a real-valued gradient dW, got dtype {grad.dtype}")
    if grad.shape != shape:
        raise ValueError(
            f"{fn_name} returned a gradient dW of shape {grad.shape}, expected the parameter's "
            f"shape {shape}"
        )
    return loss, grad


def _quiet_overflow() -> np.errstate:
    """Silence numpy's overflow warnings: a diverging run is reported by History.diverged."""
    return np.errstate(over="ignore", invalid="ignore")


def _check_start(W0: Any, name: str) -> np.ndarray:
    """A finite float copy of the starting point (so the caller's array is never touched)."""
    W = as_float_array(W0, name)
    if W.size == 0:
        raise ValueError(f"{name} is empty: need at least one parameter")
    return W.copy()


def _check_n_steps(n_steps: Any) -> int:
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)):
        raise TypeError(f"n_steps must be an integer >= 0, got {type(n_steps).__name__}")
    if int(n_steps) < 0:
        raise ValueError(f"n_steps must be >= 0, got {int(n_steps)}")
    return int(n_steps)


def _check_shape(shape: Any) -> tuple[int, ...]:
    dims = (shape,) if isinstance(shape, (int, np.integer)) else shape
    if not isinstance(dims, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in dims
    ):
        raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}")
    if len(dims) == 0 or any(int(d) < 1 for d in dims):
        raise ValueError(f"shape must have at least one dimension, all >= 1, got {shape!r}")
    return tuple(int(d) for d in dims)


def _finite_loss(value: Any, fn_name: str) -> float:
    loss = _as_loss(value, fn_name)
    if not np.isfinite(loss):
        raise ValueError(f"{fn_name} returned a non-finite loss ({loss})")
    return loss
