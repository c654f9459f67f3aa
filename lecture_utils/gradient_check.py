"""Gradient checking: an analytic gradient against centred differences, kinks flagged.

:func:`grad_check` compares the gradient we derived with the numerical one of
:func:`lecture_utils.gradients.numerical_gradient` on a few random coordinates and
flags the coordinates where the loss has a kink (there a mismatch is expected).
Both names are also available from :mod:`lecture_utils.gradients`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import (
    as_float_array,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_seed,
)
from .gradients import (
    REL_ERROR_FLOOR,
    CountingFunction,
    _check_f,
    _elementwise_rel_error,
    _evaluate,
    _Perturber,
    _working_array,
    format_rel_error,
)

__all__ = ["grad_check", "GradCheckResult", "KINK_TOL"]

#: Default relative threshold of the kink test in :func:`grad_check`.
KINK_TOL = 1e-6


@dataclass(frozen=True, eq=False)
class GradCheckResult:
    """Outcome of :func:`grad_check` on n randomly chosen coordinates.

    Attributes
    ----------
    indices : list of tuple of int, length n
        The checked coordinates of x, e.g. (d, c) for W of shape (D, C).
    numerical : ndarray of shape (n,)
        Centred-difference derivative at each coordinate.
    analytic : ndarray of shape (n,)
        The analytic gradient at the same coordinates.
    rel_errors : ndarray of shape (n,)
        Relative error per coordinate (see :func:`~lecture_utils.gradients.rel_error`).
    max_rel_error : float
        Largest entry of ``rel_errors`` (kinks included).
    on_kink : ndarray of bool, shape (n,)
        True where f is not differentiable within about h of x along that
        coordinate (see :func:`grad_check`); there a mismatch is expected.
    h : float
        Step size used.
    n_evaluations : int
        Number of calls of f made by the check.
    """

    indices: list[tuple[int, ...]]
    numerical: np.ndarray
    analytic: np.ndarray
    rel_errors: np.ndarray
    max_rel_error: float
    on_kink: np.ndarray
    h: float
    n_evaluations: int = field(default=0)

    @property
    def max_rel_error_off_kink(self) -> float:
        """Largest relative error over coordinates not on a kink (0.0 if all are on kinks)."""
        smooth = self.rel_errors[~self.on_kink]
        return float(smooth.max()) if smooth.size else 0.0

    @property
    def n_kinks(self) -> int:
        """Number of checked coordinates that sit on a kink."""
        return int(np.count_nonzero(self.on_kink))

    def passed(self, tol: float = 1e-7) -> bool:
        """True if every coordinate not on a kink has relative error <= tol.

        Coordinates on a kink are ignored (if all are on kinks, nothing can fail).
        """
        t = check_nonnegative(tol, "tol")
        return bool(np.all(self.rel_errors[~self.on_kink] <= t))

    def summary(self) -> str:
        """A table with one row per checked coordinate, and a last line with the maxima.

        Relative errors below 1e-7 print as ``< 1e-7`` (:func:`format_rel_error`): their digits
        are round-off and differ between machines; ``rel_errors`` holds the values.
        """
        idx_strs = [str(tuple(int(i) for i in ix)) for ix in self.indices]
        width = max([len("index")] + [len(s) for s in idx_strs])
        lines = [
            f"{'index':>{width}}  {'numerical':>13}  {'analytic':>13}  {'rel. error':>10}  kink"
        ]
        for s, num, ana, err, kink in zip(
            idx_strs, self.numerical, self.analytic, self.rel_errors, self.on_kink, strict=True
        ):
            flag = "  yes" if kink else ""
            lines.append(
                f"{s:>{width}}  {num:13.6e}  {ana:13.6e}  {format_rel_error(err):>10}{flag}"
            )
        lines.append(
            f"max rel. error {format_rel_error(self.max_rel_error)} "
            f"(off kinks {format_rel_error(self.max_rel_error_off_kink)}); "
            f"{self.n_kinks} of {len(self.indices)} checked coordinates on a kink"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def grad_check(
    f: Callable[[np.ndarray], float],
    x: Any,
    analytic_grad: Any,
    n_checks: int = 10,
    seed: int | np.random.Generator = 0,
    h: float = 1e-5,
    kink_tol: float | None = None,
) -> GradCheckResult:
    """Compare an analytic gradient with centred differences at random coordinates.

    n = min(n_checks, x.size) distinct coordinates are drawn with
    ``numpy.random.default_rng(seed)``; at each, the centred-difference
    derivative is compared with ``analytic_grad`` by the relative error of
    :func:`~lecture_utils.gradients.rel_error`.

    Kink test. Write q+(s) = (f(x + s e_i) - f(x)) / s and q-(s) = (f(x) - f(x - s e_i)) / s
    for the forward and backward slopes and gap(s) = q+(s) - q-(s). If f is smooth
    near x, the gap is a curvature effect, gap(s) ~ f''(x) s, so halving the step
    halves it: gap(h) - 2 gap(h/2) ~ 0. If f has a kink (like max(0, .)) within h
    of x, the gap is a jump in slope that does not shrink with s. A coordinate is
    flagged ``on_kink`` when

        |gap(h) - 2 gap(h/2)| > kink_tol * (|q+(h)| + |q-(h)| + 1e-8) + roundoff,

    where roundoff = 256 * eps * max|f| / h (eps of x's dtype) bounds the effect of
    rounding in the loss values. This costs 2 more evaluations per coordinate
    (4 per coordinate + 1 in total). A kink at exactly h/3 from x escapes the test
    (for random data this has probability zero).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``: the loss as a function of x.
    x : array_like of any shape, e.g. W of shape (D, C)
        Point of the check. Left unchanged (see
        :func:`~lecture_utils.gradients.numerical_gradient`).
    analytic_grad : array_like of the same shape as x
        The gradient to check.
    n_checks : int, default 10
        Number of coordinates to check (all of them if x has fewer entries).
    seed : int or numpy.random.Generator, default 0
        Chooses the coordinates.
    h : float, default 1e-5
        Step size, > 0.
    kink_tol : float, optional
        Relative threshold of the kink test, >= 0; default ``KINK_TOL`` = 1e-6.

    Returns
    -------
    GradCheckResult
        Per-coordinate numbers, the maximum relative error and the kink flags;
        ``print(result)`` shows a table and ``result.passed(tol)`` ignores kinks.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, -2.0], [0.5, 3.0]])
    >>> res = grad_check(lambda w: float(np.sum(w**2)), x, 2 * x, n_checks=3)
    >>> res.passed(1e-7), res.n_kinks
    (True, 0)
    """
    _check_f(f)
    step = check_positive(h, "h")
    tol = KINK_TOL if kink_tol is None else check_nonnegative(kink_tol, "kink_tol")
    n = check_positive_int(n_checks, "n_checks")
    rng = check_seed(seed)
    xw = _working_array(x)
    grad = as_float_array(analytic_grad, "analytic_grad")
    if grad.shape != xw.shape:
        raise ValueError(
            f"analytic_grad must have the same shape as x {xw.shape}, got shape {grad.shape}"
        )

    counted = CountingFunction(f)
    n = min(n, xw.size)
    flat = rng.choice(xw.size, size=n, replace=False)
    indices = [tuple(int(i) for i in np.unravel_index(k, xw.shape)) for k in flat]
    eps = float(np.finfo(xw.dtype).eps)

    p = _Perturber(counted, xw)
    f0 = _evaluate(counted, xw, "at x")
    numerical = np.empty(n)
    on_kink = np.zeros(n, dtype=bool)
    for k, ix in enumerate(indices):
        f_p, up = p.at(ix, step)
        f_m, down = p.at(ix, -step)
        f_p2, up2 = p.at(ix, step / 2)
        f_m2, down2 = p.at(ix, -step / 2)
        numerical[k] = (f_p - f_m) / (up - down)
        # one-sided slopes at steps h and h/2 (down, down2 are negative)
        q_plus, q_minus = (f_p - f0) / up, (f0 - f_m) / -down
        gap_h = q_plus - q_minus
        gap_h2 = (f_p2 - f0) / up2 - (f0 - f_m2) / -down2
        roundoff = 256 * eps * max(abs(f0), abs(f_p), abs(f_m), abs(f_p2), abs(f_m2)) / step
        scale = abs(q_plus) + abs(q_minus) + REL_ERROR_FLOOR
        on_kink[k] = abs(gap_h - 2 * gap_h2) > tol * scale + roundoff

    analytic = np.array([float(grad[ix]) for ix in indices])
    errors = _elementwise_rel_error(numerical, analytic)
    return GradCheckResult(
        indices=indices,
        numerical=numerical,
        analytic=analytic,
        rel_errors=errors,
        max_rel_error=float(errors.max()),
        on_kink=on_kink,
        h=step,
        n_evaluations=counted.calls,
    )
