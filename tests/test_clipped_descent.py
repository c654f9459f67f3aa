"""Tests of lecture_utils.optim.clipped_descent: the playground's projected descent."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lecture_utils.data import playground_points
from lecture_utils.losses import LOSSES, linear_loss
from lecture_utils.optim import DescentRun, bias_gradient, clipped_descent


def _start():
    X, y = playground_points()
    W = np.array([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]])
    b = np.array([0.0, 0.5, -0.5])
    return W, b, X, y


@pytest.mark.parametrize("loss", list(LOSSES))
def test_each_step_is_w_minus_eta_times_the_gradient_clipped_to_the_box(loss):
    W, b, X, y = _start()
    run = clipped_descent(W, b, X, y, 0.05, loss, 0.5, 4, bounds=(-2.5, 2.5))
    assert isinstance(run, DescentRun)
    assert len(run.Ws) == len(run.bs) == len(run.results) == 5
    Wk, bk = W, b
    for k in range(4):
        r = linear_loss(Wk, X, y, 0.05, loss, 1.0, bk)
        assert run.results[k].loss == r.loss
        Wk = np.clip(Wk - 0.5 * r.dW, -2.5, 2.5)
        bk = np.clip(bk - 0.5 * r.db, -2.5, 2.5)
        assert np.array_equal(run.Ws[k + 1], Wk) and np.array_equal(run.bs[k + 1], bk)
    assert np.abs(np.concatenate([w.ravel() for w in run.Ws[1:]])).max() <= 2.5
    assert np.array_equal(run.losses(), [r.loss for r in run.results])


def test_the_inputs_are_not_modified_and_keep_all_false_keeps_the_last_point_only():
    W, b, X, y = _start()
    W0, b0 = W.copy(), b.copy()
    full = clipped_descent(W, b, X, y, 0.01, "softmax", 0.1, 6)
    last = clipped_descent(W, b, X, y, 0.01, "softmax", 0.1, 6, keep_all=False)
    assert np.array_equal(W, W0) and np.array_equal(b, b0)
    assert len(last.Ws) == len(last.bs) == 1 and len(last.results) == 7
    assert np.array_equal(last.Ws[0], full.Ws[-1]) and np.array_equal(last.bs[0], full.bs[-1])
    assert np.array_equal(last.losses(), full.losses())
    assert full.losses()[-1] < full.losses()[0]


def test_zero_steps_is_the_starting_point_and_its_loss():
    W, b, X, y = _start()
    run = clipped_descent(W, b, X, y, 0.0, "svm", 0.1, 0)
    assert np.array_equal(run.Ws[0], W) and len(run.results) == 1
    assert run.results[0].loss == linear_loss(W, X, y, 0.0, "svm", 1.0, b).loss


def test_bias_gradient_is_zero_without_a_bias():
    W, b, X, y = _start()
    assert np.array_equal(bias_gradient(linear_loss(W, X, y, 0.0, "svm")), np.zeros(3))
    r = linear_loss(W, X, y, 0.0, "svm", 1.0, b)
    assert np.array_equal(bias_gradient(r), r.db)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"step_size": 0.0}, ValueError, "step_size"),
        ({"n_steps": -1}, ValueError, "n_steps must be >= 0"),
        ({"n_steps": 2.5}, TypeError, "n_steps must be an integer"),
        ({"n_steps": True}, TypeError, "n_steps must be an integer"),
        ({"bounds": (1.0, -1.0)}, ValueError, "bounds must have low < high"),
        ({"bounds": 5.0}, TypeError, "bounds must be a pair"),
        ({"bounds": (math.nan, 1.0)}, ValueError, "bounds"),
        ({"W": [1.0, 2.0]}, ValueError, "W must be a 2-D array"),
        ({"b": "zero"}, TypeError, "b must be an array of numbers"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    W, b, X, y = _start()
    args = {"W": W, "b": b, "X": X, "y": y, "reg": 0.0, "loss": "svm", "step_size": 0.1}
    args["n_steps"] = 3
    args.update(kwargs)
    with pytest.raises(error, match=match):
        clipped_descent(**args)


@pytest.mark.parametrize("loss", ["svm", "softmax"])
@pytest.mark.parametrize("w_dtype", [np.float32, np.float64])
def test_checking_once_gives_the_results_of_linear_loss_at_every_step(loss, w_dtype):
    # the loop validates its arguments once; every step must equal a fully checked call

    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 3)), rng.integers(0, 4, size=12)
    W, b = rng.normal(size=(3, 4)).astype(w_dtype), rng.normal(size=4)
    run = clipped_descent(W, b, X, y, 0.1, loss, 0.5, 6, bounds=(-0.8, 0.8), delta=0.5)
    for W_k, b_k, result in zip(run.Ws, run.bs, run.results, strict=True):
        expected = linear_loss(W_k, X, y, 0.1, loss, 0.5, b_k)
        assert result.loss == expected.loss
        np.testing.assert_array_equal(result.dW, expected.dW)
        np.testing.assert_array_equal(result.db, expected.db)
