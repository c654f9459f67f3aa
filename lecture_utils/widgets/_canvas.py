"""The figure an app draws on: a plain matplotlib ``Figure`` with an ipympl canvas.

Why this is its own concern: a notebook picks a pyplot backend (``%matplotlib inline``), and an
app must be live whatever that backend is, without opening a second figure or output and without
changing the backend for the notebook's other plots. So the apps never use pyplot: they make a
``Figure`` directly and attach an ipympl canvas (a DOM widget) to it here. Without ipympl (or
with ``backend="agg"``, as tests and doctests use) the figure gets a plain Agg canvas, which
renders the same pixels headless.
"""

from __future__ import annotations

import itertools
import warnings
from contextlib import nullcontext
from functools import partial
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._png import encode_png

__all__ = ["new_figure"]

_figure_numbers = itertools.count(1)

#: zlib level of the PNG frames the ipympl canvas sends. matplotlib's web backend (which ipympl
#: 0.10 uses unchanged: ``FigureCanvasWebAggCore.get_diff_image``) saves with Pillow at its
#: default, level 6, with per-row filtering, and offers no setting; unfiltered rows at level 1
#: (:func:`._png.encode_png`) encode these frames 2-3x faster, about as small.
PNG_COMPRESS_LEVEL = 1


def _whole_frame(canvas: Any, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes | None:
    """The frame the canvas sends (in place of ``get_diff_image``): always the whole picture.

    matplotlib's ``get_diff_image`` sends only the changed pixels when it can ("diff" mode).
    But ipympl 0.10's front-end decodes each frame asynchronously, replaces a frame still
    decoding by the next one, and reads the image mode when a frame has decoded. When frames
    come faster than it decodes them (Run All, a slider held; the apps send each frame at once)
    a whole frame can be lost, and the diffs after it are drawn onto a blank or stale canvas:
    the browser tests saw a canvas stay blank. A whole frame is right on its own. It costs the
    kernel no more (no comparison with the last frame, no copy of it kept) and the message is
    larger (tens of KB at ratio 1). Encoded by :func:`._png.encode_png` at ``compress_level``;
    bound to each app's canvas.
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    canvas.set_image_mode("full")
    if getattr(canvas, "syncing_data_url", False):  # ipympl makes its _data_url from it
        canvas._last_buff = pixels.view(np.uint32).squeeze(2).copy()
    else:
        canvas._last_buff = np.empty((0, 0), dtype=np.uint32)
    canvas._force_full = False
    canvas._png_is_old = False
    return encode_png(pixels, compress_level)


def _import_ipympl_backend() -> Any:
    """Import ``ipympl.backend_nbagg`` without changing the notebook's pyplot backend.

    Importing ipympl after matplotlib calls ``matplotlib.use("module://ipympl...")``: every
    later ``plt.subplots`` of a ``%matplotlib inline`` notebook would become a live widget
    instead of a PNG. Put the backend the notebook chose back.
    """
    import matplotlib

    before = matplotlib.rcParams._get_backend_or_none()
    import ipympl.backend_nbagg as nbagg

    if before is not None and matplotlib.rcParams._get_backend_or_none() != before:
        matplotlib.use(before)
    return nbagg


def _attach_ipympl(fig: Figure) -> None:
    """Give ``fig`` an ipympl canvas and manager, independent of the pyplot backend."""
    nbagg = _import_ipympl_backend()
    Canvas, FigureManager = nbagg.Canvas, nbagg.FigureManager

    canvas = Canvas(fig)
    canvas.get_diff_image = partial(_whole_frame, canvas)  # whole frames, cheaply encoded
    with warnings.catch_warnings():
        # ipympl's Toolbar passes an argument traitlets deprecates; nothing for us to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        FigureManager(canvas, next(_figure_numbers))  # draw() needs a manager; not pyplot's
    # matplotlib shows a wait cursor during a draw that follows a pause of over a second (for
    # GUI toolkits, whose window freezes while it draws). Here that is two more messages to
    # the browser around the frame (cursor "wait", then back), the first before the picture is
    # rendered: every key press after a pause paid for them, for a cursor shown 10-20 ms.
    if canvas.toolbar is not None:
        canvas.toolbar._wait_cursor_for_draw_cm = nullcontext
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False


def new_figure(figsize: tuple[float, float], dpi: float = 100, backend: str = "ipympl") -> Figure:
    """Return a new ``Figure`` drawn by an ipympl canvas, without pyplot.

    The figure is not registered with pyplot (``plt.get_fignums()`` does not see it), so it
    works whatever backend the notebook selected and never opens a second window or output.

    Parameters
    ----------
    figsize : (float, float)
        Width and height in inches.
    dpi : float, default 100
    backend : {"ipympl", "agg"}, default "ipympl"
        "agg" gives a plain Agg canvas (no widget). If ipympl cannot be attached (not
        installed, no IPython), the Agg canvas is used as a fallback.

    Returns
    -------
    Figure
        ``figure.canvas`` is an ``ipympl.backend_nbagg.Canvas`` (a DOM widget) or a
        ``FigureCanvasAgg``; both render headless with ``canvas.draw()``.

    Examples
    --------
    >>> fig = new_figure((4.0, 3.0), backend="agg")
    >>> type(fig.canvas).__name__, fig.canvas.get_width_height()
    ('FigureCanvasAgg', (400, 300))
    """
    if backend not in ("ipympl", "agg"):
        raise ValueError(f"backend must be 'ipympl' or 'agg', got {backend!r}")
    fig = Figure(figsize=figsize, dpi=dpi)
    if backend == "ipympl":
        try:
            _attach_ipympl(fig)
        except Exception:  # ipympl missing or broken: still drawable, just not live
            FigureCanvasAgg(fig)
    else:
        FigureCanvasAgg(fig)
    return fig
