"""Input checks shared by every public function of :mod:`lecture_utils`.

Validate once, at the public door: each helper here raises ``TypeError`` or
``ValueError`` with a message that names the argument, what was expected and
what was received. Internal helpers trust inputs that passed these checks.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "all_finite",
    "check_finite_part",
    "as_float_array",
    "check_labels",
    "check_scores_labels",
    "check_W_X_y",
    "check_nonnegative",
    "check_positive",
    "check_positive_int",
    "check_finite_number",
    "check_fraction",
    "check_choice",
    "check_seed",
]


def _shape_str(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def as_float_array(
    a: Any, name: str, ndim: int | None = None, check_finite: bool = True
) -> np.ndarray:
    """Return ``a`` as a finite floating-point array, or raise a clear error.

    Float32 and float64 inputs keep their dtype; integers and bools become
    float64. The input is never modified (a view may be returned, so callers
    must not write into the result).

    Parameters
    ----------
    a : array_like
        The value to check.
    name : str
        The argument's name, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    check_finite : bool, default True
        Reject NaN and Inf. Only a caller that checks finiteness itself, on the way through
        the data, may pass False (see :func:`lecture_utils.losses.svm_loss`).
    """
    if isinstance(a, (str, bytes)) or a is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(a).__name__}")
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be an array of numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real-valued, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got {arr.ndim}-D array of shape "
            f"{_shape_str(arr.shape)}"
        )
    if check_finite and not all_finite(arr):
        n_bad = sum(
            int(block.size - np.count_nonzero(np.isfinite(block))) for block in _blocks(arr)
        )
        raise ValueError(f"{name} contains NaN or Inf ({n_bad} non-finite entries)")
    return arr


# Bytes of input examined at a time by the finiteness check: a CIFAR-10-sized X (1.2 GB) is
# checked without a boolean temporary of its own size.
_FINITE_BLOCK_BYTES = 2**22


def _blocks(arr: np.ndarray):
    """Yield ``arr`` in slices along its first axis of at most ~_FINITE_BLOCK_BYTES each."""
    if arr.ndim == 0:
        yield arr
        return
    row_bytes = max(1, arr[:1].nbytes)
    step = max(1, _FINITE_BLOCK_BYTES // row_bytes)
    for start in range(0, arr.shape[0], step):
        yield arr[start : start + step]


def all_finite(arr: np.ndarray) -> bool:
    """Whether every entry is finite, checked in slices (no temporary the size of ``arr``)."""
    return all(bool(np.isfinite(block).all()) for block in _blocks(arr))


def check_finite_part(
    part: np.ndarray, whole: np.ndarray, name: str, product: np.ndarray | None = None
) -> None:
    """Raise as :func:`as_float_array` would if ``part`` (a slice of ``whole``) has NaN or Inf.

    For a caller that walks ``whole`` anyway, a quick test first: the sum of ``part``, which
    is finite whenever every entry is (read while ``part`` is in cache, it costs almost
    nothing); or, if the caller already computed ``product = part @ M`` for a finite M
    (transposed or not), that product, without reading ``part`` again: a NaN or an infinity
    in row i of ``part`` makes every entry of row i of the product NaN or infinite (NaN times
    anything is NaN, and an infinity times 0 is NaN). Only a failed quick test, which huge
    finite entries can also give, leads to the exact check; the error then counts the
    non-finite entries of all of ``whole``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        quick = bool(np.isfinite(part.sum() if product is None else product).all())
    if not quick and not all_finite(part):
        as_float_array(whole, name)  # raises "<name> contains NaN or Inf (k non-finite entries)"


def check_labels(y: Any, n_classes: int, name: str = "y", n: int | None = None) -> np.ndarray:
    """Return ``y`` as an int64 array of shape (N,) with values in [0, n_classes).

    Float labels with integral values (e.g. ``1.0``) are rejected: labels are
    class indices, and a float array usually means the wrong array was passed.
    """
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be an array of integer class labels, got {type(y).__name__}")
    arr = np.asarray(y)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must hold integer class labels in [0, {n_classes}), got dtype {arr.dtype}"
        )
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of shape (N,), got shape {_shape_str(arr.shape)}"
        )
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} labels but there are {n} examples")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: need at least one example")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0 or hi >= n_classes:
        bad = lo if lo < 0 else hi
        raise ValueError(f"{name} must hold labels in [0, {n_classes}), found label {bad}")
    return arr.astype(np.int64, copy=False)


def check_scores_labels(scores: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check a score matrix (N, C) and labels (N,) that go with it."""
    s = as_float_array(scores, "scores", ndim=2)
    if s.shape[0] == 0:
        raise ValueError("scores is empty: need at least one example (N >= 1)")
    if s.shape[1] < 2:
        raise ValueError(f"scores must have at least 2 classes (columns), got shape {s.shape}")
    labels = check_labels(y, s.shape[1], n=s.shape[0])
    return s, labels


def check_W_X_y(
    W: Any, X: Any, y: Any, check_finite_X: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check weights W (D, C), data X (N, D) and labels y (N,) against each other.

    If W and X have different float dtypes, both are computed in float64. With
    ``check_finite_X=False`` the caller must check X for NaN/Inf itself.
    """
    W_arr = as_float_array(W, "W", ndim=2)
    X_arr = as_float_array(X, "X", ndim=2, check_finite=check_finite_X)
    if X_arr.shape[0] == 0:
        raise ValueError("X is empty: need at least one example (N >= 1)")
    if W_arr.shape[1] < 2:
        raise ValueError(f"W must have shape (D, C) with C >= 2 classes, got shape {W_arr.shape}")
    if X_arr.shape[1] != W_arr.shape[0]:
        raise ValueError(
            f"X has {X_arr.shape[1]} features per example (shape {X_arr.shape}) but W expects "
            f"{W_arr.shape[0]} (shape {W_arr.shape}); W must have shape (D, C) = "
            f"({X_arr.shape[1]}, C)"
        )
    labels = check_labels(y, W_arr.shape[1], n=X_arr.shape[0])
    if W_arr.dtype != X_arr.dtype:
        W_arr = W_arr.astype(np.float64)
        X_arr = X_arr.astype(np.float64)
    return W_arr, X_arr, labels


def check_finite_number(value: Any, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}")
    return v


def check_nonnegative(value: Any, name: str) -> float:
    """Return ``value`` as a float >= 0, or raise."""
    v = check_finite_number(value, name)
    if v < 0:
        raise ValueError(f"{name} must be >= 0, got {v}")
    return v


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a float > 0, or raise."""
    v = check_finite_number(value, name)
    if v <= 0:
        raise ValueError(f"{name} must be > 0, got {v}")
    return v


def check_fraction(value: Any, name: str) -> float:
    """Return ``value`` as a float in [0, 1), or raise (a momentum, a decay, a share of data).

    Examples
    --------
    >>> check_fraction(0.9, "beta")
    0.9
    >>> check_fraction(1.0, "beta")
    Traceback (most recent call last):
    ...
    ValueError: beta must be in [0, 1), got 1.0
    """
    v = check_finite_number(value, name)
    if v < 0:
        raise ValueError(f"{name} must be >= 0 (a fraction in [0, 1)), got {v}")
    if v >= 1:
        raise ValueError(f"{name} must be in [0, 1), got {v}")
    return v


def check_choice(value: Any, options: Iterable[str], name: str) -> str:
    """Return ``value`` if it is one of the names ``options`` (e.g. a dict's keys), or raise.

    TypeError if ``value`` is not a string, ValueError listing the sorted options if it is
    an unknown name.

    Examples
    --------
    >>> check_choice("svm", {"svm": 1, "softmax": 2}, "loss")
    'svm'
    >>> check_choice("hinge", {"svm": 1, "softmax": 2}, "loss")
    Traceback (most recent call last):
    ...
    ValueError: loss must be one of ['softmax', 'svm'], got 'hinge'
    """
    names = sorted(options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {names}; got {type(value).__name__}")
    if value not in names:
        raise ValueError(f"{name} must be one of {names}, got {value!r}")
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int >= 1, or raise."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__}")
    if int(value) < 1:
        raise ValueError(f"{name} must be >= 1, got {int(value)}")
    return int(value)


def check_seed(seed: Any, name: str = "seed") -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from an int seed or a Generator, or raise.

    A Generator is returned as is (so a caller can share one stream); an int
    >= 0 seeds a new ``numpy.random.default_rng``. Global RNG state is never used.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (numbers.Integral, np.integer)):
        raise TypeError(
            f"{name} must be an int >= 0 or a numpy.random.Generator, got {type(seed).__name__}"
        )
    if int(seed) < 0:
        raise ValueError(f"{name} must be an int >= 0, got {int(seed)}")
    return np.random.default_rng(int(seed))
