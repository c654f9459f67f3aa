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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import as_float_array, check_nonnegative

__all__ = ["l1", "l2", "elastic_net", "REGULARIZERS", "get_regularizer"]


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
