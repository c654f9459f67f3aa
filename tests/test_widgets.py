"""Headless tests of every live app in ``lecture_utils.widgets.__all__``.

The generic tests run over ``__all__``, so a new app is covered as soon as it is exported:
it builds with no arguments and opens exactly one figure; every control, moved the way the
browser moves it, changes the rendered picture and opens no figure; float-noise echoes are
ignored; a stale echo cannot overwrite a value set later from code; a fresh app set to the
same state draws the same picture. App-specific tests (hand-checked numbers) follow.
"""

from __future__ import annotations

import gc
import io
import math
import weakref

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lecture_utils.widgets as W
import lecture_utils.widgets._controls as C
from lecture_utils.widgets import App
from lecture_utils.widgets._canvas import new_figure
from lecture_utils.widgets._controls import _selection_values, canonical_value
from lecture_utils.widgets._example import TinyApp  # the guide's example app

APP_NAMES = list(W.__all__)

# Cache of default apps, one per class (building is the slow part; tests that change an app's
# state build their own).
_DEFAULT: dict[str, App] = {}


def default_app(name: str) -> App:
    if name not in _DEFAULT:
        _DEFAULT[name] = getattr(W, name)()
    return _DEFAULT[name]


@pytest.fixture(autouse=True)
def _close_apps_after_each_test(monkeypatch):
    """Close the apps a test built (ipywidgets would keep them, and their figures, alive)."""
    built: list[weakref.ref[App]] = []  # weak: an app the test closed itself can go
    original = App.__init__

    def recording_init(self, *args, **kwargs):
        built.append(weakref.ref(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(App, "__init__", recording_init)
    yield
    cached = {id(app) for app in _DEFAULT.values()}
    for ref in built:
        app = ref()
        if app is not None and hasattr(app, "widget") and id(app) not in cached:
            app.close()


def render(app: App) -> np.ndarray:
    """Render the app's figure on its own canvas with Agg and return a copy of the pixels.

    (The ipympl canvas's own ``draw()`` renders the same way and then also encodes a PNG
    for the browser; the build test runs it once.)
    """
    FigureCanvasAgg.draw(app.figure.canvas)
    return np.asarray(app.figure.canvas.buffer_rgba()).copy()


def n_figures() -> int:
    gc.collect()
    return sum(isinstance(o, Figure) for o in gc.get_objects())


def value_controls(app: App) -> list[str]:
    return [n for n, c in app.controls.items() if not isinstance(c, widgets.Button)]


def other_value(control: widgets.Widget):
    """A different valid value for ``control``, far enough from the current one to show."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.min, control.max
        exponent = math.log(control.value, control.base)
        target = (
            exponent + 0.4 * (hi - lo)
            if exponent - lo < hi - exponent
            else exponent - 0.4 * (hi - lo)
        )
        return canonical_value(control, control.base**target)
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        lo, hi, v = control.min, control.max, control.value
        target = v + 0.3 * (hi - lo) if v - lo < hi - v else v - 0.3 * (hi - lo)
        return canonical_value(control, target)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return not control.value
    if hasattr(control, "options"):
        values = _selection_values(control)
        return values[(control.index + 1) % len(values)]
    raise NotImplementedError(f"test does not know how to move a {type(control).__name__}")


def move_like_browser(control: widgets.Widget, value) -> None:
    """Send ``value`` as the browser does: through the widget's ``set_state``, with float noise."""
    if hasattr(control, "options"):
        control.set_state({"index": _selection_values(control).index(value)})
    elif isinstance(value, float):
        control.set_state({"value": value * (1 + 1e-16) + 1e-17})  # noise as the front-end's
    else:
        control.set_state({"value": value})


# ---------------------------------------------------------------------------------------------
# Generic contract, for every app
# ---------------------------------------------------------------------------------------------


def test_all_lists_apps_only():
    assert APP_NAMES, "lecture_utils.widgets.__all__ is empty"
    for name in APP_NAMES:
        cls = getattr(W, name)
        assert isinstance(cls, type) and issubclass(cls, App), name


@pytest.mark.parametrize("name", APP_NAMES)
def test_builds_with_defaults_and_opens_exactly_one_figure(name):
    fignums = plt.get_fignums()
    before = n_figures()
    app = getattr(W, name)()
    assert n_figures() == before + 1
    assert plt.get_fignums() == fignums
    assert isinstance(app.figure, Figure)
    assert app.figure.canvas.figure is app.figure
    assert isinstance(app.widget, widgets.Widget)
    assert app.controls and all(isinstance(c, widgets.Widget) for c in app.controls.values())
    assert all(name.isidentifier() for name in app.controls)
    assert app.last_error is None
    assert app.n_updates == 1
    # ipympl canvas attached, toolbar and header hidden
    from ipympl.backend_nbagg import Canvas

    assert isinstance(app.figure.canvas, Canvas)
    assert app.figure.canvas.toolbar_visible is False
    assert app.figure.canvas.header_visible is False
    app.figure.canvas.draw()  # the real ipympl draw path (renders, then encodes for the browser)
    assert np.array_equal(np.asarray(app.figure.canvas.buffer_rgba()), render(app))
    assert plt.get_fignums() == fignums


@pytest.mark.parametrize("name", APP_NAMES)
def test_every_control_changes_the_picture_and_opens_no_figure(name):
    app = getattr(W, name)()
    fignums = plt.get_fignums()
    figures = n_figures()
    before = render(app)
    for control_name, control in app.controls.items():
        updates = app.n_updates
        if isinstance(control, widgets.Button):
            control.click()
        else:
            move_like_browser(control, other_value(control))
        after = render(app)
        assert app.last_error is None, f"{control_name}: {app.last_error!r}"
        assert app.n_updates == updates + 1, f"{control_name} did not run exactly one update"
        assert not np.array_equal(before, after), (
            f"moving {control_name} did not change the picture"
        )
        assert plt.get_fignums() == fignums
        before = after
    assert n_figures() == figures


@pytest.mark.parametrize("name", APP_NAMES)
def test_float_noise_echo_is_ignored(name):
    app = getattr(W, name)()
    floats = [n for n in value_controls(app) if isinstance(app.controls[n], widgets.FloatSlider)]
    floats += [
        n for n in value_controls(app) if isinstance(app.controls[n], widgets.FloatLogSlider)
    ]
    if not floats:
        pytest.skip(f"{name} has no float sliders")
    values = {n: other_value(app.controls[n]) for n in floats}
    for control_name, v in values.items():
        app.controls[control_name].value = v
    picture = render(app)
    updates, state = app.n_updates, app.state()
    for control_name, v in values.items():
        control = app.controls[control_name]
        for noisy in (v + 1e-15, v - 1e-15, v * (1 + 4e-16)):
            control.value = noisy  # from code
            control.set_state({"value": noisy})  # from the browser
        assert app.n_updates == updates, f"{control_name}: an echo re-ran update"
    assert app.state() == state
    assert np.array_equal(render(app), picture)


@pytest.mark.parametrize("name", APP_NAMES)
def test_stale_browser_echo_does_not_overwrite_a_value_set_later(name):
    app = getattr(W, name)()
    control_name = value_controls(app)[0]
    control = app.controls[control_name]
    rendered = app.state()[control_name]  # what the browser showed when the cell ran
    later = other_value(control)
    app.set_state(**{control_name: later})  # a later cell
    expected = render(app)
    # the browser's late echo of the value it rendered first
    move_like_browser(control, rendered)
    assert app.state()[control_name] == later
    assert canonical_value(control, control.value) == later
    assert np.array_equal(render(app), expected)
    # a real move afterwards is accepted, even back to that value
    move_like_browser(control, rendered)
    assert app.state()[control_name] == rendered


@pytest.mark.parametrize("name", APP_NAMES)
def test_fresh_app_with_same_state_draws_same_picture(name):
    rng = np.random.default_rng(1)
    app = getattr(W, name)()
    for _ in range(3):  # move every control a few times, in a random order
        for control_name in rng.permutation(value_controls(app)):
            control = app.controls[control_name]
            move_like_browser(control, other_value(control))
    buttons = [c for c in app.controls.values() if isinstance(c, widgets.Button)]
    for button in buttons:
        button.click()
    fresh = getattr(W, name)()
    fresh.set_state(**app.state())
    assert fresh.state() == app.state()
    assert np.array_equal(render(fresh), render(app))


@pytest.mark.parametrize("name", APP_NAMES)
def test_set_state_is_one_update_and_rejects_bad_values(name):
    app = getattr(W, name)()
    names = value_controls(app)
    updates = app.n_updates
    app.set_state(**{n: other_value(app.controls[n]) for n in names})
    assert app.n_updates == updates + 1
    app.set_state(**app.state())  # nothing changes: no update
    assert app.n_updates == updates + 1
    state = app.state()
    with pytest.raises(ValueError, match="no control named 'no_such_control'"):
        app.set_state(no_such_control=1)
    for n in names:
        control = app.controls[n]
        if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider)):
            high = control.base**control.max * 10 if hasattr(control, "base") else control.max + 10
            with pytest.raises(ValueError, match=n):
                app.set_state(**{n: high})
            with pytest.raises(TypeError, match=n):
                app.set_state(**{n: "a string"})
        elif hasattr(control, "options"):
            with pytest.raises(ValueError, match=n):
                app.set_state(**{n: "not an option"})
    assert app.state() == state
    assert app.last_error is None


@pytest.mark.parametrize("name", APP_NAMES)
def test_baked_static_layer_draws_the_same_pixels_as_drawing_everything(name, monkeypatch):
    baked = getattr(W, name)()
    monkeypatch.setattr(App, "bake_static", False)
    plain = getattr(W, name)()
    assert plain.static_layer is None
    assert np.array_equal(render(baked), render(plain))
    # still true after a change, and after the layer was re-rendered at another dpi
    control_name = value_controls(baked)[0]
    value = other_value(baked.controls[control_name])
    baked.set_state(**{control_name: value})
    plain.set_state(**{control_name: value})
    baked.figure.savefig(io.BytesIO(), format="png", dpi=50)
    assert np.array_equal(render(baked), render(plain))
    # and after every control changed (an axis that follows a control is re-rendered alone)
    changes = {n: other_value(baked.controls[n]) for n in value_controls(baked)}
    baked.set_state(**changes)
    plain.set_state(**changes)
    assert np.array_equal(render(baked), render(plain))


@pytest.mark.parametrize("name", APP_NAMES)
def test_display_bundle_has_widget_view_and_static_png(name):
    app = default_app(name)
    data, metadata = app._repr_mimebundle_()
    view = data["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == app.widget.model_id
    import base64

    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG")
    assert "0x" not in data["text/plain"]  # no memory address in what nbval might see
    width, height = app.figure.get_size_inches() * app.figure.dpi
    assert metadata["image/png"] == {"width": round(width), "height": round(height)}


@pytest.mark.parametrize("name", APP_NAMES)
def test_error_in_update_is_shown_and_app_recovers(name, monkeypatch):
    app = getattr(W, name)()
    control_name = value_controls(app)[0]
    control = app.controls[control_name]
    original = type(app).update

    def broken(self):
        raise RuntimeError("boom in update")

    monkeypatch.setattr(type(app), "update", broken)
    move_like_browser(control, other_value(control))  # must not raise into the widget layer
    assert isinstance(app.last_error, RuntimeError)
    assert "boom in update" in app.output.outputs[0]["text"]
    monkeypatch.setattr(type(app), "update", original)
    move_like_browser(control, other_value(control))
    assert app.last_error is None
    assert app.output.outputs == ()


@pytest.mark.parametrize("name", APP_NAMES)
def test_agg_backend_and_fallback_when_ipympl_cannot_attach(name, monkeypatch):
    app = getattr(W, name)(backend="agg")
    assert type(app.figure.canvas) is FigureCanvasAgg
    assert render(app).shape[2] == 4

    import lecture_utils.widgets._canvas as canvas

    def fail(fig):
        raise ImportError("no ipympl here")

    monkeypatch.setattr(canvas, "_attach_ipympl", fail)
    app = getattr(W, name)()
    assert type(app.figure.canvas) is FigureCanvasAgg
    assert np.array_equal(render(app), render(default_app(name)))


# ---------------------------------------------------------------------------------------------
# The base class on its own
# ---------------------------------------------------------------------------------------------


def test_a_minimal_subclass_gets_the_whole_contract(monkeypatch):
    fignums, figures = plt.get_fignums(), n_figures()
    app = TinyApp(start=0.3)
    assert n_figures() == figures + 1 and plt.get_fignums() == fignums
    assert app.state() == {"height": 0.3, "color": "C0", "outline": False, "lam": 0.1}
    before = render(app)
    for name, control in app.controls.items():
        updates = app.n_updates
        if isinstance(control, widgets.Button):
            control.click()
        else:
            move_like_browser(control, other_value(control))
        after = render(app)
        assert app.n_updates == updates + 1, name
        assert not np.array_equal(before, after), name
        before = after
    assert app.clicks == 1
    monkeypatch.setattr(App, "bake_static", False)
    plain = TinyApp()
    plain.set_state(**app.state())
    plain.clicks = app.clicks
    plain.refresh()
    assert np.array_equal(render(plain), render(app))
    with pytest.raises(ValueError, match=r"height must be in \[0, 1\], got 2"):
        TinyApp(start=2.0)
    with pytest.raises(ValueError, match="color must be one of"):
        app.set_state(color="C2")
    with pytest.raises(TypeError, match="outline must be True or False"):
        app.set_state(outline=1)


def test_an_error_in_a_button_action_is_shown_and_the_app_stays_usable():
    app = TinyApp()

    def broken():
        raise ValueError("step size must be > 0, got -1")

    app._actions[id(app.controls["more"])] = broken
    app.controls["more"].click()
    assert isinstance(app.last_error, ValueError)
    assert "step size must be > 0" in app.output.outputs[0]["text"]
    app.set_state(height=0.9)
    assert app.last_error is None and app.state()["height"] == 0.9


def test_close_frees_the_app_and_its_figure():
    figures = n_figures()
    app = TinyApp()
    assert n_figures() == figures + 1
    app.close()
    del app
    assert n_figures() == figures


def _state_without_ids(widget: widgets.Widget) -> dict:
    """``widget.get_state()`` with each child model (layout, style) replaced by its own state."""
    state = {}
    for key, value in widget.get_state().items():
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            value = _state_without_ids(getattr(widget, key))
        state[key] = value
    return {"type": type(widget).__name__, **state}


@pytest.mark.parametrize(
    ("helper", "by_hand"),
    [
        (  # as the hinge table's score sliders were written
            lambda: C.float_slider("", -3.0, 6.0, 0.1, 3.2, tooltip="cat", width="210px"),
            lambda: widgets.FloatSlider(
                value=3.2,
                min=-3.0,
                max=6.0,
                step=0.1,
                readout_format=".1f",
                continuous_update=True,
                description_allow_html=False,
                tooltip="cat",
                layout=widgets.Layout(width="210px"),
            ),
        ),
        (  # the regularization app's λ
            lambda: C.log_slider("λ", -4, 1, 0.05, value=0.1, width="380px"),
            lambda: widgets.FloatLogSlider(
                value=0.1,
                base=10,
                min=-4,
                max=1,
                step=0.05,
                readout_format=".3g",
                description="λ",
                continuous_update=True,
                layout=widgets.Layout(width="380px"),
            ),
        ),
        (  # the descent app's steps
            lambda: C.int_slider("steps", 1, 100, value=30),
            lambda: widgets.IntSlider(
                value=30, min=1, max=100, step=1, description="steps", continuous_update=True
            ),
        ),
        (  # the regularization app's R(W) menu
            lambda: C.dropdown("R(W)", [("L2", "l2"), ("L1", "l1")], "l2", width="220px"),
            lambda: widgets.Dropdown(
                options=[("L2", "l2"), ("L1", "l1")],
                value="l2",
                description="R(W)",
                layout=widgets.Layout(width="220px"),
            ),
        ),
        (  # the finite-difference app's method
            lambda: C.toggle_buttons("d", ["forward", "centered"], "centered", button_width="80px"),
            lambda: widgets.ToggleButtons(
                options=["forward", "centered"],
                value="centered",
                description="d",
                style={"button_width": "80px"},
            ),
        ),
        (  # the SGD app's batch size
            lambda: C.selection_slider("batch size B", [1, 8, 64], 8, tooltip="examples"),
            lambda: widgets.SelectionSlider(
                options=[1, 8, 64],
                value=8,
                description="batch size B",
                continuous_update=True,
                tooltip="examples",
            ),
        ),
    ],
)
def test_control_helpers_build_the_widgets_the_apps_wrote_by_hand(helper, by_hand):
    made, written = helper(), by_hand()
    try:
        assert _state_without_ids(made) == _state_without_ids(written)
    finally:
        made.close()
        written.close()


@pytest.mark.parametrize(
    ("step", "fmt"), [(0.1, ".1f"), (0.05, ".2f"), (0.001, ".3f"), (0.005, ".3f"), (1, ".0f")]
)
def test_a_float_slider_shows_as_many_decimals_as_its_step(step, fmt):
    slider = C.float_slider("x", 0.0, 10.0, step)
    assert slider.readout_format == fmt
    assert C.float_slider("x", 0.0, 1.0, step, fmt=".4g").readout_format == ".4g"
    slider.close()


def test_canonical_value_snaps_to_the_step_grid():
    s = widgets.FloatSlider(min=-1.0, max=1.0, step=0.05)
    assert canonical_value(s, 0.04999999999999999) == 0.05
    assert canonical_value(s, -1 + 21 * 0.05) == 0.05
    assert canonical_value(s, 0.051) == 0.05
    assert canonical_value(s, -1e-17) == 0.0
    assert str(canonical_value(s, -1e-17)) == "0.0"
    log = widgets.FloatLogSlider(min=-4, max=1, step=0.25, base=10)
    assert canonical_value(log, 10**-2.2500000000000004) == canonical_value(log, 10**-2.25)
    assert canonical_value(log, 10**-2.2500000000000004) == pytest.approx(10**-2.25, rel=1e-11)
    assert canonical_value(log, 0.0999999999999) == 0.1
    assert canonical_value(widgets.IntSlider(), 3) == 3
    assert canonical_value(widgets.Dropdown(options=["a", "b"]), "b") == "b"


def test_new_figure_rejects_unknown_backend_and_never_uses_pyplot():
    fignums = plt.get_fignums()
    with pytest.raises(ValueError, match="backend must be 'ipympl' or 'agg'"):
        new_figure((3, 2), backend="inline")
    fig = new_figure((3, 2))
    assert plt.get_fignums() == fignums
    fig.add_subplot().plot([0, 1])
    fig.canvas.draw()
    assert np.asarray(fig.canvas.buffer_rgba()).shape == (200, 300, 4)


# ---------------------------------------------------------------------------------------------
# HingeTableApp: the lecture's numbers
# ---------------------------------------------------------------------------------------------


def test_hinge_table_default_shows_the_lecture_numbers():
    app = default_app("HingeTableApp")
    np.testing.assert_allclose(app.losses, [2.9, 0.0, 12.9])
    assert round(app.loss, 2) == 5.27
    html = app.readout.value
    for text in ("<b>2.9</b>", "<b>0</b>", "<b>12.9</b>", "<b>5.27</b>"):
        assert text in html
    # every max(0, .) term written out; the violated ones highlighted
    assert "max(0, 5.1 − 3.2 + 1) = 2.9" in html
    assert "max(0, -1.7 − 3.2 + 1) = 0" in html
    assert "max(0, 2.5 − -3.1 + 1) = 6.6" in html
    assert html.count("color:") == 3  # cat image: car; frog image: cat and car
    # the same numbers in the figure, for the static image
    assert app.total_text.get_text() == "$L$ = (2.9 + 0 + 12.9) / 3 = 5.27"
    assert [p.title.get_text() for p in app.panels] == ["cat image", "car image", "frog image"]
    assert [p.loss_text.get_text() for p in app.panels] == [
        "$L_i$ = 2.9",
        "$L_i$ = 0",
        "$L_i$ = 12.9",
    ]
    assert [t.get_text() for t in app.panels[2].term_texts] == ["+6.3", "+6.6", "correct"]


def test_hinge_table_controls_are_the_lecture_table():
    app = default_app("HingeTableApp")
    assert sorted(app.controls) == sorted(f"s_{i}_{j}" for i in range(3) for j in range(3))
    assert app.state()["s_0_1"] == 5.1  # cat image, car score
    assert app.state()["s_2_2"] == -3.1  # frog image, frog score
    np.testing.assert_array_equal(
        app.scores(), [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    )


def test_hinge_table_follows_the_sliders():
    app = W.HingeTableApp()
    app.set_state(s_0_1=3.0)  # car score of the cat image: margin 3.0 - 3.2 + 1 = 0.8
    np.testing.assert_allclose(app.losses, [0.8, 0.0, 12.9])
    assert "<b>4.57</b>" in app.readout.value  # (0.8 + 0 + 12.9) / 3
    app.set_state(s_2_2=8.0)  # the frog image's frog score now wins by a margin
    np.testing.assert_allclose(app.losses, [0.8, 0.0, 0.0])
    assert app.readout.value.count("color:") == 1  # only the cat image's car term is violated
    assert app.panels[2].loss_text.get_text() == "$L_i$ = 0"


def test_hinge_table_custom_data_and_bad_arguments():
    app = W.HingeTableApp([[1.0, 0.0], [0.0, 2.5]], [0, 0], class_names=["a", "b"])
    np.testing.assert_allclose(app.losses, [0.0, 3.5])
    assert app.image_names == ("image 0", "image 1")
    with pytest.raises(ValueError, match="scores must have at least 2 classes"):
        W.HingeTableApp([[1.0], [2.0]], [0, 0])
    with pytest.raises(ValueError, match="labels in"):
        W.HingeTableApp([[1.0, 2.0]], [2])
    with pytest.raises(ValueError, match="class_names has 3 names"):
        W.HingeTableApp([[1.0, 2.0]], [0], class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="delta must be >= 0"):
        W.HingeTableApp(delta=-1.0)
    with pytest.raises(ValueError, match="scores contains NaN"):
        W.HingeTableApp([[np.nan, 2.0]], [0])


# ---------------------------------------------------------------------------------------------
# MarginsApp: one example, W sliders, delta and scale
# ---------------------------------------------------------------------------------------------


def test_margins_default_is_the_lecture_cat_image():
    app = default_app("MarginsApp")
    np.testing.assert_allclose(app.scores, [3.2, 5.1, -1.7])
    assert app.loss == pytest.approx(2.9)
    np.testing.assert_allclose(app.terms, [0.0, 2.9, 0.0])
    assert "L<sub>i</sub> = <b>2.90</b>" in app.readout.value
    assert "max(0, 5.10 − 3.20 + 1) = 2.90" in app.readout.value
    # the arrows are the weight columns, the bars the scores
    np.testing.assert_allclose(app.arrows.U, app.W[0])
    np.testing.assert_allclose(app.arrows.V, app.W[1])
    np.testing.assert_allclose([b.get_height() for b in app.bars.bars], [3.2, 5.1, -1.7])


def test_margins_scaling_w_and_delta_together_scales_the_loss():
    app = W.MarginsApp(W=[[1.0, 2.0, -0.5], [1.2, 1.1, -0.7]])  # the cat-image scores again
    ratio = app.loss / app.values["delta"]
    for c in (0.5, 2.0):
        app.set_state(scale=c, delta=c)
        assert app.loss == pytest.approx(2.9 * c)
        assert app.loss / app.values["delta"] == pytest.approx(ratio)
    app.set_state(scale=1.0, delta=1.0, w_0_1=1.0)  # car's first weight 2 -> 1: s_car = 3.1
    assert app.scores[1] == pytest.approx(3.1)
    assert app.loss == pytest.approx(0.9)


def test_margins_bad_arguments():
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        W.MarginsApp(x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"W's entries must be in \[-3, 3\]"):
        W.MarginsApp(W=[[5.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="delta must be in"):
        W.MarginsApp(delta=7.0)
    with pytest.raises(ValueError, match="labels in"):
        W.MarginsApp(y=3)
    with pytest.raises(ValueError, match="class_names has 2 names"):
        W.MarginsApp(class_names=["a", "b"])
    app = W.MarginsApp(x=[1.0, -1.0], y=1, W=[[1.0, 0.0], [0.0, 1.0]], class_names=["a", "b"])
    np.testing.assert_allclose(app.scores, [1.0, -1.0])
    assert app.loss == pytest.approx(3.0)  # max(0, 1 - (-1) + 1)


def test_margins_arrows_and_labels_stay_off_the_example_and_the_plane_has_ticks():
    app = default_app("MarginsApp")
    render(app)  # lay the texts out
    renderer = app.figure.canvas.get_renderer()
    plane = app.arrows.axes
    star = plane.transData.transform(app.x)
    tips = plane.transData.transform(app.W.T)
    # every arrow tip is at least 20 pixels from the star, and no arrow label covers it
    assert np.min(np.hypot(*(tips - star).T)) > 20
    for label in app.arrow_labels:
        assert not label.get_window_extent(renderer).contains(*star)
    # the plane has ticks on both axes (and their labels; baked into the static layer)
    assert len(plane.get_xticks()) >= 3 and len(plane.get_yticks()) >= 3
    assert all(t.get_text() for t in plane.get_xticklabels())


def test_hinge_table_bars_start_at_zero_and_carry_their_scores_in_every_panel():
    app = W.HingeTableApp()
    scores = app.scores()
    for i, panel in enumerate(app.panels):
        # the score bars start at 0, whether the margin line is above 0 (cat) or below (frog)
        assert [b.get_y() for b in panel.bars] == [0.0, 0.0, 0.0]
        np.testing.assert_allclose([b.get_height() for b in panel.bars], scores[i])
        # one format for every score, as the lecture's table: 2.0, not 2
        assert [t.get_text() for t in panel.score_texts] == [f"{s:.1f}" for s in scores[i]]
        # the hinge term is a narrower bar from the line to s_j: the score bar shows around it
        for bar, hinge in zip(panel.bars, panel.hinge_bars, strict=True):
            assert hinge.get_width() < bar.get_width()
    frog = app.panels[2]
    np.testing.assert_allclose([h.get_y() for h in frog.hinge_bars[:2]], [-4.1, -4.1])
    np.testing.assert_allclose([h.get_height() for h in frog.hinge_bars[:2]], [6.3, 6.6])
    pixels = render(app)
    fresh = render(W.HingeTableApp())
    np.testing.assert_array_equal(pixels, fresh)
    app.set_state(s_2_0=-1.0)  # frog image, cat score 2.2 -> -1: its term 6.3 -> 3.1
    assert app.panels[2].score_texts[0].get_text() == "-1.0"
    assert not np.array_equal(render(app), pixels)


def test_hinge_table_scores_read_as_the_lecture_writes_them_and_clear_of_the_line():
    app = default_app("HingeTableApp")
    car_image = app.panels[1]
    assert [t.get_text() for t in car_image.score_texts] == ["1.3", "4.9", "2.0"]
    assert "max(0, 2.0 − 4.9 + 1) = 0" in app.readout.value  # the table writes it so too
    render(app)
    renderer = app.figure.canvas.get_renderer()
    for panel in app.panels:
        line_y = panel.ax.transData.transform((0.0, panel.margin_line.get_ydata()[0]))[1]
        for text in panel.score_texts:
            box = text.get_window_extent(renderer)
            assert not box.y0 - 1 < line_y < box.y1 + 1, (panel.title.get_text(), text.get_text())
    # the frog image's frog score (-3.1, its line at -4.1) is written below the line
    frog = app.panels[2]
    line_y = frog.ax.transData.transform((0.0, -4.1))[1]
    assert frog.score_texts[2].get_window_extent(renderer).y1 < line_y


@pytest.mark.parametrize("n_images", [1, 3])
def test_hinge_table_score_axis_is_labelled_inside_the_figure(n_images):
    # notebook 00 shows a single wide panel: its label must not slide off the figure
    scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]][:n_images]
    app = W.HingeTableApp(scores=scores, y=[0, 1, 2][:n_images])
    render(app)
    renderer = app.figure.canvas.get_renderer()
    label = app.panels[0].ylabel
    assert label.get_text() == "score $s_j$"
    label.set_visible(True)  # baked into the static layer, which hides it between draws
    box = label.get_window_extent(renderer)
    label.set_visible(False)
    axes_left = app.panels[0].ax.get_window_extent(renderer).x0
    # in the figure, and as far left of the axes (past the tick labels) however wide the panel
    assert box.x0 >= 0
    assert axes_left - box.x1 == pytest.approx(24.1, abs=1.0)


# ---------------------------------------------------------------------------------------------
# RegularizationApp: lambda and the regularizer on a precomputed path
# ---------------------------------------------------------------------------------------------


def test_regularization_app_shows_the_core_regularization_path():
    # the path itself is tested in tests/test_regularization.py
    from lecture_utils.regularization import REGULARIZERS, regularization_path

    app = default_app("RegularizationApp")
    assert set(app.paths) == set(REGULARIZERS)
    np.testing.assert_allclose(app.lams, 10 ** np.arange(-3.0, 1.0 + 0.125, 0.25))
    for name, path in app.paths.items():
        expected = regularization_path(app.X, app.y, app.lams, name, app.loss_name, app.beta)
        for field in ("lams", "W", "b", "data_loss", "reg_loss", "accuracy"):
            np.testing.assert_array_equal(getattr(path, field), getattr(expected, field))


def test_regularization_l1_is_sparse_where_l2_spreads():
    app = W.RegularizationApp()
    app.set_state(lam=1.0, regularizer="l1")
    l1_zero = np.count_nonzero(np.abs(app.W) < 0.01)
    app.set_state(regularizer="l2")
    l2_zero = np.count_nonzero(np.abs(app.W) < 0.01)
    assert l1_zero >= 3 and l2_zero == 0
    assert "weights with |w| &lt; 0.01: 0 of 6" in app.readout.value


def test_regularization_picture_names_the_penalty_and_its_axes():
    app = W.RegularizationApp()
    weights_ax, losses_ax = app.weights_title.axes, app.losses_title.axes
    assert app.weights_title.get_text() == "weights W (L2, λ = 0.1)"
    assert app.losses_title.get_text() == "losses along λ (R = L2)"
    regions_ax = app.regions.image.axes
    assert (regions_ax.get_xlabel(), regions_ax.get_ylabel()) == ("input 0", "input 1")
    assert len(regions_ax.get_xticks()) >= 3 and len(regions_ax.get_yticks()) >= 3
    assert losses_ax.get_xlabel() == r"$\lambda$ (log scale)"
    assert losses_ax.get_ylabel() == "loss"
    assert weights_ax is not losses_ax
    before = render(app)
    app.set_state(regularizer="l1", lam=1.0)
    assert app.weights_title.get_text() == "weights W (L1, λ = 1)"
    assert app.losses_title.get_text() == "losses along λ (R = L1)"
    app.set_state(regularizer="elastic_net")
    assert app.losses_title.get_text() == "losses along λ (R = elastic net)"
    assert not np.array_equal(render(app), before)


def test_regularization_slider_snaps_to_the_grid_and_shows_that_solution():
    app = W.RegularizationApp()
    control = app.controls["lam"]
    control.set_state({"value": 0.0316227766016838})  # 10**-1.5 with noise, from the browser
    path, k = app.current()
    assert path.lams[k] == pytest.approx(10**-1.5)
    np.testing.assert_array_equal(app.W, path.W[k])
    expected = app.regions.predict(path.W[k], path.b[k])
    lut = app.regions._lut
    np.testing.assert_array_equal(app.regions.image.get_array(), lut[expected])
    np.testing.assert_allclose(app.lam_line.get_xdata(), [path.lams[k]] * 2)
    assert f"data loss <b>{path.data_loss[k]:.3f}</b>" in app.readout.value


def test_regularization_fresh_apps_share_the_cached_path():
    assert W.RegularizationApp().paths is W.RegularizationApp().paths
    other = W.RegularizationApp(seed=1)
    assert other.paths is not default_app("RegularizationApp").paths


def test_regularization_bad_arguments():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="y was given without X"):
        W.RegularizationApp(y=[0, 1])
    with pytest.raises(ValueError, match="X was given without y"):
        W.RegularizationApp(X)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        W.RegularizationApp(np.zeros((3, 3)), [0, 1, 0])
    with pytest.raises(ValueError, match="at least 2 classes"):
        W.RegularizationApp(X, [0, 0, 0])
    with pytest.raises(ValueError, match="loss must be one of"):
        W.RegularizationApp(loss="hinge")
    with pytest.raises(ValueError, match=r"lam must be in \[0.001, 10\]"):
        W.RegularizationApp(lam=100.0)
    with pytest.raises(ValueError, match="regularizer must be one of"):
        W.RegularizationApp(regularizer="l3")
    with pytest.raises(ValueError, match="beta must be >= 0"):
        W.RegularizationApp(beta=-1.0)


# ---------------------------------------------------------------------------------------------
# In a real kernel: what nbconvert stores for GitHub / nbviewer
# ---------------------------------------------------------------------------------------------


def test_executed_notebook_stores_the_live_widget_and_a_png_of_every_app(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    cells = [nbformat.v4.new_code_cell("import lecture_utils.widgets as W")]
    cells += [nbformat.v4.new_code_cell(f"W.{name}()") for name in APP_NAMES]
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()
    for name, cell in zip(APP_NAMES, nb.cells[1:], strict=True):
        (output,) = cell.outputs
        assert output["output_type"] == "execute_result", name
        data = output["data"]
        assert "application/vnd.jupyter.widget-view+json" in data, name
        assert data["image/png"].startswith("iVBOR"), name  # base64 of the PNG signature
        assert data["text/plain"].startswith(f"{name}: a live view"), name
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {})
