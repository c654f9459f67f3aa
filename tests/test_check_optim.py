"""Exercise checks of notebooks 08 and 09: ``check.accuracy``, ``check.sgd_epoch``,
``check.momentum_update``, ``check.rmsprop_update`` and ``check.adam_update``.

A right answer passes; each usual mistake fails with its own message; the checks' reference
formulas step exactly like :mod:`lecture_utils.optim`; a wrong answer never raises.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from lecture_utils import check, losses, optim
from lecture_utils.check import _optim

# ---------------------------------------------------------------------------------------------
# Right answers, as a learner would write them
# ---------------------------------------------------------------------------------------------


def momentum_right(w, dw, v, step_size, beta):
    v = beta * v - step_size * dw
    return w + v, v


def rmsprop_right(w, dw, cache, step_size, decay, eps):
    cache = decay * cache + (1 - decay) * dw**2
    return w - step_size * dw / (np.sqrt(cache) + eps), cache


def adam_right(w, dw, m, v, t, step_size, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - step_size * m_hat / (np.sqrt(v_hat) + eps), m, v


def accuracy_right(W, X, y):
    return np.mean((X @ W).argmax(axis=1) == y)


def sgd_epoch_right(W, X, y, step_size, reg, batch_size, rng):
    order = rng.permutation(X.shape[0])
    batch_losses = []
    for start in range(0, X.shape[0], batch_size):
        idx = order[start : start + batch_size]
        loss, dW = losses.softmax_loss(W, X[idx], y[idx], reg)
        W = W - step_size * dW
        batch_losses.append(loss)
    return W, batch_losses


@pytest.mark.parametrize(
    "check_fn, solution",
    [
        (check.momentum_update, momentum_right),
        (check.rmsprop_update, rmsprop_right),
        (check.adam_update, adam_right),
        (check.accuracy, accuracy_right),
        (check.sgd_epoch, sgd_epoch_right),
    ],
)
def test_right_answers_pass(check_fn, solution):
    result = check_fn(solution)
    assert result, str(result)
    assert result.mark == "✅"


# ---------------------------------------------------------------------------------------------
# The checks' reference formulas are the library's update rules
# ---------------------------------------------------------------------------------------------


def test_reference_formulas_step_like_the_library():
    rng = np.random.default_rng(5)
    w = rng.normal(size=(3, 2))
    rules = [
        (
            optim.Momentum(0.05, beta=0.8),
            lambda w, dw, s, t: _optim._momentum(w, dw, *s, 0.05, 0.8),
        ),
        (
            optim.RMSProp(0.02, decay=0.9, eps=1e-3),
            lambda w, dw, s, t: _optim._rmsprop(w, dw, *s, 0.02, 0.9, 1e-3),
        ),
        (
            optim.Adam(0.1, beta1=0.85, beta2=0.99, eps=1e-6),
            lambda w, dw, s, t: _optim._adam(w, dw, *s, t, 0.1, 0.85, 0.99, 1e-6),
        ),
    ]
    n_state = [1, 1, 2]
    for (library, ours), k in zip(rules, n_state, strict=True):
        w_lib, w_ours, state = w.copy(), w.copy(), [np.zeros_like(w)] * k
        for t in range(1, 16):
            dw = np.sin(3 * w_lib) + 0.1 * t  # any gradient; the same for both
            w_lib = library.step(w_lib, dw)
            w_ours, *state = ours(w_ours, dw, state, t)
            np.testing.assert_array_equal(w_ours, w_lib)


def test_the_runs_descend_the_landscape_valley_with_the_old_matrix():
    from lecture_utils.check import _rule_harness
    from lecture_utils.landscape import Valley

    old_A = np.array([[0.5, 0.6], [0.6, 3.7]])  # the matrix the checks used to copy
    valley = _rule_harness.VALLEY
    assert isinstance(valley, Valley)
    np.testing.assert_allclose(valley.A, old_A, rtol=0, atol=1e-12)
    w = np.array([-3.0, 1.5])
    np.testing.assert_array_equal(valley.loss_and_grad(w)[1], old_A @ w)


def test_references_are_the_library_rules_not_copies(monkeypatch):
    # the references step the library's classes: a change there shows up here
    calls = []
    original = optim.Optimizer.step

    def spy(self, w, dw):
        calls.append(type(self).__name__)
        return original(self, w, dw)

    monkeypatch.setattr(optim.Optimizer, "step", spy)
    w = np.array([1.0, -2.0])
    _optim._momentum(w, w, w, 0.1, 0.9)
    _optim._rmsprop(w, w, w * w, 0.1, 0.9, 1e-8)
    _optim._adam(w, w, w, w * w, 2, 0.1, 0.9, 0.999, 1e-8)
    assert calls == ["Momentum", "RMSProp", "Adam"]


def test_hand_computed_momentum_step():
    w, v = _optim._momentum(
        np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([0.1, -0.2]), 0.1, 0.9
    )
    np.testing.assert_allclose(v, [0.04, -0.23])  # 0.9 * 0.1 - 0.05, 0.9 * -0.2 - 0.05
    np.testing.assert_allclose(w, [1.04, -2.23])


def test_hand_computed_first_adam_step_moves_every_coordinate_by_the_step_size():
    # t = 1, m = v = 0: m_hat = dw, v_hat = dw**2, so the step is lr * sign(dw) (up to eps)
    dw = np.array([0.001, -50.0])
    w, m, v = _optim._adam(np.zeros(2), dw, np.zeros(2), np.zeros(2), 1, 0.1, 0.9, 0.999, 1e-12)
    np.testing.assert_allclose(w, [-0.1, 0.1], rtol=1e-6)
    np.testing.assert_allclose(m, 0.1 * dw)
    np.testing.assert_allclose(v, 0.001 * dw**2)


# ---------------------------------------------------------------------------------------------
# Named mistakes
# ---------------------------------------------------------------------------------------------


def _momentum_bug(kind):
    def fn(w, dw, v, step_size, beta):
        if kind == "uphill":
            v_new = beta * v + step_size * dw
            return w + v_new, v_new
        if kind == "no_beta":
            v_new = v - step_size * dw
            return w + v_new, v_new
        if kind == "old_v":
            return w + v, beta * v - step_size * dw
        if kind == "other_form":
            v_new = beta * v + dw
            return w - step_size * v_new, v_new
        if kind == "swapped":
            v_new = beta * v - step_size * dw
            return v_new, w + v_new
        if kind == "average":
            v_new = beta * v - (1 - beta) * step_size * dw
            return w + v_new, v_new
        raise AssertionError(kind)

    return fn


@pytest.mark.parametrize(
    "kind, message",
    [
        ("uphill", "goes uphill"),
        ("no_beta", "not multiplied by beta"),
        ("old_v", "moves by the old velocity"),
        ("other_form", "the other common form"),
        ("swapped", "swapped"),
        ("average", r"scaled by \(1 - beta\)"),
    ],
)
def test_momentum_mistakes_are_named(kind, message):
    result = check.momentum_update(_momentum_bug(kind))
    assert not result
    assert re.search(message, result.message), result.message


def _rmsprop_bug(kind):
    def fn(w, dw, cache, step_size, decay, eps):
        c = decay * cache + (1 - decay) * dw**2
        if kind == "no_average":
            c = decay * cache + dw**2
            return w - step_size * dw / (np.sqrt(c) + eps), c
        if kind == "eps_inside":
            return w - step_size * dw / np.sqrt(c + eps), c
        if kind == "no_sqrt":
            return w - step_size * dw / (c + eps), c
        if kind == "uphill":
            return w + step_size * dw / (np.sqrt(c) + eps), c
        if kind == "old_cache":
            return w - step_size * dw / (np.sqrt(cache) + eps), c
        if kind == "swapped":
            return c, w - step_size * dw / (np.sqrt(c) + eps)
        raise AssertionError(kind)

    return fn


@pytest.mark.parametrize(
    "kind, message",
    [
        ("no_average", r"not multiplied by \(1 - decay\)"),
        ("eps_inside", "eps is inside the square root"),
        ("no_sqrt", "square root of the cache is missing"),
        ("uphill", "goes uphill"),
        ("old_cache", "uses the old cache"),
        ("swapped", "swapped"),
    ],
)
def test_rmsprop_mistakes_are_named(kind, message):
    result = check.rmsprop_update(_rmsprop_bug(kind))
    assert not result
    assert re.search(message, result.message), result.message


def _adam_bug(kind):
    def fn(w, dw, m, v, t, step_size, beta1, beta2, eps):
        if kind == "swapped_betas":
            beta1, beta2 = beta2, beta1
        m_new = beta1 * m + (1 - beta1) * dw
        v_new = beta2 * v + (1 - beta2) * dw**2
        tt = {"t_plus_1": t + 1, "t_minus_1": t - 1}.get(kind, t)
        m_hat = m_new / (1 - beta1**tt) if tt > 0 else m_new
        v_hat = v_new / (1 - beta2**tt) if tt > 0 else v_new
        if kind == "no_bias_correction":
            m_hat, v_hat = m_new, v_new
        step = step_size * m_hat / (np.sqrt(v_hat) + eps)
        if kind == "eps_inside":
            step = step_size * m_hat / np.sqrt(v_hat + eps)
        if kind == "no_sqrt":
            step = step_size * m_hat / (v_hat + eps)
        if kind == "uphill":
            step = -step
        if kind == "returns_hat":
            return w - step, m_hat, v_hat
        return w - step, m_new, v_new

    return fn


@pytest.mark.parametrize(
    "kind, message",
    [
        ("no_bias_correction", "no bias correction"),
        ("t_plus_1", r"uses t \+ 1"),
        ("t_minus_1", "uses t - 1"),
        ("eps_inside", "eps is inside the square root"),
        ("no_sqrt", "square root of v_hat is missing"),
        ("uphill", "goes uphill"),
        ("returns_hat", "bias-corrected ones"),
        ("swapped_betas", "beta1 and beta2 are swapped"),
    ],
)
def test_adam_mistakes_are_named(kind, message):
    result = check.adam_update(_adam_bug(kind))
    assert not result
    assert re.search(message, result.message), result.message


def test_update_checks_report_in_place_changes_missing_returns_and_errors():
    def in_place(w, dw, v, step_size, beta):
        v *= beta
        v -= step_size * dw
        w += v
        return w, v

    result = check.momentum_update(in_place)
    assert not result and "changed its input in place: w and v were modified" in result.message

    result = check.momentum_update(lambda w, dw, v, lr, beta: None)
    assert not result and "returned None" in result.message

    result = check.adam_update(lambda w, dw, m, v, t, lr, b1, b2, eps: (w, m))
    assert not result and "returned 2 values; return the tuple (w, m, v)" in result.message

    result = check.rmsprop_update(lambda w, dw, c, lr, d, eps: (w[:1], c))
    assert not result and "the returned w has shape (1,) but should have shape (2,)" in (
        result.message
    )

    def todo(w, dw, v, step_size, beta):
        raise NotImplementedError

    result = check.momentum_update(todo)
    assert not result and "fill in the exercise" in result.message

    result = check.momentum_update(lambda w, dw, v, lr, beta: 1 / 0)
    assert not result and "ZeroDivisionError" in result.message


def test_a_rule_that_drifts_over_many_steps_is_caught_by_the_run():
    calls = []

    def drifting(w, dw, v, step_size, beta):
        calls.append(1)
        v = beta * v - step_size * dw
        if len(calls) > 10:  # right on the single steps, wrong later in the run
            v = 0.5 * v
        return w + v, v

    result = check.momentum_update(drifting)
    assert not result
    assert "single steps are right, but after" in result.message
    assert "of a 40-step run" in result.message


def test_accuracy_mistakes_are_named():
    result = check.accuracy(lambda W, X, y: 100 * np.mean((X @ W).argmax(axis=1) == y))
    assert not result and "percentage" in result.message
    result = check.accuracy(lambda W, X, y: np.sum((X @ W).argmax(axis=1) == y))
    assert not result and "number of correct rows (12); divide by N" in result.message
    result = check.accuracy(lambda W, X, y: np.mean((X @ W).argmax(axis=1) != y))
    assert not result and "error rate" in result.message
    result = check.accuracy(lambda W, X, y: np.mean(X.argmax(axis=1) == y))
    assert not result and "expected 0.6 (12 of 20 right)" in result.message
    assert "argmax(axis=1)" in result.hint


def _epoch_bug(kind):
    def fn(W, X, y, step_size, reg, batch_size, rng):
        n = X.shape[0]
        order = np.arange(n) if kind == "no_shuffle" else rng.permutation(n)
        stop = n - n % batch_size if kind == "drop_last" else n
        batch_losses = []
        for start in range(0, stop, batch_size):
            idx = order[start : start + batch_size]
            loss, dW = losses.softmax_loss(W, X[idx], y[idx], reg)
            W = W + step_size * dW if kind == "plus" else W - step_size * dW
            batch_losses.append(loss)
        if kind == "no_losses":
            return W, []
        if kind == "one":
            return W
        return W, batch_losses

    return fn


@pytest.mark.parametrize(
    "kind, message",
    [
        ("no_shuffle", "stored order"),
        ("drop_last", r"skips the last, smaller batch \(3 examples\)"),
        ("plus", "goes uphill"),
        ("no_losses", r"batch_losses has 0 entries; expected one per batch \(5\)"),
        ("one", "return the pair"),
    ],
)
def test_sgd_epoch_mistakes_are_named(kind, message):
    result = check.sgd_epoch(_epoch_bug(kind))
    assert not result
    assert re.search(message, result.message), result.message


def test_sgd_epoch_reports_in_place_updates():
    def in_place(W, X, y, step_size, reg, batch_size, rng):
        order = rng.permutation(X.shape[0])
        out = []
        for start in range(0, X.shape[0], batch_size):
            idx = order[start : start + batch_size]
            loss, dW = losses.softmax_loss(W, X[idx], y[idx], reg)
            W -= step_size * dW
            out.append(loss)
        return W, out

    result = check.sgd_epoch(in_place)
    assert not result and "W was modified" in result.message
