"""Softmax exercise checks: correct answers pass, each common mistake gets its own message."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import check, losses

# ------------------------------------------------------------------------------------------
# Buggy learner functions, built from one configurable implementation
# ------------------------------------------------------------------------------------------


def _softmax(scores, *, shift="row", axis=1, normalize=True, log=False, in_place=False):
    """Softmax of the rows of scores; the defaults are correct, each flag plants one mistake."""
    s = scores if in_place else np.array(scores, dtype=float)
    if shift == "row":
        s -= s.max(axis=1, keepdims=True)
    elif shift == "all":
        s -= s.max()
    elif shift == "column":
        s -= s.max(axis=0, keepdims=True)
    e = np.exp(s)
    if not normalize:
        return e
    p = e / e.sum(axis=axis, keepdims=axis is not None)
    return np.log(p) if log else p


def _correct_softmax(scores):
    return _softmax(scores)


def _softmax_loss(
    W,
    X,
    y,
    reg,
    *,
    stable=True,
    mean=True,
    axis=1,
    reg_factor=1.0,
    grad_reg_factor=2.0,
    grad_div_n=True,
    minus_one=True,
    grad_sign=1.0,
    sign=1.0,
    all_classes=False,
    log=np.log,
):
    """A configurable softmax loss: the defaults are correct, each flag plants one mistake."""
    W = np.asarray(W, dtype=float)
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    if stable:
        scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    p = e / e.sum(axis=axis, keepdims=True)
    per_class = -log(p)
    L_i = per_class.sum(axis=1) if all_classes else per_class[rows, y]
    data = sign * L_i.sum() / (n if mean else 1)
    loss = data + reg_factor * reg * np.sum(W * W)
    ds = p.copy()
    if minus_one:
        ds[rows, y] -= 1
    dW = X.T @ ds / (n if grad_div_n else 1) + grad_reg_factor * reg * W
    return loss, grad_sign * dW


def _correct_loss(W, X, y, reg):
    return _softmax_loss(W, X, y, reg)


# ------------------------------------------------------------------------------------------
# softmax
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [losses.softmax, _correct_softmax])
def test_softmax_accepts_correct_implementations(fn):
    result = check.softmax(fn)
    assert result, result
    assert "stable on scores around ±1000" in result.message


SOFTMAX_BUGS = [
    (dict(shift="none"), "not numerically stable: your result contains inf or nan"),
    (dict(shift="all"), "you subtracted one maximum for the whole matrix (1002)"),
    (dict(shift="column"), "you subtracted each *column's* maximum"),
    (dict(axis=0), "each column sums to 1 instead of each row: you normalized over axis 0"),
    (dict(axis=None), "the whole matrix sums to 1"),
    (dict(normalize=False), "the *unnormalized* probabilities"),
    (dict(log=True), "these are log-probabilities"),
    (dict(in_place=True), "your function changed its input in place: scores was modified"),
]


@pytest.mark.parametrize(("bug", "wording"), SOFTMAX_BUGS, ids=[str(b) for b, _ in SOFTMAX_BUGS])
def test_softmax_names_each_common_mistake(bug, wording):
    result = check.softmax(lambda s: _softmax(s, **bug))
    assert not result
    assert wording in result.message, result.message


def test_softmax_stability_failure_has_a_hint_and_prints_no_warning(recwarn):
    result = check.softmax(lambda s: _softmax(s, shift="none"))
    assert "large scores (around ±1000)" in result.message
    assert "subtract each row's largest score" in result.hint and "m = max_k s_k" in result.hint
    assert "keepdims" not in result.hint  # a formula, not the line of code (issue 11)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_softmax_wrong_shapes_and_errors():
    def one_per_example(s):
        return _correct_softmax(s)[np.arange(len(s)), 0]

    result = check.softmax(one_per_example)
    assert "returned shape (3,), one number per example" in result.message
    result = check.softmax(lambda s: _correct_softmax(s).T)
    assert "it looks transposed" in result.message

    def not_done(s):
        raise NotImplementedError

    assert "fill in the exercise" in check.softmax(not_done).message
    assert "did you forget to `return` it?" in check.softmax(lambda s: None).message


# ------------------------------------------------------------------------------------------
# softmax_loss
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [losses.softmax_loss, losses.softmax_loss_naive, _correct_loss])
def test_softmax_loss_accepts_correct_implementations(fn):
    result = check.softmax_loss(fn)
    assert result, result
    assert "correct on all 5 inputs" in result.message


LOSS_BUGS = [
    (dict(stable=False), "not numerically stable: your loss or dW is inf or nan"),
    (dict(mean=False), "the data loss is N = 3 times too big: did you forget the mean"),
    (dict(axis=0), "normalized over axis 0 (over the examples)"),
    (dict(reg_factor=0.0), "missing the regularization term reg * sum(W**2)"),
    (dict(reg_factor=0.5), "the regularization term is 0.5 * reg * sum(W**2)"),
    (dict(grad_reg_factor=0.0), "dW is missing the regularization gradient 2 * reg * W"),
    (dict(grad_reg_factor=1.0), "the regularization gradient should be 2 * reg * W"),
    (dict(grad_div_n=False), "N = 3 times too big: did you forget to divide dW by N?"),
    (dict(minus_one=False), "dW is missing the -1 of the correct class"),
    (dict(grad_sign=-1.0), "dW has the wrong sign"),
    (dict(sign=-1.0), "the data loss has the wrong sign"),
    (dict(all_classes=True), "you summed -log P over every class"),
    (dict(log=np.log10), "you used log base 10"),
]


@pytest.mark.parametrize(("bug", "wording"), LOSS_BUGS, ids=[str(b) for b, _ in LOSS_BUGS])
def test_softmax_loss_names_each_common_mistake(bug, wording):
    result = check.softmax_loss(lambda W, X, y, reg: _softmax_loss(W, X, y, reg, **bug))
    assert not result
    assert wording in result.message, result.message


def test_softmax_loss_reports_the_regularization_gradient_on_the_regularized_case():
    result = check.softmax_loss(lambda W, X, y, reg: _softmax_loss(W, X, y, reg, grad_reg_factor=0))
    assert result.message.startswith("on random data (N=8, D=7, C=3), reg=0.1:")


def test_softmax_loss_unstable_only_fails_on_the_large_case(recwarn):
    result = check.softmax_loss(lambda W, X, y, reg: _softmax_loss(W, X, y, reg, stable=False))
    assert "the lecture's scores + 1000" in result.message
    assert "subtract each row's largest score" in result.hint and "keepdims" not in result.hint
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_softmax_loss_in_place_and_shapes():
    def in_place(W, X, y, reg):
        W -= 0.0 * W + 1.0  # changes W
        return _correct_loss(W, X, y, reg)

    assert "changed its input in place: W was modified" in check.softmax_loss(in_place).message

    def per_example(W, X, y, reg):
        s = X @ W
        return losses.cross_entropy_losses(s, y), _correct_loss(W, X, y, reg)[1]

    assert "the loss has shape (3,)" in check.softmax_loss(per_example).message

    def transposed(W, X, y, reg):
        loss, dW = _correct_loss(W, X, y, reg)
        return loss, dW.T

    assert "dW is transposed" in check.softmax_loss(transposed).message
    assert "return the pair (loss, dW)" in check.softmax_loss(lambda W, X, y, reg: 1.0).message


# ------------------------------------------------------------------------------------------
# Questions answered with a number
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [np.log(10), 2.3, 2.303])
def test_softmax_initial_loss_accepts_log_10(answer):
    assert check.softmax_initial_loss(answer)


@pytest.mark.parametrize(
    ("answer", "wording"),
    [
        (0.1, "each class's probability"),
        (1.0, "natural log"),
        (9, "the multiclass SVM's answer"),
        (-np.log(10), "the sign"),
        (0, "would need P(correct) = 1"),
        (10, "10 is C"),
        (5.0, "is not it"),
        ("two", "should be a number"),
    ],
)
def test_softmax_initial_loss_explains_wrong_answers(answer, wording):
    result = check.softmax_initial_loss(answer)
    assert not result
    assert wording in result.message


def test_softmax_loss_bounds():
    assert check.softmax_loss_bounds(0, float("inf"))
    assert check.softmax_loss_bounds(0.0, np.inf)
    low = check.softmax_loss_bounds(-1, np.inf)
    assert "not -1" in low.message and "-log P(y_i) >= 0" in low.hint
    assert "P(y_i) -> 1" in check.softmax_loss_bounds(1, np.inf).hint
    finite = check.softmax_loss_bounds(0, 10)
    assert "10 can be exceeded" in finite.message
    assert "no upper limit" not in finite.message + finite.hint  # the answer is not given away
    assert "give two numbers" in check.softmax_loss_bounds("zero", None).message
