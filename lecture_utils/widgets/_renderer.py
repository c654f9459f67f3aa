"""How an app's figure reaches the browser: the ipympl canvas, or a core-ipywidgets Image.

Why this is its own concern: the ipympl canvas needs the ``jupyter-matplotlib`` front-end
extension. Where it is missing or broken (Google Colab, VS Code without access to a widget
CDN, a Jupyter server whose front-end lacks or mismatches ``jupyter-matplotlib``) the canvas
does not render, while core ipywidgets do. So every app can also draw through an
``ipywidgets.Image`` updated in place with the Agg PNG of the same figure: same controls, same
readouts, same pixels (at the figure's own dpi).

Which one is used (:func:`use_renderer`, else the environment variable
``LECTURE_UTILS_RENDERER``, else ``"auto"``):

- ``"ipympl"``: the ipympl canvas only (as before the fallback existed);
- ``"image"``: the Image only (no ipympl canvas is created);
- ``"auto"`` (default): the Image wherever a browser shows the app, drawn at the screen's
  device pixel ratio, which ipympl's front-end reports (on Google Colab, where it does not
  work, the Image from the start, at ratio 1). Until a front-end has rendered the app, the app
  shows the ipympl canvas and keeps the Image in reserve (empty: nothing is encoded, and
  stored notebooks stay small). Two messages from the front-end decide. It sends them in this
  order, but ipykernel >= 7 may handle them on two threads (the main shell, busy with the
  notebook's cells during Run All, and a subshell), so the second can be handled first:

  1. ipympl's front-end, when it creates the canvas model, reports the screen's ratio (ipympl
     raises the figure's dpi to match: twice the pixels each way at ratio 2) and sends
     ``initialized`` (before any view of the app can render, since the app's box waits for
     its children's models);
  2. a *heartbeat*: a hidden core ``FloatSlider`` in the app's box whose value (0.5) is off
     its step grid (step 1). Any ipywidgets front-end that renders the app snaps it and sends
     the snapped value back, once.

  Either one (or any control change from a browser) hides the canvas and shows the Image from
  then on; ``initialized`` also sends a frame at the screen's ratio. Without ipympl's
  front-end only the heartbeat comes, and the Image is at ratio 1. With no front-end at all
  (nbconvert) neither arrives and nothing changes. Every message handler, ipympl's own
  included, runs under :attr:`FigureView.lock`, and so does whatever a cell calls that changes
  the artists (``App.set_state``, ``refresh``, the animated actions).

  Why the Image even where the canvas works: the canvas's front-end costs more than the frame.
  On every frame it re-encodes its whole previous picture as a PNG data URL (``handle_binary``
  -> ``toDataURL()``, on the browser's main thread: 3-5 ms at ratio 1, four times the pixels at
  ratio 2), and it drops a frame still decoding when the next one comes. The Image's front-end
  only decodes the PNG it receives. Measured in one JupyterLab at ratio 1, the two renderers
  alternating (notebooks 05 and 07, three runs each; ``tests/browser``): median key -> pixels
  61 against 68 ms (05) and 52 against 63 ms (07), and 4 of the canvas's 36 presses on 07 took
  over 100 ms (up to 158 ms), none of the Image's. The canvas is what ``"ipympl"`` shows, and
  it is tested in the browser too.

  On a high-density screen (device pixel ratio > 1, most laptops), while the controls move, the
  Image gets *drafts*: frames rendered at ratio 1 (a quarter of the pixels, so a quarter of the
  drawing, encoding and decoding that grows with them), which the browser scales up to the
  figure's size. Once no update has come for :data:`SHARPEN_AFTER_S` the sharp frame follows
  (the level-of-detail idea of interactive plotting libraries, e.g. Bokeh's
  ``lod_threshold``/``lod_timeout``). Only with a kernel event loop (a browser session);
  otherwise every frame is sharp.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
import time
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import check_choice
from ._png import encode_png

__all__ = ["RENDERERS", "ENV_VAR", "FigureView", "current_renderer", "png_bytes", "use_renderer"]

#: The renderers :func:`use_renderer` accepts.
RENDERERS = ("auto", "image", "ipympl")
#: Environment variable read when :func:`use_renderer` was not called.
ENV_VAR = "LECTURE_UTILS_RENDERER"
#: On a high-density screen, the sharp frame follows the drafts once the controls have rested
#: this long (seconds): longer than the gap between the events of a held key or a drag, short
#: enough to feel immediate when the learner stops.
SHARPEN_AFTER_S = 0.2
_chosen: str | None = None


def use_renderer(name: str) -> str:
    """Choose how apps built from now on reach the browser; return the previous choice.

    Parameters
    ----------
    name : {"auto", "image", "ipympl"}
        "ipympl": the ipympl canvas; "image": an ``ipywidgets.Image`` updated with the Agg
        PNG of the figure (needs only core ipywidgets: Colab, VS Code offline, a front-end
        without ``jupyter-matplotlib``); "auto": the image wherever a browser shows the app,
        at the screen's device pixel ratio where ipympl's front-end reports it (see the
        module docstring).

    Returns
    -------
    str
        The renderer that was in effect before (to restore it).

    Examples
    --------
    >>> previous = use_renderer("image")
    >>> current_renderer()
    'image'
    >>> use_renderer(previous) == "image"
    True
    >>> use_renderer("svg")
    Traceback (most recent call last):
    ...
    ValueError: renderer must be one of ['auto', 'image', 'ipympl'], got 'svg'
    """
    global _chosen
    check_choice(name, RENDERERS, "renderer")
    previous = current_renderer()
    _chosen = name
    return previous


def current_renderer() -> str:
    """The renderer in effect: the one :func:`use_renderer` chose, else the environment's.

    The environment variable ``LECTURE_UTILS_RENDERER`` (:data:`ENV_VAR`) counts if set;
    otherwise "auto".

    Raises
    ------
    ValueError
        If the environment variable holds an unknown name.
    """
    if _chosen is not None:
        return _chosen
    value = os.environ.get(ENV_VAR, "").strip().lower()
    return check_choice(value, RENDERERS, f"${ENV_VAR}") if value else "auto"


def in_colab() -> bool:
    """Whether this kernel runs on Google Colab (where ipympl's front-end does not work)."""
    try:
        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):
        return False


def resolve(backend: str) -> str:
    """The view an app built with ``backend`` gets: "agg", "ipympl", "image" or "auto"."""
    if backend == "agg":
        return "agg"
    renderer = current_renderer()
    if renderer == "auto" and in_colab():
        return "image"
    return renderer


def png_bytes(figure: Figure, compress_level: int = 1, dpi: float | None = None) -> bytes:
    """Render ``figure`` with Agg and encode it as PNG (zlib level ``compress_level``).

    The pixels are those of ``FigureCanvasAgg.draw`` at the figure's dpi (or at ``dpi``, after
    which the figure's own dpi is restored), whatever canvas the figure has (an ipympl canvas is
    drawn as plain Agg: nothing is sent to its front-end).
    Encoded by :func:`._png.encode_png` (unfiltered rows, zlib level 1: several times faster
    than Pillow's default and lossless).

    Parameters
    ----------
    figure : Figure
    compress_level : int, default 1
        0 (none) to 9 (smallest, slowest).
    dpi : float, optional
        Render at this dpi instead of the figure's (a draft at device pixel ratio 1).

    Returns
    -------
    bytes
        A PNG of shape (height, width, 4) pixels, height x width = the figure's pixel size at
        that dpi.

    Examples
    --------
    >>> import io
    >>> from matplotlib.image import imread
    >>> fig = Figure(figsize=(2, 1), dpi=100)
    >>> png = png_bytes(fig)
    >>> png[:4], imread(io.BytesIO(png), format="png").shape
    (b'\\x89PNG', (100, 200, 4))
    >>> imread(io.BytesIO(png_bytes(fig, dpi=50)), format="png").shape, fig.dpi
    ((50, 100, 4), 100)
    """
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    own_dpi = figure.dpi
    if dpi is not None and dpi != own_dpi:
        # as ipympl changes the dpi for a device pixel ratio: no resize sent to any front-end
        figure._set_dpi(dpi, forward=False)
    try:
        FigureCanvasAgg.draw(canvas)
        return encode_png(np.asarray(canvas.buffer_rgba()), compress_level)
    finally:
        if figure.dpi != own_dpi:
            figure._set_dpi(own_dpi, forward=False)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def heartbeat() -> widgets.FloatSlider:
    """A hidden slider that a front-end sends back (snapped to its step) when it renders it."""
    return widgets.FloatSlider(
        value=0.5, min=0.0, max=1.0, step=1.0, layout=widgets.Layout(display="none")
    )


class FigureView:
    """The widget that shows an app's figure, and how a new frame reaches it.

    Parameters
    ----------
    figure : Figure
        The app's figure; its canvas is ipympl's (renderers "ipympl", "auto") or Agg.
    renderer : {"agg", "ipympl", "image", "auto"}
        As returned by :func:`resolve`; "auto" with an Agg canvas (ipympl could not be
        attached) becomes "image".

    Attributes
    ----------
    widget : ipywidgets.Widget
        What the app's layout shows: the canvas ("ipympl"), or a Box holding the canvas or
        the Image, and the hidden heartbeat slider ("auto", "image").
    image : ipywidgets.Image or None
        The fallback image (renderers "image" and "auto").
    heartbeat : ipywidgets.FloatSlider or None
        Hidden; a front-end that renders the app sends it back (see the module docstring).
    active : {"canvas", "image"}
        What currently shows the figure.
    """

    def __init__(self, figure: Figure, renderer: str) -> None:
        self.figure = figure
        canvas = figure.canvas
        live_canvas = isinstance(canvas, widgets.Widget)
        if renderer == "auto" and not live_canvas:
            renderer = "image"
        self.renderer = renderer
        self.image: widgets.Image | None = None
        self.canvas_heard = False  # ipympl's front-end announced the canvas
        self.pixel_ratio = 1.0  # the screen's device pixel ratio, as ipympl's front-end reports
        self.browser_seen = False  # a message from a browser reached the app
        self.heartbeat: widgets.FloatSlider | None = None
        self._scheduled: Any = None  # the pending frame (an event-loop handle)
        self._last_draft = -float("inf")  # time.monotonic() of the newest draft frame
        #: Held while the app changes its artists or renders them. Widget messages can arrive
        #: on two threads, each with its own event loop: ipykernel >= 7 hands comm messages
        #: that JupyterLab sends on a kernel *subshell* (so widgets answer while a cell runs)
        #: to that subshell's thread. An update must not change artists mid-render.
        self.lock = threading.RLock()
        if renderer in ("image", "auto"):
            w, h = (int(round(v)) for v in figure.get_size_inches() * figure.dpi)
            self.image = widgets.Image(
                format="png", layout=widgets.Layout(width=f"{w}px", height=f"{h}px")
            )
            self.heartbeat = heartbeat()
            self.heartbeat.observe(self._on_heartbeat, names="value")
        if live_canvas and renderer != "image":
            # ipympl's own handler renders the figure on the thread its message arrives on
            # (a "draw", "refresh" or resize from the front-end): it too takes the app's lock.
            canvas.on_msg(canvas._handle_message, remove=True)
            canvas.on_msg(self._on_canvas_msg)
        if renderer == "image":
            self.active = "image"
            self.widget: widgets.Widget = widgets.Box([self.image, self.heartbeat])
        elif renderer == "auto":
            self.active = "canvas"
            self.widget = widgets.Box([canvas, self.heartbeat])
        else:
            self.active = "canvas"
            self.widget = canvas if live_canvas else widgets.HTML("")

    # -- frames ------------------------------------------------------------------------------

    def draw_idle(self) -> None:
        """After an update: send the newest picture once the pending messages are handled.

        When a browser shows the figure and a kernel event loop runs, the frame is drawn by a
        callback that runs after the message being handled: a burst of slider messages already
        waiting is applied first (cheap updates), then one frame shows the newest state, and
        stale frames are never drawn. The canvas's frame is sent at once, without ipympl's
        round trip (kernel: "draw" -> browser: "draw" -> kernel). Otherwise (headless, no
        browser yet) as before: the Image is set now, the canvas asks its front-end.
        """
        with self.lock:
            if self._scheduled is not None:
                return  # a frame is coming, and it will show the newest state
            loop = _running_loop()
            if loop is None or not self.is_shown():
                if self.active == "image":
                    self._image_frame()
                else:
                    self.figure.canvas.draw_idle()
                return
            self._scheduled = loop.call_soon(self._flush)

    def _flush(self) -> None:
        with self.lock:
            self._scheduled = None
            shows = self.image if self.active == "image" else self.figure.canvas
            if getattr(shows, "comm", None) is not None:  # not closed meanwhile
                self.draw_now()

    def is_shown(self) -> bool:
        """Whether a browser shows the figure now (so a frame drawn now is seen)."""
        if self.active == "image":
            return self.browser_seen
        # ipympl sets syncing_data_url to False when its front-end is ready
        return getattr(self.figure.canvas, "syncing_data_url", True) is False

    def draw_now(self) -> None:
        """Render and send a frame at once (for animations inside one action)."""
        with self.lock:
            if self.active == "image":
                self._image_frame()
            else:
                self.figure.canvas.draw()

    def _image_frame(self) -> None:
        """Set the Image: a draft while controls move on a high-density screen, else sharp."""
        loop = _running_loop() if self.pixel_ratio > 1 else None
        if loop is None:
            self.image.value = png_bytes(self.figure)
            return
        self.image.value = png_bytes(self.figure, dpi=self.figure.dpi / self.pixel_ratio)
        # Every draft arms its own sharp frame; only the one that finds no newer draft
        # renders. (No handle is cancelled: the last one may belong to another thread's loop.)
        self._last_draft = time.monotonic()
        loop.call_later(SHARPEN_AFTER_S, self._sharpen)

    def _sharpen(self) -> None:
        with self.lock:
            if time.monotonic() - self._last_draft < 0.95 * SHARPEN_AFTER_S:
                return  # a newer draft came: its own call renders the sharp frame
            self._last_draft = -float("inf")
            if self.active == "image" and self.image.comm is not None:  # not closed meanwhile
                self.image.value = png_bytes(self.figure)

    # -- messages from the front-ends; auto: which one the front-end can show ---------------

    def _on_canvas_msg(self, widget: Any, content: Any, buffers: Any) -> None:
        with self.lock:
            try:
                # ipympl's own handling. Every "draw" gets its frame, even while the canvas is
                # hidden: ipympl's front-end asks for no other frame until that one has come
                # (its waiting_for_image), so a request left unanswered freezes the canvas.
                self.figure.canvas._handle_message(widget, content, buffers)
            finally:
                if self.renderer == "auto" and isinstance(content, dict):
                    self._decide(content)

    def _decide(self, content: dict) -> None:
        kind = content.get("type")
        if kind in ("set_device_pixel_ratio", "set_dpi_ratio"):  # ipympl has set the dpi
            ratio = content.get("device_pixel_ratio", content.get("dpi_ratio", 1))
            self.pixel_ratio = float(ratio) if isinstance(ratio, (int, float)) else 1.0
        elif kind == "initialized":
            # the screen's ratio is known now (reported just before): a frame at that ratio,
            # also when the heartbeat (handled on another thread) showed the Image first
            self.canvas_heard = True
            self.browser_seen = True
            self._show_image()

    def _on_heartbeat(self, _change: Any) -> None:
        self.browser_message()

    def browser_message(self) -> None:
        """A front-end rendered the app, or a control moved there (called by the app too)."""
        with self.lock:
            self.browser_seen = True
            if self.renderer == "auto" and self.active == "canvas":
                self._show_image()

    def _show_image(self) -> None:
        """Show the Image from now on, with a frame at the screen's ratio (the figure's dpi)."""
        with self.lock:
            canvas = self.figure.canvas
            self.active = "image"
            self._last_draft = -float("inf")  # the frame below is sharp
            self.image.value = png_bytes(self.figure)
            # The canvas is hidden, not taken out of the Box: taken out, its view would stay on
            # the page, stale (ipympl 0.10's view.remove() keeps its element); and where
            # ipympl's front-end is missing, its placeholder is hidden the same way.
            canvas.layout.display = "none"
            self.widget.children = (canvas, self.image, self.heartbeat)
