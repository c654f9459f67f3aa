"""Functions whose gradients are known in closed form, to check numerical gradients against.

``quadratic`` (with its gradient ``quadratic_grad``, for the symmetric matrix ``A``) and
``sum_sin`` (gradient ``cos x``). Used by ``tests/test_finite_differences.py`` and
``tests/test_gradient_check.py``.
"""

import numpy as np

A = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])  # symmetric


def quadratic(x):
    """f(x) = x^T A x + sum(x) for a flat view of x; gradient 2 A x + 1."""
    v = x.reshape(-1)
    return float(v @ A @ v + v.sum())


def quadratic_grad(x):
    return (2 * A @ x.reshape(-1) + 1).reshape(x.shape)


def sum_sin(x):
    return float(np.sum(np.sin(x)))
