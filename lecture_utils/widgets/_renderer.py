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
- ``"auto"`` (default): on Google Colab (``google.colab`` importable) the Image. Elsewhere the
  app shows the ipympl canvas and keeps the Image in reserve (empty: nothing is encoded and
  stored notebooks stay small). Two messages from the front-end decide, and they arrive in
  order on one connection:

  1. ipympl's front-end, when it creates the canvas model, sends ``initialized`` to the
     kernel (before any view of the app can render, since the app's box waits for its
     children's models);
  2. a *heartbeat*: a hidden core ``FloatSlider`` in the app's box whose value (0.5) is off
     its step grid (step 1). Any ipywidgets front-end that renders the app snaps it and sends
     the snapped value back, once.

  If the heartbeat (or any control change from a browser) arrives and the canvas has not
  announced itself, its front-end cannot show it: the canvas is taken out and the Image shows
  the figure from then on. If ``initialized`` arrives (even late), the canvas is shown. With
  no front-end at all (nbconvert) neither arrives and nothing changes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import os
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imsave

from .._validation import check_choice

__all__ = ["RENDERERS", "ENV_VAR", "FigureView", "current_renderer", "png_bytes", "use_renderer"]

#: The renderers :func:`use_renderer` accepts.
RENDERERS = ("auto", "image", "ipympl")
#: Environment variable read when :func:`use_renderer` was not called.
ENV_VAR = "LECTURE_UTILS_RENDERER"
_chosen: str | None = None


def use_renderer(name: str) -> str:
    """Choose how apps built from now on reach the browser; return the previous choice.

    Parameters
    ----------
    name : {"auto", "image", "ipympl"}
        "ipympl": the ipympl canvas; "image": an ``ipywidgets.Image`` updated with the Agg
        PNG of the figure (needs only core ipywidgets: Colab, VS Code offline, a front-end
        without ``jupyter-matplotlib``); "auto": the image on Colab, else the canvas with the
        image as a fallback when the canvas's front-end never answers.

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


def png_bytes(figure: Figure, compress_level: int = 1) -> bytes:
    """Render ``figure`` with Agg and encode it as PNG (zlib level ``compress_level``).

    The pixels are those of ``FigureCanvasAgg.draw`` at the figure's dpi, whatever canvas the
    figure has (an ipympl canvas is drawn as plain Agg: nothing is sent to its front-end).
    Level 1 encodes about twice as fast as zlib's default and loses nothing.

    Parameters
    ----------
    figure : Figure
    compress_level : int, default 1
        0 (none) to 9 (smallest, slowest).

    Returns
    -------
    bytes
        A PNG of shape (height, width, 4) pixels, height x width = the figure's pixel size.

    Examples
    --------
    >>> from matplotlib.image import imread
    >>> fig = Figure(figsize=(2, 1), dpi=100)
    >>> png = png_bytes(fig)
    >>> png[:4], imread(io.BytesIO(png), format="png").shape
    (b'\\x89PNG', (100, 200, 4))
    """
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    FigureCanvasAgg.draw(canvas)
    rgba = np.asarray(canvas.buffer_rgba())
    buf = io.BytesIO()
    imsave(buf, rgba, format="png", pil_kwargs={"compress_level": compress_level})
    return buf.getvalue()


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
        self.browser_seen = False  # a message from a browser reached the app
        self.heartbeat: widgets.FloatSlider | None = None
        self._scheduled: Any = None  # the pending frame (an event-loop handle)
        if renderer in ("image", "auto"):
            w, h = (int(round(v)) for v in figure.get_size_inches() * figure.dpi)
            self.image = widgets.Image(
                format="png", layout=widgets.Layout(width=f"{w}px", height=f"{h}px")
            )
            self.heartbeat = heartbeat()
            self.heartbeat.observe(self._on_heartbeat, names="value")
        if renderer == "image":
            self.active = "image"
            self.widget: widgets.Widget = widgets.Box([self.image, self.heartbeat])
        elif renderer == "auto":
            self.active = "canvas"
            self.widget = widgets.Box([canvas, self.heartbeat])
            canvas.on_msg(self._on_canvas_msg)
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
        if self._scheduled is not None:
            return  # a frame is coming, and it will show the newest state
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or not self.is_shown():
            if self.active == "image":
                self.image.value = png_bytes(self.figure)
            else:
                self.figure.canvas.draw_idle()
            return
        self._scheduled = loop.call_soon(self._flush)

    def _flush(self) -> None:
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
        if self.active == "image":
            self.image.value = png_bytes(self.figure)
        else:
            self.figure.canvas.draw()

    # -- auto: which one the front-end can show --------------------------------------------

    def _on_canvas_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "initialized":
            self.canvas_heard = True
            if self.active == "image":
                self._show("canvas")

    def _on_heartbeat(self, _change: Any) -> None:
        self.browser_message()

    def browser_message(self) -> None:
        """A front-end rendered the app, or a control moved there (called by the app too)."""
        self.browser_seen = True
        if self.renderer == "auto" and not self.canvas_heard and self.active == "canvas":
            self._show("image")

    def _show(self, which: str) -> None:
        canvas = self.figure.canvas
        self.active = which
        if which == "image":
            self.image.value = png_bytes(self.figure)
            self.widget.children = (self.image, self.heartbeat)
        else:
            self.widget.children = (canvas, self.heartbeat)
            self.image.value = b""
            canvas.draw_idle()
