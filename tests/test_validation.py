"""Tests for lecture_utils._validation's choice and fraction checks, and where they are used."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import losses as L
from lecture_utils._validation import (
    check_choice,
    check_finite_part,
    check_fraction,
)
from lecture_utils.classifier import LinearClassifier
from lecture_utils.data import train_val_test_split
from lecture_utils.landscape import loss_slice
from lecture_utils.widgets import ClassifierPlayground, FiniteDifferenceApp, RegularizationApp

OPTIONS = {"svm": 1, "softmax": 2, "ova": 3}

# ------------------------------------------------------------------ check_choice


def test_check_choice_returns_a_known_name():
    assert check_choice("svm", OPTIONS, "loss") == "svm"
    assert check_choice("b", ("a", "b"), "method") == "b"


@pytest.mark.parametrize("value", [3, None, b"svm", ["svm"], 1.5])
def test_check_choice_rejects_a_non_string_with_type_error(value):
    with pytest.raises(
        TypeError, match=r"loss must be a string, one of \['ova', 'softmax', 'svm'\]; got "
    ):
        check_choice(value, OPTIONS, "loss")


@pytest.mark.parametrize("value", ["hinge", "", "SVM", "svm "])
def test_check_choice_lists_the_sorted_options(value):
    msg = f"loss must be one of ['ova', 'softmax', 'svm'], got {value!r}"
    with pytest.raises(ValueError) as info:
        check_choice(value, OPTIONS, "loss")
    assert str(info.value) == msg


# ------------------------------------------------------------------ check_fraction


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 0.999, np.float32(0.25), np.int64(0)])
def test_check_fraction_accepts_zero_up_to_one(value):
    assert check_fraction(value, "beta") == float(value)
    assert isinstance(check_fraction(value, "beta"), float)


@pytest.mark.parametrize("value", [1, 1.0, 1.5, 100])
def test_check_fraction_rejects_one_and_more(value):
    with pytest.raises(ValueError, match=rf"beta must be in \[0, 1\), got {float(value)}"):
        check_fraction(value, "beta")


def test_check_fraction_rejects_negative_and_non_finite():
    with pytest.raises(ValueError, match=r"beta must be >= 0 \(a fraction in \[0, 1\)\), got -0.1"):
        check_fraction(-0.1, "beta")
    with pytest.raises(ValueError, match=r"beta must be finite, got nan"):
        check_fraction(float("nan"), "beta")


@pytest.mark.parametrize("value", ["0.5", None, True, [0.5], 0.5j])
def test_check_fraction_rejects_a_non_number_with_type_error(value):
    with pytest.raises(TypeError, match=r"beta must be a real number"):
        check_fraction(value, "beta")


# ------------------------------------------------------------------ check_finite_part


def test_check_finite_part_counts_over_the_whole_array():
    X = np.ones((6, 2))
    check_finite_part(X[:3], X, "X")
    X[5, 0] = np.nan
    X[1, 1] = np.inf
    check_finite_part(X[2:4], X, "X")  # this part is finite
    with pytest.raises(ValueError, match=r"X contains NaN or Inf \(2 non-finite entries\)"):
        check_finite_part(X[4:], X, "X")


def test_check_finite_part_accepts_huge_finite_values():
    X = np.full((3, 2), 1e308)  # the sum overflows, every entry is finite
    check_finite_part(X, X, "X")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "W",
    [np.zeros((2, 3)), np.array([[1.0, -1.0, 0.0], [0.0, 2.0, 0.0]])],
    ids=["zeros", "mixed"],
)
def test_a_non_finite_entry_makes_its_row_of_the_product_non_finite(bad, dtype, W):
    """What check_finite_part(product=...) relies on, through BLAS, both layouts the losses use."""
    X = np.ones((5, 2), dtype=dtype)
    X[3, 1] = bad
    W = W.astype(dtype)
    with np.errstate(invalid="ignore"):  # inf * 0 is NaN: what the check relies on
        products = (X @ W, (np.ascontiguousarray(W.T) @ X.T).T)
    for product in products:
        assert not np.isfinite(product[3]).any()
        with pytest.raises(ValueError, match=r"X contains NaN or Inf \(1 non-finite entries\)"):
            check_finite_part(X[2:4], X, "X", product=product[2:4])
        check_finite_part(X[:3], X, "X", product=product[:3])  # these rows are finite


def test_check_finite_part_by_product_accepts_huge_finite_values():
    X = np.full((3, 2), 1e308)
    with np.errstate(over="ignore"):
        product = X @ np.full((2, 2), 10.0)  # overflows to inf, every entry of X is finite
    assert not np.isfinite(product).all()
    check_finite_part(X, X, "X", product=product)


# ------------------------------------------------------------------ one loss-name check everywhere

W0 = np.zeros((2, 3))
X0 = np.ones((4, 2))
Y0 = np.array([0, 1, 2, 0])

LOSS_NAME_USERS = {
    "per_example_losses": lambda loss: L.per_example_losses(X0 @ W0, Y0, loss),
    "linear_loss": lambda loss: L.linear_loss(W0, X0, Y0, loss=loss),
    "loss_slice": lambda loss: loss_slice(W0, X0, Y0, np.ones((1, 2, 3)), [[0.0]], loss=loss),
    "LinearClassifier": lambda loss: LinearClassifier(loss=loss).fit(X0, Y0),
    "RegularizationApp": lambda loss: RegularizationApp(loss=loss, backend="agg"),
    "ClassifierPlayground": lambda loss: ClassifierPlayground(loss=loss, backend="agg"),
}


@pytest.mark.parametrize("user", sorted(LOSS_NAME_USERS))
def test_loss_names_are_checked_in_one_place(user):
    options = sorted(L.LOSSES)
    with pytest.raises(
        TypeError, match=rf"loss must be a string, one of {options}".replace("[", r"\[")
    ):
        LOSS_NAME_USERS[user](3)
    with pytest.raises(ValueError) as info:
        LOSS_NAME_USERS[user]("hinge")
    assert str(info.value) == f"loss must be one of {options}, got 'hinge'"


def test_finite_difference_app_checks_its_own_options():
    with pytest.raises(TypeError, match=r"loss must be a string, one of \['softmax', 'svm'\]"):
        FiniteDifferenceApp(loss=None, backend="agg")
    with pytest.raises(ValueError, match=r"loss must be one of \['softmax', 'svm'\], got 'ova'"):
        FiniteDifferenceApp(loss="ova", backend="agg")


def test_data_split_fractions_use_check_fraction():
    X, y = np.zeros((10, 2)), np.arange(10) % 2
    with pytest.raises(ValueError, match=r"test_fraction must be in \[0, 1\), got 1.0"):
        train_val_test_split(X, y, test_fraction=1.0)
    with pytest.raises(ValueError, match=r"val_fraction must be >= 0"):
        train_val_test_split(X, y, val_fraction=-0.1)
    with pytest.raises(TypeError, match=r"val_fraction must be a real number"):
        train_val_test_split(X, y, val_fraction="0.2")
