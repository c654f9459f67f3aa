"""Tests of the lecture's four strategies in lecture_utils.optim and the History they return.

Random search and random local search (strategies 1 and 2), gradient descent and minibatch SGD
(3 and 4): what each History records, seeds, divergence, inputs left unchanged, and their bad
input (one test each, with the wording pinned). The test problems: the ill-conditioned
quadratic of tests/_ill_conditioned_quadratic.py and a tiny 3-class problem (``small_problem``).
"""

from __future__ import annotations

import numpy as np
import pytest
from _ill_conditioned_quadratic import CENTER, quad_loss, quad_loss_and_grad

from lecture_utils.losses import svm_loss
from lecture_utils.optim import (
    History,
    gradient_descent,
    random_local_search,
    random_search,
    sgd,
)

# --------------------------------------------------------------------------------------------
# Fixture: a tiny classification problem
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 5))
    y = rng.integers(0, 3, size=40)
    W0 = 0.01 * rng.standard_normal((5, 3))
    return X, y, W0


def svm_batch(W, Xb, yb):
    return svm_loss(W, Xb, yb, reg=0.01)


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


def test_history_length_final_and_read_only():
    h = gradient_descent(quad_loss_and_grad, np.zeros(2), step_size=0.01, n_steps=5)
    assert isinstance(h, History)
    assert len(h) == 6 and h.n_steps == 5
    assert h.params.shape == (6, 2) and h.losses.shape == (6,)
    assert h.losses.dtype == np.float64
    np.testing.assert_array_equal(h.final, h.params[-1])
    assert h.final_loss == h.losses[-1]
    np.testing.assert_array_equal(h.evaluations, np.arange(1, 7))
    assert not h.diverged
    with pytest.raises(ValueError, match="read-only"):
        h.params[0, 0] = 1.0


# --------------------------------------------------------------------------------------------
# Gradient descent
# --------------------------------------------------------------------------------------------


def test_gradient_descent_first_step_by_hand():
    # w1 = w0 - 0.05 * A (w0 - c) with w0 = 0: A(0 - c) = (-1, 40)
    h = gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=0.05, n_steps=1)
    np.testing.assert_allclose(h.params[1], [0.05, -2.0])
    np.testing.assert_allclose(h.losses, [0.5 * 1 + 0.5 * 20 * 4, 0.5 * 0.95**2])


def test_gradient_descent_converges_on_quadratic():
    h = gradient_descent(quad_loss_and_grad, np.array([5.0, 5.0]), step_size=0.09, n_steps=300)
    np.testing.assert_allclose(h.final, CENTER, atol=1e-8)
    assert h.final_loss < 1e-15
    assert np.all(np.diff(h.losses) <= 0)  # stable step: the loss never goes up


def test_gradient_descent_never_mutates_W0():
    W0 = np.array([3.0, 4.0])
    before = W0.copy()

    def loss_that_writes_into_its_input(w):
        out = quad_loss_and_grad(w)
        w[:] = 99.0  # a careless user function must not corrupt the path or W0
        return out

    h = gradient_descent(loss_that_writes_into_its_input, W0, step_size=0.01, n_steps=3)
    np.testing.assert_array_equal(W0, before)
    np.testing.assert_array_equal(h.params[0], before)
    assert not np.any(h.params == 99.0)


def test_gradient_descent_flags_divergence_and_keeps_the_path():
    # step 0.2 > 2 / 20: the steep coordinate is multiplied by |1 - 0.2 * 20| = 3 per step
    with np.errstate(all="raise"):  # no floating-point warning escapes the run
        h = gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=0.2, n_steps=5000)
    assert h.diverged
    assert 100 < len(h) < 5001
    assert np.isfinite(h.losses).all() and np.isfinite(h.params).all()
    assert h.losses[-1] > 1e250  # it did blow up before stopping


def test_gradient_descent_large_but_stable_step_is_not_divergence():
    h = gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=0.099, n_steps=50)
    assert not h.diverged and len(h) == 51


def test_gradient_descent_float32_path_stays_float32():
    h = gradient_descent(quad_loss_and_grad, np.zeros(2, np.float32), step_size=0.01, n_steps=2)
    assert h.params.dtype == np.float32


def test_zero_steps_records_only_the_start():
    h = gradient_descent(quad_loss_and_grad, [1.0, 1.0], step_size=0.1, n_steps=0)
    assert len(h) == 1 and h.losses[0] == quad_loss(np.array([1.0, 1.0]))


# --------------------------------------------------------------------------------------------
# SGD
# --------------------------------------------------------------------------------------------


def test_sgd_with_full_batch_equals_gradient_descent(small_problem):
    X, y, W0 = small_problem
    gd = gradient_descent(lambda W: svm_batch(W, X, y), W0, step_size=0.5, n_steps=20)
    st = sgd(svm_batch, W0, X, y, step_size=0.5, n_steps=20, batch_size=X.shape[0], seed=3)
    np.testing.assert_allclose(st.params, gd.params, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(st.losses, gd.losses, rtol=1e-12)


def test_sgd_same_seed_same_history_different_seed_different(small_problem):
    X, y, W0 = small_problem
    kw = dict(step_size=0.1, n_steps=15, batch_size=8)
    a = sgd(svm_batch, W0, X, y, seed=7, **kw)
    b = sgd(svm_batch, W0, X, y, seed=7, **kw)
    c = sgd(svm_batch, W0, X, y, seed=8, **kw)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)
    d = sgd(svm_batch, W0, X, y, seed=np.random.default_rng(7), **kw)
    np.testing.assert_array_equal(a.params, d.params)


def test_sgd_batches_are_distinct_examples_and_costs_are_counted(small_problem):
    X, y, W0 = small_problem
    seen: list[np.ndarray] = []

    def record(W, Xb, yb):
        seen.append(Xb)
        return svm_batch(W, Xb, yb)

    h = sgd(record, W0, X, y, step_size=0.1, n_steps=10, batch_size=6, seed=0)
    assert len(seen) == 11  # one batch per recorded point
    for Xb in seen:
        assert Xb.shape == (6, 5)
        assert np.unique(Xb, axis=0).shape[0] == 6  # without replacement within a batch
    np.testing.assert_array_equal(h.examples_seen, 6 * np.arange(1, 12))
    assert h.full_losses is None and h.full_loss_steps is None


def test_sgd_full_loss_every_k_steps(small_problem):
    X, y, W0 = small_problem
    h = sgd(
        svm_batch,
        W0,
        X,
        y,
        step_size=0.1,
        n_steps=10,
        batch_size=5,
        eval_every=4,
        full_loss_fn=lambda W: svm_batch(W, X, y)[0],
    )
    np.testing.assert_array_equal(h.full_loss_steps, [0, 4, 8, 10])
    expected = [svm_batch(h.params[k], X, y)[0] for k in (0, 4, 8, 10)]
    np.testing.assert_allclose(h.full_losses, expected, rtol=1e-12)


def test_sgd_flags_divergence(small_problem):
    X, y, _ = small_problem
    w0 = np.ones(5)

    def quadratic_batch(w, Xb, yb):
        r = Xb @ w
        return float(np.mean(r**2)), 2 * Xb.T @ r / len(r)

    h = sgd(quadratic_batch, w0, X, y, step_size=50.0, n_steps=2000, batch_size=10)
    assert h.diverged and len(h) < 2001
    assert np.isfinite(h.losses).all()


def test_sgd_does_not_mutate_inputs(small_problem):
    X, y, W0 = small_problem
    copies = X.copy(), y.copy(), W0.copy()
    sgd(svm_batch, W0, X, y, step_size=0.1, n_steps=3, batch_size=4)
    for a, b in zip((X, y, W0), copies, strict=True):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------------------------
# Random search (strategies 1 and 2)
# --------------------------------------------------------------------------------------------


def test_random_search_keeps_the_best_so_far():
    h = random_search(quad_loss, shape=2, n_tries=200, scale=2.0, seed=0)
    assert len(h) == 200 and h.params.shape == (200, 2)
    assert np.all(np.diff(h.losses) <= 0)
    assert h.losses[-1] < h.losses[0]
    # every recorded loss is the loss of the recorded parameter
    np.testing.assert_allclose(h.losses, [quad_loss(w) for w in h.params])
    np.testing.assert_array_equal(h.evaluations, np.arange(1, 201))
    # the best of 200 tries is the minimum over the tries themselves
    rng = np.random.default_rng(0)
    tries = [quad_loss(2.0 * rng.standard_normal(2)) for _ in range(200)]
    assert h.final_loss == min(tries)


def test_seeded_functions_never_touch_numpy_global_random_state(small_problem):
    # the legacy global state is used here on purpose, to show the library ignores it
    X, y, W0 = small_problem
    np.random.seed(123)  # noqa: NPY002
    a = random_search(quad_loss, (2,), n_tries=20, seed=5)
    random_local_search(quad_loss, [0.0, 0.0], n_steps=5, step_size=0.1, seed=5)
    sgd(svm_batch, W0, X, y, step_size=0.1, n_steps=3, batch_size=4, seed=5)
    after = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    assert after == np.random.random()  # noqa: NPY002  (nothing was drawn from it)
    np.random.seed(456)  # noqa: NPY002
    b = random_search(quad_loss, (2,), n_tries=20, seed=5)
    np.testing.assert_array_equal(a.params, b.params)


def test_random_local_search_improves_monotonically():
    W0 = np.array([4.0, 4.0])
    h = random_local_search(quad_loss, W0, n_steps=300, step_size=0.1, seed=0)
    assert len(h) == 301
    np.testing.assert_array_equal(h.params[0], W0)
    assert np.all(np.diff(h.losses) <= 0)
    assert h.final_loss < 0.05 * h.losses[0]
    np.testing.assert_allclose(h.losses, [quad_loss(w) for w in h.params])
    np.testing.assert_array_equal(W0, [4.0, 4.0])


# --------------------------------------------------------------------------------------------
# Bad input: one test each, with the wording pinned
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("step_size", [0.0, -0.1])
def test_bad_step_size(step_size):
    with pytest.raises(ValueError, match=r"step_size must be > 0"):
        gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=step_size, n_steps=1)


def test_bad_n_steps_negative():
    with pytest.raises(ValueError, match=r"n_steps must be >= 0, got -1"):
        gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=0.1, n_steps=-1)


def test_bad_n_steps_type():
    with pytest.raises(TypeError, match=r"n_steps must be an integer"):
        gradient_descent(quad_loss_and_grad, [0.0, 0.0], step_size=0.1, n_steps=2.5)


def test_bad_W0_with_nan():
    with pytest.raises(ValueError, match=r"W0 contains NaN or Inf"):
        gradient_descent(quad_loss_and_grad, [np.nan, 0.0], step_size=0.1, n_steps=1)


def test_bad_W0_empty():
    with pytest.raises(ValueError, match=r"W0 is empty"):
        random_local_search(quad_loss, np.zeros(0), n_steps=1, step_size=0.1)


def test_bad_loss_and_grad_not_callable():
    with pytest.raises(TypeError, match=r"loss_and_grad must be a callable"):
        gradient_descent("f", [0.0, 0.0], step_size=0.1, n_steps=1)


def test_bad_loss_and_grad_return_value():
    with pytest.raises(TypeError, match=r"must return a tuple \(loss, dW\)"):
        gradient_descent(quad_loss, [0.0, 0.0], step_size=0.1, n_steps=1)


def test_bad_gradient_shape():
    with pytest.raises(ValueError, match=r"gradient dW of shape \(3,\), expected .* \(2,\)"):
        gradient_descent(lambda w: (0.0, np.zeros(3)), [0.0, 0.0], step_size=0.1, n_steps=1)


def test_bad_loss_not_a_number():
    with pytest.raises(TypeError, match=r"loss_fn must return the loss as a real number"):
        random_search(lambda w: w, (2,), n_tries=3)


def test_bad_loss_nan_in_random_search():
    with pytest.raises(ValueError, match=r"loss_fn returned a non-finite loss"):
        random_search(lambda w: float("nan"), (2,), n_tries=3)


def test_bad_batch_size_too_small(small_problem):
    X, y, W0 = small_problem
    with pytest.raises(ValueError, match=r"batch_size must be >= 1, got 0"):
        sgd(svm_batch, W0, X, y, step_size=0.1, n_steps=1, batch_size=0)


def test_bad_batch_size_larger_than_N(small_problem):
    X, y, W0 = small_problem
    with pytest.raises(ValueError, match=r"batch_size must be <= N = 40"):
        sgd(svm_batch, W0, X, y, step_size=0.1, n_steps=1, batch_size=41)


def test_bad_y_length_in_sgd(small_problem):
    X, y, W0 = small_problem
    with pytest.raises(ValueError, match=r"y must have one entry per example of X \(40\)"):
        sgd(svm_batch, W0, X, y[:-1], step_size=0.1, n_steps=1, batch_size=4)


def test_bad_eval_every_without_full_loss(small_problem):
    X, y, W0 = small_problem
    with pytest.raises(ValueError, match=r"eval_every needs full_loss_fn"):
        sgd(svm_batch, W0, X, y, step_size=0.1, n_steps=1, batch_size=4, eval_every=2)


def test_bad_seed():
    with pytest.raises(ValueError, match=r"seed must be an int >= 0"):
        random_search(quad_loss, (2,), n_tries=3, seed=-1)


def test_bad_n_tries():
    with pytest.raises(ValueError, match=r"n_tries must be >= 1, got 0"):
        random_search(quad_loss, (2,), n_tries=0)


def test_bad_scale():
    with pytest.raises(ValueError, match=r"scale must be > 0"):
        random_search(quad_loss, (2,), n_tries=3, scale=0.0)


def test_bad_shape():
    with pytest.raises(ValueError, match=r"shape must have at least one dimension, all >= 1"):
        random_search(quad_loss, (2, 0), n_tries=3)
