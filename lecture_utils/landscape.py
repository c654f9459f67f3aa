r"""Loss landscapes: what the loss looks like around a weight matrix W.

A linear classifier on digits has :math:`D \times C = 650` weights, far too many to picture.
So we look at *slices*: the loss along a line or a plane through W, spanned by random
directions :math:`W_1, W_2` of W's shape,

.. math::  a \mapsto L(W + a W_1), \qquad (a, b) \mapsto L(W + a W_1 + b W_2).

The multiclass SVM loss is piecewise linear in W, so its slices are bowls made of flat
facets with kinks where some margin :math:`s_j - s_{y_i} + \Delta` crosses 0.

Because scores are linear in W, :math:`X(W + aW_1 + bW_2) = S + aS_1 + bS_2`: a slice needs
only three matrix products, whatever the number of points on it (:func:`loss_slice`).

The descent views need a loss you can see whole, with two parameters :math:`w = (w_1, w_2)`
(defined in the private module ``_surfaces``, imported from here):

- :class:`TwoWeightProblem` is a binary linear classifier with just two weights, trained with
  the (2-class) softmax loss, so its surface *is* the whole parameter space (notebook 07);
- :class:`Valley` is the quadratic :math:`L(w) = \tfrac12 w^\top A w`, a bowl much steeper
  across than along, tilted by an angle: the ill-conditioned valley where plain SGD zigzags
  and momentum, RMSProp and Adam do better (notebook 09).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._surfaces import TwoWeightProblem, Valley, two_weight_problem
from ._validation import (
    as_float_array,
    check_choice,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_seed,
    check_W_X_y,
)
from .losses import LOSSES

__all__ = [
    "random_directions",
    "loss_slice",
    "loss_slice_1d",
    "loss_slice_2d",
    "TwoWeightProblem",
    "two_weight_problem",
    "Valley",
]

# Largest number of scores (points x N x C) held at once while slicing.
_BLOCK = 2**21


# --------------------------------------------------------------------------------------------
# Slices of a linear classifier's loss
# --------------------------------------------------------------------------------------------


def random_directions(
    W: Any,
    n_directions: int = 2,
    seed: int | np.random.Generator = 0,
    norm: float | None = None,
) -> np.ndarray:
    r"""Random directions of W's shape, each rescaled to a given Frobenius norm.

    Each direction is drawn with standard normal entries and then scaled to norm
    ``norm`` (default :math:`\|W\|`, or 1 if W is all zeros), so that a step of
    :math:`a = 1` along it is as large as W itself.

    Parameters
    ----------
    W : array_like of any shape, e.g. (D, C)
        The point the slice goes through (only its shape and norm are used).
    n_directions : int, default 2
    seed : int or numpy.random.Generator, default 0
    norm : float, optional
        Norm of every direction, > 0.

    Returns
    -------
    ndarray of shape (n_directions, \*W.shape)
        ``W1, W2 = random_directions(W)`` unpacks two directions.

    Examples
    --------
    >>> import numpy as np
    >>> d = random_directions(np.ones((3, 2)), seed=0)
    >>> d.shape, np.round(np.linalg.norm(d[0]), 6) == np.round(np.sqrt(6), 6)
    ((2, 3, 2), np.True_)
    """
    Wa = as_float_array(W, "W")
    n = check_positive_int(n_directions, "n_directions")
    rng = check_seed(seed)
    if norm is None:
        size = float(np.linalg.norm(Wa))
        size = size if size > 0 else 1.0
    else:
        size = check_positive(norm, "norm")
    d = rng.standard_normal((n, *Wa.shape))
    norms = np.sqrt(np.sum(d.reshape(n, -1) ** 2, axis=1))
    d *= (size / norms).reshape((n,) + (1,) * Wa.ndim)
    return d.astype(Wa.dtype, copy=False)


def loss_slice(
    W: Any,
    X: Any,
    y: Any,
    directions: Any,
    coords: Any,
    loss: str = "svm",
    reg: float = 0.0,
    delta: float = 1.0,
) -> np.ndarray:
    r"""The loss at many points :math:`W + \sum_k c_k W_k` of a slice through W.

    .. math::  L(c) = \frac{1}{N}\sum_i L_i\big(x_i (W + \textstyle\sum_k c_k W_k), y_i\big)
               + \lambda \big\|W + \textstyle\sum_k c_k W_k\big\|^2

    computed from the scores :math:`S = XW` and :math:`S_k = XW_k` (the scores are linear in
    W), so the cost does not grow with D.

    Parameters
    ----------
    W : array_like of shape (D, C)
        The centre of the slice.
    X : array_like of shape (N, D)
    y : array_like of shape (N,)
        Labels in [0, C).
    directions : array_like of shape (K, D, C)
        The directions :math:`W_1, \dots, W_K` (e.g. from :func:`random_directions`).
    coords : array_like of shape (M, K)
        The points of the slice, one row of coefficients :math:`(c_1, \dots, c_K)` each.
    loss : {"svm", "ova", "crammer_singer", "softmax"}, default "svm"
        A key of :data:`lecture_utils.losses.LOSSES`.
    reg : float, default 0.0
        :math:`\lambda \ge 0`.
    delta : float, default 1.0
        Margin of the hinge losses (ignored by softmax).

    Returns
    -------
    ndarray of shape (M,)
        The loss at each point, float64.
    """
    form = LOSSES[check_choice(loss, LOSSES, "loss")]
    Wa, Xa, ya = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    dirs = as_float_array(directions, "directions")
    if dirs.ndim != 3 or dirs.shape[1:] != Wa.shape:
        raise ValueError(
            f"directions must have shape (K, D, C) = (K, {Wa.shape[0]}, {Wa.shape[1]}), "
            f"got shape {dirs.shape}"
        )
    c = as_float_array(coords, "coords")
    if c.ndim != 2 or c.shape[1] != dirs.shape[0]:
        raise ValueError(
            f"coords must have shape (M, K) with K = {dirs.shape[0]} directions, "
            f"got shape {c.shape}"
        )
    Wa, Xa, dirs, c = (a.astype(np.float64, copy=False) for a in (Wa, Xa, dirs, c))
    n, n_classes = Xa.shape[0], Wa.shape[1]
    base = Xa @ Wa  # (N, C)
    along = np.einsum("nd,kdc->knc", Xa, dirs)  # (K, N, C)
    out = np.empty(c.shape[0])
    chunk = max(1, _BLOCK // (n * n_classes))
    labels = np.tile(ya, chunk)
    for start in range(0, c.shape[0], chunk):
        cc = c[start : start + chunk]  # (m, K)
        scores = base + np.tensordot(cc, along, axes=(1, 0))  # (m, N, C)
        m = cc.shape[0]
        li = form.losses_and_dscores(scores.reshape(m * n, n_classes), labels[: m * n], delta)[0]
        out[start : start + m] = li.reshape(m, n).mean(axis=1)
    if reg:
        # ||W + sum_k c_k W_k||^2 expanded, so no weight matrix is built per point
        flat = dirs.reshape(dirs.shape[0], -1)
        gram = flat @ flat.T  # (K, K)
        cross = flat @ Wa.ravel()  # (K,)
        sq = float(Wa.ravel() @ Wa.ravel()) + 2 * c @ cross + np.einsum("mk,kl,ml->m", c, gram, c)
        out += reg * sq
    return out


def loss_slice_1d(
    W: Any,
    X: Any,
    y: Any,
    direction: Any,
    alphas: Any,
    loss: str = "svm",
    reg: float = 0.0,
    delta: float = 1.0,
) -> np.ndarray:
    r"""The loss along a line: :math:`L(W + a W_1)` for every a in ``alphas``.

    Parameters
    ----------
    W : array_like of shape (D, C)
    X : array_like of shape (N, D)
    y : array_like of shape (N,)
    direction : array_like of shape (D, C)
        :math:`W_1`.
    alphas : array_like of shape (A,)
    loss, reg, delta
        As in :func:`loss_slice`.

    Returns
    -------
    ndarray of shape (A,)

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.array([[1.0, 0.0]]), np.array([0])
    >>> W = np.zeros((2, 2))  # both scores 0: L = max(0, 0 - 0 + 1) = 1
    >>> W1 = np.array([[1.0, 0.0], [0.0, 0.0]])  # raises the correct class's score
    >>> loss_slice_1d(W, X, y, W1, [-1.0, 0.0, 0.5, 1.0, 2.0]).tolist()
    [2.0, 1.0, 0.5, 0.0, 0.0]
    """
    a = as_float_array(alphas, "alphas", ndim=1)
    d = as_float_array(direction, "direction")
    return loss_slice(W, X, y, d[np.newaxis], a[:, np.newaxis], loss=loss, reg=reg, delta=delta)


def loss_slice_2d(
    W: Any,
    X: Any,
    y: Any,
    direction1: Any,
    direction2: Any,
    alphas: Any,
    betas: Any,
    loss: str = "svm",
    reg: float = 0.0,
    delta: float = 1.0,
) -> np.ndarray:
    r"""The loss on a plane: :math:`L(W + a W_1 + b W_2)` on the grid ``alphas`` x ``betas``.

    Parameters
    ----------
    W : array_like of shape (D, C)
    X : array_like of shape (N, D)
    y : array_like of shape (N,)
    direction1, direction2 : array_like of shape (D, C)
        :math:`W_1` and :math:`W_2`.
    alphas : array_like of shape (A,)
        Coefficients of :math:`W_1` (the horizontal axis of a picture).
    betas : array_like of shape (B,)
        Coefficients of :math:`W_2` (the vertical axis).
    loss, reg, delta
        As in :func:`loss_slice`.

    Returns
    -------
    ndarray of shape (B, A)
        ``out[j, i]`` is the loss at ``(alphas[i], betas[j])``: rows follow b, as
        ``imshow(out, origin="lower")`` and ``contour(alphas, betas, out)`` expect.
    """
    a = as_float_array(alphas, "alphas", ndim=1)
    b = as_float_array(betas, "betas", ndim=1)
    d1 = as_float_array(direction1, "direction1")
    d2 = as_float_array(direction2, "direction2")
    if d1.shape != d2.shape:
        raise ValueError(
            f"direction1 and direction2 must have the same shape, got {d1.shape} and {d2.shape}"
        )
    aa, bb = np.meshgrid(a, b)
    coords = np.column_stack([aa.ravel(), bb.ravel()])
    out = loss_slice(W, X, y, np.stack([d1, d2]), coords, loss=loss, reg=reg, delta=delta)
    return out.reshape(b.shape[0], a.shape[0])
