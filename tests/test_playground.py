"""The classifier playground (notebook 05): its numbers are the library's, its buttons descend.

The generic app tests (every control changes the picture, echoes, fresh apps agree, ...) run
over ``lecture_utils.widgets.__all__`` in ``tests/test_app_contract.py``; here are the
playground's own promises.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import data
from lecture_utils.losses import LOSSES, linear_loss
from lecture_utils.plotting import zero_score_segments
from lecture_utils.widgets import ClassifierPlayground
from lecture_utils.widgets.playground import PARAMETER_RANGE, RESOLUTION


def make_app(**kwargs) -> ClassifierPlayground:
    return ClassifierPlayground(backend="agg", **kwargs)


def library_result(app: ClassifierPlayground):
    W, b = app.parameters()
    X, y = app.dataset()
    v = app.state()
    return linear_loss(W, X, y, v["reg"], v["loss"], 1.0, b)


# ---------------------------------------------------------------------------------------------
# Defaults and layout
# ---------------------------------------------------------------------------------------------


def test_defaults_are_the_demo_points_and_weights():
    app = make_app()
    X, y = app.dataset()
    X9, y9 = data.playground_points()
    np.testing.assert_array_equal(X, X9)
    np.testing.assert_array_equal(y, y9)
    W, b = app.parameters()
    np.testing.assert_array_equal(W, [[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]])
    np.testing.assert_array_equal(b, [0.0, 0.5, -0.5])
    state = app.state()
    assert (state["data"], state["loss"], state["reg"], state["step_size"]) == (
        "points",
        "svm",
        0.01,
        0.1,
    )


def test_loss_menu_is_fed_by_the_registry_and_shows_the_label():
    app = make_app()
    assert list(app.controls["loss"].options) == list(LOSSES)
    for name, form in LOSSES.items():
        app.set_state(loss=name)
        assert form.label in app.loss_label.value
        assert form.label in app.readout.value


def test_controls_cover_every_parameter_and_the_buttons():
    app = make_app()
    params = {f"W_{k}_{j}" for k in range(2) for j in range(3)} | {f"b_{j}" for j in range(3)}
    assert params <= set(app.controls)
    assert {"data", "loss", "reg", "step_size", "step", "run", "randomize"} <= set(app.controls)
    assert set(app.gradient_labels) == params


# ---------------------------------------------------------------------------------------------
# Every number shown comes from lecture_utils.losses
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("dataset", ["points", "blobs", "spiral"])
def test_displayed_numbers_agree_with_linear_loss(loss, dataset):
    app = make_app()
    app.set_state(loss=loss, data=dataset, reg=0.05, W_1_2=0.5, b_0=-0.25)
    want = library_result(app)
    got = app.result
    assert got.loss == want.loss and got.data_loss == want.data_loss
    np.testing.assert_array_equal(got.losses, want.losses)
    np.testing.assert_array_equal(got.dW, want.dW)
    np.testing.assert_array_equal(got.db, want.db)
    # figure line, readout and the gradient next to every slider
    assert app.total_text.get_text() == (
        f"data {want.data_loss:.3f} + reg {want.reg_loss:.3f} = L {want.loss:.3f}"
    )
    assert f"total L = <b>{want.loss:.3f}</b>" in app.readout.value
    assert f"<b>{want.data_loss:.3f}</b>" in app.readout.value
    for k in range(2):
        for j in range(3):
            assert app.gradient_labels[f"W_{k}_{j}"].value == f"<code>{want.dW[k, j]:+.3f}</code>"
    for j in range(3):
        assert app.gradient_labels[f"b_{j}"].value == f"<code>{want.db[j]:+.3f}</code>"
    # per-example bars: one per example, height L_i
    heights = np.array([seg[1, 1] for seg in app.loss_bars.get_segments()])
    np.testing.assert_allclose(heights * app.loss_scale, want.losses)
    assert want.losses.max() <= app.loss_scale
    assert app.loss_scale_texts[1].get_text() == f"{app.loss_scale:g}"
    assert app.summary() == {
        "data_loss": round(want.data_loss, 3),
        "reg_loss": round(want.reg_loss, 3),
        "loss": round(want.loss, 3),
    }


def test_readout_table_lists_scores_and_losses_of_the_nine_points():
    app = make_app()
    r = library_result(app)
    html = app.readout.value
    assert html.count("<tr>") == 1 + 9
    for i in range(9):
        assert f"{r.losses[i]:.3f}</span>" in html
    # example 2 is classified with margin: its loss is 0 and not highlighted
    assert r.losses[2] == 0.0
    assert f"<b>{r.scores[2, 0]:.2f}</b>" in html


def test_readout_lists_the_largest_losses_of_a_big_data_set():
    app = make_app()
    app.set_state(data="spiral")
    r = library_result(app)
    html = app.readout.value
    assert html.count("<tr>") == 1 + 12
    assert "(the 12 largest of 120)" in html
    assert f"{r.losses.max():.3f}" in html


def test_regions_show_the_winning_class_on_the_grid():
    app = make_app()
    W, b = app.parameters()
    image = np.asarray(app.image.get_array())
    assert image.shape == (RESOLUTION, RESOLUTION, 4)
    lo, hi = app.extent[0], app.extent[1]
    rgba = app._region_rgba
    for x1, x2 in [(0.8, 0.3), (-0.7, 0.2), (0.0, -1.0), (1.1, 1.1)]:
        col = int((x1 - lo) / (hi - lo) * RESOLUTION)
        row = int((x2 - lo) / (hi - lo) * RESOLUTION)  # origin="lower": row 0 at the bottom
        centre = lo + (np.array([col, row]) + 0.5) * (hi - lo) / RESOLUTION
        winner = int(np.argmax(centre @ W + b))
        np.testing.assert_array_equal(image[row, col], rgba[winner])


def test_zero_score_lines_are_where_each_score_is_zero():
    app = make_app()
    W, b = app.parameters()
    for j, line in enumerate(app.zero_lines):
        xs, ys = line.get_data()
        ends = np.column_stack([xs, ys])
        np.testing.assert_allclose(ends @ W[:, j] + b[j], 0.0, atol=1e-12)
        # the stalk points to the side where the score is positive
        (x0, x1), (y0, y1) = app.stalks[j].get_data()
        assert np.array([x1, y1]) @ W[:, j] + b[j] > 0


def test_points_with_a_positive_loss_get_a_red_ring():
    app = make_app()
    r = library_result(app)
    edges = app.points.get_edgecolors()
    red = np.array([0xE1, 0x57, 0x59, 0xFF]) / 255
    for i, L_i in enumerate(r.losses):
        assert np.allclose(edges[i], red) == (L_i > 0)


# ---------------------------------------------------------------------------------------------
# Buttons
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("dataset", ["points", "blobs"])
def test_one_step_lowers_the_total_loss_for_a_small_step_size(loss, dataset):
    app = make_app(loss=loss, data=dataset, step_size=0.01, reg=0.05)
    before = app.result.loss
    W, b = app.parameters()
    app.controls["step"].click()
    assert app.last_error is None
    assert app.result.loss < before
    # the step is -step_size * gradient (snapped to the sliders' 0.001 grid)
    r = linear_loss(W, *app.dataset(), 0.05, loss, 1.0, b)
    W_new, b_new = app.parameters()
    np.testing.assert_allclose(W_new, W - 0.01 * r.dW, atol=0.0005 + 1e-12)
    np.testing.assert_allclose(b_new, b - 0.01 * r.db, atol=0.0005 + 1e-12)


def test_run_takes_run_steps_steps_along_the_drawn_path():
    app = make_app(run_steps=20, loss="softmax")
    path = app.path.copy()
    assert path.shape == (21,)
    np.testing.assert_allclose(app.path_line.get_data()[1] * app.path_scale, path)
    W_end, b_end, _ = app.descent_path()
    app.controls["run"].click()
    W, b = app.parameters()
    np.testing.assert_allclose(W, W_end, atol=0.0005 + 1e-12)
    np.testing.assert_allclose(b, b_end, atol=0.0005 + 1e-12)
    assert app.result.loss == pytest.approx(path[-1], abs=0.01)
    assert app.result.loss < path[0]
    # softmax never reaches 0: the path keeps going down after the run
    assert app.path[-1] < app.path[0]


def test_steps_stay_inside_the_sliders_range():
    app = make_app(step_size=1.0, reg=0.0, loss="softmax")
    app.set_state(W_0_0=4.99, W_1_0=4.99)
    for _ in range(3):
        app.run()
    W, b = app.parameters()
    lo, hi = PARAMETER_RANGE
    assert lo <= W.min() and W.max() <= hi and lo <= b.min() and b.max() <= hi
    assert app.last_error is None


def test_randomize_is_seeded_by_the_app():
    first, second = make_app(seed=3), make_app(seed=3)
    states = []
    for app in (first, second):
        app.controls["randomize"].click()
        one = app.state()
        app.controls["randomize"].click()
        states.append((one, app.state()))
    assert states[0] == states[1]  # fresh app + same clicks = same result
    assert states[0][0] != states[0][1]  # successive clicks differ
    other = make_app(seed=4)
    other.controls["randomize"].click()
    assert other.state() != states[0][0]
    W, b = first.parameters()
    assert np.abs(W).max() <= 2 and np.abs(b).max() <= 1


def test_step_at_a_minimum_of_a_hinge_loss_changes_nothing():
    # every margin met and no regularization: zero gradient, nothing moves
    app = make_app(reg=0.0, W=[[3.2, -3.6, 0.4], [2.4, 1.6, -4.0]], b=[-0.6, -0.2, 0.8])
    assert app.result.loss == 0.0
    state = app.state()
    app.controls["step"].click()
    assert app.state() == state
    assert app.last_error is None


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def test_data_switch_shows_the_new_points():
    app = make_app()
    for name, n in [("blobs", 60), ("spiral", 120), ("points", 9)]:
        app.set_state(data=name)
        X, y = app.dataset()
        assert X.shape == (n, 2) and y.shape == (n,)
        np.testing.assert_array_equal(app.points.get_offsets(), X)
        assert len(app.loss_bars.get_segments()) == n
        assert app.result.losses.shape == (n,)
        assert np.abs(X).max() <= 1.0 + 1e-12  # every built-in set fits the same box
    # only the 9 points are numbered
    assert len(app.point_labels.get_paths()) == 9
    np.testing.assert_array_equal(app.point_labels.get_offsets(), app.dataset()[0])
    assert len(app.bar_labels.get_paths()) == 9
    app.set_state(data="blobs")
    assert len(app.point_labels.get_paths()) == 0
    assert len(app.bar_labels.get_paths()) == 5  # 0, ..., 59 under the 60 bars


def test_data_sets_are_seeded():
    a, b, c = make_app(seed=1), make_app(seed=1), make_app(seed=2)
    for name in ("blobs", "spiral"):
        np.testing.assert_array_equal(a.datasets[name][0], b.datasets[name][0])
    assert not np.array_equal(a.datasets["blobs"][0], c.datasets["blobs"][0])


def test_your_own_data_comes_first_and_widens_the_box():
    X = np.array([[2.0, 0.0], [-1.0, 1.5], [0.0, -1.0]])
    app = make_app(X=X, y=[0, 1, 2])
    assert app.state()["data"] == "custom"
    assert app.controls["data"].options[0] == "custom"
    np.testing.assert_array_equal(app.dataset()[0], X)
    assert app.extent[1] >= 2.0
    X[0, 0] = 100.0  # the app kept a copy
    assert app.dataset()[0][0, 0] == 2.0


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(X=[[0.0, 0.0]]), ValueError, "X and y must be given together"),
        (dict(X=[[0.0, 0.0, 1.0]], y=[0]), ValueError, r"X must have shape \(N, 2\)"),
        (dict(X=[[0.0, 0.0]], y=[3]), ValueError, "labels in"),
        (dict(X=[[0.0, np.nan]], y=[0]), ValueError, "X contains NaN"),
        (dict(W=np.zeros((3, 2))), ValueError, r"W must have shape \(2, 3\).*pass W\.T"),
        (dict(W=np.full((2, 3), 6.0)), ValueError, r"W must have every entry in \[-5, 5\]"),
        (dict(b=[0.0, 0.0]), ValueError, r"b must have shape \(3,\)"),
        (dict(loss="hinge"), ValueError, "loss must be one of"),
        (dict(reg=-0.1), ValueError, r"reg must be in \[0, 1\]"),
        (dict(reg="a lot"), TypeError, "reg must be a real number"),
        (dict(step_size=5.0), ValueError, "step_size must be in"),
        (dict(data="moons"), ValueError, "data must be one of"),
        (dict(data="custom"), ValueError, "data must be one of"),
        (dict(run_steps=0), ValueError, "run_steps must be >= 1"),
        (dict(run_steps=1000), ValueError, "run_steps must be at most 500"),
        (dict(seed=-1), ValueError, "seed"),
    ],
)
def test_bad_constructor_input_gets_a_clear_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_app(**kwargs)


def test_set_parameters_checks_shapes_and_accepts_the_library_orientation():
    app = make_app()
    W = np.array([[0.5, -0.5, 0.0], [0.25, 0.0, -0.25]])
    app.set_parameters(W, [0.1, 0.2, 0.3])
    np.testing.assert_array_equal(app.parameters()[0], W)
    with pytest.raises(ValueError, match="lecture's orientation"):
        app.set_parameters(W.T, [0.1, 0.2, 0.3])


# ---------------------------------------------------------------------------------------------
# The plotting helper
# ---------------------------------------------------------------------------------------------


def test_zero_score_segments_by_hand():
    box = (-1.0, 1.0, -1.0, 1.0)
    segs = zero_score_segments([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]], [-0.5, 0, 0, 1], box)
    np.testing.assert_allclose(segs[0], [[0.5, -1.0], [0.5, 1.0]])  # x = 0.5
    np.testing.assert_allclose(np.sort(segs[1][:, 0]), [-1.0, 1.0])  # y = 0
    np.testing.assert_allclose(segs[1][:, 1], [0.0, 0.0])
    np.testing.assert_allclose(np.sort(segs[2][:, 0]), [-1.0, 1.0])  # x + y = 0
    assert np.isnan(segs[3]).all()  # W[:, 3] = 0: no line
    far = zero_score_segments([[1.0], [0.0]], [-3.0], box)  # x = 3 misses the box
    assert np.isnan(far).all()
    with pytest.raises(ValueError, match=r"W must have shape \(2, C\)"):
        zero_score_segments(np.zeros((3, 2)), np.zeros(2), box)


# ---------------------------------------------------------------------------------------------
# "run" animates when a browser shows the canvas
# ---------------------------------------------------------------------------------------------


def _record_frames(app, monkeypatch):
    """Make ``app`` believe a browser shows its canvas; return the list its frames go to."""
    app.figure.canvas.syncing_data_url = False  # what ipympl sets when the front-end is ready
    frames = []
    original = type(app.figure.canvas).draw

    def recording_draw(canvas):
        if canvas is app.figure.canvas:
            frames.append(
                (
                    len(app.path_line.get_xdata()),
                    app.total_text.get_text(),
                    np.asarray(app.image.get_array()).copy(),
                )
            )
        original(canvas)

    monkeypatch.setattr(type(app.figure.canvas), "draw", recording_draw)
    return frames


def test_run_draws_the_descent_step_by_step_and_ends_as_the_headless_run(monkeypatch):
    shown = ClassifierPlayground(loss="softmax")  # ipympl canvas
    frames = _record_frames(shown, monkeypatch)
    path = shown.path.copy()
    W_start, b_start = shown.parameters()
    updates = shown.n_updates
    shown.controls["run"].click()
    assert shown.last_error is None
    assert shown.n_updates == updates + 1
    # 50 steps, at most 20 frames: every 3rd step, 3 .. 48; the path grows step by step
    assert shown.live_frames == 20
    steps = list(range(3, 50, 3))
    assert [n for n, _, _ in frames] == [k + 1 for k in steps]
    assert [t for _, t, _ in frames] == [f"step {k}/50: L {path[k]:.3f}" for k in steps]
    # each frame's regions are the classifier of that step (descent from the start)
    first = make_app(loss="softmax")
    first.set_parameters(*first.descent_path(3)[:2])
    np.testing.assert_array_equal(frames[0][2], np.asarray(first.image.get_array()))
    assert not np.array_equal(frames[0][2], frames[-1][2])
    # the end: the same sliders and pixels as a run nobody watched, or a fresh app
    headless = ClassifierPlayground(loss="softmax")
    headless.controls["run"].click()
    assert shown.state() == headless.state()
    assert shown.to_png() == headless.to_png()
    fresh = ClassifierPlayground(loss="softmax")
    fresh.set_state(**shown.state())
    assert shown.to_png() == fresh.to_png()
    assert (shown.parameters()[0] != W_start).any() and (shown.parameters()[1] != b_start).any()


def test_run_draws_no_frame_without_a_browser(monkeypatch):
    app = ClassifierPlayground()
    drawn = []
    original = type(app.figure.canvas).draw
    monkeypatch.setattr(
        type(app.figure.canvas), "draw", lambda canvas: (drawn.append(1), original(canvas))
    )
    updates = app.n_updates
    app.controls["run"].click()
    assert drawn == [] and app.n_updates == updates + 1


def test_an_animated_run_that_moves_nothing_still_ends_on_the_sliders_picture(monkeypatch):
    # every margin met, no regularization: zero gradient, the sliders stay where they are
    app = ClassifierPlayground(
        reg=0.0, W=[[3.2, -3.6, 0.4], [2.4, 1.6, -4.0]], b=[-0.6, -0.2, 0.8], run_steps=10
    )
    before_png, state = app.to_png(), app.state()
    frames = _record_frames(app, monkeypatch)
    for run in (app.run, app.controls["run"].click):  # called directly, and by the button
        updates = app.n_updates
        run()
        assert len(frames) == 9 and app.n_updates == updates + 1
        assert app.state() == state and app.last_error is None
        assert app.to_png() == before_png  # the frames' partial path is gone again
        frames.clear()
