"""The drawing half of the classifier playground: its artists, and how they show W, b and L.

Why this is its own module: :mod:`.playground` holds the app's wiring (its data, controls,
state, buttons and the gradient-descent runs they start); everything that turns the numbers
into the picture and the readout table is here, in :class:`PlaygroundView`, which
:class:`~lecture_utils.widgets.ClassifierPlayground` inherits next to
:class:`~lecture_utils.widgets.App`. The methods use the app's ``figure``, ``extent``,
``run_steps``, ``values`` and ``parameters()``; they only draw, never compute a loss.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ..losses import LossResult
from ..plotting import (
    CLASS_COLORS,
    VIOLATION_COLOR,
    class_colors,
    format_number,
    zero_score_segments,
)
from ._fast_text import (
    _fixed_unit_axes,
    _nice_ceiling,
    _number_labels,
    _scale_texts,
    _set_number_labels,
    _show_scale,
    _title,
)
from ._strings import Strings

__all__ = ["PlaygroundView"]

#: Number of classes of the playground (the lecture demo's).
N_CLASSES = 3
#: Grid cells per side of the decision-region background.
RESOLUTION = 200
#: How many examples the readout table lists (the largest losses first when there are more).
MAX_TABLE_ROWS = 12


class PlaygroundView:
    """Artists of the playground's figure and the methods that update them (a mixin of the app).

    Left: the plane coloured by the winning class, the points, each class's zero-score line
    and a stalk towards its positive side. Right: each example's loss as a bar, and the total
    loss along the next ``run_steps`` descent steps, both drawn against a "nice" live scale.
    """

    # provided by ClassifierPlayground and App (parameters(), _bake() too)
    figure: Figure
    figsize: tuple[float, float]
    extent: tuple[float, float, float, float]
    run_steps: int
    values: Mapping[str, Any]
    _region_rgba: np.ndarray
    _grid: np.ndarray
    text: Strings

    def _make_artists(self) -> None:
        fig = self.figure
        xmin, xmax, ymin, ymax = self.extent
        # left: decision regions, points, zero-score lines
        w_in, h_in = self.figsize
        side = 3.35  # inches: a square panel
        ax = fig.add_axes((0.06, 0.1, side / w_in, side / h_in))
        self.ax_regions = ax
        self.image = ax.imshow(
            np.zeros((RESOLUTION, RESOLUTION, 4), dtype=np.uint8),
            origin="lower",
            extent=self.extent,
            interpolation="nearest",
            aspect="auto",
            zorder=0,
        )
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_xlabel("$x_1$", labelpad=1)
        ax.set_ylabel("$x_2$", labelpad=1)
        titles = [_title(ax, self.text("regions_title"), ha="center")]
        self.zero_lines = []
        self.stalks = []
        for j in range(N_CLASSES):
            color = CLASS_COLORS[j]
            (line,) = ax.plot([], [], color=color, lw=2.2, zorder=2)
            (stalk,) = ax.plot(
                [], [], color=color, lw=2.2, marker="o", markersize=5, markevery=[1], zorder=2
            )
            self.zero_lines.append(line)
            self.stalks.append(stalk)
        self.points = ax.scatter(
            np.zeros(1), np.zeros(1), s=44, linewidths=1.0, edgecolors="k", zorder=3
        )
        # example numbers next to the points (9 points only): glyph outlines in one
        # collection, far cheaper to draw than 9 texts
        self.point_labels = _number_labels(ax, ax.transData, zorder=4)
        # Right: two panels whose y range follows the numbers. Their axes stay fixed (so they
        # are rendered once, with everything else that never changes): the data are drawn
        # divided by a "nice" top value (self.loss_scale, self.path_scale) and only the two
        # tick labels that show it are live texts. Tick labels are the slowest thing to draw.
        left, width = 0.49, 0.49
        # top: per-example losses, one bar per example, spread over x in [0, 1]
        ax = self.ax_losses = fig.add_axes((left, 0.56, width, 0.29))
        self.loss_bars = LineCollection([], zorder=2)
        ax.add_collection(self.loss_bars)
        _fixed_unit_axes(ax, xlim=(0.0, 1.0))
        ax.set_xticks([])
        titles.append(_title(ax, self.text("losses_title")))
        self.loss_scale_texts = _scale_texts(ax)
        self.bar_labels = _number_labels(
            ax, blended_transform_factory(ax.transData, ax.transAxes), clip_on=False
        )
        # bottom: the path of the total loss under gradient descent
        ax = self.ax_path = fig.add_axes((left, 0.1, width, 0.29))
        (self.path_line,) = ax.plot([], [], color="k", lw=1.6, zorder=2)
        (self.path_start,) = ax.plot([], [], "o", color=VIOLATION_COLOR, zorder=3)
        _fixed_unit_axes(ax, xlim=(-0.02 * self.run_steps, 1.02 * self.run_steps))
        titles.append(_title(ax, self.text("path_title", n=self.run_steps)))
        ax.set_xlabel(self.text("step_axis"), labelpad=1, fontsize=9)
        self.path_scale_texts = _scale_texts(ax)
        self.total_text = fig.text(left, 0.955, "", fontsize=10, va="top")
        self._shown_data: str | None = None
        self.loss_scale = self.path_scale = 1.0
        self._bake(self.ax_regions, self.ax_losses, self.ax_path, *titles)

    def _show_classifier(self, W: np.ndarray, b: np.ndarray, result: LossResult) -> None:
        """Draw W (2, 3) and b (3,): regions, zero-score lines, rings and loss bars."""
        # the plane: winning class on the precomputed grid, zero-score lines
        winner = (self._grid @ W + b).argmax(axis=1)
        self.image.set_data(self._region_rgba[winner].reshape(RESOLUTION, RESOLUTION, 4))
        segments = zero_score_segments(W, b, self.extent)
        stalk_length = 0.12 * (self.extent[1] - self.extent[0])
        for j in range(N_CLASSES):
            self.zero_lines[j].set_data(segments[j, :, 0], segments[j, :, 1])
            middle = segments[j].mean(axis=0)
            tip = middle + stalk_length * W[:, j] / max(float(np.hypot(*W[:, j])), 1e-12)
            self.stalks[j].set_data([middle[0], tip[0]], [middle[1], tip[1]])
        # the points' rings (their positions and colours change with the data set only)
        rings = np.where(result.losses > 0, VIOLATION_COLOR, "k")
        self.points.set_edgecolors(rings)
        self.points.set_linewidths(np.where(result.losses > 0, 1.5, 0.8))
        # per-example losses, in units of a nice top value
        n = len(result.losses)
        self.loss_scale = _nice_ceiling(result.losses.max())
        segs = np.zeros((n, 2, 2))
        segs[:, :, 0] = ((np.arange(n) + 0.5) / n)[:, None]
        segs[:, 1, 1] = result.losses / self.loss_scale
        self.loss_bars.set_segments(segs)
        _show_scale(self.loss_scale_texts, self.loss_scale)

    def _show_path(self, path: np.ndarray, n_steps: int, upto: int | None = None) -> None:
        """Draw the loss ``path`` of shape (n_steps + 1,) up to step ``upto`` (default: all).

        The red dot marks the last step drawn: the start of a path to come, or where a
        running descent is.
        """
        k = n_steps if upto is None else upto
        self.path_scale = _nice_ceiling(path.max())
        self.path_line.set_data(np.arange(k + 1), path[: k + 1] / self.path_scale)
        where = 0 if upto is None else k
        self.path_start.set_data([where], [path[where] / self.path_scale])
        _show_scale(self.path_scale_texts, self.path_scale)

    def _show_data(self, X: np.ndarray, y: np.ndarray) -> None:
        colors = class_colors(N_CLASSES)[y]
        self.points.set_offsets(X)
        self.points.set_facecolors(colors)
        n = len(y)
        labelled = np.arange(n) if n <= 9 else np.array([], dtype=int)
        _set_number_labels(self.point_labels, labelled, X[labelled], (3.0, 3.0))
        self.loss_bars.set_colors(colors)
        self.loss_bars.set_linewidth(float(np.clip(260.0 / n, 1.0, 14.0)))
        # example numbers under the bars: all of them, or 5 evenly spaced
        shown = np.arange(n) if n <= 12 else np.linspace(0, n - 1, 5).astype(int)
        where = np.column_stack([(shown + 0.5) / n, np.zeros(len(shown))])
        _set_number_labels(self.bar_labels, shown, where, (0.0, -10.0), centred=True)
        self._shown_data = self.values["data"]

    def _readout_html(self, X: np.ndarray, y: np.ndarray, result: LossResult) -> str:
        n = len(y)
        order = np.arange(n)
        note = ""
        if n > MAX_TABLE_ROWS:
            order = np.argsort(-result.losses, kind="stable")[:MAX_TABLE_ROWS]
            note = self.text("largest", k=MAX_TABLE_ROWS, n=n)
        head = "".join(
            f"<th>{h}</th>"
            for h in ("i", "x<sub>1</sub>", "x<sub>2</sub>", "y<sub>i</sub>")
            + tuple(f"s<sub>{j}</sub>" for j in range(N_CLASSES))
            + ("L<sub>i</sub>",)
        )
        rows = [f"<tr>{head}</tr>"]
        for i in order:
            s = result.scores[i]
            cells = [str(i), f"{X[i, 0]:.2f}", f"{X[i, 1]:.2f}"]
            cells.append(f"<span style='color:{CLASS_COLORS[y[i]]}'><b>{y[i]}</b></span>")
            cells += [f"<b>{s[j]:.2f}</b>" if j == y[i] else f"{s[j]:.2f}" for j in range(3)]
            style = f" style='color:{VIOLATION_COLOR}'" if result.losses[i] > 0 else ""
            cells.append(f"<span{style}>{result.losses[i]:.3f}</span>")
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        v = self.values
        summary = self.text(
            "summary",
            loss=html.escape(self.text("loss_" + v["loss"])),
            data=f"{result.data_loss:.3f}",
            lam=format_number(v["reg"]),
            sum_w2=f"{float(np.sum(self.parameters()[0] ** 2)):.3f}",
            reg=f"{result.reg_loss:.3f}",
            total=f"{result.loss:.3f}",
        )
        table = (
            self.text("table_title", note=note)
            + "<table class='lecture-playground-table'>"
            + "".join(rows)
            + "</table>"
        )
        return summary + table

    def _show_run_step(
        self, W: np.ndarray, b: np.ndarray, result: LossResult, path: np.ndarray, k: int
    ) -> None:
        """Step ``k`` of a run: its classifier and the run's loss path up to step k (cheap)."""
        self._show_classifier(W, b, result)
        self._show_path(path, self.run_steps, upto=k)
        self.total_text.set_text(
            self.text("run_step", k=k, n=self.run_steps, loss=f"{result.loss:.3f}")
        )
