"""Numerical gradients and gradient checking.

An analytic gradient (the formula we derived) is fast but easy to get wrong; a
numerical gradient (finite differences of the loss) is slow but hard to get
wrong. Gradient checking (:func:`grad_check`, defined in
:mod:`lecture_utils.gradient_check`) compares the two on a few coordinates.

- centred differences:  df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)   error O(h^2)
- forward differences:  df/dx_i ~ (f(x + h e_i) - f(x)) / h             error O(h)

The centred version costs two loss evaluations per parameter, the forward one
one per parameter (plus one for f(x)); wrap ``f`` with :func:`count_evaluations`
to see it. Which step h is best? :func:`finite_difference_errors` draws the answer: the
error of the estimate against h is a V (truncation error on the right, round-off on the
left).

How ``x`` is perturbed: when ``x`` is a writeable float32/float64 ndarray, its
entries are changed *in place*, one at a time, and each is restored to its exact
original value right after (also if ``f`` raises). So ``f`` may read ``x``
through its argument or through a closure (``f = lambda _: loss(W)`` with
``x = W``). Other inputs (lists, ints, read-only arrays) are copied first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ._validation import as_float_array, check_nonnegative, check_positive

__all__ = [
    "numerical_gradient",
    "numerical_gradient_forward",
    "rel_error",
    "REL_ERROR_FLOOR",
    "REL_ERROR_BANDS",
    "rel_error_band",
    "format_rel_error",
    "grad_check",
    "GradCheckResult",
    "KINK_TOL",
    "count_evaluations",
    "CountingFunction",
    "finite_difference_errors",
    "METHODS",
]

#: Floor of the denominator of :func:`rel_error` (the value CS231n uses).
REL_ERROR_FLOOR = 1e-8


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

    Reading it in a float64 gradient check: :data:`REL_ERROR_BANDS` (< 1e-7 right,
    1e-7 to 1e-4 look closer, 1e-4 to 1e-2 uncomfortable, >= 1e-2 probably wrong).

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


#: CS231n's reading of a relative error in a float64 gradient check (the course notes,
#: "Gradient checks"), as (upper bound, band, verdict) rows: :func:`rel_error_band` names the
#: band an error falls in. The notes divide by max(|a|, |n|); :func:`rel_error`, like the
#: assignment's code, by |a| + |n|, which gives up to half the notes' value.
REL_ERROR_BANDS: tuple[tuple[float, str, str], ...] = (
    (1e-7, "< 1e-7", "the gradient is right"),
    (1e-4, "1e-7 to 1e-4", "fine near kinks, too high for a smooth loss"),
    (1e-2, "1e-4 to 1e-2", "uncomfortable"),
    (np.inf, ">= 1e-2", "the gradient is probably wrong"),
)


def rel_error_band(error: float) -> str:
    """The band of :data:`REL_ERROR_BANDS` that a relative error falls in.

    A relative error near the floating-point round-off (1e-10, 1e-9 ...) changes with the BLAS
    library, its kernel and the number of threads; its band does not (unless it sits right at
    a band's edge). Notebooks print bands, so their stored outputs hold on every machine.

    Parameters
    ----------
    error : float
        A relative error, >= 0 (e.g. from :func:`rel_error`).

    Returns
    -------
    str
        One of ``"< 1e-7"``, ``"1e-7 to 1e-4"``, ``"1e-4 to 1e-2"``, ``">= 1e-2"``.

    Examples
    --------
    >>> rel_error_band(1.4e-9), rel_error_band(6e-7), rel_error_band(2e-3), rel_error_band(1.0)
    ('< 1e-7', '1e-7 to 1e-4', '1e-4 to 1e-2', '>= 1e-2')
    """
    value = check_nonnegative(error, "error")
    return next(band for upper, band, _ in REL_ERROR_BANDS if value < upper)


def format_rel_error(error: float) -> str:
    """A relative error for printing: ``"< 1e-7"`` below 1e-7, else three significant digits.

    Below 1e-7 a float64 gradient check has passed and the digits are round-off, which
    changes with the BLAS library, kernel and thread count: they are not printed, so printed
    tables read the same on every machine. Larger errors (kinks, bugs) are shown as numbers.

    Parameters
    ----------
    error : float
        A relative error, >= 0.

    Returns
    -------
    str

    Examples
    --------
    >>> format_rel_error(1.84e-10), format_rel_error(0.0), format_rel_error(1 / 3)
    ('< 1e-7', '< 1e-7', '3.33e-01')
    """
    value = check_nonnegative(error, "error")
    return "< 1e-7" if value < REL_ERROR_BANDS[0][0] else f"{value:.2e}"


#: The two finite-difference formulas of :func:`finite_difference_errors`, by name.
METHODS = ("centered", "forward")


def finite_difference_errors(
    f: Callable[[np.ndarray], float],
    W: np.ndarray,
    analytic: Any,
    indices: list[tuple[int, ...]],
    hs: Any,
    method: str,
) -> np.ndarray:
    r"""Relative error of finite-difference derivatives against the exact ones, for every step h.

    For each h, the derivative along each coordinate :math:`k` of ``indices`` is estimated
    with the nominal step,

    .. math:: \frac{f(W + h e_k) - f(W - h e_k)}{2h} \quad\text{(centered)}, \qquad
              \frac{f(W + h e_k) - f(W)}{h} \quad\text{(forward)},

    with :math:`W + h e_k` stored in W's dtype (so in float32 :math:`W_k + h` is rounded).
    For tiny h the two loss values come out exactly equal, their difference lost below the
    loss's own round-off (or, tinier still, :math:`W_k + h` rounds back to :math:`W_k`): the
    estimate is 0 and the relative error 1. The
    result is :func:`rel_error` between those estimates and ``analytic`` at the same
    coordinates, the largest over the coordinates.

    Against h on log-log axes this error is a V. On the right, *truncation*: the formula
    ignores the curvature, an error :math:`\sim h^2` (centered) or :math:`\sim h` (forward).
    On the left, *round-off*: the two loss values carry a relative error of about
    :math:`\varepsilon` (the machine epsilon of W's dtype: 2.2e-16 in float64, 1.2e-7 in
    float32), and their difference divided by h an error :math:`\sim \varepsilon / h`. The
    bottom sits near :math:`h \approx \varepsilon^{1/3}` (centered) or
    :math:`\varepsilon^{1/2}` (forward): far higher for float32 than for float64.

    Parameters
    ----------
    f : callable
        ``f(W) -> float``, computing in W's dtype.
    W : ndarray of any shape, e.g. (D, C), float32 or float64
        The point. Not modified (the steps are taken on a copy).
    analytic : array_like of W's shape
        The exact gradient :math:`\partial f / \partial W`.
    indices : list of tuple of int, length K >= 1
        The coordinates :math:`k` to check, each a valid index of W.
    hs : array_like of shape (H,)
        Step sizes, each > 0.
    method : {"centered", "forward"}
        The formula, a name of :data:`METHODS`.

    Returns
    -------
    ndarray of shape (H,)
        For each h, the largest relative error over the K coordinates, in [0, 1].

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``W`` is not a float32/float64 ndarray.
    ValueError
        If ``method`` is not in :data:`METHODS`, an h is <= 0, ``indices`` is empty or
        ``analytic``'s shape differs from W's.

    Examples
    --------
    f(w) = w³ at w = 1 (f' = 3): centered differences err by h²/(6 + h²), forward ones by
    about h/2; a step of 1e-17 is lost entirely (1 ± 1e-17 == 1 in float64).

    >>> f = lambda w: float(np.sum(w**3))
    >>> W, exact = np.array([1.0]), np.array([3.0])
    >>> errors = finite_difference_errors(f, W, exact, [(0,)], [1e-1, 1e-5, 1e-17], "centered")
    >>> f"{errors[0]:.2e}", bool(errors[1] < 1e-9), float(errors[2])
    ('1.66e-03', True, 1.0)
    >>> float(finite_difference_errors(f, W, exact, [(0,)], [1e-5], "forward")[0]) > 1e-6
    True
    """
    _check_f(f)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if not isinstance(W, np.ndarray) or W.dtype not in (np.float32, np.float64):
        raise TypeError(
            "W must be a float32 or float64 ndarray (the dtype the steps are stored in), got "
            + (f"dtype {W.dtype}" if isinstance(W, np.ndarray) else type(W).__name__)
        )
    exact_grad = as_float_array(analytic, "analytic")
    if exact_grad.shape != W.shape:
        raise ValueError(f"analytic must have W's shape {W.shape}, got shape {exact_grad.shape}")
    if len(indices) == 0:
        raise ValueError("indices is empty: give at least one coordinate of W to check")
    h_values = as_float_array(hs, "hs", ndim=1)
    if (h_values <= 0).any():
        raise ValueError("every step size h must be > 0")
    dtype = W.dtype.type
    exact = np.array([exact_grad[ix] for ix in indices], dtype=np.float64)
    f0 = float(f(W)) if method == "forward" else 0.0
    out = np.empty(h_values.shape[0])
    work = W.copy()
    for m, h in enumerate(h_values):
        estimates = np.empty(len(indices))
        for k, ix in enumerate(indices):
            old = work[ix]
            work[ix] = old + dtype(h)
            f_plus = float(f(work))
            if method == "centered":
                work[ix] = old - dtype(h)
                f_minus = float(f(work))
                estimates[k] = (f_plus - f_minus) / (2 * h)
            else:
                estimates[k] = (f_plus - f0) / h
            work[ix] = old
        out[m] = rel_error(estimates, exact)
    return out


# grad_check has its own module (it builds on everything above); re-exported here, where a
# student looks for it. Imported last: lecture_utils.gradient_check imports from this module.
from .gradient_check import KINK_TOL, GradCheckResult, grad_check  # noqa: E402
