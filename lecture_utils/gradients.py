"""Numerical gradients and gradient checking.

An analytic gradient (the formula we derived) is fast but easy to get wrong; a
numerical gradient (finite differences of the loss) is slow but hard to get
wrong. Gradient checking compares the two on a few coordinates.

- centred differences:  df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)   error O(h^2)
- forward differences:  df/dx_i ~ (f(x + h e_i) - f(x)) / h             error O(h)

The centred version costs two loss evaluations per parameter, the forward one
one per parameter (plus one for f(x)); wrap ``f`` with :func:`count_evaluations`
to see it.

How ``x`` is perturbed: when ``x`` is a writeable float32/float64 ndarray, its
entries are changed *in place*, one at a time, and each is restored to its exact
original value right after (also if ``f`` raises). So ``f`` may read ``x``
through its argument or through a closure (``f = lambda _: loss(W)`` with
``x = W``). Other inputs (lists, ints, read-only arrays) are copied first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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

__all__ = [
    "numerical_gradient",
    "numerical_gradient_forward",
    "rel_error",
    "REL_ERROR_FLOOR",
    "grad_check",
    "GradCheckResult",
    "count_evaluations",
    "CountingFunction",
]

#: Floor of the denominator of :func:`rel_error` (the value CS231n uses).
REL_ERROR_FLOOR = 1e-8

#: Default relative threshold of the kink test in :func:`grad_check`.
KINK_TOL = 1e-6


class CountingFunction:
    """A callable that forwards to ``f`` and counts the calls in ``.calls``.

    Parameters
    ----------
    f : callable
        The function to wrap.

    Attributes
    ----------
    calls : int
        Number of calls so far. Set it to 0 to start counting again.
    """

    def __init__(self, f: Callable[..., Any]) -> None:
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        self.f = f
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.f(*args, **kwargs)

    def __repr__(self) -> str:
        return f"CountingFunction({getattr(self.f, '__name__', repr(self.f))}, calls={self.calls})"


def count_evaluations(f: Callable[..., Any]) -> CountingFunction:
    """Wrap ``f`` so that the number of calls can be read from ``.calls``.

    Examples
    --------
    >>> import numpy as np
    >>> f = count_evaluations(lambda x: float(np.sum(x**2)))
    >>> _ = numerical_gradient(f, np.zeros((2, 3)))
    >>> f.calls  # two evaluations per parameter for centred differences
    12
    """
    return CountingFunction(f)


def _check_f(f: Any) -> None:
    if not callable(f):
        raise TypeError(
            f"f must be a callable taking an array and returning a float, got {type(f).__name__}"
        )


def _evaluate(f: Callable[[np.ndarray], Any], x: np.ndarray, where: str) -> float:
    """Call f(x) and return the result as a finite float, or raise a clear error."""
    value = f(x)
    if isinstance(value, tuple):
        raise TypeError(
            f"f must return a single number, got a tuple of length {len(value)}; if your loss "
            "returns (loss, grad), pass f = lambda W: loss_fn(W, ...)[0]"
        )
    arr = np.asarray(value)
    if arr.size != 1 or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(
            f"f must return a single number, got {type(value).__name__} with shape {arr.shape}"
        )
    v = float(arr.reshape(()))
    if not np.isfinite(v):
        raise ValueError(f"f returned {v} {where}; the loss must be finite")
    return v


def _working_array(x: Any) -> np.ndarray:
    """Return the array to perturb: x itself if it is a writeable float ndarray, else a copy."""
    arr = as_float_array(x, "x")
    if arr.size == 0:
        raise ValueError(f"x is empty (shape {arr.shape}): need at least one entry")
    if arr is x and arr.flags.writeable:
        return arr
    return np.array(arr, copy=True)


class _Perturber:
    """Set x[ix] to shifted values and always put the original value back."""

    def __init__(self, f: Callable[[np.ndarray], Any], x: np.ndarray) -> None:
        self.f = f
        self.x = x

    def at(self, ix: tuple[int, ...], shift: float) -> tuple[float, float]:
        """Return (f(x + shift e_ix), the shift actually stored in x's dtype)."""
        old = self.x[ix]
        try:
            self.x[ix] = old + shift
            actual = float(self.x[ix]) - float(old)
            value = _evaluate(self.f, self.x, f"at x{list(ix)} shifted by {shift:g}")
        finally:
            self.x[ix] = old
        return value, actual


def _all_indices(shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    return np.ndindex(*shape)


def numerical_gradient(f: Callable[[np.ndarray], float], x: Any, h: float = 1e-5) -> np.ndarray:
    """Gradient of ``f`` at ``x`` by centred differences.

    grad_i = (f(x + h e_i) - f(x - h e_i)) / (x_i+h - (x_i-h)), evaluated for every
    entry i of x: 2 * x.size calls of f. The denominator is the step actually
    stored in x's dtype (exactly 2h up to rounding), which keeps float32 honest.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``: the loss as a function of an array shaped like x.
    x : array_like of any shape, e.g. W of shape (D, C)
        Point at which to differentiate. Left unchanged (see the module notes:
        a writeable float ndarray is perturbed in place and restored exactly,
        even if f raises).
    h : float, default 1e-5
        Step size, > 0. For float32 data use a larger step such as 1e-3.

    Returns
    -------
    grad : ndarray of the same shape and float dtype as x
        Numerical estimate of df/dx.

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda w: float(np.sum(w**2)), np.array([1.0, -2.0]))
    >>> np.round(g, 6).tolist()
    [2.0, -4.0]
    """
    _check_f(f)
    step = check_positive(h, "h")
    xw = _working_array(x)
    grad = np.zeros(xw.shape, dtype=np.float64)
    p = _Perturber(f, xw)
    for ix in _all_indices(xw.shape):
        f_plus, up = p.at(ix, step)
        f_minus, down = p.at(ix, -step)
        grad[ix] = (f_plus - f_minus) / (up - down)
    return grad.astype(xw.dtype, copy=False)


def numerical_gradient_forward(
    f: Callable[[np.ndarray], float], x: Any, h: float = 1e-5
) -> np.ndarray:
    """Gradient of ``f`` at ``x`` by forward differences (less accurate than centred).

    grad_i = (f(x + h e_i) - f(x)) / h: x.size + 1 calls of f, error O(h) instead
    of the O(h^2) of :func:`numerical_gradient`.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : array_like of any shape
        Point at which to differentiate. Left unchanged.
    h : float, default 1e-5
        Step size, > 0.

    Returns
    -------
    grad : ndarray of the same shape and float dtype as x
        Numerical estimate of df/dx.
    """
    _check_f(f)
    step = check_positive(h, "h")
    xw = _working_array(x)
    f0 = _evaluate(f, xw, "at x")
    grad = np.zeros(xw.shape, dtype=np.float64)
    p = _Perturber(f, xw)
    for ix in _all_indices(xw.shape):
        f_plus, up = p.at(ix, step)
        grad[ix] = (f_plus - f0) / up
    return grad.astype(xw.dtype, copy=False)


def _elementwise_rel_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a.astype(np.float64, copy=False)
    b = b.astype(np.float64, copy=False)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), REL_ERROR_FLOOR)


def rel_error(a: Any, b: Any) -> float:
    """Largest elementwise relative error between two arrays of the same shape.

    r_i = |a_i - b_i| / max(|a_i| + |b_i|, 1e-8), and the result is max_i r_i.
    So r_i = 0 when a_i = b_i (in particular when both are 0), r_i <= 1 always,
    and tiny entries (|a_i| + |b_i| < 1e-8) are compared absolutely (the floor is
    ``REL_ERROR_FLOOR``, the same as in CS231n).

    Rough reading for gradient checks in float64: < 1e-7 good, 1e-7..1e-4 look
    closer (kinks?), > 1e-4 usually a bug.

    Parameters
    ----------
    a, b : array_like of the same shape (or numbers)
        The two values to compare, e.g. analytic and numerical gradients.

    Returns
    -------
    float
        max_i r_i, in [0, 1].

    Examples
    --------
    >>> rel_error(0.0, 0.0)
    0.0
    >>> rel_error([1.0, 2.0], [1.0, 3.0])
    0.2
    """
    a_arr = as_float_array(a, "a")
    b_arr = as_float_array(b, "b")
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"a and b must have the same shape, got a of shape {a_arr.shape} and b of shape "
            f"{b_arr.shape}"
        )
    if a_arr.size == 0:
        raise ValueError("a and b are empty: nothing to compare")
    return float(np.max(_elementwise_rel_error(a_arr, b_arr)))


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
        Relative error per coordinate (see :func:`rel_error`).
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
        """A table with one row per checked coordinate, and a last line with the maxima."""
        idx_strs = [str(tuple(int(i) for i in ix)) for ix in self.indices]
        width = max([len("index")] + [len(s) for s in idx_strs])
        lines = [
            f"{'index':>{width}}  {'numerical':>13}  {'analytic':>13}  {'rel. error':>10}  kink"
        ]
        for s, num, ana, err, kink in zip(
            idx_strs, self.numerical, self.analytic, self.rel_errors, self.on_kink, strict=True
        ):
            flag = "  yes" if kink else ""
            lines.append(f"{s:>{width}}  {num:13.6e}  {ana:13.6e}  {err:10.2e}{flag}")
        lines.append(
            f"max rel. error {self.max_rel_error:.2e} "
            f"(off kinks {self.max_rel_error_off_kink:.2e}); "
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
    :func:`rel_error`.

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
        Point of the check. Left unchanged (see :func:`numerical_gradient`).
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
