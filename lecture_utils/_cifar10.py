"""CIFAR-10 from local files: the reader behind :func:`lecture_utils.data.load_cifar10`.

Import :func:`load_cifar10` and :data:`CIFAR10_CLASSES` from :mod:`lecture_utils.data`.
Nothing here downloads.
"""

from __future__ import annotations

import pickle
from os import PathLike
from pathlib import Path

import numpy as np

from ._validation import check_labels

__all__ = ["load_cifar10", "CIFAR10_CLASSES"]


# ---------------------------------------------------------------------------
# CIFAR-10 from local files
# ---------------------------------------------------------------------------

#: CIFAR-10 class names, in label order.
CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)

_CIFAR_TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
_CIFAR_TEST_FILE = "test_batch"
_CIFAR_DIM = 32 * 32 * 3


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Return one batch as raw (n, 3072) pixels in the file's order and int64 labels (n,)."""
    with path.open("rb") as fh:
        batch = pickle.load(fh, encoding="bytes")
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise ValueError(
            f"{path} is not a CIFAR-10 python batch: expected a pickled dict with keys "
            "b'data' and b'labels'"
        )
    data = np.asarray(batch[b"data"])
    labels = np.asarray(batch[b"labels"])
    if data.ndim != 2 or data.shape[1] != _CIFAR_DIM:
        raise ValueError(
            f"{path}: b'data' must have shape (n, {_CIFAR_DIM}), got shape {data.shape}"
        )
    y = check_labels(labels, len(CIFAR10_CLASSES), name=f"b'labels' in {path}", n=data.shape[0])
    return data, y


def _to_cs231n_layout(batches: list[np.ndarray], dtype: np.dtype) -> np.ndarray:
    """Stack raw batches into one (N, 3072) array of ``dtype`` in height-width-channel order."""
    out = np.empty((sum(b.shape[0] for b in batches), _CIFAR_DIM), dtype=dtype)
    start = 0
    for b in batches:
        # the file stores 1024 red, then 1024 green, then 1024 blue values per image
        hwc = b.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        out[start : start + b.shape[0]].reshape(-1, 32, 32, 3)[...] = hwc
        start += b.shape[0]
    return out


def load_cifar10(
    path: str | PathLike[str], dtype: type | np.dtype = np.float64
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Read the CIFAR-10 "python version" batches from a directory on disk.

    Nothing is downloaded. Get ``cifar-10-python.tar.gz`` (about 163 MB) from
    https://www.cs.toronto.edu/~kriz/cifar.html and unpack it; pass the folder
    ``cifar-10-batches-py`` (or the folder that contains it). It must hold
    ``data_batch_1`` ... ``data_batch_5`` and ``test_batch``.

    The batches are Python pickles: only load files from a source you trust.

    Parameters
    ----------
    path : str or path-like
        Directory with the batch files (or its parent holding ``cifar-10-batches-py``).
    dtype : numpy float dtype, default float64
        float64 as in CS231n; float32 halves the memory (the full training set
        needs about 1.2 GB in float64).

    Returns
    -------
    X_train : ndarray of shape (50000, 3072)
        Pixel values 0..255; row i reshapes to image i as ``(32, 32, 3)``
        (height, width, RGB), the CS231n layout.
    y_train : ndarray of shape (50000,), int64
        Labels in [0, 10); names in ``CIFAR10_CLASSES``.
    X_test : ndarray of shape (10000, 3072)
    y_test : ndarray of shape (10000,), int64

    Raises
    ------
    FileNotFoundError
        If the directory or any of the six batch files is missing; the message
        names the path, the missing files and where to get them.
    """
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    out_dtype = np.dtype(dtype)
    if out_dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {out_dtype}")
    root = Path(path).expanduser()
    if (root / "cifar-10-batches-py").is_dir():
        root = root / "cifar-10-batches-py"
    expected = (*_CIFAR_TRAIN_FILES, _CIFAR_TEST_FILE)
    hint = (
        f"expected the CIFAR-10 python batches {', '.join(expected)} there. Download "
        "cifar-10-python.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it "
        "and pass the folder cifar-10-batches-py"
    )
    if not root.is_dir():
        raise FileNotFoundError(f"CIFAR-10 directory {str(root)!r} does not exist; {hint}")
    missing = [name for name in expected if not (root / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"CIFAR-10 directory {str(root)!r} lacks {', '.join(missing)}; {hint}"
        )
    # read the raw uint8 batches first, then convert once into preallocated arrays
    train = [_read_cifar_batch(root / name) for name in _CIFAR_TRAIN_FILES]
    test_data, y_test = _read_cifar_batch(root / _CIFAR_TEST_FILE)
    X_train = _to_cs231n_layout([data for data, _ in train], out_dtype)
    y_train = np.concatenate([y for _, y in train])
    X_test = _to_cs231n_layout([test_data], out_dtype)
    return X_train, y_train, X_test, y_test
