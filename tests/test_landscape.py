"""Loss slices along random directions, the 2-weight classifier's surface and the quadratic
valley."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import gradients, losses
from lecture_utils.landscape import (
    TwoWeightProblem,
    Valley,
    loss_slice,
    loss_slice_1d,
    loss_slice_2d,
    random_directions,
    two_weight_problem,
)


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 5))
    y = rng.integers(0, 4, size=12)
    W = 0.3 * rng.normal(size=(5, 4))
    return W, X, y


# ---------------------------------------------------------------------------------------------
# random_directions
# ---------------------------------------------------------------------------------------------


def test_random_directions_have_the_norm_of_W_and_are_seeded(small):
    W, _, _ = small
    d = random_directions(W, 3, seed=5)
    assert d.shape == (3, 5, 4)
    np.testing.assert_allclose(np.linalg.norm(d.reshape(3, -1), axis=1), np.linalg.norm(W))
    np.testing.assert_array_equal(d, random_directions(W, 3, seed=5))
    assert not np.allclose(d, random_directions(W, 3, seed=6))
    assert not np.allclose(d[0], d[1])
    # a Generator works like its seed
    np.testing.assert_array_equal(d, random_directions(W, 3, seed=np.random.default_rng(5)))


def test_random_directions_norm_option_and_zero_W():
    d = random_directions(np.zeros((2, 3)), seed=0)
    np.testing.assert_allclose(np.linalg.norm(d.reshape(2, -1), axis=1), 1.0)
    d = random_directions(np.ones((2, 3)), 1, seed=0, norm=2.5)
    assert np.linalg.norm(d) == pytest.approx(2.5)
    assert random_directions(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_random_directions_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_directions must be >= 1"):
        random_directions(np.ones(3), 0)
    with pytest.raises(ValueError, match="norm must be > 0"):
        random_directions(np.ones(3), norm=0.0)
    with pytest.raises(TypeError, match="seed must be an int"):
        random_directions(np.ones(3), seed="zero")


# ---------------------------------------------------------------------------------------------
# Slices
# ---------------------------------------------------------------------------------------------


def test_the_docstring_example_by_hand():
    X, y = np.array([[1.0, 0.0]]), np.array([0])
    W1 = np.array([[1.0, 0.0], [0.0, 0.0]])
    # L(a) = max(0, 0 - a + 1): the correct score rises by a
    out = loss_slice_1d(np.zeros((2, 2)), X, y, W1, [-1.0, 0.0, 0.5, 1.0, 2.0])
    assert out.tolist() == [2.0, 1.0, 0.5, 0.0, 0.0]


@pytest.mark.parametrize("loss", ["svm", "softmax", "ova", "crammer_singer"])
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_2d_slice_equals_the_loss_at_each_point(small, loss, reg):
    W, X, y = small
    d1, d2 = random_directions(W, seed=1)
    alphas = np.array([-1.0, 0.0, 0.25, 2.0])
    betas = np.array([-0.5, 0.0, 1.5])
    Z = loss_slice_2d(W, X, y, d1, d2, alphas, betas, loss=loss, reg=reg)
    assert Z.shape == (3, 4)  # rows follow betas
    for j, b in enumerate(betas):
        for i, a in enumerate(alphas):
            want = losses.linear_loss(W + a * d1 + b * d2, X, y, reg=reg, loss=loss).loss
            assert Z[j, i] == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_1d_slice_through_zero_is_the_svm_loss(small):
    W, X, y = small
    (d,) = random_directions(W, 1, seed=2)
    out = loss_slice_1d(W, X, y, d, [0.0, 1.0], reg=0.1)
    assert out[0] == pytest.approx(losses.svm_loss(W, X, y, 0.1)[0])
    assert out[1] == pytest.approx(losses.svm_loss(W + d, X, y, 0.1)[0])


def test_slices_are_computed_in_blocks_without_changing_the_answer(small, monkeypatch):
    import lecture_utils.landscape as landscape

    W, X, y = small
    d = random_directions(W, seed=4)
    coords = np.random.default_rng(0).normal(size=(50, 2))
    whole = loss_slice(W, X, y, d, coords, loss="softmax", reg=0.2)
    monkeypatch.setattr(landscape, "_BLOCK", 1)  # one point per block
    np.testing.assert_allclose(loss_slice(W, X, y, d, coords, loss="softmax", reg=0.2), whole)


def test_one_examples_svm_slice_is_piecewise_linear_with_at_most_C_minus_1_kinks(small):
    W, X, y = small
    (d,) = random_directions(W, 1, seed=0)
    a = np.linspace(-3, 3, 2001)
    L = loss_slice_1d(W, X[:1], y[:1], d, a)
    second = np.abs(np.diff(L, 2))
    bends = np.flatnonzero(second > 1e-9)
    # each kink bends the line at one or two neighbouring grid points
    kinks = 1 + np.count_nonzero(np.diff(bends) > 1) if bends.size else 0
    assert 1 <= kinks <= W.shape[1] - 1
    assert np.all(np.diff(L, 2) > -1e-9)  # convex


def test_full_svm_slice_is_a_convex_bowl_of_linear_pieces(small):
    W, X, y = small
    (d,) = random_directions(W, 1, seed=0)
    a = np.linspace(-4, 4, 801)
    L = loss_slice_1d(W, X, y, d, a)
    assert np.all(np.diff(L, 2) > -1e-9)  # convex
    assert np.mean(np.abs(np.diff(L, 2)) < 1e-9) > 0.8  # mostly straight
    assert L[0] > L.min() and L[-1] > L.min()  # a bowl


def test_slice_rejects_bad_arguments(small):
    W, X, y = small
    d = random_directions(W, seed=0)
    with pytest.raises(ValueError, match="loss must be one of"):
        loss_slice(W, X, y, d, np.zeros((1, 2)), loss="hinge")
    with pytest.raises(ValueError, match=r"directions must have shape \(K, D, C\)"):
        loss_slice(W, X, y, d[:, :2], np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"coords must have shape \(M, K\) with K = 2"):
        loss_slice(W, X, y, d, np.zeros((1, 3)))
    with pytest.raises(ValueError, match="direction1 and direction2 must have the same shape"):
        loss_slice_2d(W, X, y, d[0], d[0][:2], [0.0], [0.0])
    with pytest.raises(ValueError, match="reg must be >= 0"):
        loss_slice_1d(W, X, y, d[0], [0.0], reg=-1.0)


# ---------------------------------------------------------------------------------------------
# The 2-weight classifier
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def problem():
    return two_weight_problem()


def test_two_weight_loss_by_hand():
    # one point x = (1, 2) of class 1 and one x = (1, 0) of class 0, w = (1, -1), reg 0.5:
    # margins t x.w = -1 and -1, so L = log(1 + e) + 0.5 * 2
    p = TwoWeightProblem(np.array([[1.0, 2.0], [1.0, 0.0]]), np.array([1, 0]), reg=0.5)
    assert p.loss([1.0, -1.0]) == pytest.approx(np.log1p(np.e) + 1.0)


def test_two_weight_loss_is_the_two_class_softmax_loss(problem):
    for w in ([0.3, -0.2], [2.0, 1.0], [-4.0, 5.0]):
        W = problem.softmax_weights(w)
        assert W.shape == (2, 2)
        want = losses.softmax_loss(W, problem.X, problem.y, 2 * problem.reg)[0]
        assert problem.loss(w) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("w", [[0.3, -0.2], [2.5, -1.5], [-30.0, 40.0]])
def test_two_weight_gradient_and_hessian_match_finite_differences(problem, w):
    w = np.array(w)
    loss, grad = problem.loss_and_grad(w)
    assert loss == problem.loss(w)
    num = gradients.numerical_gradient(problem.loss, w.copy(), h=1e-6)
    assert gradients.rel_error(grad, num) < 1e-7
    H_num = np.column_stack(
        [
            (problem.loss_and_grad(w + 1e-6 * e)[1] - problem.loss_and_grad(w - 1e-6 * e)[1]) / 2e-6
            for e in np.eye(2)
        ]
    )
    np.testing.assert_allclose(problem.hessian(w), H_num, rtol=1e-5, atol=1e-9)


def test_batch_gradient_on_all_examples_is_the_full_gradient(problem):
    w = np.array([0.7, -1.1])
    full = problem.loss_and_grad(w)
    batch = problem.loss_and_grad_batch(w, problem.X, problem.y)
    assert batch[0] == pytest.approx(full[0])
    np.testing.assert_allclose(batch[1], full[1])
    first = problem.loss_and_grad_batch(w, problem.X[:3], problem.y[:3])
    sub = TwoWeightProblem(problem.X[:3], problem.y[:3], problem.reg)
    assert first[0] == pytest.approx(sub.loss(w))


def test_grid_rows_follow_w2_and_match_pointwise_losses(problem):
    w1 = np.array([-1.0, 0.0, 2.0])
    w2 = np.array([0.5, 3.0])
    Z = problem.loss_grid(w1, w2)
    assert Z.shape == (2, 3)
    for j, b in enumerate(w2):
        for i, a in enumerate(w1):
            assert Z[j, i] == pytest.approx(problem.loss([a, b]), rel=1e-12)
    pts = np.array([[0.0, 0.0], [1.0, 2.0]])
    np.testing.assert_allclose(problem.losses_at(pts), [problem.loss(p) for p in pts])


def test_default_problem_minimum_and_curvatures(problem):
    w_star = problem.minimum()
    np.testing.assert_allclose(problem.loss_and_grad(w_star)[1], 0.0, atol=1e-12)
    # the numbers notebook 07 shows
    np.testing.assert_allclose(w_star, [-0.634, 1.712], atol=5e-4)
    assert problem.loss(w_star) == pytest.approx(0.5751, abs=5e-5)
    h_min, h_max = np.linalg.eigvalsh(problem.hessian(w_star))
    assert h_min == pytest.approx(0.0673, abs=5e-4)
    assert h_max == pytest.approx(0.5730, abs=5e-4)
    assert 8 < h_max / h_min < 9  # a stretched valley


def test_default_problem_is_seeded_and_read_only():
    a, b = two_weight_problem(), two_weight_problem(seed=0)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, two_weight_problem(seed=1).X)
    assert a.n_examples == 100 and a.y.tolist() == [0] * 50 + [1] * 50
    with pytest.raises(ValueError, match="read-only"):
        a.X[0, 0] = 1.0


def test_two_weight_problem_copies_its_input_and_rejects_bad_data():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = TwoWeightProblem(X, np.array([0, 1]))
    X[0, 0] = 99.0
    assert p.X[0, 0] == 1.0
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        TwoWeightProblem(np.ones((2, 3)), np.array([0, 1]))
    with pytest.raises(ValueError, match="labels 0 or 1 only"):
        TwoWeightProblem(np.ones((2, 2)), np.array([0, 2]))
    with pytest.raises(TypeError, match="integer labels"):
        TwoWeightProblem(np.ones((2, 2)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) = \(2,\)"):
        TwoWeightProblem(np.ones((2, 2)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="reg must be >= 0"):
        TwoWeightProblem(np.ones((2, 2)), np.array([0, 1]), reg=-1.0)
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        p.loss([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"points must have shape \(M, 2\)"):
        p.losses_at(np.ones((3, 3)))


# ---------------------------------------------------------------------------------------------
# Valley: L(w) = 0.5 w^T A w
# ---------------------------------------------------------------------------------------------


def test_valley_hand_values_and_gradient():
    v = Valley()  # L = 0.5 * (0.2 w1^2 + 4 w2^2)
    loss, grad = v.loss_and_grad(np.array([1.0, 1.0]))
    assert loss == pytest.approx(2.1)
    np.testing.assert_allclose(grad, [0.2, 4.0])
    assert v.condition_number == pytest.approx(20.0)
    assert v.loss(np.zeros(2)) == 0.0
    np.testing.assert_allclose(v.loss(np.array([[2.0, 0.0], [0.0, 1.0]])), [0.4, 2.0])


@pytest.mark.parametrize("angle", [0.0, 30.0, -75.0])
def test_valley_gradient_matches_finite_differences_and_turns_with_the_angle(angle):
    v = Valley((0.5, 3.0), angle)
    w = np.array([0.7, -1.3])
    numeric = gradients.numerical_gradient(lambda x: float(v.loss(x)), w)
    assert gradients.rel_error(numeric, v.loss_and_grad(w)[1]) < 1e-8
    np.testing.assert_allclose(np.linalg.eigvalsh(v.A), [0.5, 3.0])
    flat = np.array([np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))])
    np.testing.assert_allclose(v.A @ flat, 0.5 * flat, atol=1e-12)  # the flat direction


def test_valley_rejects_bad_curvatures():
    with pytest.raises(ValueError, match="curvatures must be > 0"):
        Valley((0.0, 1.0))
    with pytest.raises(ValueError, match="curvatures must be two numbers"):
        Valley((1.0, 2.0, 3.0))


def test_valley_loss_is_half_the_quadratic_form_at_one_point_and_many():
    v = Valley((0.5, 3.0), 30.0)
    rng = np.random.default_rng(0)
    W = rng.normal(size=(4, 5, 2))
    want = 0.5 * np.einsum("abi,ij,abj->ab", W, v.A, W)
    np.testing.assert_allclose(v.loss(W), want, rtol=1e-14)
    assert v.loss(W).shape == (4, 5)
    assert v.loss_and_grad(W[0, 0])[0] == pytest.approx(float(want[0, 0]), rel=1e-14)
    assert all(v.loss(w) > 0 for w in W.reshape(-1, 2))  # positive definite: 0 only at w = 0


@pytest.mark.parametrize("curvatures", [(0.2, 4.0), (1.0, 1.0), (0.05, 10.0)])
def test_valley_condition_number_is_the_ratio_of_the_eigenvalues(curvatures):
    v = Valley(curvatures, 40.0)
    eig = np.linalg.eigvalsh(v.A)
    assert v.condition_number == pytest.approx(eig[-1] / eig[0], rel=1e-12)
    assert v.condition_number == pytest.approx(curvatures[1] / curvatures[0])


def test_valley_rotation_turns_the_loss_and_the_gradient():
    # the valley turned by theta is the axis-aligned one seen in coordinates turned by -theta
    flat, turned = Valley((0.5, 3.0), 0.0), Valley((0.5, 3.0), 25.0)
    t = np.deg2rad(25.0)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    w = np.array([0.7, -1.3])
    assert turned.loss(R @ w) == pytest.approx(float(flat.loss(w)), rel=1e-12)
    np.testing.assert_allclose(turned.loss_and_grad(R @ w)[1], R @ flat.loss_and_grad(w)[1])
    np.testing.assert_allclose(Valley((0.5, 3.0), 180.0).A, flat.A, atol=1e-15)
    np.testing.assert_allclose(turned.A, turned.A.T, rtol=0, atol=0)  # exactly symmetric


def test_valley_from_hessian_keeps_the_matrix_and_finds_curvatures_and_angle():
    A = np.array([[0.5, 0.6], [0.6, 3.7]])
    v = Valley.from_hessian(A)
    np.testing.assert_array_equal(v.A, A)
    assert not v.A.flags.writeable
    h1, h2 = v.curvatures
    assert h1 < h2 and h1 + h2 == pytest.approx(4.2) and h1 * h2 == pytest.approx(1.49)
    assert -90.0 < v.angle <= 90.0
    # the same valley built from its curvatures and angle gives A back
    np.testing.assert_allclose(Valley(v.curvatures, v.angle).A, A, rtol=0, atol=1e-12)
    for angle in (0.0, 30.0, -75.0, 90.0):
        u = Valley((0.5, 3.0), angle)
        back = Valley.from_hessian(u.A)
        assert back.curvatures == pytest.approx((0.5, 3.0))
        assert back.angle == pytest.approx(angle)


def test_valley_from_hessian_rejects_bad_matrices():
    with pytest.raises(ValueError, match=r"A must have shape \(2, 2\)"):
        Valley.from_hessian(np.eye(3))
    with pytest.raises(ValueError, match="A must be symmetric"):
        Valley.from_hessian([[1.0, 0.5], [0.4, 2.0]])
    with pytest.raises(ValueError, match="A must be positive definite"):
        Valley.from_hessian([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="A"):
        Valley.from_hessian([[1.0, np.nan], [np.nan, 1.0]])
