r"""Finding a good W: random search, gradient descent, minibatch SGD and beyond.

The lecture's strategies, each returning a :class:`History` (the path of parameters and the
loss at every recorded point) that plots can draw:

1. :func:`random_search`: try random W, keep the best.
2. :func:`random_local_search`: perturb W at random, keep the perturbation if the loss drops.
3. :func:`gradient_descent`: follow the slope, :math:`W \leftarrow W - \eta\,\nabla_W L`.
4. :func:`sgd`: the same step on the gradient of a random minibatch.

Beyond the lecture, update rules sharing one interface (``step(w, dw) -> new w``):
:class:`SGD`, :class:`Momentum`, :class:`Nesterov`, :class:`RMSProp` and :class:`Adam`, run by
:func:`optimize`. :class:`~lecture_utils.classifier.LinearClassifier` (re-exported here) trains
a linear classifier with minibatch SGD.

Conventions
-----------
``loss_fn(W) -> float``; ``loss_and_grad(W) -> (loss, dW)`` with ``dW`` of W's shape;
``loss_and_grad_batch(W, X_batch, y_batch) -> (loss, dW)``. W may have any shape: (D, C) for a
classifier, (2,) for a point on a 2-D surface. Inputs are never modified; randomness comes only
from the ``seed`` argument (an int or a ``numpy.random.Generator``). A step size that is too
large is a regime to look at, not an error: when the loss overflows, the run stops, returns the
path so far and sets ``History.diverged`` (numpy's overflow warnings are silenced meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

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
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "RMSProp",
    "Adam",
    "OPTIMIZERS",
    "optimize",
    "LinearClassifier",
]

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


# --------------------------------------------------------------------------------------------
# Strategies 1 and 2: random search
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Update rules: one interface, step(w, dw) -> new w
# --------------------------------------------------------------------------------------------


def _check_fraction(value: Any, name: str) -> float:
    v = check_finite_number(value, name)
    if not 0 <= v < 1:
        raise ValueError(f"{name} must be in [0, 1), got {v}")
    return v


class Optimizer:
    """Base class of the update rules: ``step(w, dw)`` returns the next parameter.

    ``step`` never modifies ``w`` or ``dw``; the rule keeps its own state (velocity, running
    averages), created at the first step with ``w``'s shape. Call :meth:`reset` before
    optimizing something else (:func:`optimize` does it for you).

    Parameters
    ----------
    step_size : float
        Step size :math:`\\eta > 0`.
    """

    name = "optimizer"

    def __init__(self, step_size: float = 1e-2) -> None:
        self.step_size = check_positive(step_size, "step_size")
        self.reset()

    def reset(self) -> None:
        """Forget the state (as if no step had been taken)."""
        self._state: dict[str, np.ndarray] = {}
        self._shape: tuple[int, ...] | None = None
        self.t = 0

    def step(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        """Return the parameter after one update.

        Parameters
        ----------
        w : ndarray of any shape
            Current parameter.
        dw : ndarray of the same shape
            Gradient of the loss at ``w``.

        Returns
        -------
        ndarray of ``w``'s shape: a new array.
        """
        w = as_float_array(w, "w")
        dw = as_float_array(dw, "dw")
        if dw.shape != w.shape:
            raise ValueError(f"dw must have w's shape {w.shape}, got shape {dw.shape}")
        if self._shape is None:
            self._shape = w.shape
        elif w.shape != self._shape:
            raise ValueError(
                f"w has shape {w.shape} but this {type(self).__name__} was stepping a parameter "
                f"of shape {self._shape}; call reset() first"
            )
        return self._step_checked(w, dw)

    def _step_checked(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        """:meth:`step` on input already checked (finite floats, one shape): the hot loop's."""
        self.t += 1
        return self._update(w, dw.astype(w.dtype, copy=False))

    def _state_like(self, key: str, w: np.ndarray) -> np.ndarray:
        if key not in self._state:
            self._state[key] = np.zeros_like(w)
        return self._state[key]

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    r"""Vanilla update :math:`w \leftarrow w - \eta\, dw`."""

    name = "sgd"

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        return w - self.step_size * dw


class Momentum(Optimizer):
    r"""SGD with momentum: :math:`v \leftarrow \beta v - \eta\, dw`, :math:`w \leftarrow w + v`.

    Parameters
    ----------
    step_size : float
    beta : float, default 0.9
        Momentum, in [0, 1); 0 gives plain SGD.
    """

    name = "momentum"

    def __init__(self, step_size: float = 1e-2, beta: float = 0.9) -> None:
        self.beta = _check_fraction(beta, "beta")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        v = self.beta * self._state_like("v", w) - self.step_size * dw
        self._state["v"] = v
        return w + v

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size, "beta": self.beta}


class Nesterov(Momentum):
    r"""Nesterov momentum, written on the look-ahead point (CS231n's form).

    With ``dw`` evaluated at the current ``w``:
    :math:`v' = \beta v - \eta\, dw`, :math:`w \leftarrow w - \beta v + (1 + \beta) v'`.
    This equals evaluating the gradient at :math:`w + \beta v` in the textbook form.

    Parameters
    ----------
    step_size : float
    beta : float, default 0.9
    """

    name = "nesterov"

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        v_prev = self._state_like("v", w)
        v = self.beta * v_prev - self.step_size * dw
        self._state["v"] = v
        return w - self.beta * v_prev + (1 + self.beta) * v


class RMSProp(Optimizer):
    r"""RMSProp: a per-coordinate step scaled by a running RMS of the gradient.

    :math:`c \leftarrow \rho c + (1 - \rho)\, dw^2`,
    :math:`w \leftarrow w - \eta\, dw / (\sqrt{c} + \epsilon)`.

    Parameters
    ----------
    step_size : float
    decay : float, default 0.99
        :math:`\rho`, in [0, 1).
    eps : float, default 1e-8
        :math:`\epsilon > 0`, avoids division by zero.
    """

    name = "rmsprop"

    def __init__(self, step_size: float = 1e-2, decay: float = 0.99, eps: float = 1e-8):
        self.decay = _check_fraction(decay, "decay")
        self.eps = check_positive(eps, "eps")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        cache = self.decay * self._state_like("cache", w) + (1 - self.decay) * dw * dw
        self._state["cache"] = cache
        return w - self.step_size * dw / (np.sqrt(cache) + self.eps)

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size, "decay": self.decay, "eps": self.eps}


class Adam(Optimizer):
    r"""Adam: momentum on the gradient plus RMSProp scaling, both bias-corrected.

    :math:`m \leftarrow \beta_1 m + (1 - \beta_1) dw`,
    :math:`v \leftarrow \beta_2 v + (1 - \beta_2) dw^2`,
    :math:`\hat m = m / (1 - \beta_1^t)`, :math:`\hat v = v / (1 - \beta_2^t)`,
    :math:`w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)`, with t = 1, 2, ... the
    step count. m and v start at 0, so early on they are biased towards 0; the correction
    removes that bias. With it the first step moves every coordinate by about :math:`\eta`,
    whatever the gradient's scale; without it, by :math:`\eta (1-\beta_1)/\sqrt{1-\beta_2}
    \approx 3.2\,\eta` for the defaults.

    Parameters
    ----------
    step_size : float, default 1e-3
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8
    """

    name = "adam"

    def __init__(
        self,
        step_size: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.beta1 = _check_fraction(beta1, "beta1")
        self.beta2 = _check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        m = self.beta1 * self._state_like("m", w) + (1 - self.beta1) * dw
        v = self.beta2 * self._state_like("v", w) + (1 - self.beta2) * dw * dw
        self._state["m"], self._state["v"] = m, v
        m_hat = m / (1 - self.beta1**self.t)
        v_hat = v / (1 - self.beta2**self.t)
        return w - self.step_size * m_hat / (np.sqrt(v_hat) + self.eps)

    def _params(self) -> dict[str, float]:
        return {
            "step_size": self.step_size,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
        }


#: The update rules by name (for menus): ``OPTIMIZERS["adam"](step_size=0.1)``.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSProp, Adam)
}


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
        :math:`\eta > 0` (the learning rate).
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


from .classifier import LinearClassifier  # noqa: E402  (re-export; classifier does not import optim)
