r"""Loss functions of a linear classifier, with their gradients.

Conventions (as in CS231n's assignment 1)
-----------------------------------------
X : ndarray of shape (N, D)   one example per row
W : ndarray of shape (D, C)   one column of weights per class
y : ndarray of shape (N,)     integer labels in [0, C)
scores = X @ W                ndarray of shape (N, C); ``scores[i, j]`` is :math:`s_j` for example i

The lecture writes :math:`f(x, W) = Wx` with classes as *rows* of W; our ``W`` is the
transpose of that matrix, so that a whole batch is scored by one ``X @ W``.

The full loss is

.. math::  L = \frac{1}{N}\sum_i L_i(f(x_i, W), y_i) + \lambda R(W),
            \qquad R(W) = \sum_{k,l} W_{k,l}^2

and every ``*_loss`` function returns ``(loss, dW)`` with ``dW = dL/dW`` of shape (D, C); the
regularization term contributes :math:`2\lambda W` to it.

Four per-example data losses are available by name in :data:`LOSSES`:

``"svm"`` (Weston–Watkins multiclass hinge, the lecture's)
    :math:`L_i = \sum_{j \ne y_i} \max(0, s_j - s_{y_i} + \Delta)`
``"ova"`` (one-vs-all hinge: C binary SVMs)
    :math:`L_i = \sum_j \max(0, \Delta - t_{ij} s_j)`,
    :math:`t_{ij} = +1` if :math:`j = y_i` else :math:`-1`
``"crammer_singer"`` (structured hinge)
    :math:`L_i = \max(0, \max_{j \ne y_i} s_j - s_{y_i} + \Delta)`
``"softmax"`` (cross-entropy of the softmax probabilities)
    :math:`L_i = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}`

At a hinge's kink (an argument of ``max(0, .)`` exactly 0) the gradient used is the
subgradient 0: an exactly met margin counts as met.

Reading order: the naive loops :func:`svm_loss_naive` and :func:`softmax_loss_naive`; the same
losses vectorized, :func:`svm_loss` and :func:`softmax_loss` (scores -> margins or
probabilities -> dscores -> dW); :func:`linear_loss`, any formulation with every intermediate
value. The formulations themselves, the registry :data:`LOSSES` and the per-example losses of
a score matrix (:func:`hinge_losses`, :func:`softmax`, ...) live in
``lecture_utils/_per_example.py`` and are imported here; the cache-blocked pass that makes
the vectorized losses fast on CIFAR-10-sized data lives in ``lecture_utils/_fused.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from . import _fused
from ._per_example import (
    LOSSES,
    LossFormulation,
    crammer_singer_losses,
    cross_entropy_losses,
    formulation,
    hinge_losses,
    log_softmax,
    one_vs_all_losses,
    per_example_losses,
    scores_loss,
    softmax,
    softmax_losses_and_dscores,
    svm_losses_and_dscores,
)
from ._validation import (
    as_float_array,
    check_finite_part,
    check_nonnegative,
    check_W_X_y,
)

__all__ = [
    "svm_loss_naive",
    "softmax_loss_naive",
    "svm_loss",
    "softmax_loss",
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
# Naive versions: the textbook loops, readable on purpose (and slow).
# --------------------------------------------------------------------------------------------


def svm_loss_naive(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0
) -> tuple[float, np.ndarray]:
    r"""Multiclass SVM loss and gradient with explicit loops (compare :func:`svm_loss`).

    Parameters
    ----------
    W : ndarray of shape (D, C)
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    reg : float
        :math:`\lambda \ge 0`.
    delta : float, default 1.0

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
    """
    W, X, y = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + delta
            if margin > 0:
                loss += float(margin)
                dW[:, j] += X[i]  # s_j goes up with W[:, j] ...
                dW[:, y[i]] -= X[i]  # ... and s_{y_i} with W[:, y_i]
    loss /= num_train
    dW /= num_train
    loss += reg * float(np.sum(W * W))
    dW += 2 * reg * W
    return loss, dW


def softmax_loss_naive(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    r"""Softmax loss and gradient with explicit loops (compare :func:`softmax_loss`).

    Parameters
    ----------
    W : ndarray of shape (D, C)
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    reg : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
    """
    W, X, y = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        scores = scores - np.max(scores)  # shift for numerical stability
        exp_scores = np.exp(scores)
        sum_exp = np.sum(exp_scores)
        loss += float(np.log(sum_exp) - scores[y[i]])
        for j in range(num_classes):
            p_j = exp_scores[j] / sum_exp
            dW[:, j] += (p_j - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * float(np.sum(W * W))
    dW += 2 * reg * W
    return loss, dW


# --------------------------------------------------------------------------------------------
# Vectorized versions: the same losses for the whole batch at once, in four lines shared by
# both losses. Only the per-example step differs: margins for the SVM, probabilities for
# softmax (``svm_losses_and_dscores`` and ``softmax_losses_and_dscores`` in
# lecture_utils/_per_example.py), each returning the losses L_i (N,) and their gradients
# with respect to the scores, dscores (N, C).
# --------------------------------------------------------------------------------------------


def _plain_loss_and_dW(
    losses_and_dscores: _fused.PerExample,
    W: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    reg: float,
) -> tuple[float, np.ndarray]:
    """The vectorized loss of a linear classifier and its gradient, on checked input."""
    n = X.shape[0]
    scores = X @ W  # (N, C)
    losses, dscores = losses_and_dscores(scores, y)  # (N,), (N, C)
    loss = float(losses.sum(dtype=np.float64)) / n + reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores / n + 2 * W.dtype.type(reg) * W  # (D, C)
    return loss, dW


def svm_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0
) -> tuple[float, np.ndarray]:
    r"""Multiclass SVM loss and gradient, vectorized.

    :math:`L = \frac{1}{N}\sum_i \sum_{j \ne y_i}\max(0, s_j - s_{y_i} + \Delta) + \lambda \sum W^2`

    Computes ``scores = X @ W``, the margins and their ``dscores``
    (``svm_losses_and_dscores``), then ``dW = X.T @ dscores / N + 2 * reg * W``
    (``_plain_loss_and_dW``). A CIFAR-10-sized X takes the faster cache-blocked pass of
    ``lecture_utils._fused``, which gives the same result.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights, one column per class.
    X : ndarray of shape (N, D)
        Data, one example per row.
    y : ndarray of shape (N,)
        Integer labels in [0, C).
    reg : float
        Regularization strength :math:`\lambda \ge 0`.
    delta : float, default 1.0
        Margin :math:`\Delta \ge 0`.

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
        Gradient of ``loss`` with respect to ``W`` (same dtype as ``W``).

    Examples
    --------
    >>> W = np.zeros((2, 3))  # all scores 0: every wrong class misses the margin by delta
    >>> loss, dW = svm_loss(W, np.ones((4, 2)), np.array([0, 1, 2, 0]), reg=0.0)
    >>> loss, dW.shape
    (2.0, (2, 3))
    """
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # _loss_and_dW checks X on its way
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    return _loss_and_dW(partial(svm_losses_and_dscores, delta=delta), W, X, y, reg)


def softmax_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    r"""Softmax (cross-entropy) loss and gradient, vectorized and numerically stable.

    :math:`L = \frac{1}{N}\sum_i -\log\frac{e^{s_{y_i}}}{\sum_j e^{s_j}} + \lambda \sum W^2`

    Computes ``scores = X @ W``, the probabilities and ``dscores = p - onehot(y)``
    (``softmax_losses_and_dscores``), then ``dW = X.T @ dscores / N + 2 * reg * W``
    (``_plain_loss_and_dW``); a CIFAR-10-sized X takes the cache-blocked pass of
    ``lecture_utils._fused``, with the same result.

    Parameters
    ----------
    W : ndarray of shape (D, C)
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    reg : float
        Regularization strength :math:`\lambda \ge 0`.

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)

    Examples
    --------
    >>> loss, dW = softmax_loss(np.zeros((2, 4)), np.ones((3, 2)), np.array([0, 1, 3]), 0.0)
    >>> bool(np.isclose(loss, np.log(4)))  # all scores equal: p = 1/C for every class
    True
    """
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # _loss_and_dW checks X on its way
    reg = check_nonnegative(reg, "reg")
    return _loss_and_dW(softmax_losses_and_dscores, W, X, y, reg)


def _loss_and_dW(
    losses_and_dscores: _fused.PerExample,
    W: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    reg: float,
) -> tuple[float, np.ndarray]:
    """:func:`_plain_loss_and_dW`, or its cache-blocked twin for a large X; X's NaN check."""
    # overflow is reported below as one clear error, not as numpy warnings on the way
    with np.errstate(over="ignore", invalid="ignore"):
        if _fused.spans_blocks(X):
            # X larger than one cache block (CIFAR-10: 1.2 GB): the same computation one block
            # of rows at a time, so X is read from memory once instead of twice
            loss, dW = _fused.loss_and_dW(losses_and_dscores, W, X, y, reg)
        else:
            check_finite_part(X, X, "X")
            loss, dW = _plain_loss_and_dW(losses_and_dscores, W, X, y, reg)
    if not (np.isfinite(loss) and np.isfinite(dW).all()):
        raise ValueError(
            f"the loss overflowed to {loss} (|W| up to {float(np.abs(W).max()):.3g}, |X| up to "
            f"{float(np.abs(X).max()):.3g}): scores X @ W this large exceed "
            f"{X.dtype.name}; standardize X or start from smaller W"
        )
    return loss, dW


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
    form = formulation(loss)
    W, X, y = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    scores = X @ W
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b must have shape (C,) = ({W.shape[1]},), got shape {b.shape}")
        scores = scores + b
    losses, dscores = form.losses_and_dscores(scores, y, delta)
    n = X.shape[0]
    dscores /= n
    data_loss = float(losses.sum(dtype=np.float64) / n)
    reg_loss = reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores + 2 * W.dtype.type(reg) * W
    db = dscores.sum(axis=0) if b is not None else None
    return LossResult(data_loss + reg_loss, data_loss, reg_loss, losses, scores, dW, db)
