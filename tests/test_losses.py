"""Tests for lecture_utils.losses: worked examples, naive == vectorized, analytic == numerical."""

from __future__ import annotations

import functools
import inspect

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lecture_utils import _fused
from lecture_utils import losses as L

# The lecture's table, images as rows (cat, car, frog), classes as columns (cat, car, frog).
LECTURE_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LECTURE_Y = np.array([0, 1, 2])


def centered_gradient(f, x, h=1e-4):
    """Reference numerical gradient, kept independent of lecture_utils.gradients.

    A fourth-order centered stencil: truncation error O(h**4), so the comparison is limited by
    round-off (about 1e-16 / h) rather than by the curvature of the loss.
    """
    x = x.astype(np.float64).copy()
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        values = []
        for step in (2 * h, h, -h, -2 * h):
            x[idx] = old + step
            values.append(f(x))
        x[idx] = old
        f2p, f1p, f1m, f2m = values
        grad[idx] = (-f2p + 8 * f1p - 8 * f1m + f2m) / (12 * h)
    return grad


def rel_err(a, b):
    """max |a - b| relative to the gradient's largest entry.

    Exact zeros (a hinge's inactive margins) are compared against the gradient's scale, not
    against themselves.
    """
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-300))


def assert_gradients_agree(analytic, numerical, loss, h=1e-4):
    """Relative error <= 1e-7, or a difference within the numerical gradient's own round-off.

    The stencil's round-off is about eps * |L| / h per entry: a gradient that is exactly 0
    (a bias no example pushes) can only be compared to that.
    """
    round_off = 64 * np.finfo(np.float64).eps * (1 + abs(loss)) / h
    diff = float(np.max(np.abs(analytic - numerical)))
    assert rel_err(analytic, numerical) <= 1e-7 or diff <= round_off, (diff, round_off)


def random_problem(seed, n, d, c, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, c)) * scale
    y = rng.integers(0, c, size=n)
    return W, X, y


# ------------------------------------------------------------------ worked examples


def test_lecture_hinge_losses():
    losses = L.hinge_losses(LECTURE_SCORES, LECTURE_Y)
    np.testing.assert_allclose(losses, [2.9, 0.0, 12.9], atol=1e-12)
    assert losses.mean() == pytest.approx(5.2667, abs=5e-5)


def test_lecture_hinge_terms_by_hand():
    # cat image: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0
    # frog image: max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1) = 6.3 + 6.6
    assert L.hinge_losses(LECTURE_SCORES[:1], LECTURE_Y[:1])[0] == pytest.approx(2.9)
    assert L.hinge_losses(LECTURE_SCORES[2:], LECTURE_Y[2:] * 0 + 2)[0] == pytest.approx(12.9)


def test_lecture_example_from_data_module_matches():
    data = pytest.importorskip("lecture_utils.data")
    ex = data.lecture_example()
    np.testing.assert_allclose(ex.scores, LECTURE_SCORES)
    np.testing.assert_array_equal(ex.y, LECTURE_Y)
    assert L.hinge_losses(ex.scores, ex.y).mean() == pytest.approx(5.2667, abs=5e-5)


def test_other_formulations_on_lecture_example():
    # one-vs-all, cat image: max(0, 1 - 3.2) + max(0, 1 + 5.1) + max(0, 1 - 1.7) = 0 + 6.1 + 0
    np.testing.assert_allclose(L.one_vs_all_losses(LECTURE_SCORES, LECTURE_Y), [6.1, 5.3, 10.8])
    # Crammer-Singer keeps only the strongest rival: frog image max(2.2, 2.5) + 3.1 + 1 = 6.6
    np.testing.assert_allclose(L.crammer_singer_losses(LECTURE_SCORES, LECTURE_Y), [2.9, 0, 6.6])
    expected = [
        np.log(np.exp(LECTURE_SCORES[i]).sum()) - LECTURE_SCORES[i, LECTURE_Y[i]] for i in range(3)
    ]
    np.testing.assert_allclose(L.cross_entropy_losses(LECTURE_SCORES, LECTURE_Y), expected)


def test_delta_moves_every_violated_margin():
    # With delta = 0 the car image still scores 0 and the cat image loses only 5.1 - 3.2
    np.testing.assert_allclose(L.hinge_losses(LECTURE_SCORES, LECTURE_Y, delta=0.0)[:2], [1.9, 0])


def test_min_and_max_of_hinge():
    assert L.hinge_losses(np.array([[10.0, 0, 0]]), np.array([0]))[0] == 0.0
    assert L.hinge_losses(np.array([[-1e6, 0, 0]]), np.array([0]))[0] == pytest.approx(2e6 + 2)


# ------------------------------------------------------------------ softmax


def test_softmax_rows_sum_to_one_and_are_stable():
    s = np.array([[1e6, -1e6, 0.0], [1000.0, 1000.0, 1000.0], [-1e6, -1e6, -1e6 + 1]])
    p = L.softmax(s)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_allclose(L.softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])


def test_cross_entropy_finite_for_huge_scores():
    s = np.array([[1e6, -1e6, 0.0], [1e6, -1e6, 0.0]])
    ce = L.cross_entropy_losses(s, np.array([0, 1]))
    assert np.isfinite(ce).all()
    np.testing.assert_allclose(ce, [0.0, 2e6])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = -np.log(np.exp(s[1, 1]) / np.exp(s[1]).sum())
    assert not np.isfinite(naive)  # why log-sum-exp is needed


def test_log_softmax_matches_log_of_softmax():
    s = np.random.default_rng(3).normal(size=(5, 4))
    np.testing.assert_allclose(L.log_softmax(s), np.log(L.softmax(s)))


# ------------------------------------------------------------------ sanity checks


def test_small_weights_give_log_c_and_c_minus_1():
    W, X, y = random_problem(0, 500, 20, 10, scale=1e-4)
    assert L.softmax_loss(W, X, y, 0.0)[0] == pytest.approx(np.log(10), rel=1e-3)
    assert L.svm_loss(W, X, y, 0.0)[0] == pytest.approx(10 - 1, rel=1e-3)


def test_regularization_term_and_gradient():
    W, X, y = random_problem(1, 8, 5, 3)
    base, dbase = L.svm_loss(W, X, y, 0.0)
    with_reg, dreg = L.svm_loss(W, X, y, 0.7)
    assert with_reg - base == pytest.approx(0.7 * np.sum(W**2))
    np.testing.assert_allclose(dreg - dbase, 2 * 0.7 * W)


# ------------------------------------------------------------------ naive == vectorized


shapes = st.tuples(
    st.integers(1, 40), st.integers(1, 12), st.integers(2, 7), st.integers(0, 2**31 - 1)
)


@settings(max_examples=40, deadline=None)
@given(shapes, st.sampled_from([0.0, 0.1, 3.0]))
def test_svm_vectorized_equals_naive(shape, reg):
    n, d, c, seed = shape
    W, X, y = random_problem(seed, n, d, c)
    loss_v, dW_v = L.svm_loss(W, X, y, reg)
    loss_n, dW_n = L.svm_loss_naive(W, X, y, reg)
    assert loss_v == pytest.approx(loss_n, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(dW_v, dW_n, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(shapes, st.sampled_from([0.0, 0.1, 3.0]))
def test_softmax_vectorized_equals_naive(shape, reg):
    n, d, c, seed = shape
    W, X, y = random_problem(seed, n, d, c)
    loss_v, dW_v = L.softmax_loss(W, X, y, reg)
    loss_n, dW_n = L.softmax_loss_naive(W, X, y, reg)
    assert loss_v == pytest.approx(loss_n, rel=1e-10)
    np.testing.assert_allclose(dW_v, dW_n, rtol=1e-9, atol=1e-12)


def test_blocked_pass_equals_one_block(monkeypatch):
    # The fused loss walks X in blocks; force tiny blocks and compare with a single block.
    W, X, y = random_problem(7, 301, 9, 4)
    one = L.svm_loss(W, X, y, 0.2)
    monkeypatch.setattr(_fused, "_BLOCK_BYTES", 9 * 8 * 7)  # 7 rows per block, ragged last block
    many = L.svm_loss(W, X, y, 0.2)
    assert many[0] == pytest.approx(one[0], rel=1e-12)
    np.testing.assert_allclose(many[1], one[1], rtol=1e-12, atol=1e-15)


def test_float32_stays_float32():
    W, X, y = random_problem(2, 30, 6, 4)
    for fn in (L.svm_loss, L.softmax_loss):
        loss32, dW32 = fn(W.astype(np.float32), X.astype(np.float32), y, 0.1)
        loss64, dW64 = fn(W, X, y, 0.1)
        assert dW32.dtype == np.float32
        assert loss32 == pytest.approx(loss64, rel=1e-4)
        np.testing.assert_allclose(dW32, dW64, rtol=1e-3, atol=1e-5)


# ------------------------------------------------------------------ analytic == numerical


def _away_from_kinks(W, X, y, delta, h):
    """True when no hinge argument of any formulation is within 4*h*scale of zero."""
    s = X @ W
    # moving one weight by 2h moves a margin by at most 2h * 2 * max|x_i|
    scale = 1 + np.abs(X).max(axis=1, keepdims=True)
    rows = np.arange(len(y))
    margins = s - s[rows, y][:, None] + delta
    margins[rows, y] = np.inf
    ova = np.abs(delta - s)
    return bool((np.abs(margins) > 4 * h * scale).all() and (ova > 4 * h * scale).all())


@settings(max_examples=25, deadline=None)
@given(shapes, st.sampled_from(sorted(L.LOSSES)), st.sampled_from([0.0, 0.05]))
def test_linear_loss_gradients_match_numerical(shape, loss, reg):
    n, d, c, seed = shape
    W, X, y = random_problem(seed, n, d, c)
    b = np.random.default_rng(seed).normal(size=c)
    h = 1e-4
    Xb = np.hstack([X, np.ones((n, 1))])
    # where a kink sits within reach of the stencil, finite differences are no reference
    assume(_away_from_kinks(np.vstack([W, b]), Xb, y, 1.0, h))
    res = L.linear_loss(W, X, y, reg, loss=loss, b=b)
    num_dW = centered_gradient(lambda w: L.linear_loss(w, X, y, reg, loss=loss, b=b).loss, W, h)
    num_db = centered_gradient(lambda bb: L.linear_loss(W, X, y, reg, loss=loss, b=bb).loss, b, h)
    assert_gradients_agree(res.dW, num_dW, res.loss, h)
    assert_gradients_agree(res.db, num_db, res.loss, h)


@pytest.mark.parametrize("fn", [L.svm_loss, L.softmax_loss, L.svm_loss_naive, L.softmax_loss_naive])
def test_loss_gradients_match_numerical(fn):
    W, X, y = random_problem(11, 20, 6, 4)
    h = 1e-4
    assert _away_from_kinks(W, X, y, 1.0, h)
    _, dW = fn(W, X, y, 0.1)
    num = centered_gradient(lambda w: fn(w, X, y, 0.1)[0], W, h)
    assert rel_err(dW, num) <= 1e-7


def test_scores_loss_gradient_matches_numerical():
    s = np.random.default_rng(5).normal(size=(6, 4)) * 3
    y = np.array([0, 1, 2, 3, 0, 1])
    for name in L.LOSSES:
        loss, ds = L.scores_loss(s, y, name)
        assert loss == pytest.approx(L.per_example_losses(s, y, name).mean())
        num = centered_gradient(lambda t, name=name: L.scores_loss(t, y, name)[0], s)
        assert rel_err(ds, num) <= 1e-7, name


def test_linear_loss_parts_add_up():
    W, X, y = random_problem(4, 10, 3, 3)
    res = L.linear_loss(W, X, y, 0.3, loss="softmax")
    assert res.loss == pytest.approx(res.data_loss + res.reg_loss)
    assert res.reg_loss == pytest.approx(0.3 * np.sum(W**2))
    assert res.db is None
    assert res.losses.shape == (10,) and res.scores.shape == (10, 3)
    assert res.loss == pytest.approx(L.softmax_loss(W, X, y, 0.3)[0])


def test_inputs_not_modified():
    W, X, y = random_problem(6, 12, 4, 3)
    copies = W.copy(), X.copy(), y.copy()
    s = X @ W
    s_copy = s.copy()
    for fn in (L.svm_loss, L.svm_loss_naive, L.softmax_loss, L.softmax_loss_naive):
        fn(W, X, y, 0.5)
    L.linear_loss(W, X, y, 0.5, loss="crammer_singer", b=np.zeros(3))
    for name in L.LOSSES:
        L.scores_loss(s, y, name)
    L.softmax(s)
    for orig, now in zip(copies + (s_copy,), (W, X, y, s), strict=True):
        np.testing.assert_array_equal(orig, now)


# ------------------------------------------------------------------ bad input


W0, X0, Y0 = random_problem(0, 5, 3, 4)


@pytest.mark.parametrize("fn", [L.svm_loss, L.softmax_loss, L.svm_loss_naive, L.softmax_loss_naive])
class TestBadInput:
    def test_dimension_mismatch(self, fn):
        with pytest.raises(ValueError, match=r"X has 3 features .* W expects 4"):
            fn(np.zeros((4, 4)), X0, Y0, 0.0)

    def test_wrong_ndim(self, fn):
        with pytest.raises(ValueError, match=r"X must be a 2-D array"):
            fn(W0, X0[0], Y0, 0.0)

    def test_label_out_of_range(self, fn):
        with pytest.raises(ValueError, match=r"y must hold labels in \[0, 4\), found label 4"):
            fn(W0, X0, np.array([0, 1, 2, 3, 4]), 0.0)

    def test_negative_label(self, fn):
        with pytest.raises(ValueError, match=r"found label -1"):
            fn(W0, X0, np.array([0, 1, 2, 3, -1]), 0.0)

    def test_float_labels(self, fn):
        with pytest.raises(TypeError, match=r"y must hold integer class labels"):
            fn(W0, X0, Y0.astype(float), 0.0)

    def test_label_count(self, fn):
        with pytest.raises(ValueError, match=r"y has 4 labels but there are 5 examples"):
            fn(W0, X0, Y0[:4], 0.0)

    def test_nan_in_X(self, fn):
        X = X0.copy()
        X[1, 1] = np.nan
        with pytest.raises(ValueError, match=r"X contains NaN or Inf"):
            fn(W0, X, Y0, 0.0)

    def test_inf_in_W(self, fn):
        W = W0.copy()
        W[0, 0] = np.inf
        with pytest.raises(ValueError, match=r"W contains NaN or Inf"):
            fn(W, X0, Y0, 0.0)

    def test_empty_batch(self, fn):
        with pytest.raises(ValueError, match=r"X is empty"):
            fn(W0, X0[:0], Y0[:0], 0.0)

    def test_negative_reg(self, fn):
        with pytest.raises(ValueError, match=r"reg must be >= 0, got -0.1"):
            fn(W0, X0, Y0, -0.1)

    def test_reg_not_a_number(self, fn):
        with pytest.raises(TypeError, match=r"reg must be a real number"):
            fn(W0, X0, Y0, "0.1")

    def test_non_numeric_W(self, fn):
        with pytest.raises(TypeError, match=r"W must be an array of numbers"):
            fn([["a", "b"]], X0, Y0, 0.0)


def test_negative_delta():
    with pytest.raises(ValueError, match=r"delta must be >= 0"):
        L.svm_loss(W0, X0, Y0, 0.0, delta=-1.0)
    with pytest.raises(ValueError, match=r"delta must be >= 0"):
        L.hinge_losses(LECTURE_SCORES, LECTURE_Y, delta=-1.0)


def test_unknown_loss_name():
    with pytest.raises(ValueError, match=r"loss must be one of \['crammer_singer', 'ova'"):
        L.per_example_losses(LECTURE_SCORES, LECTURE_Y, "hinge2")
    with pytest.raises(TypeError, match=r"loss must be a string"):
        L.linear_loss(W0, X0, Y0, loss=3)


def test_scores_errors():
    with pytest.raises(ValueError, match=r"scores must be a 2-D array"):
        L.hinge_losses(LECTURE_SCORES[0], LECTURE_Y)
    with pytest.raises(ValueError, match=r"scores contains NaN or Inf"):
        L.cross_entropy_losses(np.array([[np.nan, 1.0]]), np.array([0]))
    with pytest.raises(ValueError, match=r"scores is empty"):
        L.hinge_losses(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"at least 2 classes"):
        L.hinge_losses(np.zeros((2, 1)), np.zeros(2, dtype=int))


def test_bias_shape():
    with pytest.raises(ValueError, match=r"b must have shape \(C,\) = \(4,\)"):
        L.linear_loss(W0, X0, Y0, b=np.zeros(3))


@pytest.mark.parametrize("fn", [L.svm_loss, L.softmax_loss])
def test_nan_in_a_later_block_is_found(fn, monkeypatch):
    # X is checked block by block inside the fused pass: a NaN in the last block must count
    monkeypatch.setattr(_fused, "_BLOCK_BYTES", 3 * 8 * 4)  # 4 rows per block
    W, X, y = random_problem(8, 30, 3, 4)
    X[29, 2] = np.nan
    X[13, 0] = -np.inf
    with pytest.raises(ValueError, match=r"X contains NaN or Inf \(2 non-finite entries\)"):
        fn(W, X, y, 0.1)


@pytest.mark.parametrize("fn", [L.svm_loss, L.softmax_loss])
def test_huge_finite_values_are_not_called_nan(fn):
    # the block sums overflow, yet every entry is finite: no "NaN or Inf" error for X ...
    W, X, y = random_problem(9, 6, 3, 3, scale=1e-300)
    X[0, 0] = X[1, 1] = X[2, 2] = 6e307  # each finite (and 2x each too), their sum is not
    loss, dW = fn(W, X, y, 0.0)
    assert np.isfinite(loss) and np.isfinite(dW).all()


@pytest.mark.parametrize("fn", [L.svm_loss, L.softmax_loss])
def test_overflowing_scores_raise_instead_of_returning_inf(fn):
    # ... but scores beyond float64's range are an error, never a silent inf or nan
    W, X, y = random_problem(10, 6, 3, 3)
    with pytest.raises(ValueError, match=r"the loss overflowed .* standardize X"):
        fn(W * 1e200, X * 1e200, y, 0.0)


# ------------------------------------------------------------------ fused pass == plain version


@st.composite
def fused_problems(draw):
    """(W, X, y, rows per block); integer-valued data gives exact ties and margins exactly 0."""
    n, d, c = draw(st.integers(1, 50)), draw(st.integers(1, 6)), draw(st.integers(2, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        X, W = rng.integers(-2, 3, size=(n, d)), rng.integers(-1, 2, size=(d, c))
    else:
        X, W = rng.normal(size=(n, d)), rng.normal(size=(d, c))
    y = rng.integers(0, c, size=n)
    rows = draw(st.integers(1, n + 3))  # rows per block; rows >= n is a single block
    return W.astype(dtype), X.astype(dtype), y, rows


@settings(max_examples=80, deadline=None)
@given(
    fused_problems(),
    st.sampled_from(["svm", "softmax"]),
    st.sampled_from([0.0, 1.0]),
    st.sampled_from([0.0, 0.3]),
)
def test_fused_pass_equals_plain_version(problem, loss, delta, reg):
    W, X, y, rows = problem
    n = len(y)
    per_example = functools.partial(L.LOSSES[loss].losses_and_dscores, delta=delta)

    def public():
        return L.svm_loss(W, X, y, reg, delta) if loss == "svm" else L.softmax_loss(W, X, y, reg)

    with pytest.MonkeyPatch.context() as mp:
        # blocks larger than X: the public function runs its plain four lines
        mp.setattr(_fused, "_BLOCK_BYTES", (n + 1) * X.shape[1] * X.itemsize)
        assert not _fused.spans_blocks(X)
        plain = public()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_fused, "_BLOCK_BYTES", rows * X.shape[1] * X.itemsize)
        assert _fused.block_rows(X) == min(rows, n)
        assert _fused.spans_blocks(X) == (rows < n)
        fused = _fused.loss_and_dW(per_example, W, X, y, reg)
        blocked = public()
    assert plain[1].dtype == fused[1].dtype == blocked[1].dtype == W.dtype
    # the same sums in another order (over blocks of examples; class-major products, which
    # BLAS may sum in another order even for one block): equal to round-off
    tol = 1e-12 if W.dtype == np.float64 else 2e-5
    assert fused[0] == pytest.approx(plain[0], rel=tol, abs=tol)
    np.testing.assert_allclose(fused[1], plain[1], rtol=tol, atol=tol * (1 + np.abs(X).max()))
    # the public function is the plain version for one block and the fused pass beyond
    expected = fused if rows < n else plain
    assert blocked[0] == expected[0]
    np.testing.assert_array_equal(blocked[1], expected[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_pass_at_exact_kinks(dtype, monkeypatch):
    # every score is 0, so with delta = 0 every SVM margin is exactly 0: met, not violated
    X = np.ones((7, 3), dtype=dtype)
    W = np.zeros((3, 4), dtype=dtype)
    y = np.array([0, 1, 2, 3, 0, 1, 2])
    monkeypatch.setattr(_fused, "_BLOCK_BYTES", 2 * 3 * X.itemsize)  # 2 rows per block
    assert _fused.spans_blocks(X)
    loss, dW = L.svm_loss(W, X, y, 0.5, delta=0.0)
    assert loss == 0.0
    np.testing.assert_array_equal(dW, np.zeros_like(W))
    # ... and with delta = 1 each of the 3 wrong classes misses by exactly 1
    loss, dW = L.svm_loss(W, X, y, 0.0, delta=1.0)
    assert loss == 3.0
    np.testing.assert_array_equal(dW, L.svm_loss_naive(W, X, y, 0.0)[1])
    # softmax: ties everywhere, p = 1/4
    loss, _ = L.softmax_loss(W, X, y, 0.0)
    assert loss == pytest.approx(np.log(4), rel=1e-6)


def test_formulations_get_delta_only_if_they_use_it():
    s = np.random.default_rng(12).normal(size=(5, 3))
    y = np.array([0, 1, 2, 0, 1])
    for name, form in L.LOSSES.items():
        params = inspect.signature(form.function).parameters
        assert ("delta" in params) == form.uses_delta, name
        losses1, dscores1 = form.losses_and_dscores(s, y, 1.0)
        losses3, dscores3 = form.losses_and_dscores(s, y, 3.0)
        assert losses1.shape == (5,) and dscores1.shape == (5, 3)
        if form.uses_delta:
            assert (losses3 > losses1).any(), name
        else:
            np.testing.assert_array_equal(losses3, losses1)
            np.testing.assert_array_equal(dscores3, dscores1)
