"""The contract every live app in ``lecture_utils.widgets.__all__`` keeps, tested headless.

The tests run over ``__all__``, so a new app is covered as soon as it is exported:
it builds with no arguments and opens exactly one figure; every control, moved the way the
browser moves it, changes the rendered picture and opens no figure; float-noise echoes are
ignored; a stale echo cannot overwrite a value set later from code; a fresh app set to the
same state draws the same picture; ``set_state`` is one update and rejects bad values; the
baked static layer draws the same pixels; the display bundle carries the widget view and a
PNG; an error in ``update`` is shown and the app recovers; the Agg fallback draws the same
pixels; and a notebook executed in a real kernel stores the live widget and a PNG of each app.
App-specific numbers are tested in their own modules (``tests/test_hinge_apps.py``, ...).
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _app_driving import (
    APP_NAMES,
    close_apps_after_each_test,  # noqa: F401 (autouse fixture)
    default_app,
    each_control_moved,
    move_like_browser,
    n_figures,
    other_value,
    render,
    value_controls,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lecture_utils.widgets as W
from lecture_utils.widgets import App
from lecture_utils.widgets._controls import canonical_value

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
    for control_name, updates, before, after in each_control_moved(app):
        assert app.last_error is None, f"{control_name}: {app.last_error!r}"
        assert updates == 1, f"{control_name} did not run exactly one update"
        assert not np.array_equal(before, after), (
            f"moving {control_name} did not change the picture"
        )
        assert plt.get_fignums() == fignums
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
