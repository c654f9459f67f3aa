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


def _diff_image(canvas: Any, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes | None:
    """``FigureCanvasWebAggCore.get_diff_image`` (matplotlib 3.11), encoded more cheaply.

    The same frames (a full image, or only the changed pixels over transparent ones) and the
    same bookkeeping; only the PNG encoder differs (:func:`._png.encode_png`, zlib level
    ``compress_level``). Bound to each app's canvas.
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    buff = pixels.view(np.uint32).squeeze(2)  # one uint32 per pixel: compare whole pixels
    if (
        canvas._force_full
        or buff.shape != canvas._last_buff.shape
        or (pixels[:, :, 3] != 255).any()
    ):
        canvas.set_image_mode("full")
        output = buff
    else:
        canvas.set_image_mode("diff")
        output = np.where(buff != canvas._last_buff, buff, 0)
    canvas._last_buff = buff.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    return encode_png(output.view(dtype=np.uint8).reshape((*output.shape, 4)), compress_level)


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
    canvas.get_diff_image = partial(_diff_image, canvas)  # cheaper PNG frames, same pixels
    with warnings.catch_warnings():
        # ipympl's Toolbar passes an argument traitlets deprecates; nothing for us to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        FigureManager(canvas, next(_figure_numbers))  # draw() needs a manager; not pyplot's
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
