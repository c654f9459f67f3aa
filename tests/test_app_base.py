"""The building blocks every app is made of, tested on their own.

A minimal ``App`` subclass (the guide's ``TinyApp``) gets the whole contract; an error in a
button action is shown and the app stays usable; ``close`` frees the app and its figure. The
control helpers in ``lecture_utils.widgets._controls`` build the widgets the apps once wrote by
hand, with as many decimals as the step; ``canonical_value`` snaps to the step grid; and
``new_figure`` never uses pyplot.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _app_driving import (
    close_apps_after_each_test,  # noqa: F401 (autouse fixture)
    each_control_moved,
    n_figures,
    render,
)

import lecture_utils.widgets._controls as C
from lecture_utils.widgets import App
from lecture_utils.widgets._canvas import new_figure
from lecture_utils.widgets._controls import canonical_value
from lecture_utils.widgets._example import TinyApp  # the guide's example app

# ---------------------------------------------------------------------------------------------
# The base class on its own
# ---------------------------------------------------------------------------------------------


def test_a_minimal_subclass_gets_the_whole_contract(monkeypatch):
    fignums, figures = plt.get_fignums(), n_figures()
    app = TinyApp(start=0.3)
    assert n_figures() == figures + 1 and plt.get_fignums() == fignums
    assert app.state() == {"height": 0.3, "color": "C0", "outline": False, "lam": 0.1}
    for name, updates, before, after in each_control_moved(app):
        assert updates == 1, name
        assert not np.array_equal(before, after), name
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


# ---------------------------------------------------------------------------------------------
# The control helpers and the canvas
# ---------------------------------------------------------------------------------------------


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
