"""Finite differences in lecture_utils.gradients: ``numerical_gradient`` (centred),
``numerical_gradient_forward`` and ``count_evaluations``, and ``finite_difference_errors``, the
error curve of finite differences against the step h (float64 and float32)."""

import numpy as np
import pytest
from _known_gradients import quadratic, quadratic_grad, sum_sin

from lecture_utils.gradients import (
    METHODS,
    count_evaluations,
    finite_difference_errors,
    numerical_gradient,
    numerical_gradient_forward,
    rel_error,
)

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
