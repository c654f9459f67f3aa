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
from _app_driving import (
    APP_NAMES,
    close_apps_after_each_test,  # noqa: F401 (autouse fixture)
    move_like_browser,
    n_figures,
    other_value,
    pixels,
    render,
    start_from_the_default_renderer,  # noqa: F401 (autouse fixture)
    value_controls,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

import lecture_utils.widgets as W
import lecture_utils.widgets._renderer as R
from lecture_utils.widgets import App, use_renderer


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


def test_auto_shows_the_image_once_ipympls_front_end_answers():
    """Even where the canvas works: its front-end re-encodes its previous picture on every
    frame and drops a frame still decoding; the Image's only decodes (module docstring)."""
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    canvas = app.figure.canvas
    assert isinstance(canvas, widgets.DOMWidget)
    assert app.view.active == "canvas" and in_tree(app.widget, canvas)  # no browser yet
    assert bytes(app.view.image.value) == b""  # nothing encoded, nothing stored in the notebook
    canvas._handle_custom_msg({"type": "initialized"}, [])  # what ipympl's front-end sends
    assert app.view.active == "image" and in_tree(app.widget, app.view.image)
    assert canvas.layout.display == "none"  # hidden, not taken out (see the next test)
    assert np.array_equal(pixels(app.view.image.value), render(reference))  # ratio 1
    value = other_value(app.controls["delta"])
    move_like_browser(app.controls["delta"], value)
    reference.set_state(delta=value)
    assert app.view.active == "image"
    assert np.array_equal(pixels(app.view.image.value), render(reference))


def test_auto_falls_back_to_the_image_when_the_canvas_never_answers():
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    control = app.controls["delta"]
    value = other_value(control)
    move_like_browser(control, value)  # a browser moved a slider; the canvas said nothing
    reference.set_state(delta=value)
    assert app.view.active == "image"
    assert in_tree(app.widget, app.view.image)
    # hidden, not taken out: a view of it taken out of the Box would stay on the page, stale
    assert in_tree(app.widget, app.figure.canvas) and app.figure.canvas.layout.display == "none"
    assert np.array_equal(pixels(app.view.image.value), render(reference))
    # a late answer from ipympl's front-end (with ipykernel 7 the heartbeat can overtake it:
    # messages are handled on two threads) keeps the Image and sends a frame at its ratio
    frames = []
    app.view.image.observe(lambda change: frames.append(change["new"]), names="value")
    on_retina_screen(app, ratio=2)
    assert app.view.active == "image" and app.figure.canvas.layout.display == "none"
    assert len(frames) == 1 and np.array_equal(pixels(frames[0]), at_dpi(reference, 200))


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
    for app in (silent, answered):
        assert app.view.active == "image"
        assert bytes(app.view.image.value).startswith(b"\x89PNG")
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


def test_ipympl_frames_are_whole_pictures_the_same_pixels_as_matplotlibs_frames():
    """Every frame the canvas sends is the whole picture ("full"), so a frame the front-end
    drops (it replaces a frame still decoding by the next) leaves nothing stale; its pixels are
    those matplotlib's own frames add up to (its first frame full, then only what changed)."""
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

    from lecture_utils.widgets._canvas import PNG_COMPRESS_LEVEL

    app = W.MarginsApp()
    canvas = app.figure.canvas
    canvas._handle_custom_msg({"type": "initialized"}, [])  # its front-end shows the canvas
    shown = None  # what matplotlib's frames have drawn so far, as its front-end draws them

    def both_frames() -> tuple[np.ndarray, str, np.ndarray]:
        nonlocal shown
        FigureCanvasAgg.draw(canvas)  # render only: nothing is sent
        last = None if shown is None else shown.view(np.uint32).squeeze(2).copy()
        canvas._png_is_old = True
        ours, our_mode = pixels(canvas.get_diff_image()), canvas._current_image_mode
        assert canvas._last_buff.size == 0  # no copy of the last frame kept once initialized
        canvas._last_buff = last if last is not None else np.empty((0, 0), np.uint32)
        canvas._force_full, canvas._png_is_old = last is None, True
        theirs = pixels(FigureCanvasWebAggCore.get_diff_image(canvas))
        if canvas._current_image_mode == "full":
            shown = theirs
        else:  # a diff: the changed pixels, over what was shown
            shown = np.where(theirs[..., 3:] > 0, theirs, shown)
        return ours, our_mode, shown

    ours, mode, theirs = both_frames()
    assert mode == "full" and np.array_equal(ours, theirs)
    for _ in range(3):
        move_like_browser(app.controls["delta"], other_value(app.controls["delta"]))
        ours, mode, theirs = both_frames()
        assert mode == "full" and np.array_equal(ours, theirs)
        assert np.array_equal(ours, render(app))
    assert PNG_COMPRESS_LEVEL == 1


@pytest.mark.parametrize("renderer", ["auto", "image", "ipympl"])
def test_a_burst_of_updates_under_a_kernel_loop_is_drawn_once_in_its_newest_state(renderer):
    use_renderer(renderer)
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    control = app.controls["delta"]
    if renderer == "image":  # a front-end rendered the app
        app.view.heartbeat.set_state({"value": 1.0})
    else:  # ipympl's front-end is there and ready (auto: the Image shows from now on)
        app.figure.canvas._handle_custom_msg({"type": "initialized"}, [])
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
    assert app.view.active == ("canvas" if renderer == "ipympl" else "image")
    if app.view.active == "image":
        assert np.array_equal(pixels(app.view.image.value), render(reference))
    else:
        assert np.array_equal(render(app), render(reference))


# -- high-density screens: the Image at the screen's ratio, drafts while controls move ---------


def at_dpi(app: App, dpi: float) -> np.ndarray:
    """The Agg pixels of ``app``'s figure at ``dpi`` (its own dpi is put back)."""
    own = app.figure.dpi
    app.figure._set_dpi(dpi, forward=False)
    try:
        return render(app)
    finally:
        app.figure._set_dpi(own, forward=False)


def on_retina_screen(app: App, ratio: float = 2) -> None:
    """What ipympl's front-end sends on a screen of device pixel ratio ``ratio``, in order."""
    canvas = app.figure.canvas
    canvas._handle_custom_msg({"type": "set_dpi_ratio", "dpi_ratio": ratio}, [])
    canvas._handle_custom_msg({"type": "set_device_pixel_ratio", "device_pixel_ratio": ratio}, [])
    canvas._handle_custom_msg({"type": "initialized"}, [])


def test_on_a_high_density_screen_the_image_shows_the_figure_at_the_screens_ratio():
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    css = (app.view.image.layout.width, app.view.image.layout.height)
    on_retina_screen(app)
    assert app.view.pixel_ratio == 2 and app.view.active == "image"
    assert in_tree(app.widget, app.view.image)
    # the canvas stays in the Box, hidden: ipympl's view would stay on the page if taken out
    assert app.figure.canvas.layout.display == "none"
    assert app.view.image.layout.display != "none"
    shown = pixels(app.view.image.value)
    assert np.array_equal(shown, at_dpi(reference, 200))  # twice the pixels each way
    assert (app.view.image.layout.width, app.view.image.layout.height) == css  # same size
    # without a kernel loop (headless) every frame is sharp
    control = app.controls["delta"]
    value = other_value(control)
    move_like_browser(control, value)
    reference.set_state(delta=value)
    assert np.array_equal(pixels(app.view.image.value), at_dpi(reference, 200))


@pytest.mark.parametrize("renderer, ratio", [("auto", 1), ("auto", 2), ("ipympl", 1)])
def test_every_draw_request_of_ipympls_front_end_gets_a_frame(renderer, ratio, monkeypatch):
    """ipympl's front-end asks for no frame until the one it asked for has come (its
    ``waiting_for_image``): a "draw" left unanswered freezes the canvas for good. So every
    request is answered, also while the Image shows and the canvas is hidden."""
    use_renderer(renderer)
    app = W.MarginsApp()
    canvas = app.figure.canvas
    frames: list[str] = []
    monkeypatch.setattr(canvas, "send_binary", lambda data: frames.append(app.view.active))
    on_retina_screen(app, ratio)  # auto: the app shows its Image, the canvas is hidden
    assert app.view.active == ("image" if renderer == "auto" else "canvas")
    for kind in ("draw", "refresh", "draw"):
        before = len(frames)
        canvas._handle_custom_msg({"type": kind}, [])
        if kind == "draw":
            assert len(frames) == before + 1, f"a 'draw' ({app.view.active} shown) got no frame"
    assert canvas._last_buff.size == 0  # no copy of a frame kept (6 MB at ratio 2)
    assert canvas._current_image_mode == "full"


def test_the_ipympl_renderer_keeps_the_canvas_on_every_screen():
    use_renderer("ipympl")
    for ratio in (1, 2):
        app = W.MarginsApp()
        on_retina_screen(app, ratio)
        assert app.view.active == "canvas" and app.view.widget is app.figure.canvas
        assert app.figure.canvas.layout.display is None and app.view.image is None


def test_while_a_control_moves_drafts_at_ratio_1_then_one_sharp_frame(monkeypatch):
    # 0.5 s: the two moves below must come within it even when the machine stalls this
    # process (a CI run with two workers), or the first draft is sharpened before the second
    monkeypatch.setattr(R, "SHARPEN_AFTER_S", 0.5)
    app = W.RegularizationApp()
    reference = W.RegularizationApp(backend="agg")
    on_retina_screen(app)
    control = next(c for c in app.controls.values() if isinstance(c, widgets.FloatLogSlider))
    name = next(n for n, c in app.controls.items() if c is control)
    frames: list[tuple[int, int]] = []  # (width, height) of every picture sent

    def record(change) -> None:
        if change["new"]:
            frames.append(Image.open(io.BytesIO(change["new"])).size)

    app.view.image.observe(record, names="value")
    values = [control.value * control.base**k for k in (0.5, 1.0)]

    async def drag() -> None:
        for v in values:  # two moves, each drawn before the next arrives
            move_like_browser(control, canonical(control, v))
            await asyncio.sleep(0.005)
        drafted = list(frames)
        assert drafted and all(size == frames[0] for size in drafted)
        draft = pixels(app.view.image.value)
        reference.set_state(**{name: app.values[name]})
        assert np.array_equal(draft, at_dpi(reference, 100))  # the draft: ratio 1 pixels
        assert app.figure.dpi == 200  # drafts leave the figure at the screen's dpi
        await asyncio.sleep(1.2)  # the controls rest: the sharp frame follows, once

    asyncio.run(drag())
    w, h = frames[0]
    assert frames[-1] == (2 * w, 2 * h) and frames.count((2 * w, 2 * h)) == 1
    assert np.array_equal(pixels(app.view.image.value), at_dpi(reference, 200))


def canonical(control: widgets.Widget, value: float) -> float:
    from lecture_utils.widgets._controls import canonical_value

    return canonical_value(
        control, min(max(value, control.base**control.min), control.base**control.max)
    )


def test_the_static_layer_keeps_the_pixels_of_both_sizes(monkeypatch):
    app = W.RegularizationApp(backend="agg")
    layer = app.static_layer
    renders: list[float] = []
    draw_members = layer._draw_members
    monkeypatch.setattr(
        layer, "_draw_members", lambda r: (renders.append(r.dpi), draw_members(r))[1]
    )
    layer.invalidate()
    first = {dpi: at_dpi(app, dpi) for dpi in (100, 200)}
    again = {dpi: at_dpi(app, dpi) for dpi in (100, 200, 100)}
    assert renders == [100, 200]  # each size rendered once, then pasted
    assert all(np.array_equal(first[d], again[d]) for d in first)
    layer.invalidate()
    at_dpi(app, 100)
    assert renders == [100, 200, 100]


def test_a_volatile_member_of_the_static_layer_is_rendered_again_alone(monkeypatch):
    """OptimizerPathsApp's loss axis follows n_steps: only it is re-rendered when that moves."""
    app = W.OptimizerPathsApp()
    layer = app.static_layer
    assert [m for m in layer.volatile] == [app.ax_loss.xaxis]
    drawn: list[str] = []
    for member in layer.members:
        original = member.draw
        kind = "volatile" if member is app.ax_loss.xaxis else "other"

        def draw(renderer, _original=original, _kind=kind, _member=member):
            if _member.get_visible():  # hidden, the normal draw passes over it
                drawn.append(_kind)
            return _original(renderer)

        monkeypatch.setattr(member, "draw", draw)
    render(app)
    drawn.clear()
    app.set_state(step_size=other_value(app.controls["step_size"]))
    render(app)
    assert drawn == []  # the whole layer pasted
    app.set_state(n_steps=other_value(app.controls["n_steps"]))
    render(app)
    assert drawn == ["volatile"]
