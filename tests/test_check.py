"""Exercise checks: a correct answer passes, and each common mistake gets its own message."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import check, losses, regularization
from lecture_utils.check import CheckResult

# ------------------------------------------------------------------------------------------
# Building blocks for buggy learner functions
# ------------------------------------------------------------------------------------------


def _margins(scores, y, delta=1.0, skip_correct=True):
    rows = np.arange(scores.shape[0])
    m = scores - scores[rows, y][:, None] + delta
    if skip_correct:
        m[rows, y] = 0.0
    return m


def _svm(
    W,
    X,
    y,
    reg,
    *,
    div_n=True,
    reg_factor=1.0,
    grad_reg_factor=2.0,
    reg_over_n=False,
    skip_correct=True,
    clamp=True,
    grad_sign=1.0,
    grad_div_n=True,
    grad_parts="both",
    grad_transposed=False,
):
    """A configurable SVM loss: the defaults are correct, each flag plants one mistake."""
    W = np.asarray(W, dtype=float)
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    m = _margins(scores, y, skip_correct=skip_correct)
    per_margin = np.maximum(0.0, m) if clamp else m
    data = per_margin.sum() / (n if div_n else 1)
    reg_term = reg_factor * reg * np.sum(W * W)
    loss = (per_margin.sum() + reg_term) / n if reg_over_n else data + reg_term
    m_correct_zero = _margins(scores, y)
    violated = (m_correct_zero > 0).astype(float)
    ds = np.zeros_like(scores)
    if grad_parts in ("both", "wrong"):
        ds += violated
    if grad_parts in ("both", "correct"):
        ds[rows, y] -= violated.sum(axis=1)
    dW = X.T @ ds / (n if grad_div_n else 1) + grad_reg_factor * reg * W
    dW = grad_sign * dW
    if grad_transposed:
        dW = dW.T
    return loss, dW


def _correct_svm(W, X, y, reg):
    return _svm(W, X, y, reg)


# ------------------------------------------------------------------------------------------
# The result object
# ------------------------------------------------------------------------------------------


def test_result_shows_a_mark_and_is_truthy_only_when_passed():
    good = check.svm_loss(_correct_svm)
    bad = check.svm_loss(lambda W, X, y, reg: _svm(W, X, y, reg, div_n=False))
    assert isinstance(good, CheckResult) and isinstance(bad, CheckResult)
    assert bool(good) is True and bool(bad) is False
    assert repr(good).startswith("✅ svm_loss:")
    assert repr(bad).startswith("❌ svm_loss:")
    assert "Hint:" in repr(bad)
    assert "✅" in good._repr_html_() and "❌" in bad._repr_html_()


def test_result_html_escapes_the_message():
    result = check.CheckResult("x", False, "a < b & c")
    assert "a &lt; b &amp; c" in result._repr_html_()


# ------------------------------------------------------------------------------------------
# svm_loss
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [losses.svm_loss, losses.svm_loss_naive, _correct_svm])
def test_svm_loss_accepts_correct_implementations(fn):
    result = check.svm_loss(fn)
    assert result, result
    assert "correct on all 4 inputs" in result.message


SVM_BUGS = [
    (dict(div_n=False), "N = 3 times too big: did you forget to divide by N?"),
    (dict(skip_correct=False), "too big by exactly delta = 1: the sum over classes must skip"),
    (dict(clamp=False), "did you forget max(0, .)?"),
    (dict(reg_factor=0.0), "missing the regularization term reg * sum(W**2)"),
    (dict(reg_factor=0.5), "the regularization term is 0.5 * reg * sum(W**2)"),
    (dict(reg_over_n=True), "the regularization term was divided by N too"),
    (dict(grad_reg_factor=0.0), "dW is missing the regularization gradient 2 * reg * W"),
    (dict(grad_reg_factor=1.0), "the regularization gradient should be 2 * reg * W"),
    (dict(grad_div_n=False), "N = 3 times too big: did you forget to divide dW by N?"),
    (dict(grad_sign=-1.0), "dW has the wrong sign"),
    (dict(grad_parts="wrong"), "dW is missing the correct-class part"),
    (dict(grad_parts="correct"), "dW is missing the wrong-class part"),
    (dict(grad_transposed=True), "dW is transposed"),
]


@pytest.mark.parametrize(("bug", "wording"), SVM_BUGS, ids=[str(b) for b, _ in SVM_BUGS])
def test_svm_loss_names_each_common_mistake(bug, wording):
    result = check.svm_loss(lambda W, X, y, reg: _svm(W, X, y, reg, **bug))
    assert not result
    assert wording in result.message, result.message


def test_svm_loss_names_a_whole_loss_not_divided_by_n():
    def whole_sum(W, X, y, reg):
        loss, dW = _svm(W, X, y, reg)
        return loss * X.shape[0] if reg > 0 else loss, dW  # data loss and reg both * N

    result = check.svm_loss(whole_sum)
    assert "reg=0.1: the loss is N = 8 times too big: did you forget to divide by N?" in (
        result.message
    )


def test_svm_loss_names_dividing_by_n_twice():
    result = check.svm_loss(lambda W, X, y, reg: (_svm(W, X, y, reg)[0] / 3, _svm(W, X, y, reg)[1]))
    assert "the data loss is N = 3 times too small: did you divide by N twice?" in result.message


def test_svm_loss_reports_transposed_gradient_by_shape_on_non_square_W():
    def transposed_on_random(W, X, y, reg):
        loss, dW = _svm(W, X, y, reg)
        return loss, (dW if W.shape[0] == W.shape[1] else dW.T)

    result = check.svm_loss(transposed_on_random)
    assert "random data (N=6, D=5, C=4)" in result.message
    assert "dW has shape (4, 5) but should have shape (5, 4): it looks transposed" in (
        result.message
    )


def test_svm_loss_reports_the_exception_and_the_line():
    def broken(W, X, y, reg):
        loss = float(X @ W)  # not one number
        return loss, W

    result = check.svm_loss(broken)
    assert not result
    assert "your function raised TypeError" in result.message
    assert "(at `loss = float(X @ W)  # not one number` in broken)" in result.message


def test_svm_loss_says_to_fill_in_a_stub():
    def stub(W, X, y, reg):
        raise NotImplementedError

    assert "raised NotImplementedError: fill in the exercise" in check.svm_loss(stub).message


def test_svm_loss_detects_input_modified_in_place():
    def mutating(W, X, y, reg):
        loss, dW = _svm(W, X, y, reg)
        W *= 1.0 + 1e-3  # e.g. an "update" left in the loss function
        return loss, dW

    result = check.svm_loss(mutating)
    assert "changed its input in place: W was modified" in result.message


@pytest.mark.parametrize(
    ("returned", "wording"),
    [
        (lambda W, X, y, reg: _svm(W, X, y, reg)[0], "returned only a number"),
        (lambda W, X, y, reg: None, "returned None: did you forget the `return`?"),
        (lambda W, X, y, reg: (1.0, W, W), "returned 3 values; return the pair (loss, dW)"),
        (
            lambda W, X, y, reg: (np.zeros(X.shape[0]), W),
            "the loss has shape (3,): one value per example",
        ),
        (
            lambda W, X, y, reg: (_svm(W, X, y, reg)[0], np.zeros(W.shape[0])),
            "dW has shape (3,) but should have shape (3, 3)",
        ),
        (lambda W, X, y, reg: (_svm(W, X, y, reg)[0], np.zeros_like(W)), "dW is all zeros"),
    ],
)
def test_svm_loss_reports_wrong_return_values(returned, wording):
    result = check.svm_loss(returned)
    assert not result
    assert wording in result.message, result.message


def test_svm_loss_uses_the_lecture_example_first():
    result = check.svm_loss(lambda W, X, y, reg: (0.0, np.zeros_like(W)))
    assert result.message.startswith("on the lecture's example")
    assert "the loss is 0 but should be 5.267" in result.message


def test_svm_loss_generic_gradient_message_points_to_grad_check():
    def slightly_off(W, X, y, reg):
        loss, dW = _svm(W, X, y, reg)
        dW = dW.copy()
        dW[0, 0] += 0.5
        return loss, dW

    result = check.svm_loss(slightly_off)
    assert "largest difference is at dW[0, 0]" in result.message
    assert "grad_check" in result.hint


# ------------------------------------------------------------------------------------------
# svm_loss_vectorized
# ------------------------------------------------------------------------------------------


def test_svm_loss_vectorized_accepts_the_library():
    result = check.svm_loss_vectorized(losses.svm_loss)
    assert result, result
    assert "vectorized" in result.message


def test_svm_loss_vectorized_rejects_loops():
    result = check.svm_loss_vectorized(losses.svm_loss_naive)
    assert not result
    assert "it looks like it still loops over the examples or classes" in result.message


def test_svm_loss_vectorized_checks_correctness_first():
    result = check.svm_loss_vectorized(lambda W, X, y, reg: _svm(W, X, y, reg, reg_factor=0.0))
    assert result.name == "svm_loss_vectorized"
    assert "missing the regularization term" in result.message


# ------------------------------------------------------------------------------------------
# hinge_losses
# ------------------------------------------------------------------------------------------


def _hinge(scores, y, delta=1.0, *, skip_correct=True, clamp=True, use_delta=True, reduce=None):
    m = _margins(np.asarray(scores, float), y, delta if use_delta else 1.0, skip_correct)
    if clamp:
        m = np.maximum(0.0, m)
    if reduce == "none":
        return m
    out = m.sum(axis=1)
    return out.mean() if reduce == "mean" else out


def test_hinge_losses_accepts_the_library_and_a_correct_version():
    assert check.hinge_losses(losses.hinge_losses)
    assert check.hinge_losses(_hinge)


HINGE_BUGS = [
    (dict(skip_correct=False), "every L_i is too big by exactly delta = 1"),
    (dict(clamp=False), "did you forget max(0, .)?"),
    (dict(use_delta=False), "your function gave the losses for delta = 1: use the `delta`"),
    (dict(reduce="mean"), "returned one number (5.267), but it should return one loss per"),
    (dict(reduce="none"), "returned shape (3, 3), one value per class"),
]


@pytest.mark.parametrize(("bug", "wording"), HINGE_BUGS, ids=[str(b) for b, _ in HINGE_BUGS])
def test_hinge_losses_names_each_common_mistake(bug, wording):
    result = check.hinge_losses(lambda scores, y, delta=1.0: _hinge(scores, y, delta, **bug))
    assert not result
    assert wording in result.message, result.message


def test_hinge_losses_forgot_delta():
    result = check.hinge_losses(lambda s, y, delta=1.0: _hinge(s, y, 0.0))
    assert "your L_i ignore the margin delta" in result.message


def test_hinge_losses_shows_expected_values_for_the_lecture_example():
    def last_one_off(scores, y, delta=1.0):
        out = _hinge(scores, y, delta)
        out[-1] -= 0.9
        return out

    result = check.hinge_losses(last_one_off)
    assert "on the lecture's cat/car/frog scores" in result.message
    assert "should be [ 2.9,  0. , 12.9]" in result.message


def test_hinge_losses_detects_scores_modified_in_place():
    def mutating(scores, y, delta=1.0):
        out = _hinge(scores, y, delta)
        scores -= scores.max()
        return out

    assert "scores was modified" in check.hinge_losses(mutating).message


# ------------------------------------------------------------------------------------------
# Number answers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "ok", "wording"),
    [
        (9, True, "9 = C - 1"),
        (9.0, True, "9 = C - 1"),
        (10, False, "counts the correct class too"),
        (1, False, "how many wrong classes are there?"),
        (0, False, "0 would mean every margin is met"),
        (3, False, "3 is not it"),
        ("nine", False, "your answer should be a number"),
    ],
)
def test_svm_initial_loss(answer, ok, wording):
    result = check.svm_initial_loss(answer)
    assert bool(result) is ok
    assert wording in result.message


@pytest.mark.parametrize(
    ("low", "high", "ok", "wording"),
    [
        (0, float("inf"), True, "no upper limit"),
        (0, np.inf, True, "no upper limit"),
        (-1, float("inf"), False, "the smallest possible loss is not -1"),
        (0, 100, False, "100 can be exceeded: is there a largest possible loss at all?"),
        ("a", 1, False, "give two numbers"),
    ],
)
def test_svm_loss_bounds(low, high, ok, wording):
    result = check.svm_loss_bounds(low, high)
    assert bool(result) is ok
    assert wording in result.message


# ------------------------------------------------------------------------------------------
# Regularization
# ------------------------------------------------------------------------------------------


def test_penalties_accept_the_library():
    assert check.l2(regularization.l2)
    assert check.l1(regularization.l1)
    assert check.elastic_net(regularization.elastic_net)


def test_l1_accepts_any_subgradient_at_zero():
    def l1_half_at_zero(W):
        g = np.sign(W)
        g[W == 0] = 0.5
        return np.sum(np.abs(W)), g

    assert check.l1(l1_half_at_zero)


L2_BUGS = [
    (lambda W: (np.sum(np.abs(W)), 2 * W), "that is the L1 penalty sum(|W|)"),
    (lambda W: (np.sqrt(np.sum(W**2)), 2 * W), "that is the L2 norm sqrt(sum(W**2))"),
    (lambda W: (0.5 * np.sum(W**2), 2 * W), "the value is 0.5 * sum(W**2)"),
    (lambda W: (np.sum(W), 2 * W), "the weights were summed without squaring them"),
    (lambda W: (W**2, 2 * W), "did you forget to sum?"),
    (lambda W: (np.sum(W**2), W), "yours is W (missing the factor 2)"),
    (lambda W: (np.sum(W**2), np.sign(W)), "that is the L1 gradient sign(W)"),
    (lambda W: (np.sum(W**2), W**2), "not its derivative 2 * W"),
    (lambda W: (np.sum(W**2), 2 * W.ravel()[:2]), "grad has shape (2,) but should have shape (4,)"),
    (lambda W: np.sum(W**2), "returned only a number (1); return the pair (value, grad)"),
]


@pytest.mark.parametrize(("fn", "wording"), L2_BUGS)
def test_l2_names_each_common_mistake(fn, wording):
    result = check.l2(fn)
    assert not result
    assert wording in result.message, result.message


def test_l2_detects_in_place_modification():
    def mutating(W):
        value = np.sum(W**2)
        W *= 2
        return value, W

    assert "W was modified" in check.l2(mutating).message


L1_BUGS = [
    (lambda W: (np.sum(W), np.sign(W)), "the negative weights were subtracted"),
    (lambda W: (np.sum(W**2), np.sign(W)), "that is the L2 penalty sum(W**2)"),
    (lambda W: (np.sum(np.abs(W)), W), "the derivative of |w| is sign(w) (+1 or -1), not w"),
    (lambda W: (np.sum(np.abs(W)), 2 * W), "that is the L2 gradient 2 * W"),
    (lambda W: (np.sum(np.abs(W)), np.ones_like(W)), "is -1 for negative weights, not +1"),
    (
        lambda W: (np.sum(np.abs(W)), np.where(W == 0, 2.0, np.sign(W))),
        "at w = 0 your gradient is outside [-1, 1]",
    ),
]


@pytest.mark.parametrize(("fn", "wording"), L1_BUGS)
def test_l1_names_each_common_mistake(fn, wording):
    result = check.l1(fn)
    assert not result
    assert wording in result.message, result.message


def _en_value(W, b):
    return b * np.sum(W**2) + np.sum(np.abs(W))


ELASTIC_BUGS = [
    (
        lambda W, b: (np.sum(W**2) + b * np.sum(np.abs(W)), 2 * b * W + np.sign(W)),
        "beta multiplies the wrong term: the penalty is",
    ),
    (lambda W, b: (b * np.sum(W**2), 2 * b * W + np.sign(W)), "the L1 part sum(|W|) is missing"),
    (lambda W, b: (np.sum(np.abs(W)), 2 * b * W + np.sign(W)), "the L2 part beta * sum(W**2)"),
    (
        lambda W, b: (b * np.sum(W**2) + np.sum(W), 2 * b * W + np.sign(W)),
        "the L1 part needs absolute values",
    ),
    (lambda W, b: (_en_value(W, b), b * W + np.sign(W)), "the factor 2 is missing"),
    (lambda W, b: (_en_value(W, b), 2 * b * W), "the gradient is missing the L1 part sign(W)"),
    (lambda W, b: (_en_value(W, b), np.sign(W)), "the gradient is missing the L2 part"),
    (
        lambda W, b: (_en_value(W, b), 2 * W + b * np.sign(W)),
        "beta multiplies the wrong term of the gradient",
    ),
    (lambda W, b: (_en_value(W, b), 2 * b * W + W), "the derivative of |W| is sign(W), not W"),
    (lambda W: (0.0, W), "your function raised TypeError"),
]


@pytest.mark.parametrize(("fn", "wording"), ELASTIC_BUGS)
def test_elastic_net_names_each_common_mistake(fn, wording):
    result = check.elastic_net(fn)
    assert not result
    assert wording in result.message, result.message


@pytest.mark.parametrize(
    ("l2", "l1", "ok", "wording"),
    [
        ("w2", "tie", True, "L2 prefers w2 (0.25 < 1)"),
        ("W2", "neither", True, "L2 prefers w2"),
        ("w1", "tie", False, "L2 does not choose 'w1' here"),
        ("tie", "tie", False, "L2 does not choose 'tie' here"),
        ("w2", "w1", False, "L1 does not choose 'w1' here"),
        ("w2", "w2", False, "L1 does not choose 'w2' here"),
        ("w2", None, False, "answer both questions with 'w1', 'w2' or 'tie'"),
        ("maybe", "tie", False, "got l2='maybe'"),
    ],
)
def test_regularization_preference(l2, l1, ok, wording):
    result = check.regularization_preference(l2=l2, l1=l1)
    assert bool(result) is ok
    assert wording in result.message + result.hint


def test_checks_never_raise_on_non_callables():
    for fn in (check.svm_loss, check.hinge_losses, check.l1, check.l2, check.elastic_net):
        result = fn(42)
        assert not result
        assert "expected a function, got int" in result.message


def test_public_api_is_listed():
    for name in check.__all__:
        assert hasattr(check, name)
