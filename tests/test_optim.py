"""Tests of lecture_utils.optim (search strategies, (S)GD, step-size regimes, update rules) and
of lecture_utils.LinearClassifier."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lecture_utils import LinearClassifier, optim
from lecture_utils.data import load_digits, train_val_test_split
from lecture_utils.losses import LOSSES, svm_loss
from lecture_utils.optim import (
    OPTIMIZERS,
    REGIMES,
    SGD,
    Adam,
    History,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    descent_regime,
    gradient_descent,
    optimize,
    random_local_search,
    random_search,
    sgd,
    steps_to_stay_below,
)

# --------------------------------------------------------------------------------------------
# Fixtures: an ill-conditioned 2-D quadratic and a tiny classification problem
# --------------------------------------------------------------------------------------------

A = np.diag([1.0, 20.0])  # curvatures: condition number 20
CENTER = np.array([1.0, -2.0])


def quad_loss(w: np.ndarray) -> float:
    d = w - CENTER
    return float(0.5 * d @ A @ d)


def quad_loss_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
    d = w - CENTER
    return float(0.5 * d @ A @ d), A @ d


@pytest.fixture(scope="module")
def small_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 5))
    y = rng.integers(0, 3, size=40)
    W0 = 0.01 * rng.standard_normal((5, 3))
    return X, y, W0


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits()
    return train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, seed=0)


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
# descent_regime: naming what a run did, on small hand-made paths
# --------------------------------------------------------------------------------------------


def test_regime_of_hand_made_runs():
    straight = np.array([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0], [1.75, 0.0]])
    # 0.5 of the gap 4.0 left is more than 10 %; 0.3 is less
    assert descent_regime([4.0, 2.0, 1.0, 0.5], straight, 0.0) == "slow"
    assert descent_regime([4.0, 2.0, 1.0, 0.3], straight, 0.0) == "monotone"
    zigzag = np.array([[0.0, 0.0], [2.0, 1.0], [0.0, 2.0], [2.0, 3.0]])  # back and forth
    assert descent_regime([4.0, 3.0, 2.0, 1.0], zigzag, 1.0) == "bouncing"
    assert descent_regime([1.0, 2.0, 4.0, 8.0], straight, 0.0) == "diverging"
    assert descent_regime([1.0, 0.5], straight[:2], 0.0, diverged=True) == "diverging"
    assert REGIMES == ("slow", "monotone", "zig-zag", "bouncing", "diverging")


STRAIGHT = np.array([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0], [1.75, 0.0]])  # steps shrink, one way
ZIGZAG = np.array([[0.0, 0.0], [2.0, 1.0], [0.0, 2.0], [2.0, 3.0]])  # every step turns back


def test_regime_diverging_when_the_loss_keeps_rising_or_the_run_diverged():
    assert descent_regime([1.0, 2.0, 4.0, 8.0], ZIGZAG, 0.0) == "diverging"  # before bouncing
    assert descent_regime([1.0, 0.5, np.inf], STRAIGHT[:3], 0.0) == "diverging"
    assert descent_regime([1.0, 0.5, np.nan], STRAIGHT[:3], 0.0) == "diverging"
    assert descent_regime([4.0, 0.0], STRAIGHT[:2], 0.0, diverged=True) == "diverging"
    assert descent_regime([4.0, 4.0 + 1e-12], STRAIGHT[:2], 0.0) == "diverging"
    # rising at the last two steps is diverging, even below the start
    assert descent_regime([9.0, 1.0, 2.0, 3.0], ZIGZAG, 0.0) == "diverging"
    # rising at only one of them is not (a bouncing loss alternates), even above the start
    assert descent_regime([1.0, 3.0, 2.0, 3.0], ZIGZAG, 0.0) == "bouncing"
    assert descent_regime([1.0, 3.0, 3.0, 2.0], ZIGZAG, 0.0) == "bouncing"


def test_regime_bouncing_needs_the_last_step_to_come_back_as_long():
    # steps +2, -1, +0.5, +0.5: the last step does not point back
    half = np.array([[0.0], [2.0], [1.0], [1.5], [2.0]])
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], half, 0.0) == "zig-zag"
    # steps +2, -2, +2: back and forth as long as before, even though the loss reached L*
    assert descent_regime([4.0, 1.0, 1.0, 0.0], [[0.0], [2.0], [0.0], [2.0]], 0.0) == "bouncing"
    # 0.99 of the step before is still bouncing; 0.98 is closing in (a zig-zag)
    for last, regime in [(0.99, "bouncing"), (0.98, "zig-zag")]:
        path = np.array([[0.0], [1.0], [1.0 - last]])
        assert descent_regime([2.0, 1.0, 0.5], path, 0.0) == regime


def test_regime_zig_zag_when_a_step_points_back_or_the_path_bends_both_ways():
    # 1 of 3 step pairs points back: the path overshot once, then converged
    once = np.array([[0.0], [2.0], [1.0], [0.5], [0.25]])  # steps +2, -1, -0.5, -0.25
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], once, 0.0) == "zig-zag"
    # a single step cannot zig-zag
    assert descent_regime([4.0, 0.0], ZIGZAG[:2], 0.0) == "monotone"
    # never pointing back, but bending right, left, right: across a valley and back
    across = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, -0.5], [1.0, 0.25], [1.0, -0.125]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], across, 0.0) == "zig-zag"
    # the same steps bending always the same way: a smooth curve, no overshoot
    curve = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, 0.5], [1.0, 0.25], [1.0, 0.125]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], curve, 0.0) == "monotone"
    # one change of bend (an S-curve) is not a zig-zag
    s_curve = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, 0.5], [1.0, 0.6], [1.0, 0.8]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], s_curve, 0.0) == "monotone"


def test_regime_slow_when_more_than_a_tenth_of_the_gap_is_left():
    ends_at = lambda final: descent_regime([5.0, 3.0, 2.0, final], STRAIGHT, 0.0)  # noqa: E731
    assert ends_at(0.51) == "slow"  # 0.51 of the gap 5.0 left: more than 10 %
    assert ends_at(0.5) == "monotone"  # exactly 10 %: not more
    assert ends_at(0.0) == "monotone"
    assert descent_regime([5.0, 3.0, 2.0, 1.5], STRAIGHT, 1.0) == "slow"  # gap measured to L*
    # a start already at L* has no gap to close
    assert descent_regime([1.0, 1.0, 1.0, 1.0], STRAIGHT, 1.0) == "monotone"


def test_regime_accepts_parameters_of_any_shape_and_a_history():
    path = np.zeros((4, 2, 3))
    path[:, 0, 0] = [0.0, 1.0, 1.5, 1.75]  # a (D, C) = (2, 3) weight matrix moving one way
    assert descent_regime([4.0, 2.0, 1.0, 0.5], path, 0.0) == "slow"
    bowl = lambda w: (float(w @ w), 2 * w)  # noqa: E731
    for eta, regime in [(0.01, "slow"), (0.25, "monotone"), (0.9, "zig-zag")]:
        run = gradient_descent(bowl, np.array([1.0, -2.0]), eta, 20)
        assert descent_regime(run.losses, run.params, 0.0, run.diverged) == regime
    run = gradient_descent(bowl, np.array([1.0, -2.0]), 1e3, 200)
    assert run.diverged
    assert descent_regime(run.losses, run.params, 0.0, run.diverged) == "diverging"


def test_regime_follows_the_curvature_bands_of_a_quadratic():
    # L = 1/2 (h1 w1^2 + h2 w2^2) with h_max = 4: bands at 1/h_max = 0.25, 2/h_max = 0.5
    h = np.array([0.5, 4.0])
    bowl = lambda w: (float(0.5 * h @ w**2), h * w)  # noqa: E731
    for eta, regime in [
        (0.02, "slow"),
        (0.24, "monotone"),
        (0.26, "zig-zag"),
        (0.45, "zig-zag"),
        (0.5, "bouncing"),  # 1 - eta h_max = -1: w2 flips sign for good
        (0.55, "diverging"),
    ]:
        run = gradient_descent(bowl, np.array([3.0, 1.0]), eta, 40)
        assert descent_regime(run.losses, run.params, 0.0, run.diverged) == regime, eta


def test_descent_regime_has_one_import_path():
    from lecture_utils.widgets import descent

    assert descent.descent_regime is optim.descent_regime  # the widget uses the core function
    assert "descent_regime" not in descent.__all__ and "REGIMES" not in descent.__all__


# --------------------------------------------------------------------------------------------
# Update rules: first two steps by hand, with gradients g1 then g2 from w0
# --------------------------------------------------------------------------------------------

W0_HAND = np.array([1.0, -2.0])
G1 = np.array([0.5, -1.0])
G2 = np.array([1.0, 2.0])


def two_steps(opt: Optimizer) -> tuple[np.ndarray, np.ndarray]:
    w1 = opt.step(W0_HAND, G1)
    w2 = opt.step(w1, G2)
    return w1, w2


def test_sgd_rule_by_hand():
    w1, w2 = two_steps(SGD(step_size=0.1))
    np.testing.assert_allclose(w1, [0.95, -1.9])
    np.testing.assert_allclose(w2, [0.85, -2.1])


def test_momentum_by_hand():
    # v1 = -0.1 g1 = (-0.05, 0.1); v2 = 0.9 v1 - 0.1 g2 = (-0.145, -0.11)
    w1, w2 = two_steps(Momentum(step_size=0.1, beta=0.9))
    np.testing.assert_allclose(w1, [0.95, -1.9])
    np.testing.assert_allclose(w2, [0.805, -2.01])


def test_nesterov_by_hand():
    # w1 = w0 - 0.9 v0 + 1.9 v1 with v0 = 0; w2 = w1 - 0.9 v1 + 1.9 v2 (v as for momentum)
    w1, w2 = two_steps(Nesterov(step_size=0.1, beta=0.9))
    np.testing.assert_allclose(w1, [0.905, -1.81])
    np.testing.assert_allclose(w2, [0.6745, -2.109])


def test_rmsprop_by_hand():
    # c1 = 0.1 g1^2 = (0.025, 0.1); c2 = 0.9 c1 + 0.1 g2^2 = (0.1225, 0.49) -> sqrt (0.35, 0.7)
    w1, w2 = two_steps(RMSProp(step_size=0.1, decay=0.9, eps=1e-8))
    step1 = 0.1 / np.sqrt(0.1)  # the first step is lr / sqrt(1 - decay) per coordinate
    np.testing.assert_allclose(w1, [1 - step1, -2 + step1], rtol=1e-7)
    np.testing.assert_allclose(w2, [1 - step1 - 0.1 / 0.35, -2 + step1 - 0.2 / 0.7], rtol=1e-7)


def test_adam_by_hand():
    w1, w2 = two_steps(Adam(step_size=0.1, beta1=0.9, beta2=0.999, eps=1e-8))
    # step 1: m_hat = g1 and v_hat = g1^2, so each coordinate moves by lr against its sign
    np.testing.assert_allclose(w1, [0.9, -1.9], rtol=1e-7)
    # step 2: m2 = 0.9 * 0.1 g1 + 0.1 g2 = (0.145, 0.11); v2 = 0.999 * 0.001 g1^2 + 0.001 g2^2
    m_hat = np.array([0.145, 0.11]) / (1 - 0.9**2)
    v_hat = np.array([0.00024975 + 0.001, 0.000999 + 0.004]) / (1 - 0.999**2)
    np.testing.assert_allclose(w2, w1 - 0.1 * m_hat / np.sqrt(v_hat), rtol=1e-7)


@pytest.mark.parametrize("scale", [1e-2, 1.0, 1e4])
def test_adam_bias_correction_makes_first_step_lr_whatever_the_gradient_scale(scale):
    opt = Adam(step_size=0.01)
    w1 = opt.step(np.zeros(3), scale * np.array([1.0, -2.0, 3.0]))
    np.testing.assert_allclose(w1, [-0.01, 0.01, -0.01], rtol=1e-5)  # eps / |g| <= 1e-6
    assert opt.t == 1
    # without the correction it would be lr * (1 - beta1) / sqrt(1 - beta2) = 3.16 lr
    assert not np.allclose(np.abs(w1), 0.01 * 0.1 / np.sqrt(0.001))


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_step_is_pure_and_reset_forgets_state(name):
    opt = OPTIMIZERS[name](step_size=0.1)
    w, g = W0_HAND.copy(), G1.copy()
    first = opt.step(w, g)
    assert first is not w
    np.testing.assert_array_equal(w, W0_HAND)
    np.testing.assert_array_equal(g, G1)
    second = opt.step(first, G2)
    opt.reset()
    np.testing.assert_array_equal(opt.step(w, g), first)
    opt.reset()
    fresh = opt.step(first, G2)
    if name == "sgd":
        np.testing.assert_array_equal(fresh, second)
    else:  # stateful rules: the second step remembers the first gradient
        assert not np.allclose(fresh, second)


@pytest.mark.parametrize(
    "opt",
    [
        SGD(0.09),
        Momentum(0.02, beta=0.9),
        Nesterov(0.02, beta=0.9),
        RMSProp(0.01, decay=0.99),
        Adam(0.05),
    ],
    ids=repr,
)
def test_every_rule_converges_on_an_ill_conditioned_quadratic(opt):
    h = optimize(quad_loss_and_grad, np.array([-4.0, 3.0]), opt, n_steps=2000)
    assert not h.diverged and len(h) == 2001
    np.testing.assert_allclose(h.final, CENTER, atol=1e-2)
    assert h.final_loss < 1e-4 * h.losses[0]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_step_from_a_given_state_continues_a_run_exactly(name):
    # after 3 steps, one _step_from(state, t=4) equals the 4th step of the same run
    rng = np.random.default_rng(1)
    grads = rng.normal(size=(4, 3, 2))
    run = OPTIMIZERS[name](step_size=0.05)
    w = rng.normal(size=(3, 2))
    for g in grads[:3]:
        w = run.step(w, g)
    state = {k: v.copy() for k, v in run._state.items()}
    fresh = OPTIMIZERS[name](step_size=0.05)
    w_from, state_from = fresh._step_from(w, grads[3], state, t=4)
    np.testing.assert_array_equal(w_from, run.step(w, grads[3]))
    assert state_from.keys() == run._state.keys()
    for k in state_from:
        np.testing.assert_array_equal(state_from[k], run._state[k])
    assert fresh.t == run.t == 4


def test_optimize_resets_the_optimizer_so_reuse_gives_the_same_path():
    opt = Momentum(0.02)
    a = optimize(quad_loss_and_grad, [0.0, 0.0], opt, n_steps=30)
    b = optimize(quad_loss_and_grad, [0.0, 0.0], opt, n_steps=30)
    np.testing.assert_array_equal(a.params, b.params)


def test_optimizer_rejects_a_parameter_of_another_shape():
    opt = Momentum(0.1)
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match=r"call reset\(\) first"):
        opt.step(np.zeros(3), np.ones(3))


def test_optimizer_registry_names_match_classes():
    assert {k: v.__name__ for k, v in OPTIMIZERS.items()} == {
        "sgd": "SGD",
        "momentum": "Momentum",
        "nesterov": "Nesterov",
        "rmsprop": "RMSProp",
        "adam": "Adam",
    }


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


def test_bad_optimizer_type():
    with pytest.raises(TypeError, match=r"optimizer must be an Optimizer"):
        optimize(quad_loss_and_grad, [0.0, 0.0], "adam", n_steps=1)


def test_bad_step_size_of_a_rule():
    with pytest.raises(ValueError, match=r"step_size must be > 0"):
        Adam(step_size=-1e-3)


def test_bad_momentum_beta():
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\), got 1.0"):
        Momentum(0.1, beta=1.0)


def test_bad_step_gradient_shape():
    with pytest.raises(ValueError, match=r"dw must have w's shape \(2,\)"):
        SGD(0.1).step(np.zeros(2), np.zeros(3))


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


# --------------------------------------------------------------------------------------------
# steps_to_stay_below: when a run settles under a loss level
# --------------------------------------------------------------------------------------------


def test_steps_to_stay_below_counts_from_the_last_rise_not_the_first_dip():
    losses = [5.0, 0.5, 2.0, 0.4, 0.1]  # dips at step 1, back above at 2, below for good at 3
    assert steps_to_stay_below(losses, 1.0) == 3
    assert steps_to_stay_below([0.5, 0.4], 1.0) == 0  # below from the start
    assert steps_to_stay_below([5.0, 4.0, 3.0], 1.0) is None  # never below
    assert steps_to_stay_below([5.0, 0.5, 2.0], 1.0) is None  # dipped, but ends above
    assert steps_to_stay_below([5.0, 1.0, 0.5], 1.0) == 2  # "below" is strict


def test_steps_to_stay_below_on_a_momentum_run_that_overshoots():
    # momentum on an ill-conditioned bowl dips below the level, rises above it and settles later
    run = optimize(quad_loss_and_grad, np.zeros(2), Momentum(0.04, beta=0.9), n_steps=200)
    level = 1e-3
    k = steps_to_stay_below(run.losses, level)
    first_dip = int(np.flatnonzero(run.losses < level)[0])
    assert k is not None and k > first_dip
    assert (run.losses[k:] < level).all() and run.losses[k - 1] >= level


def test_steps_to_stay_below_treats_nan_and_inf_as_above():
    assert steps_to_stay_below([1.0, 0.1, np.inf], 0.5) is None
    assert steps_to_stay_below([1.0, np.nan, 0.1], 0.5) == 2


def test_steps_to_stay_below_rejects_bad_input():
    with pytest.raises(ValueError, match="losses"):
        steps_to_stay_below([], 1.0)
    with pytest.raises(ValueError, match="losses"):
        steps_to_stay_below([[1.0, 2.0]], 1.0)
    with pytest.raises(TypeError, match="level"):
        steps_to_stay_below([1.0], "low")
    with pytest.raises(ValueError, match="level"):
        steps_to_stay_below([1.0], np.nan)
