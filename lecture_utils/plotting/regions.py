r"""Static plot helpers shared by the notebooks and the live apps.

Every helper takes ``ax=None`` (then it draws on pyplot's current axes), draws, and returns
its artists; none calls ``plt.show()`` and importing this module changes no ``rcParams``.

Two helpers return a small object that keeps its artists and can change them in place with
``.update(...)``: the live apps of :mod:`lecture_utils.widgets` build their pictures from
these, so a static figure in a notebook and the live view look the same.

- :func:`plot_margin_bars` / :class:`MarginBars`: one example's class scores as bars, the
  margin line :math:`s_{y_i} - \Delta`, and each hinge term :math:`\max(0, s_j - s_{y_i} + \Delta)`.
- :func:`plot_decision_regions` / :class:`DecisionRegions`: the winning class of a linear
  classifier on a grid, the exact decision boundary, and the data points.
- :func:`decision_boundary_segments`: the boundary as line segments (no contouring).
- :func:`class_colors`, :func:`region_colormap`: one colour per class everywhere.
- :func:`plot_activation_grid`, :func:`plot_feature_histograms`, :func:`plot_stochastic_depth`:
  static pictures of dropout, batch normalization and stochastic depth (notebook 03).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.transforms import blended_transform_factory

from .._validation import as_float_array, check_labels, check_nonnegative, check_positive_int

__all__ = [
    "CLASS_COLORS",
    "VIOLATION_COLOR",
    "format_number",
    "class_colors",
    "region_colormap",
    "MarginBars",
    "plot_margin_bars",
    "data_extent",
    "decision_boundary_segments",
    "DecisionRegions",
    "plot_decision_regions",
    # pictures of regularization ideas (notebook 03)
    "plot_activation_grid",
    "plot_feature_histograms",
    "plot_stochastic_depth",
    "zero_score_segments",
    # training a linear classifier (notebook 08)
    "ClassTemplates",
    "plot_class_templates",
    "plot_grid_search",
    # loss surfaces and descent paths (notebooks 06-07)
    "PATH_COLOR",
    "SGD_COLOR",
    "surface_levels",
    "LossSurface",
    "plot_loss_surface",
    "DescentPath",
    "plot_descent_path",
]

#: Colour of class k is ``CLASS_COLORS[k % len(CLASS_COLORS)]`` (colour-blind-safe Tableau).
CLASS_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)
#: Colour of a violated margin (a positive hinge term).
VIOLATION_COLOR = "#e15759"
_SATISFIED_COLOR = "#c9c9c9"


def format_number(x: float) -> str:
    """A number as the lecture writes it: 2.90 -> '2.9', 0.00 -> '0', 5.2667 -> '5.27'."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _get_ax(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only for static use in a notebook

    return plt.gca()


def class_colors(n_classes: int) -> np.ndarray:
    """RGBA colours of classes 0 .. n_classes - 1.

    Returns
    -------
    ndarray of shape (n_classes, 4)
    """
    n = check_positive_int(n_classes, "n_classes")
    return np.array([to_rgba(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(n)])


def region_colormap(n_classes: int, lightness: float = 0.65) -> ListedColormap:
    """Light versions of the class colours, for decision-region backgrounds.

    Use with ``vmin=-0.5, vmax=n_classes - 0.5`` so that value k gets class k's colour.
    """
    colors = class_colors(n_classes)
    colors[:, :3] = colors[:, :3] + (1 - colors[:, :3]) * lightness
    return ListedColormap(colors, name=f"regions{n_classes}")


# ---------------------------------------------------------------------------------------------
# One example's margins
# ---------------------------------------------------------------------------------------------


class MarginBars:
    r"""Bars of one example's scores :math:`s_j`, the margin line and the hinge terms.

    A wrong class j violates the margin when its bar rises above the dashed line
    :math:`s_{y_i} - \Delta`; the part above the line (red) is its hinge term
    :math:`\max(0, s_j - s_{y_i} + \Delta)`, printed at the top. The correct class's bar has
    its class colour. Build with :func:`plot_margin_bars`; change with :meth:`update`.

    Attributes
    ----------
    bars : BarContainer
        One bar per class, height :math:`s_j`.
    hinge_bars : BarContainer
        Red part of each violating bar, from the margin line to :math:`s_j`.
    margin_line : Line2D
        Horizontal line at :math:`s_{y_i} - \Delta`.
    score_texts : list of Text
        Each bar's score (empty list with ``show_scores=False``).
    term_texts : list of Text
        Each class's hinge term (or "correct").
    title, loss_text : Text
        The fixed title (left) and :math:`L_i` (right) above the axes.
    terms : ndarray of shape (C,)
        The hinge terms after the last update (0 for the correct class).
    """

    def __init__(
        self,
        ax: Axes,
        class_names: Sequence[str],
        ylim: tuple[float, float] | None = None,
        title: str = "",
        show_yaxis: bool = True,
        show_scores: bool = True,
        y: int | None = None,
    ) -> None:
        self.ax = ax
        # with the correct class known now, its label is fixed (and can be baked)
        self.fixed_y = None if y is None else int(y)
        self.class_names = tuple(str(c) for c in class_names)
        n = len(self.class_names)
        x = np.arange(n)
        self.bars = ax.bar(x, np.zeros(n), width=0.6, color=_SATISFIED_COLOR, zorder=2)
        self.hinge_bars = ax.bar(
            x, np.zeros(n), width=0.6, color=VIOLATION_COLOR, alpha=0.95, zorder=3
        )
        self.margin_line = ax.axhline(0.0, color="k", ls="--", lw=1.2, zorder=4)
        self.zero_line = ax.axhline(0.0, color="0.5", lw=0.6, zorder=1)
        ax.set_xlim(-0.6, n - 0.4)
        if ylim is not None:
            ax.set_ylim(*ylim)
        # Tick labels are the slowest part of a draw (several ms per axis), so the class
        # names and the title are plain texts and the x axis is hidden.
        ax.xaxis.set_visible(False)
        along_x = blended_transform_factory(ax.transData, ax.transAxes)
        self.name_texts = [
            ax.text(k, -0.02, name, transform=along_x, ha="center", va="top", fontsize=10)
            for k, name in enumerate(self.class_names)
        ]
        self.ylabel = None
        if show_yaxis:
            self.ylabel = ax.text(
                -0.13,
                0.5,
                "score $s_j$",
                transform=ax.transAxes,
                rotation=90,
                ha="center",
                va="center",
                fontsize=10,
            )
        else:
            ax.yaxis.set_visible(False)
        self.term_texts = [
            ax.text(k, 0.97, "", transform=along_x, ha="center", va="top", fontsize=9) for k in x
        ]
        self.score_texts = (
            [ax.text(k, 0.0, "", ha="center", fontsize=9, zorder=5, clip_on=True) for k in x]
            if show_scores
            else []
        )
        if self.fixed_y is not None:
            self.term_texts[self.fixed_y].set_text("correct")
            self.term_texts[self.fixed_y].set_color("0.3")
        # the title is a fixed name on the left and the changing L_i on the right
        self.title = ax.text(
            0.0, 1.02, title, transform=ax.transAxes, ha="left", va="bottom", fontsize=10
        )
        self.loss_text = ax.text(
            1.0, 1.02, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=10
        )
        self.terms = np.zeros(n)

    def static_artists(self) -> list[Any]:
        """The artists that :meth:`update` never changes (axes frame, names, zero line)."""
        fixed = [self.ax, self.zero_line, self.title, *self.name_texts]
        if self.fixed_y is not None:
            fixed.append(self.term_texts[self.fixed_y])
        return fixed + ([self.ylabel] if self.ylabel is not None else [])

    def update(self, scores: Any, y: int, delta: float = 1.0) -> np.ndarray:
        r"""Show new scores (C,) with correct class ``y`` and margin ``delta``.

        Returns
        -------
        ndarray of shape (C,)
            The hinge terms :math:`\max(0, s_j - s_{y} + \Delta)`, 0 for ``j = y``.
        """
        s = np.asarray(scores, dtype=float)
        if self.fixed_y is not None and y != self.fixed_y:
            raise ValueError(f"these bars were built for correct class {self.fixed_y}, got y={y}")
        line = s[y] - delta
        terms = np.maximum(0.0, s - line)
        terms[y] = 0.0
        lo, hi = self.ax.get_ylim()
        pad = 0.03 * (hi - lo)
        for k, (bar, hinge) in enumerate(zip(self.bars, self.hinge_bars, strict=True)):
            bar.set_height(s[k])
            if k == y:
                bar.set_facecolor(CLASS_COLORS[k % len(CLASS_COLORS)])
            else:
                bar.set_facecolor(VIOLATION_COLOR if terms[k] > 0 else _SATISFIED_COLOR)
            bar.set_alpha(1.0 if k == y else 0.45)
            hinge.set_y(line)
            hinge.set_height(terms[k])
            if self.score_texts:
                self.score_texts[k].set_text(format_number(s[k]))
                self.score_texts[k].set_y(s[k] + pad if s[k] >= 0 else s[k] - pad)
                self.score_texts[k].set_va("bottom" if s[k] >= 0 else "top")
            if k == self.fixed_y:
                continue
            if k == y:
                self.term_texts[k].set_text("correct")
                self.term_texts[k].set_color("0.3")
            else:
                self.term_texts[k].set_text(f"+{format_number(terms[k])}" if terms[k] > 0 else "0")
                self.term_texts[k].set_color(VIOLATION_COLOR if terms[k] > 0 else "0.45")
        self.margin_line.set_ydata([line, line])
        total = float(terms.sum())
        self.loss_text.set_text(f"$L_i$ = {format_number(total)}")
        self.terms = terms
        return terms


def plot_margin_bars(
    scores: Any,
    y: int,
    delta: float = 1.0,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    ylim: tuple[float, float] | None = None,
    title: str = "",
    show_yaxis: bool = True,
    show_scores: bool = True,
) -> MarginBars:
    r"""Draw one example's class scores with its margin line and hinge terms.

    Parameters
    ----------
    scores : array_like of shape (C,)
        The example's class scores :math:`s_j`.
    y : int
        Its correct class, in [0, C).
    delta : float, default 1.0
        The margin :math:`\Delta \ge 0`.
    class_names : sequence of str of length C, optional
        Bar labels (default "class 0", ...).
    ax : Axes, optional
        Where to draw (default: pyplot's current axes).
    ylim : (float, float), optional
        Fixed y-limits (default: fitted to the scores and the margin line).
    title : str, optional
        Title on the left above the axes (:math:`L_i` is shown on the right).
    show_yaxis : bool, default True
        Draw the score axis (hide it on panels next to one that has it: faster).
    show_scores : bool, default True
        Print each score at the end of its bar.

    Returns
    -------
    MarginBars
        The artists; call ``.update(scores, y, delta)`` to change them in place.

    Examples
    --------
    >>> import matplotlib
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> bars = plot_margin_bars([3.2, 5.1, -1.7], 0, ax=ax, class_names=["cat", "car", "frog"])
    >>> bars.terms.round(2).tolist()
    [0.0, 2.9, 0.0]
    """
    s = as_float_array(scores, "scores", ndim=1)
    if s.shape[0] < 2:
        raise ValueError(f"scores must have shape (C,) with C >= 2 classes, got shape {s.shape}")
    label = int(check_labels(np.array([y]) if np.ndim(y) == 0 else y, s.shape[0], "y")[0])
    d = check_nonnegative(delta, "delta")
    names = class_names if class_names is not None else [f"class {k}" for k in range(len(s))]
    if len(names) != s.shape[0]:
        raise ValueError(f"class_names has {len(names)} names but there are {s.shape[0]} scores")
    if ylim is None:
        lo = min(0.0, float(s.min()), float(s[label]) - d)
        hi = max(0.0, float(s.max()))
        pad = 0.25 * (hi - lo or 1.0)
        ylim = (lo - pad, hi + pad)
    bars = MarginBars(
        _get_ax(ax), names, ylim=ylim, title=title, show_yaxis=show_yaxis, show_scores=show_scores
    )
    bars.update(s, label, d)
    return bars


# ---------------------------------------------------------------------------------------------
# Decision regions of a linear classifier in 2-D
# ---------------------------------------------------------------------------------------------


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
    regions = DecisionRegions(_get_ax(ax), W.shape[1], extent, res, Xa, ya)
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


# ---------------------------------------------------------------------------------------------
# Loss surfaces and descent paths (notebooks 06 and 07)
# ---------------------------------------------------------------------------------------------

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
        cmap: str = "viridis_r",
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
            alpha=0.55,
            zorder=0,
        )
        self.contours = ax.contour(xs, ys, Z, levels=levels, colors="0.25", linewidths=0.6)
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
    return LossSurface(_get_ax(ax), Za, extent, levels, m)


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
    path = DescentPath(_get_ax(ax), color, label)
    path.update(p)
    return path


# ---------------------------------------------------------------------------------------------
# Pictures of regularization ideas (notebook 03): dropout, batch normalization, stochastic depth.
# Static helpers: the notebook computes the idea in a few numpy lines, these draw it.
# ---------------------------------------------------------------------------------------------

_DROPPED_COLOR = "#d9d9d9"


def plot_activation_grid(
    activations: Any,
    keep: Any = None,
    ax: Axes | None = None,
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
) -> dict[str, Any]:
    """A layer's activations as a grid of coloured cells; dropped units greyed out and crossed.

    Parameters
    ----------
    activations : array_like of shape (H, W)
        One value per unit (e.g. a hidden layer reshaped to a grid).
    keep : array_like of bool, shape (H, W), optional
        Dropout mask: False marks a dropped unit. None draws every unit.
    ax : matplotlib Axes, optional
    cmap : str, default "viridis"
    vmin, vmax : float, optional
        Colour scale limits (default: the kept units' range). Give two panels the same
        limits so their colours compare, e.g. activations before and after inverted dropout.

    Returns
    -------
    dict
        ``"image"``: the AxesImage of the kept units; ``"dropped"``: the PathCollection of the
        crosses on dropped units (None when nothing is dropped).
    """
    a = as_float_array(activations, "activations", ndim=2)
    if keep is None:
        mask = np.ones(a.shape, dtype=bool)
    else:
        mask = np.asarray(keep)
        if mask.dtype != np.bool_ or mask.shape != a.shape:
            raise ValueError(
                f"keep must be a bool array of shape {a.shape} (like activations), got "
                f"dtype {mask.dtype} and shape {mask.shape}"
            )
    ax = _get_ax(ax)
    ax.set_facecolor(_DROPPED_COLOR)
    image = ax.imshow(
        np.where(mask, a, np.nan), cmap=cmap, interpolation="nearest", vmin=vmin, vmax=vmax
    )
    dropped = None
    rows, cols = np.nonzero(~mask)
    if rows.size:
        dropped = ax.scatter(cols, rows, marker="x", s=40, color="#555555", linewidths=1.2)
    ax.set_xticks(np.arange(a.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(a.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    return {"image": image, "dropped": dropped}


def plot_feature_histograms(
    features: Any,
    ax: Axes | None = None,
    bins: int = 30,
    value_range: tuple[float, float] | None = None,
    names: Sequence[str] | None = None,
) -> list[Any]:
    """One outlined histogram per feature (column), in the class colours.

    Parameters
    ----------
    features : array_like of shape (N, F)
        N samples of F features (e.g. a minibatch of one layer's activations).
    ax : matplotlib Axes, optional
    bins : int, default 30
    value_range : (float, float), optional
        Range of the bins (default: the data's range), shared by all features so that
        histograms drawn in two panels can be compared.
    names : sequence of F str, optional
        Legend labels (default "feature 0", "feature 1", ...).

    Returns
    -------
    list
        The patches of each feature's histogram, in column order.
    """
    x = as_float_array(features, "features", ndim=2)
    n_bins = check_positive_int(bins, "bins")
    f = x.shape[1]
    labels = list(names) if names is not None else [f"feature {k}" for k in range(f)]
    if len(labels) != f:
        raise ValueError(f"names has {len(labels)} labels but features has {f} columns")
    lo, hi = value_range if value_range is not None else (float(x.min()), float(x.max()))
    ax = _get_ax(ax)
    colors = class_colors(f)
    patches = []
    for k in range(f):
        *_, p = ax.hist(
            x[:, k],
            bins=n_bins,
            range=(lo, hi),
            histtype="step",
            linewidth=1.8,
            color=colors[k],
            label=labels[k],
        )
        patches.append(p)
    return patches


def plot_stochastic_depth(
    keep: Any, ax: Axes | None = None, survival: float | None = None
) -> dict[str, Any]:
    """Residual blocks of a deep network, some skipped at random in each training step.

    Each row is one training step, each box one residual block; a kept block is drawn in
    colour, a skipped one as a dashed outline, and the identity (skip) connection runs
    under every row. A last row shows test time, where every block is used.

    Parameters
    ----------
    keep : array_like of bool, shape (S, B)
        ``keep[s, b]`` is whether block b runs in training step s.
    ax : matplotlib Axes, optional
    survival : float, optional
        The survival probability, written in the test row ("output scaled by p").

    Returns
    -------
    dict
        ``"kept"`` and ``"skipped"``: lists of the Rectangle patches.
    """
    from matplotlib.patches import Rectangle

    mask = np.asarray(keep)
    if mask.dtype != np.bool_ or mask.ndim != 2 or 0 in mask.shape:
        raise ValueError(
            f"keep must be a non-empty 2-D bool array (steps, blocks), got dtype {mask.dtype} "
            f"and shape {mask.shape}"
        )
    n_steps, n_blocks = mask.shape
    rows = np.vstack([mask, np.ones((1, n_blocks), dtype=bool)])
    ax = _get_ax(ax)
    kept, skipped = [], []
    color = CLASS_COLORS[0]
    for r, row in enumerate(rows):
        yc = -r
        ax.plot([-0.6, n_blocks - 0.4], [yc, yc], color="#888888", linewidth=1, zorder=0)
        for b, on in enumerate(row):
            box = Rectangle(
                (b - 0.35, yc - 0.3),
                0.7,
                0.6,
                facecolor=color if on else "none",
                edgecolor=color if on else "#999999",
                linestyle="-" if on else "--",
                linewidth=1.2,
            )
            ax.add_patch(box)
            (kept if on else skipped).append(box)
        label = f"step {r + 1}" if r < n_steps else "test"
        ax.text(-0.8, yc, label, ha="right", va="center", fontsize=9)
    if survival is not None:
        p = check_nonnegative(survival, "survival")
        ax.text(
            n_blocks - 0.4,
            -n_steps - 0.5,
            f"every block, output × p = {format_number(p)}",
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.set_xlim(-2.0, n_blocks - 0.2)
    ax.set_ylim(-n_steps - 0.9, 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"kept": kept, "skipped": skipped}


# ---------------------------------------------------------------------------------------------
# Training a linear classifier (notebook 08): learned weights as images, grid-search heat map
# ---------------------------------------------------------------------------------------------


def _template_mosaic(W: np.ndarray, image_shape: tuple[int, int], n_cols: int) -> np.ndarray:
    """Columns of W as tiles of ``image_shape`` in a grid with NaN gaps (2 rows under a tile,
    for its label; 1 column between tiles)."""
    h, w = image_shape
    n_classes = W.shape[1]
    n_rows = -(-n_classes // n_cols)
    mosaic = np.full((n_rows * (h + 2) - 1, n_cols * (w + 1) - 1), np.nan)
    for j in range(n_classes):
        r, c = divmod(j, n_cols)
        tile = W[:, j].reshape(h, w)
        mosaic[r * (h + 2) : r * (h + 2) + h, c * (w + 1) : c * (w + 1) + w] = tile
    return mosaic


class ClassTemplates:
    r"""The columns of W shown as images: what each class's linear score "looks for".

    Column :math:`W_{:, j}` has one weight per pixel; reshaped to the image's shape it is class
    j's *template*: the score :math:`s_j = x \cdot W_{:, j}` is high when the image is bright
    where the template is red (positive) and dark where it is blue (negative). All tiles share
    one colour scale, symmetric around 0, up to the 99th percentile of :math:`|W|` (larger
    weights saturate). Build with :func:`plot_class_templates`; change with
    :meth:`update`.

    Attributes
    ----------
    image : AxesImage
        The mosaic of all templates (gaps are NaN, drawn as the axes background).
    labels : list of Text
        Each tile's class name.
    """

    def __init__(
        self,
        ax: Axes,
        n_classes: int,
        image_shape: tuple[int, int],
        class_names: Sequence[str] | None = None,
        n_cols: int | None = None,
        cmap: str = "RdBu_r",
    ) -> None:
        self.ax = ax
        self.image_shape = (int(image_shape[0]), int(image_shape[1]))
        self.n_classes = check_positive_int(n_classes, "n_classes")
        self.n_cols = min(
            self.n_classes, 5 if n_cols is None else check_positive_int(n_cols, "n_cols")
        )
        names = [str(j) for j in range(self.n_classes)] if class_names is None else class_names
        if len(names) != self.n_classes:
            raise ValueError(f"class_names has {len(names)} names but W has {n_classes} columns")
        h, w = self.image_shape
        mosaic = _template_mosaic(np.zeros((h * w, self.n_classes)), self.image_shape, self.n_cols)
        self.image = ax.imshow(mosaic, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        self.labels = []
        for j, name in enumerate(names):
            r, c = divmod(j, self.n_cols)
            self.labels.append(
                ax.text(
                    c * (w + 1) + (w - 1) / 2,
                    r * (h + 2) + h - 0.45,
                    str(name),
                    ha="center",
                    va="top",
                    fontsize=8,
                )
            )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        n_rows = -(-self.n_classes // self.n_cols)
        ax.set_xlim(-0.5, self.n_cols * (w + 1) - 1.5)
        ax.set_ylim(n_rows * (h + 2) - 1.5, -0.5)

    def update(self, W: Any) -> None:
        """Show the weights ``W`` of shape (D, C), D = height * width of ``image_shape``."""
        W = as_float_array(W, "W", ndim=2)
        h, w = self.image_shape
        if W.shape != (h * w, self.n_classes):
            raise ValueError(
                f"W must have shape ({h * w}, {self.n_classes}) for {self.n_classes} templates "
                f"of {h} x {w} pixels, got {W.shape}"
            )
        self.image.set_data(_template_mosaic(W, self.image_shape, self.n_cols))
        # symmetric scale at the 99th percentile of |W|: one extreme weight (a pixel that is
        # almost constant in the data) does not wash out every other tile
        scale = float(np.percentile(np.abs(W), 99)) or float(np.abs(W).max()) or 1.0
        self.image.set_clim(-scale, scale)


def plot_class_templates(
    W: Any,
    image_shape: tuple[int, int] = (8, 8),
    class_names: Sequence[str] | None = None,
    n_cols: int | None = None,
    ax: Axes | None = None,
    cmap: str = "RdBu_r",
) -> ClassTemplates:
    r"""Draw each column of W as an image (the learned class templates).

    Parameters
    ----------
    W : array_like of shape (D, C)
        Weights, one column per class; D = height * width (e.g. 64 for 8 x 8 digits). For a
        :class:`~lecture_utils.classifier.LinearClassifier` pass ``clf.W_`` (weights on
        standardized pixels).
    image_shape : (int, int), default (8, 8)
        (height, width) of one image.
    class_names : sequence of str of length C, optional
        Written under each tile (default: "0", "1", ...).
    n_cols : int, optional
        Tiles per row (default 5).
    ax : Axes, optional
    cmap : str, default "RdBu_r"
        A diverging colormap: red = positive weight, blue = negative, white = 0.

    Returns
    -------
    ClassTemplates
        Its ``update(W)`` shows new weights in place.

    Examples
    --------
    >>> import matplotlib.pyplot as plt   # doctest: +SKIP
    >>> plot_class_templates(clf.W_)     # doctest: +SKIP
    """
    W = as_float_array(W, "W", ndim=2)
    shape = tuple(int(s) for s in image_shape)
    if len(shape) != 2 or shape[0] * shape[1] != W.shape[0]:
        raise ValueError(
            f"image_shape {tuple(image_shape)} does not fit W's {W.shape[0]} rows: "
            "height * width must equal D"
        )
    templates = ClassTemplates(_get_ax(ax), W.shape[1], shape, class_names, n_cols, cmap)
    templates.update(W)
    return templates


def plot_grid_search(
    values: Any,
    learning_rates: Sequence[float],
    regs: Sequence[float],
    ax: Axes | None = None,
    cmap: str = "viridis",
    value_format: str = "{:.3f}",
    label: str = "validation accuracy",
) -> Any:
    r"""Heat map of a learning-rate x regularization grid search, best cell outlined.

    Parameters
    ----------
    values : array_like of shape (n_learning_rates, n_regs)
        ``values[i, j]`` is the score (higher is better, e.g. validation accuracy) of
        ``learning_rates[i]`` with ``regs[j]``. NaN marks a run that failed (diverged).
    learning_rates : sequence of float
        The rows' learning rates :math:`\eta`.
    regs : sequence of float
        The columns' regularization strengths :math:`\lambda`.
    ax : Axes, optional
    cmap : str, default "viridis"
    value_format : str, default "{:.3f}"
        Format of the number written in each cell.
    label : str, default "validation accuracy"
        The colour bar's label.

    Returns
    -------
    AxesImage
        The heat map (``image.axes`` holds the outline and texts).
    """
    from matplotlib.patches import Rectangle

    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape != (len(learning_rates), len(regs)):
        raise ValueError(
            f"values must have shape (len(learning_rates), len(regs)) = "
            f"({len(learning_rates)}, {len(regs)}), got {v.shape}"
        )
    if np.isnan(v).all():
        raise ValueError("values are all NaN: nothing to show")
    ax = _get_ax(ax)
    image = ax.imshow(v, cmap=cmap, origin="upper", aspect="auto")
    finite = v[np.isfinite(v)]
    middle = 0.5 * (finite.min() + finite.max())
    for i in range(v.shape[0]):
        for j in range(v.shape[1]):
            text = "diverged" if np.isnan(v[i, j]) else value_format.format(v[i, j])
            dark = np.isfinite(v[i, j]) and v[i, j] < middle
            ax.text(
                j, i, text, ha="center", va="center", fontsize=9, color="white" if dark else "black"
            )
    best = np.unravel_index(np.nanargmax(v), v.shape)
    ax.add_patch(
        Rectangle((best[1] - 0.5, best[0] - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2.5)
    )
    ax.set_xticks(range(len(regs)), [f"{r:g}" for r in regs])
    ax.set_yticks(range(len(learning_rates)), [f"{r:g}" for r in learning_rates])
    ax.set_xlabel(r"regularization strength $\lambda$")
    ax.set_ylabel(r"learning rate $\eta$")
    colorbar = ax.figure.colorbar(image, ax=ax)
    colorbar.set_label(label)
    return image
