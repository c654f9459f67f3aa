"""Playground exercise checks (notebook 05): right answers pass, each mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import check, losses

# ------------------------------------------------------------------------------------------
# linear_scores
# ------------------------------------------------------------------------------------------


def test_linear_scores_accepts_the_right_answer():
    result = check.linear_scores(lambda X, W, b: X @ W + b)
    assert result, result


@pytest.mark.parametrize(
    ("fn", "wording"),
    [
        (lambda X, W, b: X @ W, "the bias is missing"),
        (lambda X, W, b: X @ W - b, "the bias has the wrong sign"),
        (lambda X, W, b: W.T @ X.T, "it looks transposed"),
        (lambda X, W, b: W @ X + b, "raised ValueError"),
    ],
)
def test_linear_scores_names_mistakes(fn, wording):
    result = check.linear_scores(fn)
    assert not result
    assert wording in result.message, result.message


def test_linear_scores_hints_at_the_orientation_when_shapes_clash():
    result = check.linear_scores(lambda X, W, b: W @ X + b)
    assert "one column per class" in result.hint


# ------------------------------------------------------------------------------------------
# softmax_loss_with_bias
# ------------------------------------------------------------------------------------------


def _with_bias(W, b, X, y, reg, *, reg_b=False, db_reg=False, db_div_n=True, use_b=True):
    """The playground's softmax loss; the defaults are correct, each flag plants a mistake."""
    r = losses.linear_loss(W, X, y, reg, "softmax", b=b if use_b else None)
    loss = r.loss + (reg * np.sum(b**2) if reg_b else 0.0)
    db = r.db if use_b else np.zeros_like(b)
    if not db_div_n:
        db = db * X.shape[0]
    if db_reg:
        db = db + 2 * reg * b
    return loss, r.dW, db


def test_softmax_loss_with_bias_accepts_the_library():
    result = check.softmax_loss_with_bias(_with_bias)
    assert result, result
    assert "correct on all 3 inputs" in result.message


@pytest.mark.parametrize(
    ("bug", "wording"),
    [
        (dict(reg_b=True), "the bias was regularized too"),
        (dict(db_reg=True), "db includes 2 * reg * b"),
        (dict(db_div_n=False), "db is N = 9 times too big"),
        (dict(use_b=False), "the loss ignores the bias"),
    ],
)
def test_softmax_loss_with_bias_names_mistakes(bug, wording):
    result = check.softmax_loss_with_bias(
        lambda W, b, X, y, reg: _with_bias(W, b, X, y, reg, **bug)
    )
    assert not result
    assert wording in result.message, result.message


def test_softmax_loss_with_bias_shapes():
    def two_values(W, b, X, y, reg):
        return _with_bias(W, b, X, y, reg)[:2]

    assert "return the three values" in check.softmax_loss_with_bias(two_values).message

    def db_per_example(W, b, X, y, reg):
        loss, dW, _ = _with_bias(W, b, X, y, reg)
        return loss, dW, np.zeros(X.shape[0])

    result = check.softmax_loss_with_bias(db_per_example)
    assert "db has one value per example" in result.message


# ------------------------------------------------------------------------------------------
# zero_loss_parameters
# ------------------------------------------------------------------------------------------

SEPARATING_W = np.array([[3.2, -3.6, 0.4], [2.4, 1.6, -4.0]])
SEPARATING_B = np.array([-0.6, -0.2, 0.8])


def test_zero_loss_parameters_accepts_a_separating_classifier():
    assert check.zero_loss_parameters(SEPARATING_W, SEPARATING_B)
    assert check.zero_loss_parameters(2 * SEPARATING_W, 2 * SEPARATING_B)


def test_zero_loss_parameters_lists_the_points_that_still_cost():
    result = check.zero_loss_parameters([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]], [0.0, 0.5, -0.5])
    assert not result
    assert result.message.startswith("8 of 9 points still have a positive loss: 0 (L_i = ")
    assert "point 4 is the worst" in result.hint


def test_zero_loss_parameters_spots_the_lecture_orientation():
    result = check.zero_loss_parameters(SEPARATING_W.T, SEPARATING_B)
    assert "W has shape (3, 2) but should have shape (2, 3): it looks transposed" in result.message
    assert "one column per class" in result.hint
    assert "b has shape (2,)" in check.zero_loss_parameters(SEPARATING_W, [0.0, 0.0]).message
