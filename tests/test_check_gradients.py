"""Exercise checks of notebooks 06-07: right answers pass, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import check, gradients, losses, optim

# ---------------------------------------------------------------------------------------------
# Learner-style implementations, right and wrong
# ---------------------------------------------------------------------------------------------


def centered(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        f_plus = f(x)
        x[ix] = old - h
        f_minus = f(x)
        x[ix] = old
        grad[ix] = (f_plus - f_minus) / (2 * h)
    return grad


def forward(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f0 = f(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        grad[ix] = (f(x) - f0) / h
        x[ix] = old
    return grad


def not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        f_plus = f(x)
        x[ix] = old - h
        grad[ix] = (f_plus - f(x)) / (2 * h)
    return grad


def test_numerical_gradient_accepts_a_loop_and_the_library():
    result = check.numerical_gradient(centered)
    assert result, str(result)
    assert "called f 24 times for the 12 weights of W, 2 per parameter" in result.message
    assert check.numerical_gradient(gradients.numerical_gradient)


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (forward, "matches forward differences"),
        (lambda f, x, h: 2 * centered(f, x, h), "twice too big"),
        (lambda f, x, h: centered(f, x, h) / 2, "half of what it should be"),
        (lambda f, x, h: -centered(f, x, h), "wrong sign"),
        (not_restored, "x is not the same after your function"),
        (lambda f, x, h: centered(f, x, h).T, "should have shape"),
        (lambda f, x, h: centered(f, x, h) + 1.0, "should be"),
    ],
)
def test_numerical_gradient_names_each_mistake(fn, wording):
    result = check.numerical_gradient(fn)
    assert not result
    assert wording in result.message


def test_numerical_gradient_says_to_fill_in_a_stub_and_reports_exceptions():
    def stub(f, x, h=1e-5):
        raise NotImplementedError

    assert "fill in the exercise" in check.numerical_gradient(stub).message
    assert "IndexError" in check.numerical_gradient(lambda f, x, h: x[99]).message


def test_numerical_gradient_notes_wasted_evaluations():
    def wasteful(f, x, h=1e-5):
        for _ in range(3):
            grad = centered(f, x, h)
        return grad

    result = check.numerical_gradient(wasteful)
    assert result and "2 per parameter is enough" in result.message


# ---------------------------------------------------------------------------------------------
# rel_error
# ---------------------------------------------------------------------------------------------


def rel(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def test_rel_error_accepts_a_correct_version_and_the_library():
    assert check.rel_error(rel)
    assert check.rel_error(gradients.rel_error)


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (
            lambda a, b: np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))),
            "mean",
        ),
        (lambda a, b: np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))), "|a + b|"),
        (lambda a, b: np.max(np.abs(a - b)), "absolute difference"),
        (lambda a, b: np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), "take the max"),
        (lambda a, b: np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))), "0 / 0"),
    ],
)
def test_rel_error_names_each_mistake(fn, wording):
    with np.errstate(invalid="ignore"):
        result = check.rel_error(fn)
    assert not result
    assert wording in result.message + result.hint


# ---------------------------------------------------------------------------------------------
# gradient_descent
# ---------------------------------------------------------------------------------------------


def gd(loss_and_grad, w0, step_size, n_steps):
    w = w0.copy()
    for _ in range(n_steps):
        _, dw = loss_and_grad(w)
        w = w - step_size * dw
    return w


def gd_in_place(loss_and_grad, w0, step_size, n_steps):
    w = w0
    for _ in range(n_steps):
        w -= step_size * loss_and_grad(w)[1]
    return w


def gd_path(loss_and_grad, w0, step_size, n_steps):
    path = [w0.copy()]
    for _ in range(n_steps):
        path.append(path[-1] - step_size * loss_and_grad(path[-1])[1])
    return np.array(path)


def test_gradient_descent_accepts_a_loop_and_the_library():
    assert check.gradient_descent(gd)
    assert check.gradient_descent(lambda f, w0, eta, n: optim.gradient_descent(f, w0, eta, n).final)


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (lambda f, w0, eta, n: gd(lambda w: (0.0, -f(w)[1]), w0, eta, n), "moved uphill"),
        (lambda f, w0, eta, n: gd(f, w0, eta, n + 1), "steps instead of"),
        (lambda f, w0, eta, n: gd(f, w0, eta, n - 1), "steps instead of"),
        (lambda f, w0, eta, n: gd(f, w0, 1.0, n), "ignore step_size"),
        (lambda f, w0, eta, n: w0 - eta * n * f(w0)[1], "gradient at w0 for every step"),
        (gd_in_place, "w0 was modified"),
        (gd_path, "returned a path"),
        (lambda f, w0, eta, n: None, "None"),
    ],
)
def test_gradient_descent_names_each_mistake(fn, wording):
    result = check.gradient_descent(fn)
    assert not result
    assert wording in result.message


# ---------------------------------------------------------------------------------------------
# sample_minibatch
# ---------------------------------------------------------------------------------------------


def sample(X, y, batch_size, rng):
    idx = rng.choice(X.shape[0], size=batch_size, replace=False)
    return X[idx], y[idx]


def sample_by_permutation(X, y, batch_size, rng):
    idx = rng.permutation(X.shape[0])[:batch_size]
    return X[idx], y[idx]


def test_sample_minibatch_accepts_choice_and_permutation():
    assert check.sample_minibatch(sample)
    assert check.sample_minibatch(sample_by_permutation)


def _with_replacement(X, y, b, rng):
    idx = rng.integers(0, X.shape[0], size=b)
    return X[idx], y[idx]


def _global_rng(X, y, b, rng):
    idx = np.random.default_rng().choice(X.shape[0], size=b, replace=False)
    return X[idx], y[idx]


def _biased(X, y, b, rng):
    idx = rng.choice(X.shape[0] // 2 + b, size=b, replace=False)
    return X[idx], y[idx]


def _mismatched(X, y, b, rng):
    idx = rng.choice(X.shape[0], size=b, replace=False)
    return X[idx], y[np.sort(idx)]


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (_with_replacement, "same example twice"),
        (lambda X, y, b, rng: (X[:b], y[:b]), "not random"),
        (_global_rng, "same seed gave a different batch"),
        (_biased, "some examples were drawn"),
        (_mismatched, "y_batch does not match X_batch"),
        (lambda X, y, b, rng: (X[:b].T, y[:b]), "should have shape"),
        (lambda X, y, b, rng: X[:b], "return the pair"),
    ],
)
def test_sample_minibatch_names_each_mistake(fn, wording):
    result = check.sample_minibatch(fn)
    assert not result
    assert wording in result.message


def test_sample_minibatch_detects_shuffling_in_place():
    def shuffles(X, y, b, rng):
        rng.shuffle(X)
        return X[:b], y[:b]

    assert "was modified" in check.sample_minibatch(shuffles).message


# ---------------------------------------------------------------------------------------------
# sgd_step
# ---------------------------------------------------------------------------------------------


def step(W, X_batch, y_batch, step_size, reg):
    _, dW = losses.softmax_loss(W, X_batch, y_batch, reg)
    return W - step_size * dW


def test_sgd_step_accepts_the_step_and_a_pair_with_the_loss():
    assert check.sgd_step(step)

    def with_loss(W, X_batch, y_batch, step_size, reg):
        loss, dW = losses.softmax_loss(W, X_batch, y_batch, reg)
        return W - step_size * dW, loss

    assert check.sgd_step(with_loss)


def _in_place(W, Xb, yb, eta, reg):
    W -= eta * losses.softmax_loss(W, Xb, yb, reg)[1]
    return W


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (lambda W, Xb, yb, eta, reg: W + eta * losses.softmax_loss(W, Xb, yb, reg)[1], "uphill"),
        (lambda W, Xb, yb, eta, reg: losses.softmax_loss(W, Xb, yb, reg)[1], "returned the grad"),
        (lambda W, Xb, yb, eta, reg: -eta * losses.softmax_loss(W, Xb, yb, reg)[1], "the step,"),
        (lambda W, Xb, yb, eta, reg: W - losses.softmax_loss(W, Xb, yb, reg)[1], "step_size"),
        (lambda W, Xb, yb, eta, reg: step(W, Xb, yb, eta, 0.0), "regularization gradient"),
        (_in_place, "W was modified"),
        (lambda W, Xb, yb, eta, reg: step(W, Xb, yb, eta, reg)[:-1], "should have shape"),
        (lambda W, Xb, yb, eta, reg: step(W, Xb[:1], yb[:1], eta, reg), "differs from"),
    ],
)
def test_sgd_step_names_each_mistake(fn, wording):
    result = check.sgd_step(fn)
    assert not result
    assert wording in result.message
