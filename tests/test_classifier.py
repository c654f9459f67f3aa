"""Tests of lecture_utils.LinearClassifier (lecture_utils/classifier.py), trained by minibatch SGD.

On the bundled digits: the defaults reach 94 % test accuracy, the learned attributes and their
shapes, seeds, divergence; arbitrary integer labels, every registered loss; and its bad input
(one test each, with the wording pinned).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from lecture_utils import LinearClassifier
from lecture_utils.data import load_digits, train_val_test_split
from lecture_utils.losses import LOSSES

# --------------------------------------------------------------------------------------------
# Fixture: the bundled digits, split 60/20/20
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits()
    return train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, seed=0)


# --------------------------------------------------------------------------------------------
# LinearClassifier on the bundled digits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_linear_classifier_defaults_reach_94_percent_on_digits(loss, digits_split):
    s = digits_split  # stratified 60/20/20 split of the 1797 digits, seed 0
    assert (s.X_train.shape, s.X_test.shape) == ((1079, 64), (359, 64))
    start = time.perf_counter()
    clf = LinearClassifier(loss=loss).fit(s.X_train, s.y_train)
    seconds = time.perf_counter() - start
    accuracy = clf.score(s.X_test, s.y_test)
    # measured: svm 0.9526, softmax 0.9554 (0.1-0.2 s each)
    assert accuracy >= 0.94, f"{loss}: test accuracy {accuracy:.4f}"
    assert seconds < 5
    assert clf.score(s.X_train, s.y_train) > accuracy - 0.1  # not an accident of the split


def test_linear_classifier_learned_attributes_and_shapes(digits_split):
    s = digits_split
    steps: list[tuple[int, float]] = []
    clf = LinearClassifier(
        loss="softmax", n_epochs=3, callback=lambda k, loss: steps.append((k, loss))
    )
    assert clf.fit(s.X_train, s.y_train, s.X_val, s.y_val) is clf
    assert clf.W_.shape == (64, 10) and clf.b_.shape == (10,)
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    assert clf.mean_.shape == clf.scale_.shape == (64,)
    per_epoch = int(np.ceil(1079 / 64))
    assert clf.n_iter_ == 3 * per_epoch == clf.loss_history_.shape[0]
    assert clf.train_accuracy_history_.shape == clf.val_accuracy_history_.shape == (3,)
    assert clf.step_size_ == 0.5 and not clf.diverged_
    assert clf.loss_history_[:5].mean() > clf.loss_history_[-5:].mean()
    # callback every 10 steps and after the last one, with the loss of that step
    assert [k for k, _ in steps] == [*range(10, clf.n_iter_ + 1, 10), clf.n_iter_]
    assert steps[0][1] == clf.loss_history_[9]
    # outputs
    scores = clf.decision_function(s.X_test)
    assert scores.shape == (359, 10)
    pred = clf.predict(s.X_test)
    assert pred.shape == (359,)
    np.testing.assert_array_equal(pred, scores.argmax(axis=1))
    assert clf.score(s.X_test, s.y_test) == np.mean(pred == s.y_test)
    # scores are those of the standardized features
    Z = (s.X_test - clf.mean_) / clf.scale_
    np.testing.assert_allclose(scores, Z @ clf.W_ + clf.b_, rtol=1e-10, atol=1e-10)
    assert clf.val_accuracy_history_[-1] == clf.score(s.X_val, s.y_val)


def test_linear_classifier_keeps_arbitrary_integer_labels():
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 5.0], [5.0, 0.0], [-5.0, -5.0]])
    y = np.repeat([7, -1, 3], 30)
    X = centers[np.searchsorted([-1, 3, 7], y)] + rng.standard_normal((90, 2))
    clf = LinearClassifier(n_epochs=20).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, [-1, 3, 7])
    assert clf.score(X, y) > 0.95
    assert set(np.unique(clf.predict(X))) <= {-1, 3, 7}


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_linear_classifier_accepts_every_registered_loss(loss):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    y = (X[:, 0] > 0).astype(int)
    clf = LinearClassifier(loss=loss, n_epochs=5).fit(X, y)
    assert clf.score(X, y) > 0.8


def test_linear_classifier_same_seed_same_model(digits_split):
    s = digits_split
    fit = lambda seed: LinearClassifier(n_epochs=2, seed=seed).fit(s.X_train, s.y_train)  # noqa: E731
    a, b, c = fit(0), fit(0), fit(1)
    np.testing.assert_array_equal(a.W_, b.W_)
    np.testing.assert_array_equal(a.loss_history_, b.loss_history_)
    assert not np.array_equal(a.W_, c.W_)


def test_linear_classifier_does_not_mutate_X(digits_split):
    X = digits_split.X_train.copy()
    LinearClassifier(n_epochs=1).fit(X, digits_split.y_train)
    np.testing.assert_array_equal(X, digits_split.X_train)


def test_linear_classifier_divergence_warns_and_keeps_finite_weights(digits_split):
    s = digits_split
    clf = LinearClassifier(step_size=1e4, reg=1.0, n_epochs=5)
    with pytest.warns(RuntimeWarning, match="lower step_size"):
        clf.fit(s.X_train, s.y_train)
    assert clf.diverged_ and clf.n_iter_ < 5 * 17
    assert np.isfinite(clf.W_).all() and np.isfinite(clf.b_).all()
    assert clf.loss_history_.shape == (clf.n_iter_,)


def test_linear_classifier_init_only_stores_arguments():
    clf = LinearClassifier(loss="no such loss", reg=-1)  # checked by fit, not here
    assert clf.get_params()["loss"] == "no such loss"
    assert "reg=-1" in repr(clf)


# --------------------------------------------------------------------------------------------
# Bad input: one test each, with the wording pinned
# --------------------------------------------------------------------------------------------


def test_bad_classifier_loss_name():
    with pytest.raises(ValueError, match=r"loss must be one of \['crammer_singer', 'ova'"):
        LinearClassifier(loss="hinge").fit(np.zeros((4, 2)), [0, 1, 0, 1])


def test_bad_classifier_loss_type():
    with pytest.raises(TypeError, match=r"loss must be a string"):
        LinearClassifier(loss=None).fit(np.zeros((4, 2)), [0, 1, 0, 1])


def test_bad_classifier_reg():
    with pytest.raises(ValueError, match=r"reg must be >= 0, got -1"):
        LinearClassifier(reg=-1).fit(np.zeros((4, 2)), [0, 1, 0, 1])


def test_bad_classifier_batch_size():
    with pytest.raises(ValueError, match=r"batch_size must be >= 1, got 0"):
        LinearClassifier(batch_size=0).fit(np.zeros((4, 2)), [0, 1, 0, 1])


def test_bad_classifier_single_class():
    with pytest.raises(ValueError, match=r"y must contain at least 2 classes"):
        LinearClassifier().fit(np.zeros((4, 2)), [1, 1, 1, 1])


def test_bad_classifier_float_labels():
    with pytest.raises(TypeError, match=r"y must hold integer class labels, got dtype float64"):
        LinearClassifier().fit(np.zeros((4, 2)), [0.0, 1.0, 0.0, 1.0])


def test_bad_classifier_X_with_inf():
    with pytest.raises(ValueError, match=r"X contains NaN or Inf"):
        LinearClassifier().fit([[0.0, np.inf], [1.0, 0.0]], [0, 1])


def test_bad_classifier_unknown_validation_label():
    with pytest.raises(ValueError, match=r"y_val has labels not seen in y: \[5\]"):
        LinearClassifier().fit(np.zeros((4, 2)), [0, 1, 0, 1], np.zeros((1, 2)), [5])


def test_bad_classifier_not_fitted():
    with pytest.raises(ValueError, match=r"not fitted yet: call fit\(X, y\) first"):
        LinearClassifier().predict(np.zeros((2, 2)))


def test_bad_classifier_feature_count(digits_split):
    clf = LinearClassifier(n_epochs=1).fit(digits_split.X_train, digits_split.y_train)
    with pytest.raises(ValueError, match=r"X has 63 features .* fitted on 64"):
        clf.predict(digits_split.X_test[:, :63])
