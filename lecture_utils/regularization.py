"""Regularization penalties R(W) and their gradients.

Every penalty takes a weight array ``W`` of any shape (usually (D, C)) and
returns ``(value, gradient)``:

- L2:          R(W) = sum_{k,l} W_{k,l}^2,                    dR/dW = 2 W
- L1:          R(W) = sum_{k,l} |W_{k,l}|,                    dR/dW = sign(W)
- elastic net: R(W) = sum_{k,l} (beta W_{k,l}^2 + |W_{k,l}|), dR/dW = 2 beta W + sign(W)

The full loss adds ``reg * R(W)`` to the mean data loss, so its gradient adds
``reg * dR/dW``. |w| has a kink at w = 0; there we use the subgradient
``np.sign(0) = 0``, the usual choice (any value in [-1, 1] would be valid).

``REGULARIZERS`` maps each name to its function, so apps can offer a dropdown
and look the function up by name.

:func:`regularization_path` trains a linear classifier for every λ of a grid
(the *regularization path*), so a view can show how the solution changes with λ
by looking it up instead of training on every slider move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import as_float_array, check_labels, check_nonnegative, check_positive_int
from .losses import linear_loss

__all__ = [
    "l1",
    "l2",
    "elastic_net",
    "REGULARIZERS",
    "get_regularizer",
    "RegularizationPath",
    "regularization_path",
]


def _check_weights(W: Any) -> np.ndarray:
    """Validate a weight array of any shape; reject an empty one."""
    arr = as_float_array(W, "W")
    if arr.size == 0:
        raise ValueError(f"W is empty (shape {arr.shape}): need at least one weight")
    return arr


def l2(W: Any) -> tuple[float, np.ndarray]:
    """Squared L2 penalty R(W) = sum W**2 and its gradient 2 W.

    Parameters
    ----------
    W : array_like of shape (D, C), or any shape
        Weights. Not modified.

    Returns
    -------
    value : float
        sum of the squared weights.
    grad : ndarray of the same shape (and float dtype) as W
        2 * W.

    Examples
    --------
    >>> value, grad = l2([[1.0, -2.0], [0.0, 3.0]])
    >>> value
    14.0
    >>> grad.tolist()
    [[2.0, -4.0], [0.0, 6.0]]
    """
    w = _check_weights(W)
    return float(np.sum(w * w)), 2 * w


def l1(W: Any) -> tuple[float, np.ndarray]:
    """L1 penalty R(W) = sum |W| and its (sub)gradient sign(W).

    At a weight of exactly 0 the penalty has a kink; the gradient returned there
    is ``np.sign(0) = 0`` (a valid subgradient).

    Parameters
    ----------
    W : array_like of shape (D, C), or any shape
        Weights. Not modified.

    Returns
    -------
    value : float
        sum of the absolute weights.
    grad : ndarray of the same shape (and float dtype) as W
        sign(W): -1, 0 or +1 per entry.

    Examples
    --------
    >>> value, grad = l1([[1.0, -2.0], [0.0, 3.0]])
    >>> value
    6.0
    >>> grad.tolist()
    [[1.0, -1.0], [0.0, 1.0]]
    """
    w = _check_weights(W)
    return float(np.sum(np.abs(w))), np.sign(w)


def elastic_net(W: Any, beta: float = 1.0) -> tuple[float, np.ndarray]:
    """Elastic-net penalty R(W) = sum(beta W**2 + |W|) and its gradient 2 beta W + sign(W).

    ``beta`` sets how much of the penalty is L2 compared with L1: beta = 0 gives
    plain L1, a large beta is mostly L2. At a weight of exactly 0 the |W| part
    contributes the subgradient ``np.sign(0) = 0``.

    Parameters
    ----------
    W : array_like of shape (D, C), or any shape
        Weights. Not modified.
    beta : float, default 1.0
        Weight of the squared term, >= 0.

    Returns
    -------
    value : float
        sum(beta * W**2 + |W|).
    grad : ndarray of the same shape (and float dtype) as W
        2 * beta * W + sign(W).

    Examples
    --------
    >>> value, grad = elastic_net([[1.0, -2.0]], beta=0.5)
    >>> value
    5.5
    >>> grad.tolist()
    [[2.0, -3.0]]
    """
    w = _check_weights(W)
    b = check_nonnegative(beta, "beta")
    value = float(b * np.sum(w * w) + np.sum(np.abs(w)))
    return value, (2 * b) * w + np.sign(w)


#: Penalty functions by name, for dropdowns and look-up by name.
#: ``elastic_net`` also takes ``beta`` (default 1.0); the others take only ``W``.
REGULARIZERS: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    "l2": l2,
    "l1": l1,
    "elastic_net": elastic_net,
}


def get_regularizer(name: str) -> Callable[..., tuple[float, np.ndarray]]:
    """Return the penalty function called ``name`` ("l2", "l1" or "elastic_net").

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a key of ``REGULARIZERS``; the message lists the valid names.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    try:
        return REGULARIZERS[name]
    except KeyError:
        valid = ", ".join(repr(k) for k in REGULARIZERS)
        raise ValueError(f"unknown regularizer {name!r}; expected one of {valid}") from None


@dataclass(frozen=True, eq=False)
class RegularizationPath:
    r"""Solutions of one regularizer over a grid of λ, as :func:`regularization_path` returns.

    Entry ``k`` of every array belongs to ``lams[k]``: ``(W[k], b[k])`` (approximately)
    minimizes :math:`\frac{1}{N}\sum_i L_i(W, b) + \lambda_k R(W)`.

    Attributes
    ----------
    lams : ndarray of shape (K,)
        The λ grid, increasing.
    W : ndarray of shape (K, D, C)
        The weights of each solution.
    b : ndarray of shape (K, C)
        The bias of each solution (not regularized).
    data_loss : ndarray of shape (K,)
        Mean data loss :math:`\frac{1}{N}\sum_i L_i` of each solution.
    reg_loss : ndarray of shape (K,)
        :math:`\lambda_k R(W_k)` of each solution.
    accuracy : ndarray of shape (K,)
        Training accuracy of each solution, in [0, 1].
    """

    lams: np.ndarray
    W: np.ndarray
    b: np.ndarray
    data_loss: np.ndarray
    reg_loss: np.ndarray
    accuracy: np.ndarray


def _penalty(regularizer: str, beta: float) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """The penalty called ``regularizer`` as a function of W alone (beta bound for elastic net)."""
    fn = get_regularizer(regularizer)
    if regularizer == "elastic_net":
        return lambda W: fn(W, beta)
    return fn


def regularization_path(
    X: Any,
    y: Any,
    lams: Any,
    regularizer: str = "l2",
    loss: str = "svm",
    beta: float = 1.0,
    steps: int = 150,
    step_size: float = 0.2,
) -> RegularizationPath:
    r"""Train a linear classifier for every λ of a grid: the regularization path.

    The path is the minimizer of the data loss plus λ times the penalty, as λ varies,

    .. math:: (W_\lambda, b_\lambda) = \arg\min_{W, b}\;
              \frac{1}{N}\sum_i L_i(W, b) + \lambda R(W),

    with scores ``X @ W + b`` and the bias not regularized. A small λ fits the data
    (small data loss, large weights); a large λ shrinks W towards 0 (L1 drives weights to
    exactly about 0, L2 shrinks them all).

    The λ are solved from the largest down, each starting from the previous solution
    (warm start; the first from W = 0, b = 0). Each λ runs ``steps`` full-batch
    (sub)gradient steps with step size :math:`\eta_t = \eta_0 / \sqrt{1 + t}`,
    :math:`\eta_0 = \min(\text{step\_size}, 0.1/\lambda)`, and returns the average of the
    last half of its iterates, or the best iterate (warm start included) if that has a lower
    objective: subgradient descent on a kinked loss needs both.

    Parameters
    ----------
    X : array_like of shape (N, D)
        Data, one example per row.
    y : array_like of shape (N,)
        Integer labels in [0, C); C = max(2, max(y) + 1).
    lams : array_like of shape (K,)
        Regularization strengths λ, each >= 0, K >= 1 (any order; the result is sorted
        increasing).
    regularizer : {"l2", "l1", "elastic_net"}, default "l2"
        R, a key of :data:`REGULARIZERS`.
    loss : str, default "svm"
        The data loss, a key of :data:`lecture_utils.losses.LOSSES`.
    beta : float, default 1.0
        Elastic net's L2 weight: R(W) = sum(beta W**2 + |W|). Ignored by the others.
    steps : int, default 150
        (Sub)gradient steps per λ.
    step_size : float, default 0.2
        The largest starting step size η_0, >= 0.

    Returns
    -------
    RegularizationPath
        ``lams`` (K,), ``W`` (K, D, C), ``b`` (K, C), ``data_loss``, ``reg_loss`` and
        ``accuracy`` (K,), in increasing λ.

    Raises
    ------
    ValueError
        If ``lams`` is empty or has a negative entry, a label is negative or ``y`` has not
        N entries, ``steps`` < 1, ``step_size`` or ``beta`` < 0, or ``regularizer`` is not a
        key of :data:`REGULARIZERS`.
    TypeError
        If ``steps`` is not an integer or ``regularizer`` not a string.

    Examples
    --------
    >>> from lecture_utils.data import make_blobs
    >>> X, y = make_blobs(30, 3, spread=0.9, seed=0)
    >>> path = regularization_path(X, y, [1.0, 0.01, 0.1], "l1")
    >>> path.lams.tolist(), path.W.shape, path.b.shape, path.data_loss.shape
    ([0.01, 0.1, 1.0], (3, 2, 3), (3, 3), (3,))
    >>> bool(path.data_loss[0] < path.data_loss[-1])  # more λ: worse fit of the data
    True
    >>> bool(np.abs(path.W[-1]).sum() < np.abs(path.W[0]).sum())  # ...and smaller weights
    True
    """
    X = as_float_array(X, "X", ndim=2)
    lam_grid = np.sort(as_float_array(lams, "lams", ndim=1))
    if lam_grid.size == 0:
        raise ValueError("lams is empty: need at least one regularization strength")
    for lam in lam_grid:
        check_nonnegative(float(lam), "lams")
    n_steps = check_positive_int(steps, "steps")
    eta_max = check_nonnegative(step_size, "step_size")
    penalty = _penalty(regularizer, check_nonnegative(beta, "beta"))
    labels = check_labels(y, np.iinfo(np.int64).max, n=X.shape[0])
    n_classes = max(2, int(labels.max()) + 1)
    W = np.zeros((X.shape[1], n_classes))
    b = np.zeros(n_classes)
    out: dict[str, list[Any]] = {k: [] for k in ("W", "b", "data_loss", "reg_loss", "accuracy")}
    for lam in lam_grid[::-1]:
        eta0 = min(eta_max, 0.1 / lam) if lam > 0 else eta_max
        W_sum, b_sum, n_avg = np.zeros_like(W), np.zeros_like(b), 0
        best = (np.inf, W, b)  # (objective, W, b): the best point seen, warm start included
        for t in range(n_steps + 1):
            result = linear_loss(W, X, labels, 0.0, loss, 1.0, b)
            value, dR = penalty(W)
            objective = result.data_loss + lam * value
            if objective < best[0]:
                best = (objective, W, b)
            if t == n_steps:
                break
            eta = eta0 / np.sqrt(1.0 + t)
            W = W - eta * (result.dW + lam * dR)
            b = b - eta * result.db
            if t >= n_steps // 2:
                W_sum += W
                b_sum += b
                n_avg += 1
        # the solution: the average of the last half of the iterates, unless some iterate
        # (or the warm start) was better; subgradient steps do not decrease monotonically
        W_avg, b_avg = W_sum / n_avg, b_sum / n_avg
        result = linear_loss(W_avg, X, labels, 0.0, loss, 1.0, b_avg)
        if result.data_loss + lam * penalty(W_avg)[0] <= best[0]:
            W, b = W_avg, b_avg
        else:
            _, W, b = best
            result = linear_loss(W, X, labels, 0.0, loss, 1.0, b)
        out["W"].append(W)
        out["b"].append(b)
        out["data_loss"].append(result.data_loss)
        out["reg_loss"].append(lam * penalty(W)[0])
        out["accuracy"].append(float(np.mean(result.scores.argmax(axis=1) == labels)))
    arrays = {k: np.array(v[::-1]) for k, v in out.items()}  # back to increasing λ
    return RegularizationPath(lams=lam_grid, **arrays)
