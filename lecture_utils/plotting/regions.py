r"""Decision regions of a 2-D linear classifier, its exact boundary, and zero-score lines.

- :func:`plot_decision_regions` / :class:`DecisionRegions`: the winning class of scores
  ``x @ W + b`` on a grid, the exact decision boundary and the data points.
- :func:`decision_boundary_segments`: the boundary as line segments (no contouring).
- :func:`zero_score_segments`: each class's line :math:`x \cdot W_{:, j} + b_j = 0`
  (the classifier playground, notebook 05).
- :func:`data_extent`: the box around 2-D data that these pictures show.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validation import as_float_array, check_labels, check_positive_int
from ._axes import get_ax
from .style import class_colors, region_colormap


def _clip_interval(lo: float, hi: float, alpha: float, beta: float) -> tuple[float, float]:
    """Restrict [lo, hi] to {t : alpha + beta t >= 0}."""
    if abs(beta) < 1e-15:
        return (lo, hi) if alpha >= 0 else (1.0, 0.0)
    t0 = -alpha / beta
    return (max(lo, t0), hi) if beta > 0 else (lo, min(hi, t0))


def decision_boundary_segments(
    W: Any, b: Any, extent: tuple[float, float, float, float]
) -> np.ndarray:
    r"""The decision boundary of scores ``x @ W + b`` inside a box, as line segments.

    The boundary between classes j and k is the part of the line :math:`s_j(x) = s_k(x)`
    where both beat every other class; each such piece is a segment (a line clipped by
    half-planes), found exactly, without a grid.

    Parameters
    ----------
    W : array_like of shape (2, C)
    b : array_like of shape (C,)
    extent : (xmin, xmax, ymin, ymax)

    Returns
    -------
    ndarray of shape (2, M)
        x and y coordinates of the segments' end points, consecutive segments separated by a
        NaN column, ready for ``Line2D.set_data``. M is 0 when there is no boundary.
    """
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    xmin, xmax, ymin, ymax = extent
    n_classes = W.shape[1]
    big = 4.0 * max(xmax - xmin, ymax - ymin) + abs(xmin) + abs(xmax) + abs(ymin) + abs(ymax)
    pieces: list[np.ndarray] = []
    for j in range(n_classes):
        for k in range(j + 1, n_classes):
            a = W[:, j] - W[:, k]
            c = b[j] - b[k]
            norm2 = float(a @ a)
            if norm2 < 1e-24:
                continue
            p0 = -c * a / norm2  # closest point of the line to the origin
            d = np.array([-a[1], a[0]]) / np.sqrt(norm2)
            lo, hi = -big - float(np.hypot(*p0)), big + float(np.hypot(*p0))
            for axis, (low, high) in enumerate(((xmin, xmax), (ymin, ymax))):
                lo, hi = _clip_interval(lo, hi, p0[axis] - low, d[axis])
                lo, hi = _clip_interval(lo, hi, high - p0[axis], -d[axis])
            for m in range(n_classes):
                if m in (j, k):
                    continue
                g = W[:, j] - W[:, m]
                lo, hi = _clip_interval(lo, hi, float(g @ p0 + b[j] - b[m]), float(g @ d))
            if hi > lo:
                seg = np.column_stack([p0 + lo * d, p0 + hi * d, [np.nan, np.nan]])
                pieces.append(seg)
    if not pieces:
        return np.empty((2, 0))
    return np.concatenate(pieces, axis=1)[:, :-1]


class DecisionRegions:
    """Decision regions, boundary and data points of a 2-D linear classifier.

    Build with :func:`plot_decision_regions`; change W and b with :meth:`update` (the grid is
    computed once; an update is one ``(R*R, 2) @ (2, C)`` product and an ``argmax``).

    Attributes
    ----------
    image : AxesImage
        Winning class per grid cell as RGBA pixels in the colours of :func:`region_colormap`
        (coloured by a lookup table here: cheaper to draw than a colormapped index array).
    boundary : Line2D
        The exact decision boundary (:func:`decision_boundary_segments`).
    points : PathCollection or None
        The data, coloured by class.
    grid : ndarray of shape (R * R, 2)
        Centres of the grid cells, row by row from the bottom.
    """

    def __init__(
        self,
        ax: Axes,
        n_classes: int,
        extent: tuple[float, float, float, float],
        resolution: int = 200,
        X: np.ndarray | None = None,
        y: np.ndarray | None = None,
    ) -> None:
        self.ax = ax
        self.n_classes = n_classes
        self.extent = tuple(float(e) for e in extent)
        self.resolution = resolution
        xmin, xmax, ymin, ymax = self.extent
        # cell centres, so that imshow's pixels line up with the points they stand for
        dx, dy = (xmax - xmin) / resolution, (ymax - ymin) / resolution
        gx = np.linspace(xmin + dx / 2, xmax - dx / 2, resolution)
        gy = np.linspace(ymin + dy / 2, ymax - dy / 2, resolution)
        xx, yy = np.meshgrid(gx, gy)
        self.grid = np.column_stack([xx.ravel(), yy.ravel()])
        self._lut = (
            (region_colormap(n_classes)(np.arange(n_classes)) * 255).round().astype(np.uint8)
        )
        self.image = ax.imshow(
            self._lut[np.zeros((resolution, resolution), dtype=np.int8)],
            origin="lower",
            extent=self.extent,
            interpolation="nearest",
            aspect="auto",
            zorder=0,
        )
        (self.boundary,) = ax.plot([], [], color="k", lw=1.5, zorder=2)
        self.points = None
        if X is not None and y is not None:
            colors = class_colors(n_classes)[y]
            self.points = ax.scatter(
                X[:, 0], X[:, 1], c=colors, s=22, edgecolors="k", linewidths=0.6, zorder=3
            )
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)

    def predict(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Winning class of every grid cell, shape (R, R)."""
        scores = self.grid @ W + b
        return scores.argmax(axis=1).astype(np.int8).reshape(self.resolution, self.resolution)

    def update(self, W: Any, b: Any) -> None:
        """Show the regions and boundary of weights W (2, C) and bias b (C,)."""
        W = np.asarray(W, dtype=float)
        b = np.asarray(b, dtype=float)
        self.image.set_data(self._lut[self.predict(W, b)])
        self.boundary.set_data(*decision_boundary_segments(W, b, self.extent))


def data_extent(X: Any, margin: float = 0.15) -> tuple[float, float, float, float]:
    """The bounding box of 2-D points X (N, 2) plus ``margin`` of its size on each side.

    Returns
    -------
    (xmin, xmax, ymin, ymax)
    """
    X = as_float_array(X, "X", ndim=2)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-9)
    return (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])


def plot_decision_regions(
    W: Any,
    b: Any,
    X: Any = None,
    y: Any = None,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    resolution: int = 200,
) -> DecisionRegions:
    """Colour the plane by the winning class of scores ``x @ W + b`` and draw the data.

    Parameters
    ----------
    W : array_like of shape (2, C)
    b : array_like of shape (C,)
    X : array_like of shape (N, 2), optional
        Points to draw.
    y : array_like of shape (N,), optional
        Their labels in [0, C) (required with X).
    ax : Axes, optional
    extent : (xmin, xmax, ymin, ymax), optional
        Default: X's bounding box plus 15 %, or [-1, 1]^2 without X.
    resolution : int, default 200
        Grid cells per side.

    Returns
    -------
    DecisionRegions
        The artists; call ``.update(W, b)`` to change them in place.
    """
    W = as_float_array(W, "W", ndim=2)
    if W.shape[0] != 2 or W.shape[1] < 2:
        raise ValueError(f"W must have shape (2, C) with C >= 2, got shape {W.shape}")
    b = as_float_array(b, "b", ndim=1)
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b must have shape (C,) = ({W.shape[1]},), got shape {b.shape}")
    res = check_positive_int(resolution, "resolution")
    Xa = ya = None
    if X is not None:
        Xa = as_float_array(X, "X", ndim=2)
        if Xa.shape[1] != 2:
            raise ValueError(f"X must have shape (N, 2), got shape {Xa.shape}")
        if y is None:
            raise ValueError("y is required with X (to colour the points by class)")
        ya = check_labels(y, W.shape[1], n=Xa.shape[0])
    if extent is None:
        extent = data_extent(Xa) if Xa is not None else (-1.0, 1.0, -1.0, 1.0)
    regions = DecisionRegions(get_ax(ax), W.shape[1], extent, res, Xa, ya)
    regions.update(W, b)
    return regions


# ---------------------------------------------------------------------------------------------
# Zero-score lines of a 2-D linear classifier (the classifier playground, notebook 05)
# ---------------------------------------------------------------------------------------------


def zero_score_segments(W: Any, b: Any, extent: tuple[float, float, float, float]) -> np.ndarray:
    r"""Each class's zero-score line :math:`x \cdot W_{:, j} + b_j = 0`, clipped to a box.

    On one side of the line class j's score is positive, on the other negative; the
    direction :math:`W_{:, j}` points to the positive side.

    Parameters
    ----------
    W : array_like of shape (2, C)
        Weights, one column per class.
    b : array_like of shape (C,)
        Biases.
    extent : (xmin, xmax, ymin, ymax)
        The box.

    Returns
    -------
    ndarray of shape (C, 2, 2)
        ``segments[j]`` holds the end points of class j's line as rows ``[[x0, y0], [x1, y1]]``;
        all NaN when the line misses the box or :math:`W_{:, j} = 0`.

    Examples
    --------
    >>> zero_score_segments([[1.0], [0.0]], [-0.5], (-1, 1, -1, 1))[0].tolist()  # x = 0.5
    [[0.5, -1.0], [0.5, 1.0]]
    """
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != 2 or b.shape[0] != W.shape[1]:
        raise ValueError(
            f"W must have shape (2, C) and b shape (C,), got shapes {W.shape} and {b.shape}"
        )
    xmin, xmax, ymin, ymax = (float(e) for e in extent)
    big = 2.0 * (abs(xmin) + abs(xmax) + abs(ymin) + abs(ymax)) + 1.0
    segments = np.full((W.shape[1], 2, 2), np.nan)
    for j in range(W.shape[1]):
        w = W[:, j]
        norm2 = float(w @ w)
        if norm2 < 1e-24:
            continue
        p0 = -b[j] * w / norm2  # the line's point closest to the origin
        d = np.array([-w[1], w[0]]) / np.sqrt(norm2)  # along the line
        reach = big + float(np.hypot(*p0))
        lo, hi = -reach, reach
        for axis, (low, high) in enumerate(((xmin, xmax), (ymin, ymax))):
            lo, hi = _clip_interval(lo, hi, p0[axis] - low, d[axis])
            lo, hi = _clip_interval(lo, hi, high - p0[axis], -d[axis])
        if hi > lo:
            segments[j] = [p0 + lo * d, p0 + hi * d]
    return segments
