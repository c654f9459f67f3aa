"""App-specific tests of notebook 08's TrainingApp and notebook 09's OptimizerPathsApp, and of
the plot helpers they use (class templates, grid-search heat map).

The generic contract (every control changes the picture, no figure opens, echoes, fresh apps
agree, ...) is tested for every app in ``tests/test_app_contract.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecture_utils import LinearClassifier, optim, plotting
from lecture_utils import widgets as widgets_module
from lecture_utils.data import load_digits, make_blobs, train_val_test_split
from lecture_utils.widgets import OptimizerPathsApp, TrainingApp
from lecture_utils.widgets.optimizers import OPTIMIZER_LABELS, SURFACES


def render(app) -> np.ndarray:
    FigureCanvasAgg.draw(app.figure.canvas)
    return np.asarray(app.figure.canvas.buffer_rgba()).copy()


# ---------------------------------------------------------------------------------------------
# OptimizerPathsApp
# ---------------------------------------------------------------------------------------------


def _library_rule(name, lr, beta):
    return {
        "sgd": optim.SGD(lr),
        "momentum": optim.Momentum(lr, beta=beta),
        "nesterov": optim.Nesterov(lr, beta=beta),
        "rmsprop": optim.RMSProp(lr),
        "adam": optim.Adam(lr, beta1=beta),
    }[name]


@pytest.mark.parametrize(
    "state",
    [
        {},  # defaults: lr 0.1, beta 0.9, 100 steps, valley
        {"step_size": 0.5, "beta": 0.5, "n_steps": 60, "surface": "tilted valley"},
        {"step_size": 1.0, "beta": 0.99, "n_steps": 200},  # some rules overflow
    ],
)
def test_paths_are_the_library_update_rules(state):
    app = OptimizerPathsApp(backend="agg")
    app.set_state(**state)
    v = app.state()
    valley = app.valleys[v["surface"]]
    for name in OPTIMIZER_LABELS:
        params, losses = app.path(name)
        want = optim.optimize(
            valley.loss_and_grad,
            app.start,
            _library_rule(name, v["step_size"], v["beta"]),
            v["n_steps"],
        )
        np.testing.assert_array_equal(params, want.params)
        np.testing.assert_allclose(losses, want.losses, rtol=1e-12)
        assert app.paths[name][0].shape == params.shape


def test_overflowing_rules_end_early_and_the_readout_says_so():
    app = OptimizerPathsApp(backend="agg", step_size=1.0, beta=0.99, n_steps=200)
    params, _ = app.path("nesterov")
    assert len(params) < 201  # overflowed: ends at the last finite point
    assert np.isfinite(params).all()
    assert "diverged (overflow after" in app.readout.value
    app.set_state(step_size=0.6, n_steps=50)  # SGD: |1 - 0.6 * 4| = 1.4 > 1, grows
    assert "(diverging)" in app.readout.value
    sgd_params, sgd_losses = app.path("sgd")
    assert len(sgd_params) == 51 and sgd_losses[-1] > sgd_losses[0]


def test_first_sgd_step_by_hand():
    app = OptimizerPathsApp(backend="agg")  # start (-4.5, 1.5), lr 0.1, grad (0.2 w1, 4 w2)
    params, losses = app.path("sgd")
    np.testing.assert_allclose(params[1], [-4.5 + 0.1 * 0.9, 1.5 - 0.1 * 6.0])
    assert losses[0] == pytest.approx(0.5 * (0.2 * 4.5**2 + 4 * 1.5**2))


def test_momentum_with_beta_zero_is_sgd():
    app = OptimizerPathsApp(backend="agg", beta=0.0)
    np.testing.assert_allclose(app.path("momentum")[0], app.path("sgd")[0])
    np.testing.assert_allclose(app.path("nesterov")[0], app.path("sgd")[0])


def test_longer_runs_extend_the_cached_path_exactly():
    app = OptimizerPathsApp(backend="agg", n_steps=30)
    short = {name: app.path(name)[0] for name in OPTIMIZER_LABELS}
    app.set_state(n_steps=150)
    fresh = OptimizerPathsApp(backend="agg", n_steps=150)
    for name in OPTIMIZER_LABELS:
        long, _ = app.path(name)
        np.testing.assert_array_equal(long[:31], short[name])
        np.testing.assert_array_equal(long, fresh.path(name)[0])


def test_the_picture_shows_the_paths_and_the_checkboxes_hide_them():
    app = OptimizerPathsApp(backend="agg")
    line = app.path_lines["adam"]
    np.testing.assert_array_equal(np.asarray(line.get_xdata()), app.path("adam")[0][:, 0])
    assert line.get_visible() and app.loss_lines["adam"].get_visible()
    app.set_state(show_adam=False)
    assert not line.get_visible() and not app.loss_lines["adam"].get_visible()
    assert "opacity" in app.readout.value
    assert app.path_lines["sgd"].get_visible()


def test_rmsprop_stays_visible_where_its_path_runs_along_adams():
    # RMSProp's first steps follow Adam's path, then SGD's along the valley floor: it is
    # drawn on top of both, dashed, with its own markers, and Adam wider underneath
    app = OptimizerPathsApp(backend="agg")
    rms, adam, sgd = (app.path_lines[n] for n in ("rmsprop", "adam", "sgd"))
    assert rms.get_zorder() > max(
        line.get_zorder() for line in app.path_lines.values() if line is not rms
    )
    assert rms.get_marker() == "s" and adam.get_marker() == sgd.get_marker() == "o"
    assert rms.get_linestyle() == "--" and adam.get_linestyle() == "-"
    assert adam.get_linewidth() > rms.get_linewidth() > sgd.get_linewidth()
    assert app.loss_lines["rmsprop"].get_linestyle() == "--"
    legend = app.figure.legends[0]
    assert [h.get_marker() for h in legend.legend_handles][3] == "s"


def test_the_surface_menu_switches_the_picture_of_the_surface():
    app = OptimizerPathsApp(backend="agg")
    assert list(SURFACES) == list(app.controls["surface"].options)
    before = [p.vertices.copy() for p in app.bands.get_paths()]
    app.set_state(surface="tilted valley")
    after = app.bands.get_paths()
    assert any(
        b.shape != a.vertices.shape or not np.allclose(b, a.vertices)
        for b, a in zip(before, after, strict=True)
    )


def test_rmsprop_beats_sgd_on_the_default_valley_and_the_readout_counts_steps():
    # the lecture's point: on an ill-conditioned valley plain SGD crawls
    app = OptimizerPathsApp(backend="agg")
    final = {name: app.path(name)[1][-1] for name in OPTIMIZER_LABELS}
    assert final["sgd"] > 1e-2
    assert final["rmsprop"] < 1e-6
    assert final["nesterov"] < final["sgd"]
    assert "<td>RMSProp</td>" in app.readout.value
    steps = np.flatnonzero(app.path("rmsprop")[1] < 1e-3)[0]
    assert f"<td>{steps}</td>" in app.readout.value


def test_readout_counts_the_steps_until_the_loss_stays_below_the_level():
    # momentum overshoots: its loss dips below 1e-3, rises above it and settles later; the
    # readout (and notebook 09, which calls the same function) counts until it stays below
    app = OptimizerPathsApp(backend="agg")
    app.set_state(n_steps=200)
    assert "steps until L stays &lt; 0.001" in app.readout.value
    losses = app.path("momentum")[1]
    first_dip = int(np.flatnonzero(losses < 1e-3)[0])
    settled = optim.steps_to_stay_below(losses, 1e-3)
    assert settled is not None and settled > first_dip
    assert (losses[settled:] < 1e-3).all() and losses[settled - 1] >= 1e-3
    row = app.readout.value.split("<td>SGD + momentum</td>")[1].split("</tr>")[0]
    assert row.endswith(f"<td>{settled}</td>")
    # a rule that ends above the level gets a dash
    app.set_state(step_size=0.001)
    row = app.readout.value.split("<td>SGD</td>")[1].split("</tr>")[0]
    assert row.endswith("<td>—</td>")


def test_optimizer_app_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"start must be a point \(w1, w2\)"):
        OptimizerPathsApp(start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="extent must be"):
        OptimizerPathsApp(extent=(1.0, -1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="step_size must be in"):
        OptimizerPathsApp(step_size=10.0)
    with pytest.raises(ValueError, match="surface must be one of"):
        OptimizerPathsApp(surface="banana")
    with pytest.raises(ValueError, match="name must be one of"):
        OptimizerPathsApp(backend="agg").path("lbfgs")


# ---------------------------------------------------------------------------------------------
# TrainingApp
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits_split():
    return train_val_test_split(*load_digits(), seed=0)


def test_training_app_shows_the_classifier_its_settings_give(digits_split):
    app = TrainingApp(backend="agg", loss="softmax", step_size=0.3, reg=1e-4, epochs=4)
    lr = app.state()["step_size"]
    assert lr == 0.3  # a value of the slider, exactly
    s = digits_split
    want = LinearClassifier(
        loss="softmax", reg=1e-4, step_size=lr, n_epochs=4, batch_size=64, seed=0
    ).fit(s.X_train, s.y_train, s.X_val, s.y_val)
    np.testing.assert_array_equal(app.classifier.W_, want.W_)
    np.testing.assert_array_equal(app.classifier.loss_history_, want.loss_history_)
    # the picture: every step's loss, one point per epoch, the accuracies
    steps = app.steps_per_epoch * 4
    assert app.steps_per_epoch == 17  # ceil(1079 / 64)
    assert len(app.step_line.get_xdata()) == steps
    assert len(app.epoch_line.get_xdata()) == 4
    np.testing.assert_array_equal(app.val_line.get_ydata(), want.val_accuracy_history_)
    val = want.val_accuracy_history_[-1]
    assert app.summary.get_text().endswith(f"validation {val:.1%}")
    assert f"<b>{val:.3f}</b>" in app.readout.value
    assert (app.progress.value, app.progress.max) == (steps, steps)
    assert app.progress_text.value == f"{steps} / {steps} SGD steps"


def test_train_button_adds_epochs_and_draws_frames_while_fit_runs(monkeypatch):
    app = TrainingApp()  # ipympl canvas: frames are drawn live when a browser shows it
    app.figure.canvas.syncing_data_url = False  # what ipympl sets when the front-end is ready
    frames = []
    progress = []
    original = type(app.figure.canvas).draw

    def counting_draw(canvas):
        frames.append(len(app.step_line.get_xdata()))
        progress.append(app.progress.value)
        original(canvas)

    monkeypatch.setattr(type(app.figure.canvas), "draw", counting_draw)
    updates = app.n_updates
    app.controls["train"].click()
    assert app.last_error is None
    assert app.state()["epochs"] == 10
    assert app.n_updates == updates + 1
    # the curve grew frame by frame while fit ran, and so did the progress bar
    assert 5 <= len(frames) <= app.live_frames
    assert frames == sorted(frames) and frames[0] < frames[-1] < 10 * app.steps_per_epoch
    assert progress == frames
    assert app.classifier.callback is None
    # without a front-end no frame is drawn (nobody would see it)
    frames.clear()
    headless = TrainingApp()
    monkeypatch.setattr(type(headless.figure.canvas), "draw", counting_draw)
    headless.controls["train"].click()
    assert frames == [] and headless.state()["epochs"] == 10
    # the final picture is the one these settings always give
    fresh = TrainingApp()
    fresh.set_state(epochs=10)
    np.testing.assert_array_equal(render(fresh), render(app))


def test_train_from_code_and_its_limits():
    app = TrainingApp(backend="agg")
    clf = app.train(3)
    assert clf is app.classifier and app.state()["epochs"] == 3
    assert clf.n_iter_ == 3 * app.steps_per_epoch
    app.set_state(epochs=18)
    app.train()  # 18 + 5 is capped at max_epochs
    assert app.state()["epochs"] == app.max_epochs == 20
    with pytest.raises(ValueError, match=r"epochs must be in \[1, 20\]"):
        app.train(21)
    with pytest.raises(TypeError, match="epochs must be an integer"):
        app.train(2.5)
    with pytest.raises(ValueError, match=r"step_size must be one of \[0.001, 0.003"):
        TrainingApp(step_size=0.2)


@pytest.mark.parametrize(
    "name", ["TrainingApp", "OptimizerPathsApp", "GradientDescentApp", "SGDApp"]
)
def test_every_step_size_slider_calls_eta_the_step_size(name):
    app = getattr(widgets_module, name)(backend="agg")
    try:
        assert app.controls["step_size"].description == "step size η"
    finally:
        app.close()


def test_training_app_on_other_data_has_no_templates_panel():
    X, y = make_blobs(n_per_class=30, n_classes=3, seed=0)
    app = TrainingApp(X[::2], y[::2], X[1::2], y[1::2], backend="agg", epochs=2)
    assert app.templates is None
    assert app.steps_per_epoch == 1  # 45 examples in one batch of 64
    assert len(app.figure.axes) == 2
    with pytest.raises(ValueError, match="give X_train, y_train, X_val and y_val together"):
        TrainingApp(X, y)
    with pytest.raises(ValueError, match="X_val has 3 features but X_train has 2"):
        TrainingApp(X, y, np.ones((4, 3)), y[:4])


def test_training_app_with_digits_shows_the_weights_as_templates():
    app = TrainingApp(backend="agg")
    data = app.templates.image.get_array()
    np.testing.assert_allclose(data[:8, :8], app.classifier.W_[:, 0].reshape(8, 8))
    np.testing.assert_allclose(data[10:18, 9:17], app.classifier.W_[:, 6].reshape(8, 8))


# ---------------------------------------------------------------------------------------------
# Plot helpers of notebook 08
# ---------------------------------------------------------------------------------------------


def test_plot_class_templates_tiles_each_column():
    W = np.arange(64 * 3, dtype=float).reshape(64, 3)
    fig = Figure()
    FigureCanvasAgg(fig)
    templates = plotting.plot_class_templates(W, (8, 8), ["a", "b", "c"], ax=fig.add_subplot())
    mosaic = np.ma.getdata(templates.image.get_array())
    assert mosaic.shape == (8 + 1, 3 * 9 - 1)  # one row of tiles, a gap row for the labels
    for j in range(3):
        np.testing.assert_array_equal(mosaic[:8, 9 * j : 9 * j + 8], W[:, j].reshape(8, 8))
    assert np.isnan(mosaic[:, 8]).all() and np.isnan(mosaic[8]).all()  # gaps
    assert [t.get_text() for t in templates.labels] == ["a", "b", "c"]
    low, high = templates.image.get_clim()
    assert low == -high == -np.percentile(np.abs(W), 99)
    with pytest.raises(ValueError, match="height \\* width must equal D"):
        plotting.plot_class_templates(W, (7, 8), ax=fig.add_subplot())
    with pytest.raises(ValueError, match="class_names has 2 names but W has 3 columns"):
        plotting.plot_class_templates(W, class_names=["a", "b"], ax=fig.add_subplot())
    with pytest.raises(ValueError, match=r"W must have shape \(64, 3\)"):
        templates.update(np.ones((64, 4)))


def test_plot_class_templates_draws_a_labelled_colour_bar_on_the_same_scale():
    W = np.arange(64 * 2, dtype=float).reshape(64, 2) - 60.0
    fig = Figure()
    FigureCanvasAgg(fig)
    templates = plotting.plot_class_templates(W, ax=fig.add_subplot())
    bar = templates.colorbar
    assert bar is not None and bar.mappable is templates.image
    assert "ink" in bar.ax.get_ylabel() and "W_{i,j}" in bar.ax.get_ylabel()
    assert bar.norm.vmin == -bar.norm.vmax == -np.percentile(np.abs(W), 99)
    templates.update(2 * W)  # the bar follows the image's new scale
    fig.canvas.draw()
    assert bar.norm.vmax == 2 * np.percentile(np.abs(W), 99)
    # without a bar (the live app draws none: it has no room)
    fig = Figure()
    assert plotting.plot_class_templates(W, ax=fig.add_subplot(), colorbar=False).colorbar is None
    assert len(fig.axes) == 1


def test_plot_grid_search_marks_the_best_cell_and_failed_runs():
    values = np.array([[0.9, 0.95, np.nan], [0.97, 0.96, 0.8]])
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    image = plotting.plot_grid_search(values, [0.1, 0.3], [1e-4, 1e-3, 1e-2], ax=ax)
    np.testing.assert_array_equal(np.ma.getdata(image.get_array()), values)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["0.900", "0.950", "diverged", "0.970", "0.960", "0.800"]
    (outline,) = ax.patches
    assert outline.get_xy() == (-0.5, 0.5)  # row 1 (lr 0.3), column 0 (reg 1e-4)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.0001", "0.001", "0.01"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.1", "0.3"]
    with pytest.raises(ValueError, match=r"values must have shape .* = \(2, 2\)"):
        plotting.plot_grid_search(values, [0.1, 0.3], [1e-4, 1e-3], ax=ax)
    with pytest.raises(ValueError, match="all NaN"):
        plotting.plot_grid_search(np.full((1, 1), np.nan), [0.1], [0.1], ax=ax)
    assert plt.get_fignums() == []


def test_the_surface_has_the_static_pictures_colour_map():
    # notebook 09 shows the valley with plotting.plot_loss_surface and in this app: one map
    from matplotlib import colormaps

    from lecture_utils.plotting.surfaces import SURFACE_ALPHA, SURFACE_CMAP

    app = OptimizerPathsApp(backend="agg")
    colors = app.bands.get_facecolors()
    np.testing.assert_allclose(colors, app.band_colors())
    assert len(colors) == len(app.bands.get_paths())
    np.testing.assert_allclose(colors[:, 3], SURFACE_ALPHA)
    # lowest band: the map's low end (lighter is lower), then darker band by band
    np.testing.assert_allclose(colors[0, :3], colormaps[SURFACE_CMAP](0.0)[:3])
    luminance = colors[:, :3] @ [0.299, 0.587, 0.114]
    assert np.all(np.diff(luminance) <= 0) and luminance[0] > luminance[-1] + 0.5
    # the static picture draws its image with the same map and opacity
    fig = Figure()
    surface = plotting.plot_loss_surface(
        np.outer(np.arange(3.0), np.ones(3)), (0, 1, 0, 1), fig.gca()
    )
    assert surface.image.get_cmap().name == SURFACE_CMAP
    assert surface.image.get_alpha() == SURFACE_ALPHA


def test_training_app_templates_are_large_enough_to_read():
    # notebook 08: the live templates were 0.5 inch tiles; the curves give up width for them
    app = TrainingApp(backend="agg")
    fig = app.figure
    fig.canvas.draw()
    ax = app.templates.ax
    (x0, _), (x1, _) = ax.transData.transform([(0, 0), (8, 0)])  # one 8-pixel-wide tile
    assert (x1 - x0) / fig.dpi >= 0.7
    # the panels do not overlap
    boxes = [a.get_position() for a in (app.ax_loss, app.ax_acc, ax)]
    assert boxes[0].x1 < boxes[1].x0 and boxes[1].x1 < boxes[2].x0
