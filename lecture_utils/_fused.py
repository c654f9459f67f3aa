r"""The cache-blocked pass behind :func:`~lecture_utils.losses.svm_loss` and ``softmax_loss``.

What it computes
----------------
Exactly what the plain vectorized code in :mod:`lecture_utils.losses` computes::

    scores = X @ W                                    # (N, C)
    losses, dscores = losses_and_dscores(scores, y)   # (N,), (N, C)
    loss = losses.sum() / N + reg * np.sum(W * W)
    dW = X.T @ dscores / N + 2 * reg * W              # (D, C)

Why in blocks
-------------
On CIFAR-10-sized data X is over 1 GB (49,000 x 3,073 float64), far larger than any CPU
cache. The plain code reads X from memory twice: once for ``X @ W`` and once more for
``X.T @ dscores``. Here X is walked in blocks of rows of about :data:`_BLOCK_BYTES` each; a
block is used for its scores and, while it is still in cache, for its share of the gradient,
so X crosses the memory bus once. The checks for NaN and Inf in X ride along the same way
(a separate pass over X would cost about a fifth of the loss at CIFAR-10 size), and no more
than one block's scores (block x C) exist at a time.

Why it is equal
---------------
Every example's loss :math:`L_i` and score gradient :math:`\partial L_i / \partial s_i`
depend on row i of X alone, so computing them block by block changes nothing. The sums
over examples split over the blocks:

.. math::  \sum_i L_i = \sum_{\text{blocks } b} \sum_{i \in b} L_i, \qquad
           X^\top dS = \sum_{\text{blocks } b} X_b^\top dS_b

Only the order of the floating-point additions differs, so results agree to round-off
(tests/test_losses.py checks it over shapes, dtypes, ties and kinks). With a single block
the operations are those of the plain code, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import check_finite_part

# Bytes of X per block. Measured on CIFAR-10-sized data (benchmarks/bench_losses.py): 3-4 MiB
# blocks are fastest; blocks of under ~100 rows make OpenBLAS's threaded GEMM slow down badly.
_BLOCK_BYTES = 2**22

#: ``losses_and_dscores(scores (N, C), y (N,)) -> (losses (N,), dscores (N, C))``
PerExample = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def block_rows(X: np.ndarray) -> int:
    """Rows of X (N, D) per block: about ``_BLOCK_BYTES`` of X, at least 1, at most N."""
    n, d = X.shape
    return max(1, min(n, _BLOCK_BYTES // max(1, d * X.itemsize)))


def spans_blocks(X: np.ndarray) -> bool:
    """Whether X (N, D) is larger than one block, so that the blocked pass pays off."""
    return block_rows(X) < X.shape[0]


def loss_and_dW(
    losses_and_dscores: PerExample, W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
) -> tuple[float, np.ndarray]:
    """Mean data loss + reg * sum(W**2) and its gradient dW (D, C), one block of X at a time.

    On checked W (D, C), y (N,) and reg; X (N, D) is checked for NaN and Inf here, block by
    block. Overflow is not reported here: the caller checks the result (and should silence
    numpy's overflow warnings around the call).
    """
    n = X.shape[0]
    block = block_rows(X)
    dW = np.zeros_like(W)
    total = 0.0
    for start in range(0, n, block):
        Xb = X[start : start + block]
        check_finite_part(Xb, X, "X")
        losses, dscores = losses_and_dscores(Xb @ W, y[start : start + block])
        total += float(losses.sum(dtype=np.float64))
        dW += Xb.T @ dscores
    dW /= n
    dW += 2 * W.dtype.type(reg) * W
    return total / n + reg * float(np.sum(W * W, dtype=np.float64)), dW
