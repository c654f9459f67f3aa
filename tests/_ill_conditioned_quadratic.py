"""An ill-conditioned 2-D quadratic, the test problem of the lecture_utils.optim tests.

L(w) = 1/2 (w - c)^T A (w - c) with A = diag(1, 20) (condition number 20): its minimum L* = 0 is
at w* = c = ``CENTER``. ``quad_loss`` gives L(w) alone (for the search strategies),
``quad_loss_and_grad`` gives (L(w), A (w - c)) (for gradient descent and the update rules).
Shared by tests/test_optim_descent.py, tests/test_optim_regimes.py and
tests/test_optim_update_rules.py.
"""

from __future__ import annotations

import numpy as np

A = np.diag([1.0, 20.0])  # curvatures: condition number 20
CENTER = np.array([1.0, -2.0])


def quad_loss(w: np.ndarray) -> float:
    d = w - CENTER
    return float(0.5 * d @ A @ d)


def quad_loss_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
    d = w - CENTER
    return float(0.5 * d @ A @ d), A @ d
