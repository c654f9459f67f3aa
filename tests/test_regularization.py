"""Tests for lecture_utils.regularization: hand-computed values, gradients, bad inputs."""

import numpy as np
import pytest

from lecture_utils.data import regularization_example
from lecture_utils.gradients import numerical_gradient, rel_error
from lecture_utils.regularization import (
    REGULARIZERS,
    elastic_net,
    get_regularizer,
    l1,
    l2,
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
