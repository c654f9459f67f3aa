r"""The cache-blocked pass behind :func:`~lecture_utils.losses.svm_loss` and ``softmax_loss``.

What it computes
----------------
Exactly what the plain vectorized code in :mod:`lecture_utils.losses` computes::

    scores = X @ W                                    # (N, C)
    losses, dscores = losses_and_dscores(scores, y)   # (N,), (N, C)
    loss = losses.sum() / N + reg * np.sum(W * W)
    dW = X.T @ dscores / N + 2 * reg * W              # (D, C)

Why in blocks, and why transposed
---------------------------------
On CIFAR-10-sized data X is over 1 GB (49,000 x 3,073 float64), far larger than any CPU
cache. The plain code reads X from memory twice: once for ``X @ W`` and once more for
``X.T @ dscores``. Here X is walked in blocks of rows of about :data:`_BLOCK_BYTES` each; a
block is used for its scores and, while it is still in the processor's caches, for its share
of the gradient. No more than one block's scores (block x C) exist at a time.

Both products are computed class-major: ``W.T @ X_b.T`` (C x block) for the scores and
``dS_b.T @ X_b`` (C x D) for the gradient, the same numbers as ``X_b @ W`` and ``X_b.T @
dS_b`` transposed. With only C = 10 columns on one side, OpenBLAS runs these layouts
faster on this project's machine, the gradient's most: per 4-8 MiB block, ``dS_b.T @ X_b``
took 0.55-0.95 of ``X_b.T @ dS_b``'s time; on all of X, ``W.T @ X.T`` took 0.6-0.95 of
``X @ W``'s (float64 and float32, both ``OPENBLAS_CORETYPE`` settings). Together with the
larger blocks this brought the loss from 1.2 to 0.6-0.86 of the two-product floor
(``benchmarks/bench_losses.py``).

The check for NaN and Inf in X rides along without reading X again: a finite block of
scores proves the block of X finite (``_validation.check_finite_part`` with ``product``). A separate
pass over X would cost about a fifth of the loss.

Why it is equal
---------------
Every example's loss :math:`L_i` and score gradient :math:`\partial L_i / \partial s_i`
depend on row i of X alone, so computing them block by block changes nothing. The sums
over examples split over the blocks:

.. math::  \sum_i L_i = \sum_{\text{blocks } b} \sum_{i \in b} L_i, \qquad
           X^\top dS = \sum_{\text{blocks } b} X_b^\top dS_b

and the class-major products hold the same sums as the plain ones. Only the order of the
floating-point additions differs, so results agree to round-off (tests/test_losses.py
checks it over shapes, dtypes, ties and kinks).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import check_finite_part

# Bytes of X per block. Measured on CIFAR-10-sized data (benchmarks/bench_losses.py, both
# OPENBLAS_CORETYPE settings, 2 cores): with the class-major products, 16-64 MiB blocks are
# fastest (0.6-0.85 of the two-GEMM floor); 1-4 MiB blocks (about 100-300 rows) make
# OpenBLAS's threaded GEMM slow down (0.9-1.1); one block of all of X: 0.7-0.9.
_BLOCK_BYTES = 2**25

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
    W_t = np.ascontiguousarray(W.T)  # (C, D)
    dW_t = np.zeros_like(W_t)  # (C, D): the gradient, class-major
    total = 0.0
    for start in range(0, n, block):
        Xb = X[start : start + block]  # (B, D)
        scores = (W_t @ Xb.T).T  # (B, C): X_b @ W, computed class-major
        check_finite_part(Xb, X, "X", product=scores)
        losses, dscores = losses_and_dscores(scores, y[start : start + block])
        total += float(losses.sum(dtype=np.float64))
        dW_t += dscores.T @ Xb  # (C, D): (X_b.T @ dscores).T
    dW = dW_t.T / n  # (D, C)
    dW += 2 * W.dtype.type(reg) * W
    return total / n + reg * float(np.sum(W * W, dtype=np.float64)), dW
