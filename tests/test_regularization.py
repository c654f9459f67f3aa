"""Tests for lecture_utils.regularization: hand-computed values, gradients, bad inputs,
and the regularization path."""

import numpy as np
import pytest

from lecture_utils.data import make_blobs, regularization_example
from lecture_utils.gradients import numerical_gradient, rel_error
from lecture_utils.losses import linear_loss
from lecture_utils.regularization import (
    REGULARIZERS,
    RegularizationPath,
    elastic_net,
    get_regularizer,
    l1,
    l2,
    regularization_path,
)

W_SMALL = np.array([[1.0, -2.0, 0.0], [0.5, 3.0, -0.25]])


def test_l2_hand_computed():
    value, grad = l2(W_SMALL)
    assert value == pytest.approx(1 + 4 + 0 + 0.25 + 9 + 0.0625)
    np.testing.assert_array_equal(grad, 2 * W_SMALL)


def test_l1_hand_computed_and_subgradient_zero_at_zero():
    value, grad = l1(W_SMALL)
    assert value == pytest.approx(1 + 2 + 0 + 0.5 + 3 + 0.25)
    np.testing.assert_array_equal(grad, [[1.0, -1.0, 0.0], [1.0, 1.0, -1.0]])


def test_elastic_net_hand_computed():
    value, grad = elastic_net(W_SMALL, beta=0.5)
    # 0.5 * 14.3125 + 6.75
    assert value == pytest.approx(0.5 * 14.3125 + 6.75)
    np.testing.assert_allclose(grad, W_SMALL + np.sign(W_SMALL))


def test_elastic_net_beta_zero_is_l1_and_large_beta_scales_l2():
    assert elastic_net(W_SMALL, beta=0.0)[0] == pytest.approx(l1(W_SMALL)[0])
    np.testing.assert_array_equal(elastic_net(W_SMALL, beta=0.0)[1], l1(W_SMALL)[1])
    value, _ = elastic_net(W_SMALL, beta=10.0)
    assert value == pytest.approx(10 * l2(W_SMALL)[0] + l1(W_SMALL)[0])


def test_lecture_regularization_example():
    ex = regularization_example()
    assert ex.w1 @ ex.x == 1.0
    assert ex.w2 @ ex.x == 1.0
    assert l2(ex.w1)[0] == 1.0
    assert l2(ex.w2)[0] == 0.25
    assert l2(ex.w2)[0] < l2(ex.w1)[0]  # L2 prefers the spread-out weights
    assert l1(ex.w1)[0] == l1(ex.w2)[0] == 1.0  # L1 cannot tell them apart


@pytest.mark.parametrize("name", ["l1", "l2", "elastic_net"])
def test_gradient_matches_numerical_away_from_zero(name):
    rng = np.random.default_rng(3)
    W = rng.standard_normal((4, 3))
    W[np.abs(W) < 0.1] = 0.5  # keep away from the |w| kink at 0
    f = REGULARIZERS[name]
    _, grad = f(W)
    num = numerical_gradient(lambda w: f(w)[0], W)
    assert rel_error(grad, num) < 1e-8


@pytest.mark.parametrize("name", ["l1", "l2", "elastic_net"])
def test_inputs_not_modified_and_float32_kept(name):
    W = np.array([[1.5, -2.0]], dtype=np.float32)
    before = W.copy()
    value, grad = REGULARIZERS[name](W)
    np.testing.assert_array_equal(W, before)
    assert isinstance(value, float)
    assert grad.dtype == np.float32 and grad.shape == W.shape
    assert grad is not W


def test_registry_and_lookup():
    assert set(REGULARIZERS) == {"l1", "l2", "elastic_net"}
    assert get_regularizer("l2") is l2
    with pytest.raises(ValueError, match=r"unknown regularizer 'l3'; expected one of"):
        get_regularizer("l3")
    with pytest.raises(TypeError, match="name must be a string"):
        get_regularizer(2)


@pytest.mark.parametrize("fn", [l1, l2, elastic_net])
def test_nan_rejected(fn):
    with pytest.raises(ValueError, match="W contains NaN or Inf"):
        fn(np.array([1.0, np.nan]))


@pytest.mark.parametrize("fn", [l1, l2, elastic_net])
def test_empty_rejected(fn):
    with pytest.raises(ValueError, match="W is empty"):
        fn(np.zeros((0, 3)))


@pytest.mark.parametrize("fn", [l1, l2, elastic_net])
def test_non_array_rejected(fn):
    with pytest.raises(TypeError, match="W must be an array of numbers"):
        fn("weights")


def test_negative_beta_rejected():
    with pytest.raises(ValueError, match="beta must be >= 0, got -0.5"):
        elastic_net(W_SMALL, beta=-0.5)


def test_non_number_beta_rejected():
    with pytest.raises(TypeError, match="beta must be a real number"):
        elastic_net(W_SMALL, beta="1")


# ---------------------------------------------------------------------------------------------
# regularization_path
# ---------------------------------------------------------------------------------------------

#: RegularizationApp's default data and λ grid (1e-3 to 10, a quarter decade apart).
BLOBS = make_blobs(30, 3, spread=0.9, seed=0)
LAMS = 10 ** np.arange(-3.0, 1.0 + 0.125, 0.25)


@pytest.fixture(scope="module")
def blob_paths():
    X, y = BLOBS
    return {name: regularization_path(X, y, LAMS, name) for name in REGULARIZERS}


def data_loss_of(W, b, loss="svm"):
    X, y = BLOBS
    return linear_loss(W, X, y, 0.0, loss, 1.0, b).data_loss


def test_regularization_path_solutions_are_optimal_along_the_grid(blob_paths):
    for name, path in blob_paths.items():
        penalty = REGULARIZERS[name]
        for k, lam in enumerate(path.lams):
            result = data_loss_of(path.W[k], path.b[k])
            assert path.data_loss[k] == pytest.approx(result)
            assert path.reg_loss[k] == pytest.approx(lam * penalty(path.W[k])[0])
            # converged: no neighbouring λ's solution does better on this λ's objective
            # (subgradient descent on a kinked loss: up to 0.01, the loss being ~0.1 to 2)
            own = path.data_loss[k] + path.reg_loss[k]
            for j in (k - 1, k + 1):
                if 0 <= j < len(path.lams):
                    other = data_loss_of(path.W[j], path.b[j]) + lam * penalty(path.W[j])[0]
                    assert own <= other + 0.01, (name, lam)
        # more regularization: smaller weights, larger data loss
        assert np.abs(path.W[-1]).sum() < 0.2 * np.abs(path.W[0]).sum()
        assert path.data_loss[-1] > path.data_loss[0]


def test_regularization_path_shapes_and_accuracy(blob_paths):
    X, y = BLOBS
    K, D, C = len(LAMS), X.shape[1], 3
    for path in blob_paths.values():
        assert isinstance(path, RegularizationPath)
        np.testing.assert_array_equal(path.lams, LAMS)
        assert path.W.shape == (K, D, C) and path.b.shape == (K, C)
        for name in ("data_loss", "reg_loss", "accuracy"):
            assert getattr(path, name).shape == (K,)
        for k in (0, K - 1):
            predicted = (X @ path.W[k] + path.b[k]).argmax(axis=1)
            assert path.accuracy[k] == pytest.approx(np.mean(predicted == y))
        assert path.accuracy[0] > 0.8  # the blobs overlap only a little
    with pytest.raises(AttributeError):
        path.lams = LAMS  # frozen


def test_l1_path_is_sparse_where_l2_spreads(blob_paths):
    k = int(np.argmin(np.abs(LAMS - 1.0)))
    assert np.count_nonzero(np.abs(blob_paths["l1"].W[k]) < 0.01) >= 3
    assert np.count_nonzero(np.abs(blob_paths["l2"].W[k]) < 0.01) == 0


def test_regularization_path_sorts_lams_and_is_deterministic():
    X, y = BLOBS
    a = regularization_path(X, y, [1.0, 0.0, 0.1], "l1", steps=20)
    b = regularization_path(X, y, np.array([0.0, 0.1, 1.0]), "l1", steps=20)
    assert a.lams.tolist() == [0.0, 0.1, 1.0]
    for name in ("W", "b", "data_loss", "reg_loss", "accuracy"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.reg_loss[0] == 0.0  # λ = 0: no penalty


def test_regularization_path_beta_and_loss_are_used():
    X, y = BLOBS
    for beta in (0.0, 3.0):
        path = regularization_path(X, y, [0.1], "elastic_net", beta=beta, steps=20)
        assert path.reg_loss[0] == pytest.approx(0.1 * elastic_net(path.W[0], beta)[0])
    path = regularization_path(X, y, [0.1], "l2", loss="softmax", steps=20)
    assert path.data_loss[0] == pytest.approx(data_loss_of(path.W[0], path.b[0], "softmax"))


def test_regularization_path_one_class_still_gets_two_score_columns():
    X = np.array([[0.0, 1.0], [1.0, 0.0]])
    path = regularization_path(X, [0, 0], [0.1], steps=5)
    assert path.W.shape == (1, 2, 2)


def test_regularization_path_bad_arguments():
    X, y = BLOBS
    with pytest.raises(ValueError, match="lams is empty"):
        regularization_path(X, y, [])
    with pytest.raises(ValueError, match="lams must be >= 0"):
        regularization_path(X, y, [0.1, -1.0])
    with pytest.raises(ValueError, match="steps must be >= 1"):
        regularization_path(X, y, [0.1], steps=0)
    with pytest.raises(TypeError, match="steps must be a positive integer"):
        regularization_path(X, y, [0.1], steps=1.5)
    with pytest.raises(ValueError, match="step_size must be >= 0"):
        regularization_path(X, y, [0.1], step_size=-0.1)
    with pytest.raises(ValueError, match="beta must be >= 0"):
        regularization_path(X, y, [0.1], "elastic_net", beta=-1.0)
    with pytest.raises(ValueError, match="unknown regularizer 'l3'"):
        regularization_path(X, y, [0.1], "l3")
    with pytest.raises(ValueError, match="y"):
        regularization_path(X, y[:-1], [0.1])
    with pytest.raises(ValueError, match="X must"):
        regularization_path(X[0], y, [0.1])
