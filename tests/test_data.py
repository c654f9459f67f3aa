"""Tests for lecture_utils.data: worked examples, toy sets, digits, splits, CIFAR-10 reader."""

import pickle
from pathlib import Path

import numpy as np
import pytest

from lecture_utils.data import (
    CIFAR10_CLASSES,
    DIGITS_SHAPE,
    Split,
    add_bias,
    lecture_example,
    load_cifar10,
    load_digits,
    make_blobs,
    make_spiral,
    playground_points,
    regularization_example,
    standardize,
    train_val_test_split,
)

# ---------------------------------------------------------------- lecture examples


def test_lecture_example_orientation_and_values():
    ex = lecture_example()
    assert ex.scores.shape == (3, 3) and ex.scores.dtype == np.float64
    # rows are images, columns are classes (cat, car, frog)
    np.testing.assert_array_equal(ex.scores[0], [3.2, 5.1, -1.7])  # cat image
    np.testing.assert_array_equal(ex.scores[1], [1.3, 4.9, 2.0])  # car image
    np.testing.assert_array_equal(ex.scores[2], [2.2, 2.5, -3.1])  # frog image
    np.testing.assert_array_equal(ex.y, [0, 1, 2])
    assert ex.y.dtype == np.int64
    assert ex.class_names == ("cat", "car", "frog")
    assert ex.image_names == ("cat image", "car image", "frog image")


def test_lecture_example_gives_the_lecture_hinge_losses():
    # multiclass SVM, delta = 1, computed here by hand from the table
    ex = lecture_example()
    correct = ex.scores[np.arange(3), ex.y][:, None]
    margins = np.maximum(0.0, ex.scores - correct + 1.0)
    margins[np.arange(3), ex.y] = 0.0
    np.testing.assert_allclose(margins.sum(axis=1), [2.9, 0.0, 12.9], atol=1e-12)
    assert margins.sum(axis=1).mean() == pytest.approx(5.2667, abs=1e-4)


def test_lecture_example_is_frozen_and_fresh():
    ex = lecture_example()
    with pytest.raises(AttributeError):
        ex.y = np.zeros(3)
    ex.scores[0, 0] = 99.0
    assert lecture_example().scores[0, 0] == 3.2


def test_regularization_example_values():
    ex = regularization_example()
    np.testing.assert_array_equal(ex.x, [1, 1, 1, 1])
    np.testing.assert_array_equal(ex.w1, [1, 0, 0, 0])
    np.testing.assert_array_equal(ex.w2, [0.25, 0.25, 0.25, 0.25])
    assert ex.w1 @ ex.x == ex.w2 @ ex.x == 1.0


# ---------------------------------------------------------------- toy sets


@pytest.mark.parametrize("maker", [make_blobs, make_spiral])
def test_toy_shapes_dtypes_labels(maker):
    X, y = maker(n_per_class=7, n_classes=4, seed=0)
    assert X.shape == (28, 2) and X.dtype == np.float64
    assert y.shape == (28,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [7, 7, 7, 7])
    assert np.isfinite(X).all()


@pytest.mark.parametrize("maker", [make_blobs, make_spiral])
def test_toy_sets_deterministic(maker):
    X1, y1 = maker(seed=3)
    X2, y2 = maker(seed=3)
    X3, _ = maker(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    # a Generator is accepted and consumed
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(maker(seed=rng)[0], X1)


def test_blobs_centred_on_circle_and_zero_spread():
    X, y = make_blobs(n_per_class=2, n_classes=4, spread=0.0)
    expected = 2 * np.array([[0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(X, np.repeat(expected, 2, axis=0), atol=1e-12)
    X, y = make_blobs(n_per_class=200, spread=0.3, seed=1)
    for k in range(3):
        assert np.linalg.norm(X[y == k].mean(axis=0)) == pytest.approx(2.0, abs=0.1)


def test_spiral_without_noise_is_the_formula():
    X, y = make_spiral(n_per_class=5, n_classes=3, noise=0.0)
    r = np.tile(np.linspace(0, 1, 5), 3)
    t = 4.0 * y + 4.0 * r
    np.testing.assert_allclose(X, np.column_stack([r * np.sin(t), r * np.cos(t)]))
    assert np.all(np.linalg.norm(X, axis=1) <= 1 + 1e-12)


def test_playground_points():
    X, y = playground_points()
    assert X.shape == (9, 2) and X.dtype == np.float64
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1, 1, 2, 2, 2])
    assert y.dtype == np.int64
    assert np.abs(X).max() <= 1.0


@pytest.mark.parametrize("maker", [make_blobs, make_spiral])
def test_toy_bad_inputs(maker):
    with pytest.raises(ValueError, match="n_per_class must be >= 1, got 0"):
        maker(n_per_class=0)
    with pytest.raises(TypeError, match="n_per_class must be a positive integer"):
        maker(n_per_class=2.5)
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        maker(n_classes=1)
    with pytest.raises(TypeError, match="seed must be an int >= 0 or a numpy.random.Generator"):
        maker(seed="0")


def test_negative_spread_and_noise_rejected():
    with pytest.raises(ValueError, match="spread must be >= 0"):
        make_blobs(spread=-0.1)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_spiral(noise=-0.1)
    with pytest.raises(ValueError, match="noise must be finite"):
        make_spiral(noise=float("nan"))


# ---------------------------------------------------------------- digits


def test_digits_shape_dtype_range_counts():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    np.testing.assert_array_equal(X, np.round(X))
    np.testing.assert_array_equal(
        np.bincount(y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    )
    assert X[0].reshape(DIGITS_SHAPE).shape == (8, 8)


def test_digits_first_image_and_fresh_copies():
    X, y = load_digits()
    # first row of the file: a zero
    assert y[0] == 0
    np.testing.assert_array_equal(X[0, :8], [0, 0, 5, 13, 9, 1, 0, 0])
    X[0, 0] = 123.0
    assert load_digits()[0][0, 0] == 0.0


def test_digits_file_ships_inside_package():
    import lecture_utils

    data_dir = Path(lecture_utils.__file__).parent / "datasets"
    assert (data_dir / "digits.csv.gz").is_file()
    readme = (data_dir / "README.md").read_text()
    assert "CC BY 4.0" in readme and "Alpaydin" in readme


# ---------------------------------------------------------------- split / preprocessing


def test_split_sizes_stratified_disjoint_and_complete():
    X, y = load_digits()
    s = train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, seed=0)
    assert isinstance(s, Split)
    X_tr, y_tr, X_va, y_va, X_te, y_te = s
    assert X_tr.shape[1] == X_va.shape[1] == X_te.shape[1] == 64
    assert len(y_tr) + len(y_va) + len(y_te) == 1797
    # per class: round(n_k * 0.2) in test and in val
    counts = np.bincount(y, minlength=10)
    np.testing.assert_array_equal(np.bincount(y_te, minlength=10), np.round(counts * 0.2))
    np.testing.assert_array_equal(np.bincount(y_va, minlength=10), np.round(counts * 0.2))
    # rows are disjoint and together are all of X (compare rows as bytes + label)
    rows = [
        r.tobytes() + bytes([k])
        for part, lab in ((X_tr, y_tr), (X_va, y_va), (X_te, y_te))
        for r, k in zip(part, lab, strict=True)
    ]
    everything = sorted(r.tobytes() + bytes([k]) for r, k in zip(X, y, strict=True))
    assert sorted(rows) == everything


def test_split_deterministic_and_does_not_modify_inputs():
    X, y = make_blobs(n_per_class=20, seed=0)
    X0, y0 = X.copy(), y.copy()
    a = train_val_test_split(X, y, 0.25, 0.25, seed=1)
    b = train_val_test_split(X, y, 0.25, 0.25, seed=1)
    c = train_val_test_split(X, y, 0.25, 0.25, seed=2)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a.X_train, c.X_train)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    a.X_train[:] = 0
    np.testing.assert_array_equal(X, X0)


def test_split_plain_and_empty_val():
    X, y = make_blobs(n_per_class=10, seed=0)
    s = train_val_test_split(X, y, val_fraction=0.0, test_fraction=0.3, stratify=False)
    assert s.X_val.shape == (0, 2) and s.y_val.shape == (0,)
    assert len(s.y_test) == 9 and len(s.y_train) == 21


def test_split_bad_inputs():
    X, y = make_blobs(n_per_class=5, seed=0)
    with pytest.raises(ValueError, match=r"val_fraction \+ test_fraction must be < 1"):
        train_val_test_split(X, y, 0.6, 0.5)
    with pytest.raises(ValueError, match=r"test_fraction must be in \[0, 1\), got 1.0"):
        train_val_test_split(X, y, 0.0, 1.0)
    with pytest.raises(ValueError, match="val_fraction must be >= 0"):
        train_val_test_split(X, y, -0.1, 0.2)
    with pytest.raises(ValueError, match="y has 14 labels but there are 15 examples"):
        train_val_test_split(X, y[:-1])
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        train_val_test_split(X, y.astype(float))
    with pytest.raises(ValueError, match="y must hold labels in .*found label -1"):
        train_val_test_split(X, np.where(y == 0, -1, y))
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        train_val_test_split(X[:, 0], y)
    with pytest.raises(ValueError, match="X contains NaN or Inf"):
        train_val_test_split(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="X is empty"):
        train_val_test_split(np.zeros((0, 2)), np.zeros(0, dtype=int))
    with pytest.raises(TypeError, match="stratify must be True or False"):
        train_val_test_split(X, y, stratify="yes")
    with pytest.raises(ValueError, match="leaves no training examples"):
        # 2 examples: round(2 * 0.5) = 1 to test, round(2 * 0.49) = 1 to validation
        train_val_test_split(X[:2], y[:2], 0.49, 0.5, stratify=False)


def test_standardize_uses_training_statistics_only():
    X_train = np.array([[0.0, 1.0, 5.0], [2.0, 3.0, 5.0]])
    X_test = np.array([[4.0, 2.0, 7.0]])
    tr, te = standardize(X_train, X_test)
    # mean (1, 2, 5), std (1, 1, 0 -> 1)
    np.testing.assert_array_equal(tr, [[-1.0, -1.0, 0.0], [1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(te, [[3.0, 0.0, 2.0]])
    (centred,) = standardize(X_train, with_std=False)
    np.testing.assert_array_equal(centred, [[-1.0, -1.0, 0.0], [1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(X_train, [[0.0, 1.0, 5.0], [2.0, 3.0, 5.0]])


def test_standardize_digits_train_mean_zero():
    X, y = load_digits()
    s = train_val_test_split(X, y, seed=0)
    tr, va, te = standardize(s.X_train, s.X_val, s.X_test)
    np.testing.assert_allclose(tr.mean(axis=0), 0.0, atol=1e-12)
    assert np.abs(te.mean(axis=0)).max() > 1e-3  # test data is not re-centred
    assert va.shape == s.X_val.shape


def test_standardize_bad_inputs():
    with pytest.raises(ValueError, match="X_other\\[0\\] has 3 features but X_train has 2"):
        standardize(np.ones((2, 2)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="X_train is empty"):
        standardize(np.ones((0, 2)))
    with pytest.raises(ValueError, match="X_train must be a 2-D array"):
        standardize(np.ones(3))


def test_add_bias():
    Xb = add_bias(np.array([[2.0, 3.0], [4.0, 5.0]], dtype=np.float32))
    np.testing.assert_array_equal(Xb, [[2.0, 3.0, 1.0], [4.0, 5.0, 1.0]])
    assert Xb.dtype == np.float32
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        add_bias(np.ones(3))
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        add_bias(None)


# ---------------------------------------------------------------- CIFAR-10 reader


def _write_fake_cifar(folder: Path, n_per_batch: int = 4) -> dict[str, tuple[np.ndarray, list]]:
    """Write 6 tiny batches in the CIFAR-10 python format; return what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    written = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, size=(n_per_batch, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=n_per_batch)]
        with open(folder / name, "wb") as fh:
            pickle.dump({b"batch_label": name.encode(), b"data": data, b"labels": labels}, fh)
        written[name] = (data, labels)
    return written


def test_cifar10_reads_fake_batches(tmp_path):
    written = _write_fake_cifar(tmp_path / "cifar-10-batches-py")
    X_train, y_train, X_test, y_test = load_cifar10(tmp_path / "cifar-10-batches-py")
    assert X_train.shape == (20, 3072) and X_train.dtype == np.float64
    assert y_train.shape == (20,) and y_train.dtype == np.int64
    assert X_test.shape == (4, 3072) and y_test.shape == (4,)
    expected_y = sum((written[f"data_batch_{i}"][1] for i in range(1, 6)), [])
    np.testing.assert_array_equal(y_train, expected_y)
    np.testing.assert_array_equal(y_test, written["test_batch"][1])
    # the file is channel-first (1024 R, 1024 G, 1024 B); rows are (32, 32, 3) flattened
    raw = written["data_batch_1"][0][1]
    img = X_train[1].reshape(32, 32, 3)
    np.testing.assert_array_equal(img[:, :, 0], raw[:1024].reshape(32, 32))
    np.testing.assert_array_equal(img[:, :, 2], raw[2048:].reshape(32, 32))
    assert img[5, 7, 1] == raw[1024 + 5 * 32 + 7]
    raw_test = written["test_batch"][0]
    np.testing.assert_array_equal(
        X_test, raw_test.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).reshape(-1, 3072)
    )


def test_cifar10_parent_folder_and_float32(tmp_path):
    _write_fake_cifar(tmp_path / "cifar-10-batches-py", n_per_batch=2)
    X_train, _, X_test, _ = load_cifar10(str(tmp_path), dtype=np.float32)
    assert X_train.dtype == X_test.dtype == np.float32
    assert X_train.shape == (10, 3072)
    assert len(CIFAR10_CLASSES) == 10 and CIFAR10_CLASSES[3] == "cat"


def test_cifar10_missing_directory_explains(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(
        FileNotFoundError,
        match=r"nowhere.*does not exist.*data_batch_1.*"
        r"test_batch.*cs\.toronto\.edu",
    ):
        load_cifar10(missing)


def test_cifar10_missing_files_named(tmp_path):
    _write_fake_cifar(tmp_path, n_per_batch=1)
    (tmp_path / "data_batch_3").unlink()
    (tmp_path / "test_batch").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks data_batch_3, test_batch; expected"):
        load_cifar10(tmp_path)


def test_cifar10_malformed_batch(tmp_path):
    _write_fake_cifar(tmp_path, n_per_batch=1)
    with open(tmp_path / "data_batch_2", "wb") as fh:
        pickle.dump({b"data": np.zeros((1, 100), dtype=np.uint8), b"labels": [0]}, fh)
    with pytest.raises(ValueError, match=r"data_batch_2: b'data' must have shape \(n, 3072\)"):
        load_cifar10(tmp_path)
    with open(tmp_path / "data_batch_2", "wb") as fh:
        pickle.dump([1, 2, 3], fh)
    with pytest.raises(ValueError, match="is not a CIFAR-10 python batch"):
        load_cifar10(tmp_path)
    with open(tmp_path / "data_batch_2", "wb") as fh:
        pickle.dump({b"data": np.zeros((1, 3072), dtype=np.uint8), b"labels": [10]}, fh)
    with pytest.raises(ValueError, match="found label 10"):
        load_cifar10(tmp_path)


def test_cifar10_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="path must be a str or path-like"):
        load_cifar10(42)
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        load_cifar10(tmp_path, dtype=np.int32)
