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
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["new_figure"]

_figure_numbers = itertools.count(1)


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
