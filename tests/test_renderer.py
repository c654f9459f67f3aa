"""The fallback renderer: every app drawn through a core ``ipywidgets.Image`` (no ipympl).

With ``use_renderer("image")`` an app shows an Image holding the Agg PNG of its figure: the same
pixels as the Agg canvas, updated in place when a control moves, without piling up figures.
With "auto" (the default) the ipympl canvas is shown, and the app falls back to the Image when
the canvas's front-end never announces itself.
"""

from __future__ import annotations

import asyncio
import io
import weakref

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from test_widgets import move_like_browser, n_figures, other_value, render, value_controls

import lecture_utils.widgets as W
import lecture_utils.widgets._renderer as R
from lecture_utils.widgets import App, use_renderer

APP_NAMES = list(W.__all__)


@pytest.fixture(autouse=True)
def _restore_renderer_and_close_apps(monkeypatch):
    """Each test starts from the default renderer; apps it built are closed after it."""
    monkeypatch.setattr(R, "_chosen", None)
    monkeypatch.delenv(R.ENV_VAR, raising=False)
    built: list[weakref.ref[App]] = []
    original = App.__init__

    def recording_init(self, *args, **kwargs):
        built.append(weakref.ref(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(App, "__init__", recording_init)
    yield
    for ref in built:
        app = ref()
        if app is not None and hasattr(app, "widget"):
            app.close()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def in_tree(root: widgets.Widget, target: widgets.Widget) -> bool:
    stack = [root]
    while stack:
        w = stack.pop()
        if w is target:
            return True
        stack.extend(getattr(w, "children", ()))
    return False


@pytest.mark.parametrize("name", APP_NAMES)
def test_image_renderer_shows_the_agg_pixels_and_follows_the_controls(name):
    use_renderer("image")
    fignums = plt.get_fignums()
    before = n_figures()
    app = getattr(W, name)()
    reference = getattr(W, name)(backend="agg")
    assert n_figures() == before + 2  # the app's figure and the reference's, no other
    assert app.view.active == "image"
    assert not isinstance(app.figure.canvas, widgets.Widget)  # no ipympl canvas at all
    assert in_tree(app.widget, app.view.image)
    assert np.array_equal(pixels(app.view.image.value), render(reference))

    control_name = value_controls(app)[0]
    control = app.controls[control_name]
    value = other_value(control)
    shown = app.view.image.value
    image_id = app.view.image.model_id
    move_like_browser(control, value)
    reference.set_state(**{control_name: value})
    assert app.view.image.model_id == image_id  # updated in place, not replaced
    assert app.view.image.value != shown
    assert np.array_equal(pixels(app.view.image.value), render(reference))
    assert app.readout.value == reference.readout.value
    for _ in range(5):  # back and forth: still the same two figures
        move_like_browser(control, app.values[control_name])
    assert n_figures() == before + 2
    assert plt.get_fignums() == fignums


def test_renderer_choice_function_environment_and_colab(monkeypatch):
    assert R.current_renderer() == "auto"
    assert R.resolve("ipympl") == "auto"
    assert R.resolve("agg") == "agg"  # tests and doctests keep their plain Agg canvas
    monkeypatch.setenv(R.ENV_VAR, "image")
    assert R.current_renderer() == "image"
    assert use_renderer("ipympl") == "image"  # the previous choice, to restore it
    assert R.current_renderer() == "ipympl"  # the function wins over the variable
    monkeypatch.setattr(R, "_chosen", None)
    monkeypatch.setenv(R.ENV_VAR, "svg")
    with pytest.raises(ValueError, match=r"\$LECTURE_UTILS_RENDERER must be one of"):
        R.current_renderer()
    with pytest.raises(ValueError, match="renderer must be one of"):
        use_renderer("png")
    with pytest.raises(TypeError, match="renderer must be a string"):
        use_renderer(2)
    monkeypatch.delenv(R.ENV_VAR)
    monkeypatch.setattr(R, "in_colab", lambda: True)
    assert R.resolve("ipympl") == "image"
    app = W.HingeTableApp()
    assert app.view.active == "image"


def test_ipympl_renderer_is_the_canvas_alone():
    use_renderer("ipympl")
    app = W.HingeTableApp()
    assert app.view.image is None
    assert in_tree(app.widget, app.figure.canvas)


def test_auto_keeps_the_canvas_when_its_front_end_answers():
    app = W.MarginsApp()
    canvas = app.figure.canvas
    assert isinstance(canvas, widgets.DOMWidget)
    assert app.view.active == "canvas" and in_tree(app.widget, canvas)
    assert bytes(app.view.image.value) == b""  # nothing encoded, nothing stored in the notebook
    canvas._handle_custom_msg({"type": "initialized"}, [])  # what ipympl's front-end sends
    move_like_browser(app.controls["delta"], other_value(app.controls["delta"]))
    assert app.view.active == "canvas" and in_tree(app.widget, canvas)
    assert not in_tree(app.widget, app.view.image)


def test_auto_falls_back_to_the_image_when_the_canvas_never_answers():
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    control = app.controls["delta"]
    value = other_value(control)
    move_like_browser(control, value)  # a browser moved a slider; the canvas said nothing
    reference.set_state(delta=value)
    assert app.view.active == "image"
    assert in_tree(app.widget, app.view.image) and not in_tree(app.widget, app.figure.canvas)
    assert np.array_equal(pixels(app.view.image.value), render(reference))
    # a late answer from ipympl's front-end brings the canvas back
    app.figure.canvas._handle_custom_msg({"type": "initialized"}, [])
    assert app.view.active == "canvas" and in_tree(app.widget, app.figure.canvas)


def test_auto_decides_when_a_front_end_renders_the_app():
    silent, answered, no_frontend = W.HingeTableApp(), W.HingeTableApp(), W.HingeTableApp()
    for app in (silent, answered, no_frontend):
        beat = app.view.heartbeat
        assert in_tree(app.widget, beat) and beat.layout.display == "none"
        assert beat.value % beat.step != 0  # off its grid: a rendered slider sends it back
    answered.figure.canvas._handle_custom_msg({"type": "initialized"}, [])
    # what a front-end sends when it renders the hidden slider (snapped to step 1)
    silent.view.heartbeat.set_state({"value": 1.0})
    answered.view.heartbeat.set_state({"value": 1.0})
    assert silent.view.active == "image"
    assert bytes(silent.view.image.value).startswith(b"\x89PNG")
    assert answered.view.active == "canvas"
    # nbconvert: no front-end renders anything, nothing to fall back for
    assert no_frontend.view.active == "canvas"
    assert bytes(no_frontend.view.image.value) == b""


def test_animation_frames_reach_the_image_once_a_browser_is_seen():
    use_renderer("image")
    app = W.MarginsApp()
    assert not app._canvas_is_shown() and not app._draw_frame()  # headless: no frames
    app.view.heartbeat.set_state({"value": 1.0})  # a front-end rendered the app
    app.view.image.value = b""
    assert app._canvas_is_shown() and app._draw_frame()
    assert bytes(app.view.image.value).startswith(b"\x89PNG")


def test_close_closes_the_image_and_frees_the_app():
    use_renderer("image")
    app = W.HingeTableApp()
    image = app.view.image
    ref = weakref.ref(app)
    app.close()
    assert image.comm is None  # closed
    del app
    import gc

    gc.collect()
    assert ref() is None


def test_ipympl_frames_are_matplotlibs_diff_images_at_a_cheaper_zlib_level():
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

    from lecture_utils.widgets._canvas import PNG_COMPRESS_LEVEL

    app = W.MarginsApp()
    canvas = app.figure.canvas

    def both_frames() -> tuple[bytes, bytes, str, str]:
        FigureCanvasAgg.draw(canvas)  # render only: nothing is sent
        state = (canvas._last_buff.copy(), canvas._force_full)
        canvas._png_is_old = True
        ours, our_mode = canvas.get_diff_image(), canvas._current_image_mode
        canvas._last_buff, canvas._force_full = state
        canvas._png_is_old = True
        theirs = FigureCanvasWebAggCore.get_diff_image(canvas)
        return ours, theirs, our_mode, canvas._current_image_mode

    ours, theirs, our_mode, their_mode = both_frames()  # the first frame: full
    assert our_mode == their_mode == "full"
    assert np.array_equal(pixels(ours), pixels(theirs))
    move_like_browser(app.controls["delta"], other_value(app.controls["delta"]))
    ours, theirs, our_mode, their_mode = both_frames()  # then only the changed pixels
    assert our_mode == their_mode == "diff"
    assert np.array_equal(pixels(ours), pixels(theirs))
    assert PNG_COMPRESS_LEVEL == 1 and len(ours) >= len(theirs)  # faster, a bit larger


@pytest.mark.parametrize("renderer", ["auto", "image"])
def test_a_burst_of_updates_under_a_kernel_loop_is_drawn_once_in_its_newest_state(renderer):
    use_renderer(renderer)
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    control = app.controls["delta"]
    if renderer == "auto":  # ipympl's front-end is there and ready
        app.figure.canvas._handle_custom_msg({"type": "initialized"}, [])
    else:  # a front-end rendered the app
        app.view.heartbeat.set_state({"value": 1.0})
    assert app._canvas_is_shown()
    frames: list[float] = []
    draw_now = app.view.draw_now

    def counting_draw_now() -> None:
        frames.append(app.values["delta"])
        draw_now()

    app.view.draw_now = counting_draw_now
    values = [control.min + k * control.step for k in (3, 5, 7)]

    async def burst() -> None:
        for v in values:  # three slider messages handled back to back
            move_like_browser(control, v)
        assert frames == []  # nothing drawn yet: the frame waits for the burst
        await asyncio.sleep(0)

    asyncio.run(burst())
    assert frames == [app.values["delta"]]  # one frame, the newest state
    reference.set_state(delta=app.values["delta"])
    if renderer == "image":
        assert np.array_equal(pixels(app.view.image.value), render(reference))
    else:
        assert np.array_equal(render(app), render(reference))
