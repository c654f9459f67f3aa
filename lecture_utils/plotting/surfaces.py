"""Loss surfaces and descent paths (notebooks 06 and 07).

- :func:`plot_loss_surface` / :class:`LossSurface`: a loss given on a grid, as a shaded image
  with contour lines (:func:`surface_levels` chooses them) and, optionally, its minimum.
- :func:`plot_descent_path` / :class:`DescentPath`: the iterates of a run over the surface.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validation import as_float_array, check_positive_int
from ._axes import get_ax

#: Colour of a gradient-descent path; minibatch SGD paths use :data:`SGD_COLOR`.
PATH_COLOR = "#e15759"
SGD_COLOR = "#f28e2b"


def surface_levels(Z: Any, n_levels: int = 12, spacing: str = "log") -> np.ndarray:
    """Contour levels for a loss surface: denser near the minimum with ``spacing="log"``.

    Parameters
    ----------
    Z : array_like of shape (B, A)
        The loss on a grid.
    n_levels : int, default 12
    spacing : {"log", "linear"}, default "log"
        "log": ``min + (max - min) * geomspace(1e-3, 1, n_levels)`` (for smooth bowls);
        "linear": evenly spaced between min and max (for piecewise-linear bowls).

    Returns
    -------
    ndarray of shape (n_levels,), increasing
    """
    Za = as_float_array(Z, "Z", ndim=2)
    n = check_positive_int(n_levels, "n_levels")
    lo, hi = float(Za.min()), float(Za.max())
    span = hi - lo if hi > lo else 1.0
    if spacing == "log":
        return lo + span * np.geomspace(1e-3, 1.0, n)
    if spacing == "linear":
        return np.linspace(lo, hi, n + 2)[1:-1] if n > 0 else np.array([])
    raise ValueError(f"spacing must be 'log' or 'linear', got {spacing!r}")


#: The colour map of every loss surface (lighter is lower), in static plots and in the apps.
SURFACE_CMAP = "viridis_r"
#: Opacity of the surface's colours over the white axes, so that paths on top stay visible.
SURFACE_ALPHA = 0.55


class LossSurface:
    """A loss surface on a grid: a shaded image, contour lines and, optionally, the minimum.

    Build with :func:`plot_loss_surface`. Nothing here changes after it is drawn, so a live
    view builds it once and only moves the paths drawn over it (:class:`DescentPath`).

    Attributes
    ----------
    image : AxesImage
        The loss as colours (lighter = lower).
    contours : ContourSet
        Contour lines at ``levels``.
    levels : ndarray
    minimum : Line2D or None
        A star at the minimum, when given.
    extent : (xmin, xmax, ymin, ymax)
    """

    def __init__(
        self,
        ax: Axes,
        Z: np.ndarray,
        extent: tuple[float, float, float, float],
        levels: np.ndarray,
        minimum: np.ndarray | None = None,
        cmap: str = SURFACE_CMAP,
    ) -> None:
        from matplotlib.colors import PowerNorm

        self.ax = ax
        self.extent = tuple(float(e) for e in extent)
        self.levels = levels
        xmin, xmax, ymin, ymax = self.extent
        ny, nx = Z.shape
        xs = np.linspace(xmin, xmax, nx)
        ys = np.linspace(ymin, ymax, ny)
        lo, hi = float(Z.min()), float(Z.max())
        self.image = ax.imshow(
            Z,
            origin="lower",
            extent=self.extent,
            cmap=cmap,
            norm=PowerNorm(0.5, vmin=lo, vmax=hi if hi > lo else lo + 1),
            interpolation="bilinear",
            aspect="auto",
            alpha=SURFACE_ALPHA,
            zorder=0,
        )
        self.contours = ax.contour(xs, ys, Z, levels=levels, colors="0.25", linewidths=0.6)
        # The lines are computed; the contour generator (a full x and y grid and a copy of Z,
        # about 0.7 MiB for 200 x 200) is needed no more. matplotlib drops it the same way
        # when it pickles a ContourSet; the lines drawn are unchanged.
        self.contours._contour_generator = None
        self.minimum = None
        if minimum is not None:
            (self.minimum,) = ax.plot(
                [minimum[0]], [minimum[1]], marker="*", ms=13, color="k", ls="", zorder=4
            )
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)


def plot_loss_surface(
    Z: Any,
    extent: tuple[float, float, float, float],
    ax: Axes | None = None,
    n_levels: int = 12,
    spacing: str = "log",
    minimum: Any = None,
) -> LossSurface:
    """Draw a loss given on a grid as a shaded image with contour lines.

    Parameters
    ----------
    Z : array_like of shape (B, A)
        ``Z[j, i]`` is the loss at the i-th x value and j-th y value (rows follow y), as
        :func:`lecture_utils.landscape.loss_slice_2d` and
        :meth:`lecture_utils.landscape.TwoWeightProblem.loss_grid` return it.
    extent : (xmin, xmax, ymin, ymax)
        The grid's first and last x and y values.
    ax : Axes, optional
    n_levels : int, default 12
    spacing : {"log", "linear"}, default "log"
        Contour spacing (see :func:`surface_levels`).
    minimum : array_like of shape (2,), optional
        Marked with a star.

    Returns
    -------
    LossSurface
    """
    Za = as_float_array(Z, "Z", ndim=2)
    if min(Za.shape) < 2:
        raise ValueError(f"Z must be a grid of at least 2 x 2 values, got shape {Za.shape}")
    if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
        raise ValueError(f"extent must be (xmin, xmax, ymin, ymax) with min < max, got {extent}")
    levels = surface_levels(Za, n_levels, spacing)
    m = None if minimum is None else as_float_array(minimum, "minimum", ndim=1)
    return LossSurface(get_ax(ax), Za, extent, levels, m)


class DescentPath:
    """A path of parameters over a loss surface: a line through the iterates, start and end.

    Build with :func:`plot_descent_path`; change with :meth:`update`. Points far outside
    the axes (a diverging run) are clipped to a box 20 times the axes' size, so the line
    still leaves the picture in the right direction without overflowing the renderer.

    Attributes
    ----------
    line : Line2D
        The iterates joined in order, with a dot at each.
    start, end : Line2D
        Markers at the first and the last point.
    """

    def __init__(self, ax: Axes, color: str, label: str = "", marker_size: float = 3.5) -> None:
        self.ax = ax
        (self.line,) = ax.plot(
            [], [], color=color, lw=1.4, marker="o", ms=marker_size, label=label, zorder=3
        )
        (self.start,) = ax.plot([], [], marker="o", ms=8, mfc="white", mec=color, mew=2, zorder=5)
        (self.end,) = ax.plot([], [], marker="X", ms=9, color=color, mec="k", mew=0.6, zorder=5)

    def update(self, points: Any) -> None:
        """Show a new path; ``points`` has shape (K, 2), K >= 1."""
        p = np.asarray(points, dtype=float)
        xmin, xmax = self.ax.get_xlim()
        ymin, ymax = self.ax.get_ylim()
        wx, wy = 20 * (xmax - xmin), 20 * (ymax - ymin)
        px = np.clip(p[:, 0], xmin - wx, xmax + wx)
        py = np.clip(p[:, 1], ymin - wy, ymax + wy)
        self.line.set_data(px, py)
        self.start.set_data(px[:1], py[:1])
        self.end.set_data(px[-1:], py[-1:])


def plot_descent_path(
    points: Any, ax: Axes | None = None, color: str = PATH_COLOR, label: str = ""
) -> DescentPath:
    """Draw a path of 2-D parameters, e.g. ``history.params`` of a run on a 2-D surface.

    Parameters
    ----------
    points : array_like of shape (K, 2)
    ax : Axes, optional
        Draw it over a :func:`plot_loss_surface` (its limits are kept).
    color : str, default :data:`PATH_COLOR`
    label : str, optional
        Legend label.

    Returns
    -------
    DescentPath
    """
    p = as_float_array(points, "points", ndim=2)
    if p.shape[1] != 2 or p.shape[0] == 0:
        raise ValueError(f"points must have shape (K, 2) with K >= 1, got shape {p.shape}")
    path = DescentPath(get_ax(ax), color, label)
    path.update(p)
    return path
