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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validation import (
    all_finite,
    as_float_array,
    check_nonnegative,
    check_scores_labels,
    check_W_X_y,
)

__all__ = [
    "LOSSES",
    "LossFormulation",
    "LossResult",
    "hinge_losses",
    "one_vs_all_losses",
    "crammer_singer_losses",
    "softmax",
    "log_softmax",
    "cross_entropy_losses",
    "per_example_losses",
    "scores_loss",
    "linear_loss",
    "svm_loss_naive",
    "softmax_loss_naive",
    "svm_loss",
    "softmax_loss",
]

# --------------------------------------------------------------------------------------------
# Per-example losses and their gradients with respect to the scores.
# Each private ``_*_grad`` takes checked scores (N, C) and labels (N,) and returns
# ``(losses (N,), dscores (N, C))`` with ``dscores[i] = dL_i / ds_i``.
# --------------------------------------------------------------------------------------------


def _rows(n: int) -> np.ndarray:
    return np.arange(n)


def _svm_grad(scores: np.ndarray, y: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    rows = _rows(scores.shape[0])
    # margins[i, j] = s_j - s_{y_i} + delta; the correct class contributes nothing
    margins = scores - scores[rows, y][:, None] + scores.dtype.type(delta)
    margins[rows, y] = 0
    violated = margins > 0
    losses = np.where(violated, margins, 0).sum(axis=1)
    dscores = violated.astype(scores.dtype)
    dscores[rows, y] = -violated.sum(axis=1)
    return losses, dscores


def _ova_grad(scores: np.ndarray, y: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    rows = _rows(scores.shape[0])
    # t[i, j] = +1 for the correct class, -1 for the others
    t = -np.ones_like(scores)
    t[rows, y] = 1
    margins = scores.dtype.type(delta) - t * scores
    violated = margins > 0
    losses = np.where(violated, margins, 0).sum(axis=1)
    dscores = -t * violated
    return losses, dscores


def _crammer_singer_grad(
    scores: np.ndarray, y: np.ndarray, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    rows = _rows(scores.shape[0])
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


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    # log p_j = s_j - log sum_k exp(s_k), with the max subtracted first so exp never overflows
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax_grad(scores: np.ndarray, y: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    rows = _rows(scores.shape[0])
    log_p = _log_softmax(scores)
    losses = -log_p[rows, y]
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1
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
    grad : callable
        ``grad(scores (N, C), y (N,), delta) -> (losses (N,), dscores (N, C))`` on checked input.
    """

    name: str
    label: str
    formula: str
    uses_delta: bool
    grad: Callable[[np.ndarray, np.ndarray, float], tuple[np.ndarray, np.ndarray]]


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
            _svm_grad,
        ),
        LossFormulation(
            "ova",
            "One-vs-all SVM",
            r"L_i = \sum_j \max(0, \Delta - t_{ij} s_j)",
            True,
            _ova_grad,
        ),
        LossFormulation(
            "crammer_singer",
            "Structured SVM (Crammer–Singer)",
            r"L_i = \max(0, \max_{j \ne y_i} s_j - s_{y_i} + \Delta)",
            True,
            _crammer_singer_grad,
        ),
        LossFormulation(
            "softmax",
            "Softmax (cross-entropy)",
            r"L_i = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}",
            False,
            _softmax_grad,
        ),
    )
}


def _formulation(loss: str) -> LossFormulation:
    if not isinstance(loss, str):
        raise TypeError(
            f"loss must be a string, one of {sorted(LOSSES)}; got {type(loss).__name__}"
        )
    try:
        return LOSSES[loss]
    except KeyError:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}") from None


# --------------------------------------------------------------------------------------------
# Public per-example losses on a score matrix
# --------------------------------------------------------------------------------------------


def _scores_grad(
    scores: np.ndarray, y: np.ndarray, loss: str, delta: float
) -> tuple[np.ndarray, np.ndarray]:
    """Check the public arguments, then ``(losses (N,), dscores (N, C))`` of ``loss``."""
    form = _formulation(loss)
    s, labels = check_scores_labels(scores, y)
    return form.grad(s, labels, check_nonnegative(delta, "delta"))


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
    return _scores_grad(scores, y, loss, delta)[0]


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
    losses, dscores = _scores_grad(scores, y, loss, delta)
    n = losses.shape[0]
    return float(losses.sum(dtype=np.float64) / n), dscores / n


# --------------------------------------------------------------------------------------------
# Losses of a linear classifier W (D, C) on data X (N, D)
# --------------------------------------------------------------------------------------------

# Bytes of X per block in the fused pass below. A block of X (block x D) is used twice while
# it is still in cache: once for the scores, once for its share of the gradient. Measured on
# CIFAR-10-sized data (benchmarks/bench_losses.py): 3-4 MiB blocks are fastest; blocks of
# under ~100 rows make OpenBLAS's threaded GEMM slow down badly.
_BLOCK_BYTES = 2**22


def _fused_loss(
    grad: Callable[[np.ndarray, np.ndarray, float], tuple[np.ndarray, np.ndarray]],
    W: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    reg: float,
    delta: float,
) -> tuple[float, np.ndarray]:
    """Mean data loss + reg * sum(W**2) and its gradient, on checked input.

    Equivalent to ``losses, dS = grad(X @ W, y); loss = losses.mean(); dW = X.T @ dS / N``,
    but it walks X in blocks of rows so that each block is read from memory once (CIFAR-10's
    X is over 1 GB), and it never holds more than one block's scores. X's check for NaN and
    Inf happens here too, on each block while it is in cache: a separate pass over X would
    cost about a fifth of the whole loss at CIFAR-10 size.
    """
    n, d = X.shape
    block = max(1, min(n, _BLOCK_BYTES // max(1, d * X.itemsize)))
    dW = np.zeros_like(W)
    total = 0.0
    # overflow is reported below as one clear error, not as numpy warnings on the way
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, n, block):
            Xb = X[start : start + block]
            # NaN or Inf anywhere makes the sum non-finite (so can huge finite values
            # overflowing it: then the exact check of this block finds nothing, and we go on)
            if not np.isfinite(Xb.sum()) and not all_finite(Xb):
                as_float_array(X, "X")  # raises "X contains NaN or Inf (k non-finite entries)"
            losses, dscores = grad(Xb @ W, y[start : start + block], delta)
            total += float(losses.sum(dtype=np.float64))
            dW += Xb.T @ dscores
        dW /= n
        reg_t = W.dtype.type(reg)
        dW += 2 * reg_t * W
        loss = total / n + reg * float(np.sum(W * W, dtype=np.float64))
    if not (np.isfinite(loss) and np.isfinite(dW).all()):
        raise ValueError(
            f"the loss overflowed to {loss} (|W| up to {float(np.abs(W).max()):.3g}, |X| up to "
            f"{float(np.abs(X).max()):.3g}): scores X @ W this large exceed "
            f"{X.dtype.name}; standardize X or start from smaller W"
        )
    return loss, dW


def svm_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float, delta: float = 1.0
) -> tuple[float, np.ndarray]:
    r"""Multiclass SVM loss and gradient, vectorized.

    :math:`L = \frac{1}{N}\sum_i \sum_{j \ne y_i}\max(0, s_j - s_{y_i} + \Delta) + \lambda \sum W^2`

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
    """
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # _fused_loss checks X per block
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    return _fused_loss(_svm_grad, W, X, y, reg, delta)


def softmax_loss(
    W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    r"""Softmax (cross-entropy) loss and gradient, vectorized and numerically stable.

    :math:`L = \frac{1}{N}\sum_i -\log\frac{e^{s_{y_i}}}{\sum_j e^{s_j}} + \lambda \sum W^2`

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
    """
    W, X, y = check_W_X_y(W, X, y, check_finite_X=False)  # _fused_loss checks X per block
    reg = check_nonnegative(reg, "reg")
    return _fused_loss(_softmax_grad, W, X, y, reg, 0.0)


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
    form = _formulation(loss)
    W, X, y = check_W_X_y(W, X, y)
    reg = check_nonnegative(reg, "reg")
    delta = check_nonnegative(delta, "delta")
    scores = X @ W
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b must have shape (C,) = ({W.shape[1]},), got shape {b.shape}")
        scores = scores + b
    losses, dscores = form.grad(scores, y, delta)
    n = X.shape[0]
    dscores /= n
    data_loss = float(losses.sum(dtype=np.float64) / n)
    reg_loss = reg * float(np.sum(W * W, dtype=np.float64))
    dW = X.T @ dscores + 2 * W.dtype.type(reg) * W
    db = dscores.sum(axis=0) if b is not None else None
    return LossResult(data_loss + reg_loss, data_loss, reg_loss, losses, scores, dW, db)


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
