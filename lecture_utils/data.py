"""Data for the notebooks: the lecture's worked examples, toy 2-D sets, digits and CIFAR-10.

Conventions (as everywhere in :mod:`lecture_utils`): X has shape (N, D), one
example per row, float64; y has shape (N,), int64 labels in [0, C); scores
have shape (N, C), one row per example and one column per class.

Nothing here downloads: the digits data set ships inside the package
(``lecture_utils/datasets/``, see its README for source and licence), and
:func:`load_cifar10` reads files the learner already has on disk (its reader lives in
``lecture_utils/_cifar10.py``; import it from here).
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from ._cifar10 import CIFAR10_CLASSES, load_cifar10
from ._validation import (
    as_float_array,
    check_fraction,
    check_labels,
    check_nonnegative,
    check_positive_int,
    check_seed,
)

__all__ = [
    "LectureExample",
    "lecture_example",
    "RegularizationExample",
    "regularization_example",
    "make_blobs",
    "make_spiral",
    "playground_points",
    "load_digits",
    "DIGITS_SHAPE",
    "Split",
    "train_val_test_split",
    "standardize",
    "add_bias",
    "load_cifar10",
    "CIFAR10_CLASSES",
]


# ---------------------------------------------------------------------------
# The lecture's worked examples
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LectureExample:
    """The lecture's 3 images x 3 classes score table, in library orientation.

    Attributes
    ----------
    scores : ndarray of shape (3, 3)
        ``scores[i, j]`` is the score of image i for class j (rows = images,
        columns = classes). The lecture's slide shows the transpose.
    y : ndarray of shape (3,), int64
        Correct class of each image: [0, 1, 2] (cat image is a cat, ...).
    class_names : tuple of str, length 3
        ("cat", "car", "frog"), the column order of ``scores``.
    image_names : tuple of str, length 3
        ("cat image", "car image", "frog image"), the row order of ``scores``.
    """

    scores: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]
    image_names: tuple[str, ...]


def lecture_example() -> LectureExample:
    """Return the lecture's cat/car/frog score table as (N, C) = (3, 3) scores with labels.

    On the slide, classes are rows and images are columns::

                  cat image  car image  frog image
        cat          3.2        1.3        2.2
        car          5.1        4.9        2.5
        frog        -1.7        2.0       -3.1

    Here each image is a row, so ``scores = slide.T``. With the multiclass SVM
    loss (delta = 1) the per-image losses are 2.9, 0 and 12.9, mean 5.27.

    Returns
    -------
    LectureExample
        Fresh arrays on every call (changing them does not affect the next call).

    Examples
    --------
    >>> ex = lecture_example()
    >>> ex.scores[0].tolist()  # the cat image's scores for cat, car, frog
    [3.2, 5.1, -1.7]
    """
    scores = np.array(
        [
            [3.2, 5.1, -1.7],  # cat image
            [1.3, 4.9, 2.0],  # car image
            [2.2, 2.5, -3.1],  # frog image
        ]
    )
    return LectureExample(
        scores=scores,
        y=np.array([0, 1, 2], dtype=np.int64),
        class_names=("cat", "car", "frog"),
        image_names=("cat image", "car image", "frog image"),
    )


@dataclass(frozen=True, eq=False)
class RegularizationExample:
    """The lecture's regularization example: two weight vectors with equal scores.

    Attributes
    ----------
    x : ndarray of shape (4,)
        Input [1, 1, 1, 1].
    w1 : ndarray of shape (4,)
        [1, 0, 0, 0]: all weight on one input.
    w2 : ndarray of shape (4,)
        [0.25, 0.25, 0.25, 0.25]: weight spread out.
    """

    x: np.ndarray
    w1: np.ndarray
    w2: np.ndarray


def regularization_example() -> RegularizationExample:
    """Return x = [1, 1, 1, 1], w1 = [1, 0, 0, 0], w2 = [.25, .25, .25, .25].

    Both give the same score, w1 . x = w2 . x = 1, so the data loss cannot tell
    them apart. L2 regularization prefers w2 (sum w^2 is 1 for w1, 0.25 for w2);
    L1 cannot tell them apart either (sum |w| = 1 for both).
    """
    return RegularizationExample(
        x=np.ones(4),
        w1=np.array([1.0, 0.0, 0.0, 0.0]),
        w2=np.full(4, 0.25),
    )


# ---------------------------------------------------------------------------
# Toy 2-D data sets
# ---------------------------------------------------------------------------


def _check_n_classes(n_classes: Any) -> int:
    c = check_positive_int(n_classes, "n_classes")
    if c < 2:
        raise ValueError(f"n_classes must be >= 2 for a classification problem, got {c}")
    return c


def make_blobs(
    n_per_class: int = 30,
    n_classes: int = 3,
    spread: float = 0.5,
    seed: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs in 2-D, one per class, centred on a circle of radius 2.

    Class k's centre is 2 * (cos(2 pi k / C + pi / 2), sin(2 pi k / C + pi / 2));
    its points are centre + spread * standard normal noise. With the default
    spread the classes are (almost) linearly separable.

    Parameters
    ----------
    n_per_class : int, default 30
        Points per class, >= 1.
    n_classes : int, default 3
        Number of classes C, >= 2.
    spread : float, default 0.5
        Standard deviation of each blob, >= 0.
    seed : int or numpy.random.Generator, default 0
        Same seed, same points.

    Returns
    -------
    X : ndarray of shape (n_per_class * C, 2), float64
        Points, grouped by class (class 0 first).
    y : ndarray of shape (n_per_class * C,), int64
        Labels in [0, C).
    """
    n = check_positive_int(n_per_class, "n_per_class")
    c = _check_n_classes(n_classes)
    s = check_nonnegative(spread, "spread")
    rng = check_seed(seed)
    angles = 2 * np.pi * np.arange(c) / c + np.pi / 2
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])  # (C, 2)
    y = np.repeat(np.arange(c, dtype=np.int64), n)
    X = centres[y] + s * rng.standard_normal((n * c, 2))
    return X, y


def make_spiral(
    n_per_class: int = 100,
    n_classes: int = 3,
    noise: float = 0.2,
    seed: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in 2-D (the CS231n spiral): not linearly separable.

    Point i of class k has radius r_i = i / (n_per_class - 1) in [0, 1] and angle
    t_i = 4 k + 4 r_i + noise * standard normal; it sits at
    (r_i sin t_i, r_i cos t_i).

    Parameters
    ----------
    n_per_class : int, default 100
        Points per class, >= 1.
    n_classes : int, default 3
        Number of classes (arms) C, >= 2.
    noise : float, default 0.2
        Standard deviation of the angle noise, >= 0.
    seed : int or numpy.random.Generator, default 0
        Same seed, same points.

    Returns
    -------
    X : ndarray of shape (n_per_class * C, 2), float64
        Points, grouped by class (class 0 first), inside the unit disc.
    y : ndarray of shape (n_per_class * C,), int64
        Labels in [0, C).
    """
    n = check_positive_int(n_per_class, "n_per_class")
    c = _check_n_classes(n_classes)
    sigma = check_nonnegative(noise, "noise")
    rng = check_seed(seed)
    r = np.tile(np.linspace(0.0, 1.0, n), c)
    y = np.repeat(np.arange(c, dtype=np.int64), n)
    t = 4.0 * y + 4.0 * r + sigma * rng.standard_normal(n * c)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y


def playground_points() -> tuple[np.ndarray, np.ndarray]:
    """The classifier playground's default data: 9 points in 2-D, 3 per class.

    Modelled on the CS231n linear classification web demo: class 0 at the top
    right, class 1 at the left, class 2 at the bottom; all coordinates in [-1, 1].

    Returns
    -------
    X : ndarray of shape (9, 2), float64
    y : ndarray of shape (9,), int64
        [0, 0, 0, 1, 1, 1, 2, 2, 2].
    """
    X = np.array(
        [
            [0.5, 0.4],
            [0.8, 0.3],
            [0.3, 0.8],
            [-0.4, 0.3],
            [-0.3, 0.7],
            [-0.7, 0.2],
            [0.7, -0.4],
            [0.5, -0.6],
            [-0.4, -0.5],
        ]
    )
    y = np.repeat(np.arange(3, dtype=np.int64), 3)
    return X, y


# ---------------------------------------------------------------------------
# Handwritten digits (shipped with the package)
# ---------------------------------------------------------------------------

#: Shape of one digit image; a row of X reshapes to it.
DIGITS_SHAPE = (8, 8)


@functools.lru_cache(maxsize=1)
def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    # Kept for the session as uint8 (pixels 0..16, labels 0..9: exact), 8 times smaller than
    # the float64 table (0.1 instead of 0.9 MiB in every kernel that loaded the digits).
    source = resources.files("lecture_utils") / "datasets" / "digits.csv.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    compact = table.astype(np.uint8)
    if not np.array_equal(compact, table):  # the shipped file holds small integers only
        raise ValueError("digits.csv.gz holds values that are not integers in 0..255")
    X = compact[:, :-1]
    y = compact[:, -1]
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: 1,797 images of 8 x 8 pixels, digits 0-9.

    Read from the copy shipped in ``lecture_utils/datasets/digits.csv.gz`` (the
    test part of UCI "Optical Recognition of Handwritten Digits", Alpaydin &
    Kaynak 1998, CC BY 4.0, as distributed with scikit-learn). About 180
    images per class.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Pixel values 0..16 (integers stored as floats); ``X[i].reshape(8, 8)``
        is image i.
    y : ndarray of shape (1797,), int64
        Digit labels in [0, 10).

    Notes
    -----
    The file is parsed once per session; every call returns fresh, writeable copies.
    """
    X, y = _read_digits()
    return X.astype(np.float64), y.astype(np.int64)


# ---------------------------------------------------------------------------
# Splitting and preprocessing
# ---------------------------------------------------------------------------


class Split(NamedTuple):
    """Train / validation / test parts; unpacks like a 6-tuple.

    Each ``X_*`` has shape (n_part, D) and each ``y_*`` shape (n_part,).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def train_val_test_split(
    X: Any,
    y: Any,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    seed: int | np.random.Generator = 0,
    stratify: bool = True,
) -> Split:
    """Shuffle and split (X, y) into training, validation and test parts.

    With ``stratify=True`` each class is split separately, so every part keeps
    the class proportions: of a class with n_k examples, round(n_k *
    test_fraction) go to test, round(n_k * val_fraction) to validation, the
    rest to training. With ``stratify=False`` the same rounding is applied to
    N. Each part is shuffled.

    Parameters
    ----------
    X : array_like of shape (N, D)
        Examples. Not modified (the parts are copies).
    y : array_like of shape (N,), int
        Labels in [0, C), C = y.max() + 1.
    val_fraction, test_fraction : float, default 0.2
        Fractions in [0, 1) with val_fraction + test_fraction < 1. A fraction of
        0 gives an empty part of shape (0, D).
    seed : int or numpy.random.Generator, default 0
        Same seed, same split.
    stratify : bool, default True
        Split each class separately.

    Returns
    -------
    Split
        ``(X_train, y_train, X_val, y_val, X_test, y_test)`` with fields of
        those names; X parts (n_part, D) in X's float dtype, y parts (n_part,) int64.
    """
    X_arr = as_float_array(X, "X", ndim=2)
    if X_arr.shape[0] == 0:
        raise ValueError("X is empty: need at least one example (N >= 1)")
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"y must be an array of integer class labels, got {type(y).__name__}")
    y_raw = np.asarray(y)
    # C = max label + 1; check_labels then rejects float, negative or mismatched labels
    n_classes = int(y_raw.max()) + 1 if y_raw.size and np.issubdtype(y_raw.dtype, np.integer) else 1
    labels = check_labels(y_raw, max(n_classes, 1), n=X_arr.shape[0])
    val = check_fraction(val_fraction, "val_fraction")
    test = check_fraction(test_fraction, "test_fraction")
    if val + test >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be < 1 to leave training data, got {val + test}"
        )
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(f"stratify must be True or False, got {type(stratify).__name__}")
    rng = check_seed(seed)

    groups = (
        [np.flatnonzero(labels == k) for k in range(n_classes)]
        if stratify
        else [np.arange(labels.shape[0])]
    )
    parts: list[list[np.ndarray]] = [[], [], []]  # train, val, test
    for members in groups:
        order = rng.permutation(members)
        n_test = int(round(order.size * test))
        n_val = int(round(order.size * val))
        parts[2].append(order[:n_test])
        parts[1].append(order[n_test : n_test + n_val])
        parts[0].append(order[n_test + n_val :])
    idx = [rng.permutation(np.concatenate(p)) for p in parts]
    if idx[0].size == 0:
        raise ValueError("the split leaves no training examples: lower val_fraction/test_fraction")
    return Split(
        X_arr[idx[0]], labels[idx[0]], X_arr[idx[1]], labels[idx[1]], X_arr[idx[2]], labels[idx[2]]
    )


def standardize(X_train: Any, *X_other: Any, with_std: bool = True) -> tuple[np.ndarray, ...]:
    """Centre (and scale) features with statistics of the training data only.

    x' = (x - mean_train) / std_train, per feature (column). Features with
    std_train = 0 (e.g. border pixels that are always 0) are only centred.
    Validation and test data use the *training* mean and std, so no
    information leaks from them.

    Parameters
    ----------
    X_train : array_like of shape (N_train, D)
        Training examples; the mean and std come from here.
    *X_other : array_like of shape (N_k, D)
        Further arrays (validation, test) transformed the same way.
    with_std : bool, default True
        If False, only subtract the mean (CS231n's "mean image" step).

    Returns
    -------
    tuple of ndarray
        The transformed ``X_train`` followed by each ``X_other``, same shapes,
        new arrays (the inputs are not modified). Always a tuple, also for one input.

    Examples
    --------
    >>> Xtr, Xte = standardize([[0.0, 1.0], [2.0, 1.0]], [[4.0, 3.0]])
    >>> Xtr.tolist(), Xte.tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [[3.0, 2.0]])
    """
    train = as_float_array(X_train, "X_train", ndim=2)
    if train.shape[0] == 0:
        raise ValueError("X_train is empty: need at least one example (N >= 1)")
    others = []
    for k, Xk in enumerate(X_other):
        arr = as_float_array(Xk, f"X_other[{k}]", ndim=2)
        if arr.shape[1] != train.shape[1]:
            raise ValueError(
                f"X_other[{k}] has {arr.shape[1]} features but X_train has {train.shape[1]}"
            )
        others.append(arr)
    mean = train.mean(axis=0)
    if with_std:
        std = train.std(axis=0)
        std = np.where(std > 0, std, 1.0).astype(train.dtype)
    else:
        std = np.ones(train.shape[1], dtype=train.dtype)
    return tuple((a - mean) / std for a in (train, *others))


def add_bias(X: Any) -> np.ndarray:
    """Append a column of ones to X (the bias trick), so X @ W includes a bias row of W.

    Parameters
    ----------
    X : array_like of shape (N, D)

    Returns
    -------
    ndarray of shape (N, D + 1)
        New array, last column all ones, same float dtype as X.

    Examples
    --------
    >>> add_bias([[2.0, 3.0]]).tolist()
    [[2.0, 3.0, 1.0]]
    """
    arr = as_float_array(X, "X", ndim=2)
    return np.hstack([arr, np.ones((arr.shape[0], 1), dtype=arr.dtype)])
