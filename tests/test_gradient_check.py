"""Judging an analytic gradient against a numerical one: ``rel_error`` and ``rel_error_band``
(lecture_utils.gradients), and ``grad_check`` with its ``GradCheckResult``, kinks flagged
(lecture_utils.gradient_check, also exported by lecture_utils.gradients)."""

import numpy as np
import pytest
from _known_gradients import quadratic, quadratic_grad, sum_sin

from lecture_utils import gradients
from lecture_utils.gradients import GradCheckResult, grad_check, rel_error


def relu_sum(x):
    return float(np.sum(np.maximum(0.0, x)))


# ---------------------------------------------------------------- rel_error


def test_rel_error_both_zero_is_zero():
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(np.zeros((2, 2)), np.zeros((2, 2))) == 0.0


def test_rel_error_hand_computed():
    # elementwise: |1-1|/2 = 0, |2-3|/5 = 0.2
    assert rel_error([1.0, 2.0], [1.0, 3.0]) == pytest.approx(0.2)
    # opposite signs give the maximum 1
    assert rel_error([1.0], [-1.0]) == 1.0
    # below the 1e-8 floor the difference is taken absolutely: 1e-10 / 1e-8
    assert rel_error([1e-10], [0.0]) == pytest.approx(1e-2)
    # symmetric and scale-free above the floor
    assert rel_error([3.0], [4.0]) == rel_error([4.0], [3.0]) == pytest.approx(1 / 7)
    assert rel_error([3e5], [4e5]) == pytest.approx(1 / 7)


def test_rel_error_shape_mismatch_rejected():
    with pytest.raises(
        ValueError, match=r"same shape, got a of shape \(2,\) and b of shape \(3,\)"
    ):
        rel_error(np.ones(2), np.ones(3))


def test_rel_error_nan_rejected():
    with pytest.raises(ValueError, match="b contains NaN or Inf"):
        rel_error([1.0], [np.nan])


def test_rel_error_empty_rejected():
    with pytest.raises(ValueError, match="empty"):
        rel_error([], [])


def test_rel_error_wrong_type_rejected():
    with pytest.raises(TypeError, match="a must be an array of numbers"):
        rel_error("1.0", [1.0])


# ---------------------------------------------------------------- grad_check


def test_grad_check_correct_gradient_passes():
    x = np.array([[0.3, -1.2, 2.0]])
    res = grad_check(quadratic, x, quadratic_grad(x), n_checks=10)
    assert isinstance(res, GradCheckResult)
    # only 3 coordinates exist: all are checked, each once
    assert sorted(res.indices) == [(0, 0), (0, 1), (0, 2)]
    assert res.numerical.shape == res.analytic.shape == res.rel_errors.shape == (3,)
    assert res.on_kink.dtype == np.bool_ and not res.on_kink.any()
    assert res.max_rel_error < 1e-9
    assert res.passed(1e-7)
    assert res.n_evaluations == 4 * 3 + 1


def test_grad_check_finds_a_wrong_gradient():
    x = np.array([0.3, -1.2, 2.0])
    wrong = quadratic_grad(x)
    wrong[1] += 0.1
    res = grad_check(quadratic, x, wrong)
    assert not res.passed(1e-7)
    bad = res.indices.index((1,))
    assert res.rel_errors[bad] > 1e-3 and not res.on_kink[bad]
    assert res.max_rel_error == res.rel_errors[bad]


def test_grad_check_per_coordinate_values_match_inputs():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((5, 4))
    analytic = np.cos(W)
    res = grad_check(sum_sin, W, analytic, n_checks=6, seed=1)
    assert len(res.indices) == len(set(res.indices)) == 6
    for k, ix in enumerate(res.indices):
        assert res.analytic[k] == analytic[ix]
        assert res.numerical[k] == pytest.approx(np.cos(W[ix]), rel=1e-8)
    assert res.max_rel_error == pytest.approx(res.rel_errors.max())


def test_grad_check_is_seeded():
    W = np.arange(20.0).reshape(4, 5) / 10
    a = grad_check(sum_sin, W, np.cos(W), n_checks=5, seed=7)
    b = grad_check(sum_sin, W, np.cos(W), n_checks=5, seed=7)
    c = grad_check(sum_sin, W, np.cos(W), n_checks=5, seed=8)
    assert a.indices == b.indices
    assert a.indices != c.indices
    np.testing.assert_array_equal(a.numerical, b.numerical)
    g = np.random.default_rng(7)
    assert grad_check(sum_sin, W, np.cos(W), n_checks=5, seed=g).indices == a.indices


def test_grad_check_leaves_x_unchanged():
    W = np.array([[0.0, 1.0], [-2.0, 0.5]])
    before = W.copy()
    grad_check(relu_sum, W, (W > 0).astype(float), n_checks=4)
    np.testing.assert_array_equal(W, before)


def test_kink_relu_flagged_at_zero_not_at_one():
    at_zero = grad_check(relu_sum, np.array([0.0]), np.array([1.0]))
    at_one = grad_check(relu_sum, np.array([1.0]), np.array([1.0]))
    assert at_zero.on_kink.tolist() == [True]
    assert at_zero.rel_errors[0] == pytest.approx(1 / 3)  # numerical 0.5 vs analytic 1
    assert at_zero.passed(1e-7)  # the kink is ignored
    assert at_one.on_kink.tolist() == [False]
    assert at_one.max_rel_error == 0.0


def test_kink_flagged_just_off_the_kink_within_h():
    # kink at distance 2e-6 < h = 1e-5: the centred difference straddles it
    res = grad_check(relu_sum, np.array([-2e-6]), np.array([0.0]))
    assert res.on_kink.tolist() == [True]
    assert res.rel_errors[0] > 0.1


@pytest.mark.parametrize("x0", [0.0, 1e-6, -3.0, 1.0, 1e3])
def test_smooth_quadratic_never_flagged(x0):
    # includes the minimum x = 0, where forward and backward slopes have opposite signs
    res = grad_check(lambda v: float(np.sum(v**2)), np.array([x0]), np.array([2 * x0]))
    assert not res.on_kink.any()
    assert res.passed(1e-7)


def test_smooth_functions_not_flagged_on_many_coordinates():
    rng = np.random.default_rng(5)
    W = rng.standard_normal((6, 5))
    res = grad_check(sum_sin, W, np.cos(W), n_checks=30)
    assert not res.on_kink.any()
    x = rng.standard_normal((3, 1))
    assert not grad_check(quadratic, x, quadratic_grad(x)).on_kink.any()


def test_hinge_loss_kinks_explain_large_errors():
    # a mean hinge loss with kinks placed exactly at some coordinates of w
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 6))
    y = np.where(rng.standard_normal(20) > 0, 1.0, -1.0)

    def loss(w):
        return float(np.mean(np.maximum(0.0, 1 - y * (X @ w))))

    def grad(w):
        active = (1 - y * (X @ w)) > 0
        return -(X * (y * active)[:, None]).mean(axis=0)

    w = rng.standard_normal(6)
    # put example 0's margin exactly at its kink
    w[0] = (1 / y[0] - X[0, 1:] @ w[1:]) / X[0, 0]
    res = grad_check(loss, w, grad(w), n_checks=6)
    assert res.on_kink.any()
    assert res.max_rel_error > 1e-4  # the kinks do cause large mismatches ...
    assert res.passed(1e-7)  # ... and only there


def test_kink_tol_zero_flags_only_beyond_roundoff():
    res = grad_check(
        lambda v: float(np.sum(v**2)), np.array([1.0, 2.0]), np.array([2.0, 4.0]), kink_tol=0.0
    )
    assert not res.on_kink.any()


def test_summary_table():
    res = grad_check(relu_sum, np.array([0.0, 2.0]), np.array([1.0, 1.0]))
    text = str(res)
    assert text == res.summary()
    lines = text.splitlines()
    assert lines[0].split() == ["index", "numerical", "analytic", "rel.", "error", "kink"]
    assert len(lines) == 2 + 2
    row0 = lines[1 + res.indices.index((0,))]
    assert row0.split() == ["(0,)", "5.000000e-01", "1.000000e+00", "3.33e-01", "yes"]
    row2 = lines[1 + res.indices.index((1,))]
    # an error below 1e-7 is round-off: printed as a bound, the same on every machine
    assert row2.split() == ["(1,)", "1.000000e+00", "1.000000e+00", "<", "1e-7"]
    assert lines[-1] == (
        "max rel. error 3.33e-01 (off kinks < 1e-7); 1 of 2 checked coordinates on a kink"
    )


def test_result_is_frozen():
    res = grad_check(sum_sin, np.ones(2), np.cos(np.ones(2)))
    with pytest.raises(AttributeError):
        res.max_rel_error = 0.0


def test_grad_check_shape_mismatch_rejected():
    with pytest.raises(ValueError, match=r"analytic_grad must have the same shape as x \(2, 2\)"):
        grad_check(sum_sin, np.ones((2, 2)), np.ones(4))


def test_grad_check_nan_analytic_rejected():
    with pytest.raises(ValueError, match="analytic_grad contains NaN or Inf"):
        grad_check(sum_sin, np.ones(2), np.array([1.0, np.nan]))


def test_grad_check_bad_n_checks_rejected():
    with pytest.raises(ValueError, match="n_checks must be >= 1, got 0"):
        grad_check(sum_sin, np.ones(2), np.ones(2), n_checks=0)
    with pytest.raises(TypeError, match="n_checks must be a positive integer"):
        grad_check(sum_sin, np.ones(2), np.ones(2), n_checks=2.5)


def test_grad_check_bad_seed_rejected():
    with pytest.raises(TypeError, match="seed must be an int >= 0 or a numpy.random.Generator"):
        grad_check(sum_sin, np.ones(2), np.ones(2), seed=1.5)
    with pytest.raises(ValueError, match="seed must be an int >= 0, got -1"):
        grad_check(sum_sin, np.ones(2), np.ones(2), seed=-1)


def test_grad_check_negative_h_and_kink_tol_rejected():
    with pytest.raises(ValueError, match="h must be > 0"):
        grad_check(sum_sin, np.ones(2), np.ones(2), h=-1.0)
    with pytest.raises(ValueError, match="kink_tol must be >= 0"):
        grad_check(sum_sin, np.ones(2), np.ones(2), kink_tol=-1e-3)


def test_passed_rejects_negative_tol():
    res = grad_check(sum_sin, np.ones(2), np.cos(np.ones(2)))
    with pytest.raises(ValueError, match="tol must be >= 0"):
        res.passed(-1.0)


# ---------------------------------------------------------------------------------------------
# rel_error_band: what notebooks print instead of round-off-level digits
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "band"),
    [
        (0.0, "< 1e-7"),
        (9.9e-8, "< 1e-7"),
        (1e-7, "1e-7 to 1e-4"),
        (6.4e-7, "1e-7 to 1e-4"),
        (1e-4, "1e-4 to 1e-2"),
        (2.5e-3, "1e-4 to 1e-2"),
        (1e-2, ">= 1e-2"),
        (1.0, ">= 1e-2"),
    ],
)
def test_rel_error_band_edges(error, band):
    assert gradients.rel_error_band(error) == band


def test_rel_error_bands_are_ordered_and_cover_everything():
    uppers = [upper for upper, _, _ in gradients.REL_ERROR_BANDS]
    assert uppers == sorted(uppers) and uppers[-1] == np.inf


@pytest.mark.parametrize("bad", [-1e-9, float("nan"), float("inf")])
def test_rel_error_band_rejects_what_is_no_relative_error(bad):
    with pytest.raises(ValueError, match="error"):
        gradients.rel_error_band(bad)
