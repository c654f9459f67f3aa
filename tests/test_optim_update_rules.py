"""Tests of the update rules of lecture_utils.optim and of ``optimize``.

SGD, Momentum, Nesterov, RMSProp and Adam: their first two steps by hand, Adam's bias
correction, pure steps and ``reset``, continuing a run from a saved state, convergence on the
ill-conditioned quadratic of tests/_ill_conditioned_quadratic.py, the ``OPTIMIZERS`` registry,
and their bad input (one test each, with the wording pinned).
"""

from __future__ import annotations

import numpy as np
import pytest
from _ill_conditioned_quadratic import CENTER, quad_loss_and_grad

from lecture_utils.optim import (
    OPTIMIZERS,
    SGD,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    optimize,
)

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
# Bad input: one test each, with the wording pinned
# --------------------------------------------------------------------------------------------


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
