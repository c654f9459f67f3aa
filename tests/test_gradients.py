"""Tests for lecture_utils.gradients: finite differences, rel_error, grad_check and kinks,
and the error curve of finite differences against the step h."""

import numpy as np
import pytest

from lecture_utils import gradients
from lecture_utils.gradients import (
    METHODS,
    GradCheckResult,
    count_evaluations,
    finite_difference_errors,
    grad_check,
    numerical_gradient,
    numerical_gradient_forward,
    rel_error,
)

A = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])  # symmetric


def quadratic(x):
    """f(x) = x^T A x + sum(x) for a flat view of x; gradient 2 A x + 1."""
    v = x.reshape(-1)
    return float(v @ A @ v + v.sum())


def quadratic_grad(x):
    return (2 * A @ x.reshape(-1) + 1).reshape(x.shape)


def sum_sin(x):
    return float(np.sum(np.sin(x)))


def relu_sum(x):
    return float(np.sum(np.maximum(0.0, x)))


# ---------------------------------------------------------------- numerical_gradient


def test_numerical_gradient_quadratic_any_shape():
    x = np.array([[0.3, -1.2, 2.0]]).reshape(3, 1)  # (3, 1) shape is preserved
    num = numerical_gradient(quadratic, x)
    assert num.shape == (3, 1) and num.dtype == np.float64
    assert rel_error(num, quadratic_grad(x)) < 1e-9


def test_numerical_gradient_sin():
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    num = numerical_gradient(sum_sin, x)
    assert rel_error(num, np.cos(x)) < 1e-8


def test_numerical_gradient_hand_computed_linear():
    # f(x) = 3 x0 - 2 x1: gradient exactly (3, -2) up to rounding
    num = numerical_gradient(lambda x: float(3 * x[0] - 2 * x[1]), np.array([1.0, 5.0]))
    np.testing.assert_allclose(num, [3.0, -2.0], rtol=1e-9)


def test_x_unchanged_and_closure_style_works():
    W = np.array([[0.1, -0.2], [0.3, 0.4]])
    before = W.copy()
    # the CS231n style: f ignores its argument and reads W via the closure
    num = numerical_gradient(lambda _: float(np.sum(W**2)), W)
    np.testing.assert_array_equal(W, before)
    assert rel_error(num, 2 * before) < 1e-9


def test_x_restored_exactly_when_f_raises():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    calls = []

    def failing(v):
        calls.append(v.copy())
        if len(calls) == 3:
            raise RuntimeError("loss blew up")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="loss blew up"):
        numerical_gradient(failing, x)
    np.testing.assert_array_equal(x, before)
    assert not np.array_equal(calls[2], before)  # f really saw a perturbed x


def test_non_contiguous_view_is_restored_and_differentiated():
    base = np.arange(12, dtype=np.float64).reshape(3, 4) / 10
    view = base[:, ::2]
    before = base.copy()
    num = numerical_gradient(lambda v: float(np.sum(v**2)), view)
    np.testing.assert_array_equal(base, before)
    assert rel_error(num, 2 * view) < 1e-9


def test_float32_supported():
    x = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    before = x.copy()
    num = numerical_gradient(lambda v: float(np.sum(v.astype(np.float64) ** 2)), x, h=1e-3)
    assert num.dtype == np.float32 and num.shape == (3,)
    np.testing.assert_array_equal(x, before)
    assert rel_error(num, 2 * x.astype(np.float64)) < 1e-6


def test_list_and_int_inputs_work_and_are_copied():
    x = [1, 2]
    num = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert x == [1, 2]
    np.testing.assert_allclose(num, [2.0, 4.0], rtol=1e-9)


def test_forward_differences_less_accurate_than_centred():
    x = np.array([0.7, -0.4, 1.3])
    exact = np.cos(x)
    err_fwd = np.max(np.abs(numerical_gradient_forward(sum_sin, x, h=1e-4) - exact))
    err_ctr = np.max(np.abs(numerical_gradient(sum_sin, x, h=1e-4) - exact))
    assert err_fwd > 1e-6  # O(h): about |sin x| h / 2
    assert err_ctr < 1e-8  # O(h^2)
    assert err_fwd > 100 * err_ctr


def test_evaluation_counts():
    x = np.zeros((2, 3))
    f = count_evaluations(sum_sin)
    numerical_gradient(f, x)
    assert f.calls == 2 * x.size
    f.calls = 0
    numerical_gradient_forward(f, x)
    assert f.calls == x.size + 1


def test_count_evaluations_rejects_non_callable():
    with pytest.raises(TypeError, match="f must be callable"):
        count_evaluations(3.0)


@pytest.mark.parametrize("fn", [numerical_gradient, numerical_gradient_forward])
def test_bad_h_rejected(fn):
    with pytest.raises(ValueError, match="h must be > 0, got -1e-05"):
        fn(sum_sin, np.ones(2), h=-1e-5)
    with pytest.raises(ValueError, match="h must be > 0, got 0.0"):
        fn(sum_sin, np.ones(2), h=0.0)


@pytest.mark.parametrize("fn", [numerical_gradient, numerical_gradient_forward])
def test_nan_x_rejected(fn):
    with pytest.raises(ValueError, match="x contains NaN or Inf"):
        fn(sum_sin, np.array([1.0, np.nan]))


@pytest.mark.parametrize("fn", [numerical_gradient, numerical_gradient_forward])
def test_empty_x_rejected(fn):
    with pytest.raises(ValueError, match="x is empty"):
        fn(sum_sin, np.zeros((0, 2)))


def test_non_callable_f_rejected():
    with pytest.raises(TypeError, match="f must be a callable"):
        numerical_gradient(np.ones(3), np.ones(3))


def test_f_returning_loss_and_grad_tuple_gets_a_hint():
    with pytest.raises(TypeError, match=r"got a tuple of length 2.*\[0\]"):
        numerical_gradient(lambda w: (float(np.sum(w)), w), np.ones(2))


def test_f_returning_array_rejected():
    with pytest.raises(TypeError, match=r"f must return a single number, got ndarray"):
        numerical_gradient(lambda w: w * 2, np.ones(2))


def test_f_returning_nan_rejected_and_x_restored():
    x = np.ones(2)
    with pytest.raises(ValueError, match="f returned nan at x"):
        numerical_gradient(lambda w: float("nan"), x)
    np.testing.assert_array_equal(x, np.ones(2))


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


# ---------------------------------------------------------------- finite_difference_errors


def test_finite_difference_errors_by_hand():
    # f(x) = x^3 at x = 1, f' = 3: forward gives 3 + 3h + h^2, centered 3 + h^2
    def f(x):
        return float(np.sum(x**3))

    x = np.array([1.0])
    g = np.array([3.0])
    hs = [1e-1, 1e-2]
    fwd = finite_difference_errors(f, x, g, [(0,)], hs, "forward")
    ctr = finite_difference_errors(f, x, g, [(0,)], hs, "centered")
    for h, e_f, e_c in zip(hs, fwd, ctr, strict=True):
        assert e_f == pytest.approx((3 * h + h * h) / (6 + 3 * h + h * h), rel=1e-6)
        assert e_c == pytest.approx(h * h / (6 + h * h), rel=1e-4)
    assert x.tolist() == [1.0]  # left unchanged
    with pytest.raises(ValueError, match="method must be one of"):
        finite_difference_errors(f, x, g, [(0,)], hs, "backward")
    with pytest.raises(ValueError, match="every step size h must be > 0"):
        finite_difference_errors(f, x, g, [(0,)], [0.0], "forward")


def test_a_step_lost_in_float32_gives_relative_error_one():
    x = np.array([1.0], dtype=np.float32)
    err = finite_difference_errors(
        lambda w: float(np.sum(w**2)), x, np.array([2.0]), [(0,)], [1e-10], "centered"
    )
    assert err.tolist() == [1.0]  # 1 + 1e-10 == 1 in float32: the estimate is 0


def softmax_point(dtype):
    """A softmax loss f(W) on seeded data, in ``dtype``, with its exact float64 gradient."""
    from lecture_utils.losses import softmax_loss

    rng = np.random.default_rng(0)
    X, y = rng.random((20, 8)), rng.integers(0, 4, size=20)
    W = 0.01 * rng.standard_normal((8, 4))
    analytic = softmax_loss(W, X, y, 0.0)[1]
    Xd = X.astype(dtype)
    return (lambda w: softmax_loss(w, Xd, y, 0.0)[0]), W.astype(dtype), analytic


INDICES = [(0, 0), (3, 1), (7, 3)]
HS = 10.0 ** np.arange(-16.0, 0.25, 0.25)


def test_centered_beats_forward_at_h_1e_5_in_float64():
    f, W, g = softmax_point(np.float64)
    ctr, fwd = (finite_difference_errors(f, W, g, INDICES, [1e-5], m)[0] for m in METHODS)
    assert ctr < 1e-7 < fwd
    assert ctr < fwd / 100


def test_the_error_is_large_at_h_1e_16():
    for dtype in (np.float64, np.float32):
        f, W, g = softmax_point(dtype)
        for method in METHODS:
            assert finite_difference_errors(f, W, g, INDICES, [1e-16], method)[0] > 1e-2


def test_the_error_curve_is_a_v_whose_float32_bottom_lies_at_a_larger_h():
    best = {}
    for dtype in (np.float64, np.float32):
        f, W, g = softmax_point(dtype)
        for method in METHODS:
            curve = finite_difference_errors(f, W, g, INDICES, HS, method)
            assert curve.shape == HS.shape and np.all((curve >= 0) & (curve <= 1))
            k = int(np.argmin(curve))
            assert curve[0] > 100 * curve[k] and curve[-1] > 100 * curve[k], (method, dtype)
            best[(method, np.dtype(dtype).name)] = HS[k]
    for method in METHODS:
        assert best[(method, "float32")] > 10 * best[(method, "float64")], method
    # the bottoms near eps**(1/3) (centered) and eps**(1/2) (forward), within two decades
    eps = np.finfo(np.float64).eps
    assert 1e-2 < best[("centered", "float64")] / eps ** (1 / 3) < 1e2
    assert 1e-2 < best[("forward", "float64")] / eps ** (1 / 2) < 1e2


def test_finite_difference_errors_leaves_W_unchanged_and_takes_several_coordinates():
    f, W, g = softmax_point(np.float64)
    before = W.copy()
    one = [finite_difference_errors(f, W, g, [ix], [1e-3], "forward")[0] for ix in INDICES]
    together = finite_difference_errors(f, W, g, INDICES, [1e-3], "forward")[0]
    assert together == max(one)  # the largest over the coordinates
    np.testing.assert_array_equal(W, before)


def test_finite_difference_errors_bad_arguments():
    f, W, g = softmax_point(np.float64)
    with pytest.raises(TypeError, match="f must be a callable"):
        finite_difference_errors("f", W, g, INDICES, [1e-3], "forward")
    with pytest.raises(TypeError, match="W must be a float32 or float64 ndarray"):
        finite_difference_errors(f, W.tolist(), g, INDICES, [1e-3], "forward")
    with pytest.raises(TypeError, match="W must be a float32 or float64 ndarray"):
        finite_difference_errors(f, W.astype(int), g, INDICES, [1e-3], "forward")
    with pytest.raises(ValueError, match=r"analytic must have W's shape \(8, 4\)"):
        finite_difference_errors(f, W, g[:2], INDICES, [1e-3], "forward")
    with pytest.raises(ValueError, match="indices is empty"):
        finite_difference_errors(f, W, g, [], [1e-3], "forward")
    with pytest.raises(ValueError, match="hs must"):
        finite_difference_errors(f, W, g, INDICES, [[1e-3]], "forward")


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
