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

Reading order, top to bottom:

1. the naive loops :func:`svm_loss_naive` and :func:`softmax_loss_naive`, one example and one
   class at a time;
2. the same two losses for a whole batch at once. Per example, a score matrix (N, C) gives
   the losses :math:`L_i` and their gradients with respect to the scores, ``dscores``:
   margins for the SVM (:func:`svm_losses_and_dscores`), probabilities for softmax
   (:func:`softmax_losses_and_dscores`). Then :func:`svm_loss` and :func:`softmax_loss` are
   four lines each: ``scores = X @ W``, the per-example step, the mean plus
   :math:`\lambda \sum W^2`, and by the chain rule ``dW = X.T @ dscores / N + 2 * reg * W``.

The other formulations, the registry :data:`LOSSES`, the per-example losses of a score matrix
(:func:`hinge_losses`, :func:`softmax`, ...) and :func:`linear_loss` (any formulation, with a
bias and every intermediate value) live in ``lecture_utils/_per_example.py`` and are
available from here. The speed trick, a cache-blocked pass that reads a CIFAR-10-sized X from
memory once instead of twice, lives in ``lecture_utils/_fused.py``; :func:`svm_loss` and
:func:`softmax_loss` hand such an X to it and get the same result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from . import _fused
from ._validation import check_finite_part, check_nonnegative, check_W_X_y

__all__ = [
    "svm_loss_naive",
    "softmax_loss_naive",
    "svm_losses_and_dscores",
    "softmax_losses_and_dscores",
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
# Vectorized versions: the whole batch at once. Per example, scores (N, C) -> the losses L_i
# (N,) and dscores (N, C), dscores[i, j] = dL_i / ds_ij; then the chain rule through
# scores = X @ W gives dW = X.T @ dscores / N.
# --------------------------------------------------------------------------------------------


def svm_losses_and_dscores(
    scores: np.ndarray, y: np.ndarray, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""Multiclass SVM losses :math:`L_i` (N,) and their gradients ``dscores`` (N, C).

    ``dscores[i, j]`` is :math:`\partial L_i / \partial s_{ij}`. On checked scores (N, C) and
    labels (N,); ``delta`` is the margin :math:`\Delta`.
    """
    rows = np.arange(len(y))
    # margins[i, j] = s_j - s_{y_i} + delta; the correct class contributes nothing
    margins = scores - scores[rows, y][:, None] + scores.dtype.type(delta)
    margins[rows, y] = 0
    violated = margins > 0
    losses = np.where(violated, margins, 0).sum(axis=1)
    # each violated margin pushes s_j up by 1 and s_{y_i} down by 1
    dscores = violated.astype(scores.dtype)
    dscores[rows, y] = -violated.sum(axis=1)
    return losses, dscores


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    # log p_j = s_j - log sum_k exp(s_k), with the max subtracted first so exp never overflows
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_losses_and_dscores(scores: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Softmax losses :math:`-\log p_{y_i}` (N,) and their gradients ``dscores`` (N, C).

    ``dscores[i, j]`` is :math:`p_{ij} - 1[j = y_i]`. On checked scores (N, C) and labels (N,).
    """
    rows = np.arange(len(y))
    log_p = _log_softmax(scores)  # log-probabilities (N, C)
    losses = -log_p[rows, y]
    # dL_i/ds_j = p_j - [j == y_i]
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1
    return losses, dscores


def _overflow_is_an_error(
    loss_function: Callable[..., tuple[float, np.ndarray]],
) -> Callable[..., tuple[float, np.ndarray]]:
    """Run a ``(W, X, y, ...) -> (loss, dW)`` loss with numpy's overflow warnings off, and
    turn a loss or gradient that overflowed to inf or nan into one clear ValueError."""

    @functools.wraps(loss_function)
    def checked(W: Any, X: Any, y: Any, *args: Any, **kwargs: Any) -> tuple[float, np.ndarray]:
        with np.errstate(over="ignore", invalid="ignore"):
            loss, dW = loss_function(W, X, y, *args, **kwargs)
        if not (np.isfinite(loss) and np.isfinite(dW).all()):
            W, X = np.asarray(W), np.asarray(X)
            raise ValueError(
                f"the loss overflowed to {loss} (|W| up to {float(np.abs(W).max()):.3g}, |X| "
                f"up to {float(np.abs(X).max()):.3g}): scores X @ W this large exceed "
                f"{X.dtype.name}; standardize X or start from smaller W"
            )
        return loss, dW

    return checked


@_overflow_is_an_error
def svm_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0
) -> tuple[float, np.ndarray]:
    r"""Multiclass SVM loss and gradient, vectorized.

    :math:`L = \frac{1}{N}\sum_i \sum_{j \ne y_i}\max(0, s_j - s_{y_i} + \Delta) + \lambda \sum W^2`

    ``scores = X @ W``, the margins and their ``dscores`` (:func:`svm_losses_and_dscores`),
    then ``dW = X.T @ dscores / N + 2 * reg * W``. A CIFAR-10-sized X takes the faster
    cache-blocked pass of ``lecture_utils._fused``, which gives the same result.

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
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # checked below, on the way
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    if _fused.spans_blocks(X):
        # a CIFAR-10-sized X: the same four lines, one cache-sized block of rows at a time
        return _fused.loss_and_dW(partial(svm_losses_and_dscores, delta=delta), W, X, y, reg)
    check_finite_part(X, X, "X")
    n = X.shape[0]
    scores = X @ W  # (N, C)
    losses, dscores = svm_losses_and_dscores(scores, y, delta)  # (N,), (N, C)
    loss = float(losses.sum(dtype=np.float64)) / n + reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores / n + 2 * W.dtype.type(reg) * W  # (D, C)
    return loss, dW


@_overflow_is_an_error
def softmax_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    r"""Softmax (cross-entropy) loss and gradient, vectorized and numerically stable.

    :math:`L = \frac{1}{N}\sum_i -\log\frac{e^{s_{y_i}}}{\sum_j e^{s_j}} + \lambda \sum W^2`

    ``scores = X @ W``, the probabilities and ``dscores = p - onehot(y)``
    (:func:`softmax_losses_and_dscores`), then ``dW = X.T @ dscores / N + 2 * reg * W``; a
    CIFAR-10-sized X takes the cache-blocked pass of ``lecture_utils._fused``, with the same
    result.

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
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # checked below, on the way
    reg = check_nonnegative(reg, "reg")
    if _fused.spans_blocks(X):
        # a CIFAR-10-sized X: the same four lines, one cache-sized block of rows at a time
        return _fused.loss_and_dW(softmax_losses_and_dscores, W, X, y, reg)
    check_finite_part(X, X, "X")
    n = X.shape[0]
    scores = X @ W  # (N, C)
    losses, dscores = softmax_losses_and_dscores(scores, y)  # (N,), (N, C)
    loss = float(losses.sum(dtype=np.float64)) / n + reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores / n + 2 * W.dtype.type(reg) * W  # (D, C)
    return loss, dW


# The other formulations, the registry, the score-matrix functions and linear_loss. Imported
# last: _per_example builds the registry from the two per-example functions above.
from ._per_example import (  # noqa: E402
    LOSSES,
    LossFormulation,
    LossResult,
    crammer_singer_losses,
    cross_entropy_losses,
    hinge_losses,
    linear_loss,
    log_softmax,
    one_vs_all_losses,
    per_example_losses,
    scores_loss,
    softmax,
)
