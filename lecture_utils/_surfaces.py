r"""Loss surfaces with two parameters, small enough to see whole (used by :mod:`landscape`).

Import them from :mod:`lecture_utils.landscape`:

- :class:`TwoWeightProblem` / :func:`two_weight_problem`: a binary linear classifier with two
  weights and the softmax loss (notebook 07's surface);
- :class:`Valley`: the quadratic :math:`L(w) = \tfrac12 w^\top A w` with a chosen condition
  number and tilt (notebook 09's surface, and the update-rule checks' valley).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import (
    as_float_array,
    check_finite_number,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_seed,
)

__all__ = ["TwoWeightProblem", "two_weight_problem", "Valley"]

# Largest number of scores (points x N) held at once by TwoWeightProblem.losses_at.
_BLOCK = 2**21

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
    the class. The two features are strongly correlated (correlation about 0.8), so the loss
    surface is a tilted valley (its axes are the data's principal directions, not the
    coordinate axes), and a long one (the curvatures at the minimum differ by a factor of
    about 8): a small step crawls along the valley floor, a large one bounces across it.

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


# --------------------------------------------------------------------------------------------
# The quadratic valley: an ill-conditioned bowl with a known Hessian
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Valley:
    r"""The quadratic valley :math:`L(w) = \tfrac12\, w^\top A\, w`, with :math:`\nabla L(w) = A w`.

    :math:`w = (w_1, w_2)` has shape (2,). The Hessian is

    .. math::  A = Q \begin{pmatrix} h_1 & 0 \\ 0 & h_2 \end{pmatrix} Q^\top, \qquad
               Q = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta
               \end{pmatrix},

    so the valley floor (curvature :math:`h_1`) points along :math:`(\cos\theta, \sin\theta)`
    and the steep walls (curvature :math:`h_2`) across it. The minimum is :math:`L = 0` at
    :math:`w = 0`. The condition number :math:`h_2 / h_1` says how much steeper the walls
    are than the floor: gradient descent needs :math:`\eta < 2 / h_2` not to diverge, and
    then crawls along the floor at a rate set by :math:`\eta\, h_1`.

    Parameters
    ----------
    curvatures : (float, float), default (0.2, 4.0)
        :math:`h_1, h_2 > 0`: the second derivatives along the floor and across it.
    angle : float, default 0.0
        :math:`\theta` in degrees: the angle of the floor's direction from the :math:`w_1`
        axis (0: the valley is aligned with the axes).

    Attributes
    ----------
    A : ndarray of shape (2, 2)
        The (symmetric, positive definite, read-only) Hessian.

    See Also
    --------
    Valley.from_hessian : the valley of a given symmetric positive definite matrix A.

    Examples
    --------
    >>> v = Valley()                        # L = 0.5 * (0.2 w1**2 + 4 w2**2)
    >>> v.loss_and_grad(np.array([1.0, 1.0]))
    (2.1, array([0.2, 4. ]))
    >>> v.condition_number
    20.0
    """

    curvatures: tuple[float, float] = (0.2, 4.0)
    angle: float = 0.0
    A: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.curvatures) != 2:
            raise ValueError(f"curvatures must be two numbers (h1, h2), got {self.curvatures!r}")
        h1, h2 = (check_positive(h, "curvatures") for h in self.curvatures)
        angle = check_finite_number(self.angle, "angle")
        theta = np.deg2rad(angle)
        c, s = np.cos(theta), np.sin(theta)
        # columns of Q are the flat and the steep direction
        Q = np.array([[c, -s], [s, c]])
        A = Q @ np.diag([h1, h2]) @ Q.T
        A = 0.5 * (A + A.T)  # exactly symmetric
        A.setflags(write=False)
        object.__setattr__(self, "curvatures", (h1, h2))
        object.__setattr__(self, "angle", angle)
        object.__setattr__(self, "A", A)

    @classmethod
    def from_hessian(cls, A: Sequence[Sequence[float]] | np.ndarray) -> Valley:
        r"""The valley whose Hessian is exactly ``A``.

        Its curvatures are the eigenvalues :math:`h_1 \le h_2` of A and its angle that of the
        eigenvector of :math:`h_1`, in (-90, 90] degrees; :attr:`A` is ``A`` itself (not
        rebuilt from them, which could differ in the last digits).

        Parameters
        ----------
        A : array_like of shape (2, 2)
            Symmetric positive definite.

        Returns
        -------
        Valley

        Examples
        --------
        >>> v = Valley.from_hessian([[4.0, 0.0], [0.0, 0.2]])   # steep along w1
        >>> v.curvatures, v.angle
        ((0.2, 4.0), 90.0)
        """
        M = as_float_array(A, "A", ndim=2).astype(np.float64)
        if M.shape != (2, 2):
            raise ValueError(f"A must have shape (2, 2), got shape {M.shape}")
        if M[0, 1] != M[1, 0]:
            raise ValueError(f"A must be symmetric, got A[0, 1] = {M[0, 1]} != A[1, 0] = {M[1, 0]}")
        h, vecs = np.linalg.eigh(M)  # ascending: h[0] <= h[1]
        if h[0] <= 0:
            raise ValueError(f"A must be positive definite, got eigenvalues {h.tolist()}")
        angle = float(np.rad2deg(np.arctan2(vecs[1, 0], vecs[0, 0])))
        if angle <= -90.0:
            angle += 180.0
        elif angle > 90.0:
            angle -= 180.0
        valley = cls((float(h[0]), float(h[1])), angle)
        M.setflags(write=False)
        object.__setattr__(valley, "A", M)
        return valley

    @property
    def condition_number(self) -> float:
        """:math:`h_2 / h_1`: how much steeper the walls are than the floor."""
        return max(self.curvatures) / min(self.curvatures)

    def loss(self, w: np.ndarray) -> np.ndarray:
        r""":math:`L(w) = \tfrac12 w^\top A w` at one point or many.

        Parameters
        ----------
        w : array_like of shape (..., 2)

        Returns
        -------
        ndarray of shape (...)
        """
        w = np.asarray(w, dtype=float)
        return 0.5 * np.einsum("...i,ij,...j->...", w, self.A, w)

    def loss_and_grad(self, w: np.ndarray) -> tuple[float, np.ndarray]:
        r""":math:`(L(w), A w)` at one point: the ``loss_and_grad`` of
        :func:`lecture_utils.optim.optimize`.

        Parameters
        ----------
        w : array_like of shape (2,)

        Returns
        -------
        loss : float
        grad : ndarray of shape (2,)
        """
        w = np.asarray(w, dtype=float)
        return float(self.loss(w)), self.A @ w
