r"""Per-example losses :math:`L_i` of a score matrix, one formulation each, and their registry.

Every formulation maps scores (N, C) and labels (N,) to the per-example losses :math:`L_i`
(N,) *and* ``dscores`` (N, C), ``dscores[i, j]`` = :math:`\partial L_i / \partial s_{ij}`:
the chain rule through ``scores = X @ W`` turns them into ``dW = X.T @ dscores / N``
(:mod:`lecture_utils.losses`, where every public name here is imported from).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_nonnegative,
    check_scores_labels,
    check_W_X_y,
)
from .losses import _log_softmax, softmax_losses_and_dscores, svm_losses_and_dscores

__all__ = [
    "LOSSES",
    "LossFormulation",
    "per_example_losses",
    "hinge_losses",
    "one_vs_all_losses",
    "crammer_singer_losses",
    "softmax",
    "log_softmax",
    "cross_entropy_losses",
    "scores_loss",
    "LossResult",
    "linear_loss",
]

# --------------------------------------------------------------------------------------------
# The formulations, on checked input: (scores (N, C), y (N,)[, delta]) -> (losses, dscores)
# --------------------------------------------------------------------------------------------


def ova_losses_and_dscores(
    scores: np.ndarray, y: np.ndarray, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(len(y))
    # t[i, j] = +1 for the correct class, -1 for the others
    t = -np.ones_like(scores)
    t[rows, y] = 1
    margins = scores.dtype.type(delta) - t * scores
    violated = margins > 0
    losses = np.where(violated, margins, 0).sum(axis=1)
    dscores = -t * violated
    return losses, dscores


def crammer_singer_losses_and_dscores(
    scores: np.ndarray, y: np.ndarray, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(len(y))
    others = scores.copy()
    others[rows, y] = -np.inf
    rival = others.argmax(axis=1)  # the highest-scoring wrong class
    margin = scores[rows, rival] - scores[rows, y] + scores.dtype.type(delta)
    violated = margin > 0
    losses = np.where(violated, margin, 0)
    dscores = np.zeros_like(scores)
    dscores[rows, rival] = violated
    dscores[rows, y] = -violated.astype(scores.dtype)
    return losses, dscores


@dataclass(frozen=True)
class LossFormulation:
    """One multiclass loss, known by name in :data:`LOSSES`.

    Attributes
    ----------
    name : str
        Key in :data:`LOSSES`.
    label : str
        Human-readable name for menus and plot titles.
    formula : str
        The per-example loss in LaTeX.
    uses_delta : bool
        Whether the margin :math:`\\Delta` matters (False for softmax).
    function : callable
        ``function(scores (N, C), y (N,)[, delta]) -> (losses (N,), dscores (N, C))`` on
        checked input; it takes ``delta`` exactly when ``uses_delta``. Call it through
        :meth:`losses_and_dscores`.
    """

    name: str
    label: str
    formula: str
    uses_delta: bool
    function: Callable[..., tuple[np.ndarray, np.ndarray]]

    def losses_and_dscores(
        self, scores: np.ndarray, y: np.ndarray, delta: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per-example losses :math:`L_i` (N,) and ``dscores`` (N, C), on checked input.

        ``dscores[i, j]`` is :math:`\\partial L_i / \\partial s_{ij}`; ``scores`` is (N, C),
        ``y`` (N,) labels in [0, C). ``delta`` is passed on only if :attr:`uses_delta`.
        """
        if self.uses_delta:
            return self.function(scores, y, delta)
        return self.function(scores, y)


#: Registry of the multiclass data losses: it feeds validation, ``LinearClassifier(loss=...)``
#: and the playground's menu, so a new formulation is one entry here.
LOSSES: dict[str, LossFormulation] = {
    f.name: f
    for f in (
        LossFormulation(
            "svm",
            "Multiclass SVM (Weston–Watkins)",
            r"L_i = \sum_{j \ne y_i} \max(0, s_j - s_{y_i} + \Delta)",
            True,
            svm_losses_and_dscores,
        ),
        LossFormulation(
            "ova",
            "One-vs-all SVM",
            r"L_i = \sum_j \max(0, \Delta - t_{ij} s_j)",
            True,
            ova_losses_and_dscores,
        ),
        LossFormulation(
            "crammer_singer",
            "Structured SVM (Crammer–Singer)",
            r"L_i = \max(0, \max_{j \ne y_i} s_j - s_{y_i} + \Delta)",
            True,
            crammer_singer_losses_and_dscores,
        ),
        LossFormulation(
            "softmax",
            "Softmax (cross-entropy)",
            r"L_i = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}",
            False,
            softmax_losses_and_dscores,
        ),
    )
}


def formulation(loss: str) -> LossFormulation:
    """The registry entry named ``loss``; TypeError or ValueError from ``check_choice``."""
    return LOSSES[check_choice(loss, LOSSES, "loss")]


# --------------------------------------------------------------------------------------------
# Per-example losses on a score matrix
# --------------------------------------------------------------------------------------------


def _scores_losses_and_dscores(
    scores: np.ndarray, y: np.ndarray, loss: str, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    """Check the public arguments, then ``(losses (N,), dscores (N, C))`` of ``loss``."""
    form = formulation(loss)
    s, labels = check_scores_labels(scores, y)
    return form.losses_and_dscores(s, labels, check_nonnegative(delta, "delta"))


def per_example_losses(
    scores: np.ndarray, y: np.ndarray, loss: str = "svm", delta: float = 1.0
) -> np.ndarray:
    """Per-example data losses :math:`L_i` of any formulation in :data:`LOSSES`.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
        Class scores, one row per example.
    y : ndarray of shape (N,)
        Integer labels in [0, C).
    loss : {"svm", "ova", "crammer_singer", "softmax"}
        Which formulation.
    delta : float, default 1.0
        Margin :math:`\\Delta` of the hinge losses (ignored by softmax); must be >= 0.

    Returns
    -------
    ndarray of shape (N,)
    """
    return _scores_losses_and_dscores(scores, y, loss, delta)[0]


def hinge_losses(scores: np.ndarray, y: np.ndarray, delta: float = 1.0) -> np.ndarray:
    r"""Multiclass SVM (Weston–Watkins) losses, one per example.

    :math:`L_i = \sum_{j \ne y_i} \max(0, s_j - s_{y_i} + \Delta)`

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : ndarray of shape (N,)
        Integer labels in [0, C).
    delta : float, default 1.0
        The margin :math:`\Delta \ge 0`.

    Returns
    -------
    ndarray of shape (N,)

    Examples
    --------
    The lecture's cat/car/frog example:

    >>> from lecture_utils.data import lecture_example
    >>> ex = lecture_example()
    >>> hinge_losses(ex.scores, ex.y).round(2).tolist()
    [2.9, 0.0, 12.9]
    """
    return per_example_losses(scores, y, "svm", delta)


def one_vs_all_losses(scores: np.ndarray, y: np.ndarray, delta: float = 1.0) -> np.ndarray:
    r"""One-vs-all hinge losses, one per example.

    :math:`L_i = \sum_j \max(0, \Delta - t_{ij} s_j)` with :math:`t_{ij} = +1` for
    :math:`j = y_i` and :math:`-1` otherwise: every class is its own binary SVM that wants
    its score above :math:`+\Delta` on its own examples and below :math:`-\Delta` elsewhere.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : ndarray of shape (N,)
    delta : float, default 1.0

    Returns
    -------
    ndarray of shape (N,)
    """
    return per_example_losses(scores, y, "ova", delta)


def crammer_singer_losses(scores: np.ndarray, y: np.ndarray, delta: float = 1.0) -> np.ndarray:
    r"""Structured (Crammer–Singer) hinge losses, one per example.

    :math:`L_i = \max(0, \max_{j \ne y_i} s_j - s_{y_i} + \Delta)`: only the strongest
    wrong class is penalized.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : ndarray of shape (N,)
    delta : float, default 1.0

    Returns
    -------
    ndarray of shape (N,)
    """
    return per_example_losses(scores, y, "crammer_singer", delta)


def softmax(scores: np.ndarray) -> np.ndarray:
    r"""Class probabilities :math:`P(Y = j \mid x_i) = e^{s_{ij}} / \sum_k e^{s_{ik}}`.

    Numerically stable for any finite scores: the row maximum is subtracted before ``exp``
    (the result is unchanged, since it cancels in the ratio).

    Parameters
    ----------
    scores : ndarray of shape (N, C) or (C,)

    Returns
    -------
    ndarray of the same shape; rows are non-negative and sum to 1.
    """
    s = as_float_array(scores, "scores")
    if s.ndim not in (1, 2) or s.shape[-1] == 0:
        raise ValueError(f"scores must have shape (N, C) or (C,) with C >= 1, got shape {s.shape}")
    s2 = np.atleast_2d(s)
    p = np.exp(s2 - s2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return p.reshape(s.shape)


def log_softmax(scores: np.ndarray) -> np.ndarray:
    r"""Log-probabilities :math:`\log P(Y = j \mid x_i) = s_{ij} - \log\sum_k e^{s_{ik}}`.

    Computed by log-sum-exp, finite for any finite scores (even :math:`\pm 10^6`).

    Parameters
    ----------
    scores : ndarray of shape (N, C)

    Returns
    -------
    ndarray of shape (N, C)
    """
    s = as_float_array(scores, "scores", ndim=2)
    if s.shape[0] == 0 or s.shape[1] == 0:
        raise ValueError(f"scores must have shape (N, C) with N, C >= 1, got shape {s.shape}")
    return _log_softmax(s)


def cross_entropy_losses(scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Softmax cross-entropy losses :math:`L_i = -\log P(Y = y_i \mid X = x_i)`.

    Uses log-sum-exp, so it is finite even for scores of :math:`\pm 10^6`, where the naive
    ``-log(exp(s_y) / sum(exp(s)))`` gives ``inf`` or ``nan``.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : ndarray of shape (N,)

    Returns
    -------
    ndarray of shape (N,)
    """
    return per_example_losses(scores, y, "softmax")


def scores_loss(
    scores: np.ndarray, y: np.ndarray, loss: str = "svm", delta: float = 1.0
) -> tuple[float, np.ndarray]:
    r"""Mean data loss over a batch and its gradient with respect to the scores.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : ndarray of shape (N,)
    loss : {"svm", "ova", "crammer_singer", "softmax"}
    delta : float, default 1.0

    Returns
    -------
    loss : float
        :math:`\frac{1}{N}\sum_i L_i`.
    dscores : ndarray of shape (N, C)
        Its gradient :math:`\partial L / \partial s_{ij}`.
    """
    losses, dscores = _scores_losses_and_dscores(scores, y, loss, delta)
    n = losses.shape[0]
    return float(losses.sum(dtype=np.float64) / n), dscores / n


@dataclass(frozen=True)
class LossResult:
    """Everything :func:`linear_loss` computed, for tables and live views.

    Attributes
    ----------
    loss : float
        ``data_loss + reg_loss``.
    data_loss : float
        Mean of ``losses``.
    reg_loss : float
        :math:`\\lambda \\sum W^2`.
    losses : ndarray of shape (N,)
        Per-example losses :math:`L_i`.
    scores : ndarray of shape (N, C)
    dW : ndarray of shape (D, C)
        Gradient of ``loss`` with respect to W.
    db : ndarray of shape (C,) or None
        Gradient with respect to the bias, when a bias was given.
    """

    loss: float
    data_loss: float
    reg_loss: float
    losses: np.ndarray
    scores: np.ndarray
    dW: np.ndarray
    db: np.ndarray | None


def linear_loss(
    W: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    reg: float = 0.0,
    loss: str = "svm",
    delta: float = 1.0,
    b: np.ndarray | None = None,
) -> LossResult:
    r"""Any loss of :data:`LOSSES` for scores ``X @ W + b``, with all intermediate values.

    The bias is not regularized (as in the lecture's demo).

    Parameters
    ----------
    W : ndarray of shape (D, C)
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    reg : float, default 0.0
        :math:`\lambda \ge 0`.
    loss : {"svm", "ova", "crammer_singer", "softmax"}
    delta : float, default 1.0
    b : ndarray of shape (C,), optional
        Bias per class.

    Returns
    -------
    LossResult
    """
    return checked_linear_loss(*check_linear_loss_args(W, X, y, reg, loss, delta, b))


def check_linear_loss_args(
    W: Any, X: Any, y: Any, reg: Any, loss: str, delta: Any, b: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, LossFormulation, float, np.ndarray | None]:
    """The checks of :func:`linear_loss`: ``(W, X, y, reg, formulation, delta, b)``, checked."""
    form = formulation(loss)
    W, X, y = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b must have shape (C,) = ({W.shape[1]},), got shape {b.shape}")
    return W, X, y, reg, form, delta, b


def checked_linear_loss(
    W: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    reg: float,
    form: LossFormulation,
    delta: float,
    b: np.ndarray | None,
) -> LossResult:
    """:func:`linear_loss` on arguments already checked (for loops that call it often).

    The arguments as :func:`check_linear_loss_args` returns them; nothing is validated here.
    """
    scores = X @ W
    if b is not None:
        scores = scores + b
    losses, dscores = form.losses_and_dscores(scores, y, delta)
    n = X.shape[0]
    dscores /= n
    data_loss = float(losses.sum(dtype=np.float64) / n)
    reg_loss = reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores + 2 * W.dtype.type(reg) * W
    db = dscores.sum(axis=0) if b is not None else None
    return LossResult(data_loss + reg_loss, data_loss, reg_loss, losses, scores, dW, db)
