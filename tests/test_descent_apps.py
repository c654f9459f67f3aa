"""The apps of notebooks 06-07: finite-difference error curve, gradient descent and SGD.

The generic contract (every control changes the picture, no figure opens, echoes ignored,
...) is tested for them by tests/test_app_contract.py; here: the numbers and behaviours they show.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.lines import Line2D

from lecture_utils import losses, optim
from lecture_utils.landscape import TwoWeightProblem, two_weight_problem
from lecture_utils.widgets import FiniteDifferenceApp, GradientDescentApp, SGDApp

# ---------------------------------------------------------------------------------------------
# GradientDescentApp
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gd_app():
    return GradientDescentApp(backend="agg")


@pytest.mark.parametrize(
    ("step_size", "regime"),
    [
        (0.05, "slow"),
        (1.0, "monotone"),
        (2.51, "zig-zag"),
        (3.98, "bouncing"),
        (63.1, "diverging"),
    ],
)
def test_every_regime_is_reachable_with_the_step_slider(gd_app, step_size, regime):
    gd_app.set_state(step_size=step_size, w1_start=2.5, w2_start=-1.5, n_steps=30)
    assert gd_app.regime == regime
    assert gd_app.title.get_text().startswith(regime)
    assert f"<b>{regime}</b>" in gd_app.readout.value


def test_the_path_is_gradient_descent_from_the_start_sliders(gd_app):
    gd_app.set_state(step_size=0.5, w1_start=-3.0, w2_start=4.0, n_steps=12)
    eta = gd_app.state()["step_size"]  # 0.5 snapped to the slider's grid: 10**-0.3
    assert eta == pytest.approx(10**-0.3)
    p = two_weight_problem()
    want = optim.gradient_descent(p.loss_and_grad, np.array([-3.0, 4.0]), eta, 12)
    np.testing.assert_allclose(gd_app.history.params, want.params)
    xs, ys = gd_app.path.line.get_data()
    np.testing.assert_allclose(np.column_stack([xs, ys]), want.params)
    assert tuple(gd_app.path.start.get_xdata()) == (-3.0,)
    np.testing.assert_allclose(gd_app.curve.get_ydata(), want.losses)
    assert gd_app.ax_loss.get_xlim()[1] == pytest.approx(12 * 1.02 + 0.3)


def test_a_diverging_path_is_clipped_not_overflowing(gd_app):
    gd_app.set_state(step_size=100.0, w1_start=2.5, w2_start=-1.5, n_steps=100)
    xs, ys = gd_app.path.line.get_data()
    assert np.isfinite(xs).all() and np.isfinite(ys).all()
    assert np.abs(xs).max() <= 20 * 8.0 + 4.5 + 1e-9  # 20 windows beyond the axes
    gd_app.figure.canvas.draw()  # renders without overflow


def test_readout_gives_the_curvature_thresholds(gd_app):
    h_min, h_max = gd_app.surface.curvatures
    assert f"h<sub>min</sub> = {h_min:.3f}" in gd_app.readout.value
    assert "1/h<sub>max</sub> = 1.75" in gd_app.readout.value
    assert "2/h<sub>max</sub> = 3.49" in gd_app.readout.value


def test_the_surface_is_computed_once_and_reused(monkeypatch):
    app = GradientDescentApp(backend="agg")
    assert app.surface.Z.shape == (200, 200)
    assert GradientDescentApp(backend="agg").surface is app.surface  # default: cached

    def fail(*args, **kwargs):
        raise AssertionError("the grid was recomputed")

    monkeypatch.setattr(TwoWeightProblem, "loss_grid", fail)
    app.set_state(step_size=2.0, w1_start=0.0)
    assert app.last_error is None


def test_custom_problem_extent_and_start():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2)) + np.repeat([[-1.0, 0.0], [1.0, 0.0]], 15, axis=0)
    p = TwoWeightProblem(X, np.repeat([0, 1], 15), reg=0.1)
    app = GradientDescentApp(p, (-2.0, 4.0, -3.0, 3.0), start=(3.0, 2.0), step_size=0.1)
    assert app.state()["w1_start"] == 3.0 and app.state()["step_size"] == 0.1
    assert app.controls["w1_start"].min == -2.0 and app.controls["w2_start"].max == 3.0
    np.testing.assert_allclose(app.surface.w_star, p.minimum())


def test_gradient_descent_app_rejects_bad_arguments():
    with pytest.raises(TypeError, match="problem must be a lecture_utils.landscape"):
        GradientDescentApp(problem="digits")
    with pytest.raises(ValueError, match="extent must be"):
        GradientDescentApp(extent=(1.0, 0.0, 0.0, 1.0))
    with pytest.raises(ValueError, match=r"start must be a point \(w1, w2\)"):
        GradientDescentApp(start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="step_size must be in"):
        GradientDescentApp(step_size=1000.0)


# ---------------------------------------------------------------------------------------------
# SGDApp
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sgd_app():
    return SGDApp(backend="agg")


def test_batch_sizes_end_with_full_batch(sgd_app):
    assert sgd_app.batch_sizes == [1, 2, 4, 8, 16, 32, 64, 100]
    assert list(sgd_app.controls["batch_size"].options) == sgd_app.batch_sizes


def test_full_batch_sgd_is_gradient_descent(sgd_app):
    sgd_app.set_state(batch_size=100, step_size=1.0, n_steps=40)
    np.testing.assert_allclose(sgd_app.sgd_history.params, sgd_app.gd_history.params)
    np.testing.assert_allclose(sgd_app.sgd_full_losses, sgd_app.gd_history.losses)


def test_small_batches_give_a_noisy_path_at_a_fraction_of_the_cost(sgd_app):
    sgd_app.set_state(batch_size=1, step_size=1.0, n_steps=100, seed=0, x_axis="steps")
    full = sgd_app.sgd_full_losses
    p = two_weight_problem()
    want = optim.sgd(p.loss_and_grad_batch, np.array([2.5, -1.5]), p.X, p.y, 1.0, 100, 1, seed=0)
    np.testing.assert_allclose(sgd_app.sgd_history.params, want.params)
    np.testing.assert_allclose(full, p.losses_at(want.params))
    assert np.count_nonzero(np.diff(full) > 0) > 20  # the full loss goes up on many steps
    assert np.all(np.diff(sgd_app.gd_history.losses) <= 1e-12)  # GD's never does here
    assert "<b>1</b> examples" in sgd_app.readout.value
    # against examples processed: SGD's point k is at k * 1, GD's at k * 100
    sgd_app.set_state(x_axis="examples")
    np.testing.assert_array_equal(sgd_app.sgd_curve.get_xdata(), np.arange(101))
    np.testing.assert_array_equal(sgd_app.gd_curve.get_xdata(), np.arange(101) * 100)
    assert sgd_app.ax_loss.get_xlim()[1] == pytest.approx(1.01 * 100)
    assert sgd_app.xlabel.get_text() == "examples processed"


@pytest.mark.parametrize(
    ("batch_size", "step_size", "seed"),
    [(1, 1.0, 0), (8, 10**-0.5, 5), (100, 10**0.3, 1), (4, 10.0, 2)],
)
def test_the_apps_sgd_path_is_the_librarys_sgd(sgd_app, batch_size, step_size, seed):
    sgd_app.set_state(batch_size=batch_size, step_size=step_size, n_steps=80, seed=seed)
    eta = sgd_app.values["step_size"]  # the slider's value, snapped to its log step
    assert eta == pytest.approx(step_size, rel=1e-9)
    p = sgd_app.surface.problem
    want = optim.sgd(
        p.loss_and_grad_batch, sgd_app._start_point, p.X, p.y, eta, 80, batch_size, seed=seed
    )
    got = sgd_app.sgd_history
    np.testing.assert_array_equal(got.params, want.params)
    np.testing.assert_array_equal(got.losses, want.losses)
    np.testing.assert_array_equal(got.examples_seen, want.examples_seen)
    assert got.diverged == want.diverged


def test_the_seed_slider_draws_other_batches(sgd_app):
    sgd_app.set_state(batch_size=4, n_steps=30, seed=0, x_axis="steps")
    first = sgd_app.sgd_history.params.copy()
    sgd_app.set_state(seed=1)
    assert not np.allclose(sgd_app.sgd_history.params, first)
    sgd_app.set_state(seed=0)
    np.testing.assert_array_equal(sgd_app.sgd_history.params, first)


def test_the_minibatch_losses_stay_inside_the_loss_axis():
    # a minibatch can fit better than the whole data set: its loss lies below L*, and the
    # axis reaches down far enough to show it, for every batch size (B = 1 goes lowest)
    app = SGDApp(backend="agg")
    lo, hi = app.ax_loss.get_ylim()
    assert lo == pytest.approx(app.surface.loss_star / 16)
    default = np.asarray(app.batch_curve.get_ydata())  # the stored picture's run
    assert lo < default.min() < app.surface.loss_star and default.max() < hi
    for batch_size in app.batch_sizes:
        for seed in (0, 10, 20, 30, 40, 50):
            app.set_state(batch_size=batch_size, seed=seed, n_steps=150)
            shown = np.asarray(app.batch_curve.get_ydata())
            assert lo < shown.min(), (batch_size, seed)
    # gradient descent has no minibatches: its axis stays just under L*
    assert GradientDescentApp(backend="agg").ax_loss.get_ylim()[0] == pytest.approx(
        0.85 * app.surface.loss_star
    )


def test_sgd_app_rejects_bad_arguments():
    with pytest.raises(ValueError, match="batch_size must be one of"):
        SGDApp(batch_size=3)
    with pytest.raises(ValueError, match="x_axis must be one of"):
        SGDApp(x_axis="epochs")


# ---------------------------------------------------------------------------------------------
# FiniteDifferenceApp
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fd_app():
    return FiniteDifferenceApp(backend="agg")


def test_the_error_curve_is_a_v(fd_app):
    for method in ("centered", "forward"):
        for dtype in ("float64", "float32"):
            curve = fd_app.errors[(method, dtype)]
            k = int(np.argmin(curve))
            assert curve[0] > 100 * curve[k] and curve[-1] > 100 * curve[k], (method, dtype)
            assert curve[-1] > 1e-2  # h = 1: truncation error
            assert curve[0] == 1.0  # h = 1e-16: the two loss values are equal, the estimate 0


def test_best_steps_follow_the_theory(fd_app):
    h64, e64 = fd_app.best_h("float64", "centered")
    h32, e32 = fd_app.best_h("float32", "centered")
    hf64, ef64 = fd_app.best_h("float64", "forward")
    assert 1e-6 <= h64 <= 1e-3 and e64 < 1e-8  # near eps**(1/3) ~ 6e-6
    assert 1e-9 <= hf64 <= 1e-6 and ef64 < 1e-5  # near eps**(1/2) ~ 1.5e-8
    assert hf64 < h64  # forward differences need a smaller step
    assert h32 > 100 * h64 and e32 > 1e-6  # float32: larger step, never as accurate


def test_slider_reads_the_curves(fd_app):
    fd_app.set_state(h=1e-5, method="centered")
    assert fd_app.error_at("float64") < 1e-7  # the default step is fine in float64
    assert fd_app.error_at("float32") > 1e-2  # ... and wrong in float32
    fd_app.set_state(h=1e-12)
    assert fd_app.error_at("float64") > 1e-5  # round-off
    xs = fd_app.vline.get_xdata()
    assert xs[0] == pytest.approx(1e-12)
    assert fd_app.dots["float64"].get_ydata()[0] == fd_app.error_at("float64")
    fd_app.set_state(method="forward", h=1e-5)
    assert fd_app.lines[("forward", "float64")].get_linewidth() == 2.2
    assert fd_app.lines[("centered", "float64")].get_linestyle() == "--"
    assert "truncation error ∝ $h$" in fd_app.region_right.get_text()
    assert "(L(W+h) − L(W)) / h" in fd_app.panel.get_text()


def test_the_legend_draws_the_other_method_as_its_curves_are_drawn(fd_app):
    fd_app.set_state(method="centered")
    legend = fd_app.figure.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["float64", "float32", "other method"]
    # the legend's drawn samples: one solid line per dtype, then one pale dashed line per
    # dtype for "other method", each as the other method's curve is drawn
    samples = [line for line in legend.findobj(Line2D) if len(line.get_xdata()) > 1]
    dashed = [line for line in samples if line.get_linestyle() == "--"]
    assert len(samples) == 4 and len(dashed) == 2
    for handle, dtype in zip(dashed, ("float64", "float32"), strict=True):
        curve = fd_app.lines[("forward", dtype)]  # the other method's curve
        assert handle.get_color() == curve.get_color()
        assert handle.get_linestyle() == curve.get_linestyle() == "--"
        assert handle.get_alpha() == curve.get_alpha() == 0.5
        assert handle.get_linewidth() == curve.get_linewidth()


def test_custom_data_and_the_svm_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 4))
    y = rng.integers(0, 3, size=20)
    app = FiniteDifferenceApp(X, y, loss="svm", n_coords=3, backend="agg")
    assert app.best_h("float64")[1] < 1e-6
    W = rng.normal(size=(4, 3))
    app = FiniteDifferenceApp(X, y, W, backend="agg")
    assert app.error_at("float64") < 1e-6
    assert losses.softmax_loss(W, X, y, 0.0)[0] > 0  # W given: used as is


def test_finite_difference_app_rejects_bad_arguments():
    with pytest.raises(ValueError, match="loss must be one of"):
        FiniteDifferenceApp(loss="hinge")
    with pytest.raises(ValueError, match="give X and y together"):
        FiniteDifferenceApp(X=np.ones((3, 2)))
    with pytest.raises(ValueError, match="n_coords must be >= 1"):
        FiniteDifferenceApp(n_coords=0)
    with pytest.raises(ValueError, match="h must be in"):
        FiniteDifferenceApp(h=10.0)


# ---------------------------------------------------------------------------------------------
# The plot helpers the apps are built from
# ---------------------------------------------------------------------------------------------


def test_surface_levels_by_hand():
    from lecture_utils.plotting import surface_levels

    Z = np.array([[1.0, 2.0], [3.0, 11.0]])
    np.testing.assert_allclose(surface_levels(Z, 3, "log"), 1 + 10 * np.array([1e-3, 10**-1.5, 1]))
    np.testing.assert_allclose(surface_levels(Z, 4, "linear"), [3.0, 5.0, 7.0, 9.0])
    with pytest.raises(ValueError, match="spacing must be 'log' or 'linear'"):
        surface_levels(Z, 3, "cubic")


def test_plot_loss_surface_and_path_draw_on_given_axes():
    from matplotlib.figure import Figure

    from lecture_utils.plotting import plot_descent_path, plot_loss_surface

    ax = Figure().add_subplot()
    Z = np.add.outer(np.linspace(0, 1, 5), np.linspace(0, 2, 7))  # rows follow y
    surface = plot_loss_surface(Z, (0.0, 6.0, 0.0, 4.0), ax=ax, minimum=[1.0, 2.0])
    assert surface.image.get_array().shape == (5, 7)
    assert ax.get_xlim() == (0.0, 6.0) and ax.get_ylim() == (0.0, 4.0)
    assert tuple(surface.minimum.get_xdata()) == (1.0,)
    path = plot_descent_path([[1.0, 1.0], [2.0, 1.5], [1e9, -1e9]], ax=ax)
    xs, ys = path.line.get_data()
    assert xs.tolist() == [1.0, 2.0, 6.0 + 20 * 6.0] and ys[-1] == -20 * 4.0
    assert tuple(path.end.get_xdata()) == (126.0,)
    assert ax.get_xlim() == (0.0, 6.0)  # the path does not rescale the axes
    with pytest.raises(ValueError, match="Z must be a grid of at least 2 x 2"):
        plot_loss_surface(np.ones((1, 4)), (0, 1, 0, 1), ax=ax)
    with pytest.raises(ValueError, match="extent must be"):
        plot_loss_surface(Z, (1, 0, 0, 1), ax=ax)
    with pytest.raises(ValueError, match=r"points must have shape \(K, 2\)"):
        plot_descent_path(np.ones((3, 3)), ax=ax)


def test_finite_difference_error_at_a_given_step(fd_app):
    k = int(np.argmin(np.abs(np.log10(fd_app.hs) - np.log10(1e-2))))
    assert (
        fd_app.error_at("float32", "centered", h=1e-2) == fd_app.errors[("centered", "float32")][k]
    )
    # the slider's step is the default
    assert fd_app.error_at("float64", "centered") == fd_app.error_at(
        "float64", "centered", h=fd_app.values["h"]
    )
    with pytest.raises(ValueError, match="grid"):
        fd_app.error_at("float64", "centered", h=3e-5)
    with pytest.raises(ValueError, match="h"):
        fd_app.error_at("float64", "centered", h=-1.0)


def test_loss_surface_releases_the_contour_generator_and_draws_the_same_pixels():
    # The surface keeps its contour lines but not matplotlib's contour generator (a full x/y
    # grid and a copy of Z: about 0.7 MiB per 200 x 200 surface held in every kernel).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lecture_utils.plotting import plot_loss_surface

    problem = two_weight_problem()
    extent = (-4.5, 3.5, -2.5, 5.5)
    Z = problem.loss_grid(np.linspace(-4.5, 3.5, 200), np.linspace(-2.5, 5.5, 200))

    def pixels(release: bool) -> np.ndarray:
        fig = Figure(figsize=(4, 3))
        ax = fig.add_subplot()
        if release:
            surface = plot_loss_surface(Z, extent, ax=ax, minimum=problem.minimum())
            assert surface.contours._contour_generator is None
        else:  # the same artists, the generator kept (matplotlib's own contour)
            from matplotlib.colors import PowerNorm

            from lecture_utils.plotting.surfaces import SURFACE_ALPHA, SURFACE_CMAP, surface_levels

            xs, ys = np.linspace(-4.5, 3.5, 200), np.linspace(-2.5, 5.5, 200)
            ax.imshow(Z, origin="lower", extent=extent, cmap=SURFACE_CMAP,
                      norm=PowerNorm(0.5, vmin=Z.min(), vmax=Z.max()), interpolation="bilinear",
                      aspect="auto", alpha=SURFACE_ALPHA, zorder=0)  # fmt: skip
            cs = ax.contour(xs, ys, Z, levels=surface_levels(Z), colors="0.25", linewidths=0.6)
            assert cs._contour_generator is not None
            w = problem.minimum()
            ax.plot([w[0]], [w[1]], marker="*", ms=13, color="k", ls="", zorder=4)
            ax.set_xlim(extent[0], extent[1])
            ax.set_ylim(extent[2], extent[3])
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    assert np.array_equal(pixels(True), pixels(False))
