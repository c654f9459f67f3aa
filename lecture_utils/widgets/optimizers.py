r"""SGD, momentum, Nesterov, RMSProp and Adam racing down the same ill-conditioned valley.

Notebook 09. The surface is a quadratic bowl that is steep in one direction and flat in the
other (condition number :math:`h_2 / h_1 = 20` by default),

.. math::  L(w) = \tfrac12\, w^\top A\, w, \qquad A = R_\theta^\top
           \begin{pmatrix} h_1 & 0 \\ 0 & h_2 \end{pmatrix} R_\theta,
           \qquad \nabla L(w) = A\,w,

with its minimum :math:`L = 0` at :math:`w = 0` (:class:`lecture_utils.landscape.Valley`).
Its 200 x 200 picture is computed once; a control change only recomputes the paths (each
rule of :mod:`lecture_utils.optim` stepped from the same start, at most 200 steps) and moves
the lines.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import contourpy
import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, check_finite_number
from ..landscape import Valley
from ..optim import SGD, Adam, Momentum, Nesterov, Optimizer, RMSProp, steps_to_stay_below
from ..plotting import SURFACE_ALPHA, SURFACE_CMAP
from ._app import App
from ._controls import dropdown, float_slider, int_slider, labelled, log_slider
from ._strings.optimizers import STRINGS

__all__ = ["OptimizerPathsApp", "OPTIMIZER_LABELS", "SURFACES"]

#: The update rules the app races, in legend order, with their display names.
OPTIMIZER_LABELS: dict[str, str] = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}
_COLORS = {
    "sgd": "#000000",
    "momentum": "#e15759",
    "nesterov": "#f28e2b",
    "rmsprop": "#59a14f",
    "adam": "#4e79a7",
}
# RMSProp's first steps run along Adam's path (both move every coordinate by about η at
# first): RMSProp is drawn on top, dashed with square markers, Adam underneath and wider, so
# both stay visible where they overlap. Draw order: larger zorder is on top.
_STYLES: dict[str, dict[str, Any]] = {
    "sgd": {"ls": "-", "marker": "o", "lw": 1.4, "ms": 2.2, "zorder": 4.2},
    "momentum": {"ls": "-", "marker": "o", "lw": 1.4, "ms": 2.2, "zorder": 4.1},
    "nesterov": {"ls": "-", "marker": "o", "lw": 1.4, "ms": 2.2, "zorder": 4.3},
    "rmsprop": {"ls": (0, (3, 1.5)), "marker": "s", "lw": 1.8, "ms": 4.0, "zorder": 4.5},
    "adam": {"ls": "-", "marker": "o", "lw": 2.8, "ms": 3.2, "zorder": 4.0},
}
#: The surfaces of the ``surface`` menu: name -> angle (degrees) of the valley's flat direction.
SURFACES: dict[str, float] = {"valley": 0.0, "tilted valley": 30.0}

# The readout counts the steps until the loss stays below this level (steps_to_stay_below).
_CONVERGED = 1e-3


def _make_optimizer(name: str, step_size: float, beta: float) -> Optimizer:
    """The update rule ``name`` with step size η; β is the momentum (Adam: β1)."""
    if name == "sgd":
        return SGD(step_size)
    if name == "momentum":
        return Momentum(step_size, beta=beta)
    if name == "nesterov":
        return Nesterov(step_size, beta=beta)
    if name == "rmsprop":
        return RMSProp(step_size)
    return Adam(step_size, beta1=beta)


class _Run:
    """One rule's path from the start, extended on demand (its optimizer keeps the state)."""

    def __init__(self, valley: Valley, optimizer: Optimizer, start: np.ndarray, size: int) -> None:
        self.valley = valley
        self.optimizer = optimizer
        self.points = np.empty((size + 1, 2))
        self.points[0] = start
        self.count = 1  # points computed so far
        self.done = False  # diverged: no more points

    def extend(self, n_steps: int) -> None:
        """Step until the path has ``n_steps + 1`` points (or stops being finite)."""
        A, step, points = self.valley.A, self.optimizer.step, self.points
        w = points[self.count - 1]
        with np.errstate(over="ignore", invalid="ignore"):
            while self.count <= n_steps and not self.done:
                dw = A @ w
                if not np.isfinite(dw).all():
                    self.done = True
                    break
                w = step(w, dw)
                if not np.isfinite(w).all():
                    self.done = True
                    break
                points[self.count] = w
                self.count += 1

    def path(self, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
        self.extend(n_steps)
        params = self.points[: min(self.count, n_steps + 1)]
        with np.errstate(over="ignore", invalid="ignore"):
            losses = self.valley.loss(params)
        finite = np.isfinite(losses)
        if not finite.all():  # as optimize(): the path ends at the last finite loss
            end = int(np.argmin(finite))
            params, losses = params[:end], losses[:end]
        return params.copy(), losses


class OptimizerPathsApp(App):
    r"""Five update rules on the same ill-conditioned valley, with sliders for η and β.

    Left: the loss surface (colour: :math:`\log L`; contour lines) and the path of each update
    rule from the same start (one marker per step; RMSProp dashed with squares, on top, since
    its path runs along Adam's and SGD's). Right: the loss after each step, log scale.
    The readout lists each rule's final loss and the number of steps after which the loss stays
    below :math:`10^{-3}` up to the last step shown
    (:func:`lecture_utils.optim.steps_to_stay_below`: a path that dips below the level and rises
    again counts from its last rise).

    Parameters
    ----------
    start : (float, float), default (-4.5, 1.5)
        Where every path starts.
    curvatures : (float, float), default (0.2, 4.0)
        The valley's second derivatives, flat and steep direction (see
        :class:`lecture_utils.landscape.Valley`).
    step_size, beta, n_steps, surface
        Starting values of the controls below.
    extent : (w1_min, w1_max, w2_min, w2_max), default (-5.0, 5.0, -2.5, 2.5)
        The part of the plane shown.
    language : {"en", "ko"}, optional
        Language of the texts (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``step_size`` (FloatLogSlider, 0.001 .. 1) : the step size η of every rule.
    ``beta`` (FloatSlider, 0 .. 0.99) : momentum β of SGD + momentum and Nesterov, and Adam's
    β1. RMSProp (decay 0.99) and Adam's β2 (0.999) keep the library's defaults.
    ``n_steps`` (IntSlider, 10 .. 200) : number of steps of every path.
    ``surface`` (Dropdown) : "valley" (steep direction along :math:`w_2`) or "tilted valley"
    (the same valley turned by 30°).
    ``show_sgd``, ``show_momentum``, ``show_nesterov``, ``show_rmsprop``, ``show_adam``
    (Checkbox) : which paths are drawn.

    Examples
    --------
    >>> app = OptimizerPathsApp()
    >>> params, losses = app.path("momentum")
    >>> params.shape
    (101, 2)
    >>> app.set_state(step_size=0.5)   # SGD now bounces across the valley
    """

    figsize = (9.6, 4.0)
    strings = STRINGS
    max_steps = 200
    resolution = 200

    def __init__(
        self,
        start: Sequence[float] = (-4.5, 1.5),
        curvatures: Sequence[float] = (0.2, 4.0),
        *,
        step_size: float = 0.1,
        beta: float = 0.9,
        n_steps: int = 100,
        surface: str = "valley",
        extent: Sequence[float] = (-5.0, 5.0, -2.5, 2.5),
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        start_arr = as_float_array(start, "start", ndim=1)
        if start_arr.shape != (2,):
            raise ValueError(f"start must be a point (w1, w2), got shape {start_arr.shape}")
        box = tuple(check_finite_number(e, "extent") for e in extent)
        if len(box) != 4 or not (box[0] < box[1] and box[2] < box[3]):
            raise ValueError(
                f"extent must be (w1_min, w1_max, w2_min, w2_max) with min < max, got {extent!r}"
            )
        self.start = start_arr.astype(np.float64)
        self.extent = box
        self.valleys = {
            name: Valley(tuple(curvatures), angle)  # type: ignore[arg-type]
            for name, angle in SURFACES.items()
        }
        self._runs: OrderedDict[tuple[Any, ...], _Run] = OrderedDict()
        self.paths: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._precompute_surfaces()
        self._surface_shown = next(iter(SURFACES))
        self._shown_steps: int | None = None  # the loss panel's x axis runs to n_steps
        super().__init__(
            {"step_size": step_size, "beta": beta, "n_steps": n_steps, "surface": surface},
            backend=backend,
            language=language,
        )

    # -- precomputed ---------------------------------------------------------------------------

    def _precompute_surfaces(self) -> None:
        """Each surface's filled level bands and contour lines, from a 200 x 200 grid."""
        x0, x1, y0, y1 = self.extent
        n = self.resolution
        gx, gy = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        grid = np.stack(np.meshgrid(gx, gy), axis=-1)  # (n, n, 2), rows are w2
        self._levels = np.geomspace(1e-3, 1e2, 11)  # contour lines, log-spaced
        bounds = np.concatenate([[-1.0], self._levels, [np.inf]])
        self._bands: dict[str, list[Path]] = {}
        self._contours: dict[str, list[np.ndarray]] = {}
        for name, valley in self.valleys.items():
            z = valley.loss(grid)
            lines = contourpy.contour_generator(gx, gy, z)
            self._contours[name] = [line for level in self._levels for line in lines.lines(level)]
            fills = contourpy.contour_generator(gx, gy, z, fill_type=contourpy.FillType.OuterCode)
            top = float(z.max()) + 1.0
            bands = []
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
                polygons, codes = fills.filled(lo, min(hi, top)) if lo < top else ([], [])
                bands.append(
                    Path(np.concatenate(polygons), np.concatenate(codes))
                    if polygons
                    else Path(np.zeros((0, 2)))
                )
            self._bands[name] = bands

    # -- the pattern ---------------------------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        style = {"description_width": "90px"}
        t = self.text
        controls: dict[str, widgets.Widget] = {
            "step_size": log_slider(t("step_size"), -3, 0, 0.05, 0.1, width="330px", style=style),
            "beta": float_slider(t("beta"), 0.0, 0.99, 0.01, 0.9, width="330px", style=style),
            "n_steps": int_slider(
                t("steps"), 10, self.max_steps, 10, 100, width="330px", style=style
            ),
            "surface": dropdown(
                t("surface"),
                labelled(SURFACES, [t(k) for k in SURFACES]),
                "valley",
                width="250px",
                style=style,
            ),
        }
        for name in OPTIMIZER_LABELS:
            controls[f"show_{name}"] = widgets.Checkbox(
                value=True, description=t(name), indent=False, layout=widgets.Layout(width="auto")
            )
        return controls

    def _controls_box(self) -> widgets.Widget:
        sliders = [self.controls[n] for n in ("step_size", "beta", "n_steps")]
        shown = [self.controls[f"show_{n}"] for n in OPTIMIZER_LABELS]
        return widgets.VBox(
            [
                widgets.HBox(sliders, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(
                    [self.controls["surface"], *shown],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
            ]
        )

    def _make_artists(self) -> None:
        fig = self.figure
        x0, x1, y0, y1 = self.extent
        ax = fig.add_axes((0.065, 0.12, 0.5, 0.72))
        self.ax_paths = ax
        first = next(iter(self.valleys))
        # filled level bands (cheaper to draw than an image), coloured like the static
        # pictures (plotting.plot_loss_surface): lighter is lower
        band_colors = self.band_colors()
        self.bands = PathCollection(
            self._bands[first], facecolors=band_colors, edgecolors="none", zorder=0
        )
        ax.add_collection(self.bands)
        self.contour_lines = LineCollection(
            self._contours[first], colors="0.25", linewidths=0.6, alpha=0.8, zorder=1
        )
        ax.add_collection(self.contour_lines)
        ax.plot([0.0], [0.0], marker="*", ms=13, color="gold", mec="k", mew=0.8, zorder=6)
        ax.plot(*self.start, marker="o", ms=8, mfc="white", mec="k", mew=1.2, zorder=6)
        self.path_lines = {}
        for name in OPTIMIZER_LABELS:
            label = self.text(name)
            (line,) = ax.plot([], [], color=_COLORS[name], label=label, **_STYLES[name])
            self.path_lines[name] = line
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("$w_1$", labelpad=1)
        ax.set_ylabel("$w_2$", labelpad=1)

        ax_loss = fig.add_axes((0.655, 0.12, 0.33, 0.72))
        self.ax_loss = ax_loss
        self.loss_lines = {
            name: ax_loss.semilogy([], [], color=_COLORS[name], lw=1.5, ls=_STYLES[name]["ls"])[0]
            for name in OPTIMIZER_LABELS
        }
        ax_loss.set_xlim(0, self.max_steps)  # update() sets (0, n_steps)
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax_loss.set_ylim(1e-8, 1e3)
        ax_loss.set_xlabel(self.text("step"), labelpad=1)
        ax_loss.set_ylabel(self.text("loss_axis"), labelpad=1)
        ax_loss.grid(True, which="major", lw=0.4, alpha=0.5)

        # titles and legend as figure artists outside the axes: nothing is drawn over them,
        # so they go into the baked layer (an axes title is also moved, made stale, per draw)
        texts = [
            fig.text(0.315, 0.855, self.text("paths_title"), ha="center"),
            fig.text(0.82, 0.855, self.text("loss_title"), ha="center"),
        ]
        legend = fig.legend(
            handles=list(self.path_lines.values()),
            loc="upper center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=len(OPTIMIZER_LABELS),
            frameon=False,
            fontsize=9,
            handlelength=2.2,
        )
        # the loss panel's x axis follows n_steps: re-rendered alone when that changes
        self._bake(ax, ax_loss.patch, ax_loss.yaxis, *texts, legend, volatile=(ax_loss.xaxis,))

    def band_colors(self) -> np.ndarray:
        r"""RGBA colours (n_bands, 4) of the level bands, as :func:`plot_loss_surface` colours.

        Band k lies between contour levels; it gets the colour that the static pictures give
        the loss at its geometric middle: :data:`~lecture_utils.plotting.surfaces.SURFACE_CMAP`
        at :math:`\sqrt{(L - L_{min}) / (L_{max} - L_{min})}` over the first surface's grid,
        with the same opacity.
        """
        x0, x1, y0, y1 = self.extent
        gx, gy = np.linspace(x0, x1, self.resolution), np.linspace(y0, y1, self.resolution)
        z = next(iter(self.valleys.values())).loss(np.stack(np.meshgrid(gx, gy), axis=-1))
        lo, hi = float(z.min()), float(z.max())
        edges = np.concatenate([[self._levels[0] / 10], self._levels, [self._levels[-1] * 10]])
        middle = np.clip(np.sqrt(edges[:-1] * edges[1:]), lo, hi)
        colors = colormaps[SURFACE_CMAP](np.sqrt((middle - lo) / (hi - lo)))
        colors[:, 3] = SURFACE_ALPHA
        return colors

    def update(self) -> None:
        v = self.values
        surface = v["surface"]
        if surface != self._surface_shown:
            self.bands.set_paths(self._bands[surface])
            self.contour_lines.set_segments(self._contours[surface])
            self._surface_shown = surface
        n = v["n_steps"]
        if n != self._shown_steps:
            self.ax_loss.set_xlim(0, n)
            self._shown_steps = n
        rows = []
        self.paths = {}
        for name in OPTIMIZER_LABELS:
            params, losses = self.path(name)
            self.paths[name] = (params, losses)
            shown = v[f"show_{name}"]
            self.path_lines[name].set_data(params[:, 0], params[:, 1])
            self.path_lines[name].set_visible(shown)
            self.loss_lines[name].set_data(np.arange(len(losses)), losses)
            self.loss_lines[name].set_visible(shown)
            rows.append(self._row(self.text(name), losses, n, shown))
        head = self.text("head", n=n, level=f"{_CONVERGED:g}")
        self.readout.value = head + "".join(rows) + "</table>"

    # -- numbers ---------------------------------------------------------------------------------

    def path(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The current path of one update rule.

        Parameters
        ----------
        name : str
            A key of :data:`OPTIMIZER_LABELS`: "sgd", "momentum", "nesterov", "rmsprop",
            "adam".

        Returns
        -------
        params : ndarray of shape (n_points, 2)
            The start, then the point after each step (``n_steps + 1`` points; fewer if the
            rule diverged: the path ends at the last finite point).
        losses : ndarray of shape (n_points,)
            The loss at each point.
        """
        if name not in OPTIMIZER_LABELS:
            raise ValueError(f"name must be one of {list(OPTIMIZER_LABELS)}, got {name!r}")
        v = self.values
        eta, beta = v["step_size"], v["beta"]
        key = (v["surface"], name, eta, beta if name in ("momentum", "nesterov", "adam") else None)
        run = self._runs.get(key)
        if run is None:
            optimizer = _make_optimizer(name, eta, beta)
            run = _Run(self.valleys[v["surface"]], optimizer, self.start, self.max_steps)
            self._runs[key] = run
            while len(self._runs) > 64:  # keep the cache small
                self._runs.popitem(last=False)
        else:
            self._runs.move_to_end(key)
        return run.path(v["n_steps"])

    def _row(self, label: str, losses: np.ndarray, n: int, shown: bool) -> str:
        if len(losses) < n + 1:
            final = self.text("overflow", n=len(losses) - 1)
        elif losses[-1] > losses[0]:
            final = self.text("diverging", loss=f"{losses[-1]:.3g}")
        else:
            final = f"{losses[-1]:.3g}"
        settled = steps_to_stay_below(losses, _CONVERGED)
        steps = "—" if settled is None else str(settled)
        style = "" if shown else " style='opacity:0.45'"
        return f"<tr{style}><td>{html.escape(label)}</td><td>{final}</td><td>{steps}</td></tr>"
