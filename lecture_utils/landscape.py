r"""Loss landscapes: what the loss looks like around a weight matrix W.

A linear classifier on digits has :math:`D \times C = 650` weights, far too many to picture.
So we look at *slices*: the loss along a line or a plane through W, spanned by random
directions :math:`W_1, W_2` of W's shape,

.. math::  a \mapsto L(W + a W_1), \qquad (a, b) \mapsto L(W + a W_1 + b W_2).

The multiclass SVM loss is piecewise linear in W, so its slices are bowls made of flat
facets with kinks where some margin :math:`s_j - s_{y_i} + \Delta` crosses 0.

Because scores are linear in W, :math:`X(W + aW_1 + bW_2) = S + aS_1 + bS_2`: a slice needs
only three matrix products, whatever the number of points on it (:func:`loss_slice`).

The descent views need a loss you can see whole: :class:`TwoWeightProblem` is a binary
linear classifier with just two weights :math:`w = (w_1, w_2)`, trained with the (2-class)
softmax loss, so its surface *is* the whole parameter space.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

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


# --------------------------------------------------------------------------------------------
# A classifier with two weights: a loss surface we can see whole
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TwoWeightProblem:
    r"""A binary linear classifier with two weights, and its softmax loss surface.

    Scores :math:`s_i = x_i \cdot w` (no bias), labels :math:`y_i \in \{0, 1\}` written as
    :math:`t_i = 2y_i - 1 \in \{-1, +1\}`, and

    .. math::  L(w) = \frac{1}{N}\sum_i \log\big(1 + e^{-t_i\, x_i \cdot w}\big)
               + \lambda \|w\|^2 .

    This is the 2-class softmax loss of :func:`lecture_utils.losses.softmax_loss` for the
    weight matrix :math:`W = [-w/2,\ w/2]` (columns: class 0, class 1) with strength
    :math:`2\lambda`, since then :math:`s_1 - s_0 = x \cdot w` and
    :math:`2\lambda\|W\|^2 = \lambda\|w\|^2`. Its gradient is

    .. math::  \nabla L(w) = -\frac{1}{N}\sum_i t_i\, \sigma(-t_i\, x_i \cdot w)\, x_i
               + 2\lambda w, \qquad \sigma(z) = 1 / (1 + e^{-z}).

    Build the default with :func:`two_weight_problem`.

    Attributes
    ----------
    X : ndarray of shape (N, 2)
        The examples (read-only).
    y : ndarray of shape (N,)
        Labels in {0, 1} (read-only).
    reg : float
        :math:`\lambda \ge 0`.
    """

    X: np.ndarray
    y: np.ndarray
    reg: float = 0.0

    def __post_init__(self) -> None:
        X = as_float_array(self.X, "X", ndim=2).astype(np.float64)
        if X.shape[1] != 2 or X.shape[0] == 0:
            raise ValueError(f"X must have shape (N, 2) with N >= 1, got shape {X.shape}")
        y = np.asarray(self.y)
        if y.dtype == np.bool_ or not np.issubdtype(y.dtype, np.integer):
            raise TypeError(f"y must hold integer labels 0 or 1, got dtype {y.dtype}")
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape (N,) = ({X.shape[0]},), got shape {y.shape}")
        if not np.isin(y, (0, 1)).all():
            raise ValueError("y must hold labels 0 or 1 only (a binary problem)")
        X, y = X.copy(), y.astype(np.int64)
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "reg", check_nonnegative(self.reg, "reg"))
        object.__setattr__(self, "_t", (2.0 * y - 1.0))

    @property
    def n_examples(self) -> int:
        """N, the number of examples."""
        return int(self.X.shape[0])

    def _check_w(self, w: Any) -> np.ndarray:
        if type(w) is np.ndarray and w.dtype == np.float64 and w.shape == (2,):
            if np.isfinite(w).all():  # the common case, called in every descent step: fast
                return w
        wa = as_float_array(w, "w").astype(np.float64, copy=False)
        if wa.shape != (2,):
            raise ValueError(f"w must have shape (2,), got shape {wa.shape}")
        return wa

    @staticmethod
    def _loss_grad(
        w: np.ndarray, X: np.ndarray, t: np.ndarray, reg: float
    ) -> tuple[float, np.ndarray]:
        margins = t * (X @ w)  # t_i x_i . w
        loss = float(np.mean(np.logaddexp(0.0, -margins))) + reg * float(w @ w)
        weight = t * _sigmoid(-margins)  # t_i sigma(-t_i x_i . w)
        grad = -(weight @ X) / X.shape[0] + 2 * reg * w
        return loss, grad

    def loss(self, w: Any) -> float:
        """:math:`L(w)` for w of shape (2,)."""
        return self._loss_grad(self._check_w(w), self.X, self._t, self.reg)[0]

    def loss_and_grad(self, w: Any) -> tuple[float, np.ndarray]:
        """:math:`(L(w), \\nabla L(w))` for w of shape (2,); the gradient has shape (2,)."""
        return self._loss_grad(self._check_w(w), self.X, self._t, self.reg)

    def loss_and_grad_batch(self, w: Any, X_batch: Any, y_batch: Any) -> tuple[float, np.ndarray]:
        """The same loss on a minibatch (for :func:`lecture_utils.optim.sgd`).

        Parameters
        ----------
        w : array_like of shape (2,)
        X_batch : ndarray of shape (B, 2)
        y_batch : ndarray of shape (B,), labels in {0, 1}

        Returns
        -------
        loss : float
            Mean over the batch plus :math:`\\lambda\\|w\\|^2`.
        grad : ndarray of shape (2,)
        """
        Xb = np.asarray(X_batch, dtype=np.float64)
        tb = 2.0 * np.asarray(y_batch, dtype=np.float64) - 1.0
        return self._loss_grad(self._check_w(w), Xb, tb, self.reg)

    def losses_at(self, points: Any) -> np.ndarray:
        """:math:`L(w)` at many points at once.

        Parameters
        ----------
        points : array_like of shape (M, 2)

        Returns
        -------
        ndarray of shape (M,)
        """
        P = as_float_array(points, "points", ndim=2).astype(np.float64, copy=False)
        if P.shape[1] != 2:
            raise ValueError(f"points must have shape (M, 2), got shape {P.shape}")
        out = np.empty(P.shape[0])
        chunk = max(1, _BLOCK // self.n_examples)
        for start in range(0, P.shape[0], chunk):
            p = P[start : start + chunk]
            margins = (p @ self.X.T) * self._t  # (m, N)
            out[start : start + p.shape[0]] = np.logaddexp(0.0, -margins).mean(axis=1)
        return out + self.reg * np.einsum("mk,mk->m", P, P)

    def loss_grid(self, w1_values: Any, w2_values: Any) -> np.ndarray:
        """:math:`L` on the grid ``w1_values`` x ``w2_values``.

        Returns
        -------
        ndarray of shape (len(w2_values), len(w1_values))
            Rows follow :math:`w_2` (for ``imshow(..., origin="lower")``).
        """
        a = as_float_array(w1_values, "w1_values", ndim=1)
        b = as_float_array(w2_values, "w2_values", ndim=1)
        aa, bb = np.meshgrid(a, b)
        return self.losses_at(np.column_stack([aa.ravel(), bb.ravel()])).reshape(
            b.shape[0], a.shape[0]
        )

    def hessian(self, w: Any) -> np.ndarray:
        r""":math:`\nabla^2 L(w) = \frac{1}{N}\sum_i \sigma_i(1-\sigma_i) x_i x_i^T + 2\lambda I`.

        Returns
        -------
        ndarray of shape (2, 2)
        """
        wa = self._check_w(w)
        p = _sigmoid(self.X @ wa)
        return (self.X.T * (p * (1 - p))) @ self.X / self.n_examples + 2 * self.reg * np.eye(2)

    def minimum(self) -> np.ndarray:
        """The minimizer :math:`w^*` (Newton's method; needs ``reg > 0`` or non-separable data).

        Returns
        -------
        ndarray of shape (2,)
        """
        w = np.zeros(2)
        for _ in range(100):
            _, g = self._loss_grad(w, self.X, self._t, self.reg)
            step = np.linalg.solve(self.hessian(w), g)
            w = w - step
            if np.abs(step).max() < 1e-13 * (1 + np.abs(w).max()):
                break
        return w

    def softmax_weights(self, w: Any) -> np.ndarray:
        """The (2, 2) softmax weight matrix :math:`[-w/2,\\ w/2]` with the same loss."""
        wa = self._check_w(w)
        return np.column_stack([-wa / 2, wa / 2])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) without overflow for large |z|
    return np.exp(-np.logaddexp(0.0, -z))


def two_weight_problem(
    n_per_class: int = 50, reg: float = 0.02, seed: int | np.random.Generator = 0
) -> TwoWeightProblem:
    r"""The descent views' default problem: two overlapping, stretched classes in 2-D.

    Points are :math:`z A + t\,(0, 0.3)` with z standard normal,
    :math:`A = \begin{pmatrix}1.5 & 0.5\\ 0 & 0.3\end{pmatrix}` and :math:`t = \pm 1`
    the class. The features have very different spreads, so the loss surface is a long,
    tilted valley (the curvatures at the minimum differ by a factor of about 8): a small
    step crawls along the valley floor, a large one bounces across it.

    Parameters
    ----------
    n_per_class : int, default 50
    reg : float, default 0.02
        :math:`\lambda`.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    TwoWeightProblem
        N = 2 * n_per_class examples, class 0 first.
    """
    n = check_positive_int(n_per_class, "n_per_class")
    rng = check_seed(seed)
    y = np.repeat(np.array([0, 1], dtype=np.int64), n)
    t = 2.0 * y - 1.0
    A = np.array([[1.5, 0.5], [0.0, 0.3]])
    X = rng.standard_normal((2 * n, 2)) @ A + np.outer(t, [0.0, 0.3])
    return TwoWeightProblem(X, y, reg)
