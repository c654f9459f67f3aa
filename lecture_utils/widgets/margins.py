r"""One example's margins and hinge terms as the weights W change.

Notebook 02. For one example :math:`x \in \mathbb{R}^2` with correct class :math:`y`, the
class scores are :math:`s_j = x \cdot w_j` (``s = x @ W``, ``W`` of shape (2, C)) and

.. math:: L_i = \sum_{j \ne y} \max(0, s_j - s_y + \Delta).

Scaling W by c and :math:`\Delta` by c scales every margin, so :math:`L_i` by c: the
ratio :math:`L_i / \Delta` does not change. That is why the value of :math:`\Delta` does not
matter once W can scale freely (and regularization decides W's scale).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._validation import as_float_array, check_nonnegative, check_W_X_y
from ..language import resolve_language
from ..losses import hinge_losses
from ..plotting import CLASS_COLORS, VIOLATION_COLOR, MarginBars, format_number
from ._app import App
from ._controls import float_slider
from ._strings import Strings
from ._strings.margins import STRINGS

__all__ = ["MarginsApp"]

_W_RANGE = 3.0


class MarginsApp(App):
    r"""Sliders for every weight of a 2-D linear classifier, and one example's margins.

    Left: the example x (black star) and each class's weight vector :math:`c\,w_j` (arrows);
    the score :math:`s_j` is the dot product of x with its arrow. Right: the scores as bars,
    the margin line :math:`s_y - \Delta` (dashed) and the hinge term of every wrong class
    (red: the part of its bar above the line). The readout lists
    :math:`\max(0, s_j - s_y + \Delta)` for each class, :math:`L_i` and :math:`L_i/\Delta`.

    Parameters
    ----------
    x : array_like of shape (2,), optional
        The example (default [2, 1]).
    y : int, default 0
        Its correct class.
    W : array_like of shape (2, C), optional
        Starting weights, 2 <= C <= 5, entries in [-3, 3] (default: weights that give the
        lecture's cat-image scores 3.2, 5.1, -1.7 on the default x).
    delta : float, default 1.0
        Starting margin :math:`\Delta`, in [0, 5].
    class_names : sequence of str of length C, optional
    language : {"en", "ko"}, optional
        Language of the labels and readout (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``w_d_j`` (FloatSlider in [-3, 3], step 0.05) : ``W[d, j]``, weight of input d for class j.
    ``delta`` (FloatSlider in [0, 5], step 0.1) : the margin :math:`\Delta`.
    ``scale`` (FloatSlider in [0.2, 2], step 0.05) : c; the scores use c * W.

    Examples
    --------
    >>> app = MarginsApp()
    >>> app.scores.round(2).tolist(), round(app.loss, 2)
    ([3.2, 5.1, -1.7], 2.9)
    >>> app.set_state(scale=2.0, delta=2.0)  # both doubled: L_i doubles, L_i / delta stays
    >>> round(app.loss, 2)
    5.8
    """

    figsize = (8.6, 3.6)
    strings = STRINGS

    def __init__(
        self,
        x: Any = None,
        y: int = 0,
        W: Any = None,
        *,
        delta: float = 1.0,
        class_names: Sequence[str] | None = None,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        x = np.array([2.0, 1.0]) if x is None else as_float_array(x, "x", ndim=1)
        if x.shape != (2,):
            raise ValueError(f"x must have shape (2,), got shape {x.shape}")
        if W is None:
            # the lecture's cat-image scores on x = (2, 1), with every arrow away from x
            W = np.array([[1.0, 2.8, -0.5], [1.2, -0.5, -0.7]])
        W, X, labels = check_W_X_y(W, x[None, :], np.array([y]) if np.ndim(y) == 0 else y)
        if not 2 <= W.shape[1] <= 5:
            raise ValueError(f"W must have 2 to 5 classes (columns), got shape {W.shape}")
        if np.abs(W).max() > _W_RANGE:
            raise ValueError(f"W's entries must be in [-{_W_RANGE:g}, {_W_RANGE:g}]")
        delta = check_nonnegative(delta, "delta")
        if delta > 5:
            raise ValueError(f"delta must be in [0, 5], got {delta:g}")
        c = W.shape[1]
        default_names = Strings(STRINGS, resolve_language(language))("class_names").split("|")
        names = tuple(str(n) for n in (class_names or default_names[:c]))
        if len(names) != c:
            raise ValueError(f"class_names has {len(names)} names but W has C = {c} classes")
        self.x, self.y, self.class_names = X[0], int(labels[0]), names
        self._W0 = W
        self.scores = np.zeros(c)
        self.terms = np.zeros(c)
        self.loss = 0.0
        super().__init__({"delta": delta}, backend=backend, language=language)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        d, c = self._W0.shape
        controls: dict[str, widgets.Widget] = {}
        for k in range(d):
            for j in range(c):
                controls[f"w_{k}_{j}"] = float_slider(
                    f"W[{k},{j}]",
                    -_W_RANGE,
                    _W_RANGE,
                    step=0.05,
                    value=float(self._W0[k, j]),
                    tooltip=self.text("tooltip", k=k, cls=self.class_names[j]),
                    width="250px",
                )
        controls["delta"] = float_slider("Δ", 0.0, 5.0, step=0.1, value=1.0)
        controls["scale"] = float_slider(self.text("scale"), 0.2, 2.0, step=0.05, value=1.0)
        return controls

    def _controls_box(self) -> widgets.Widget:
        d, c = self._W0.shape
        rows = [widgets.HBox([self.controls[f"w_{k}_{j}"] for j in range(c)]) for k in range(d)]
        rows.append(widgets.HBox([self.controls["delta"], self.controls["scale"]]))
        return widgets.VBox(rows)

    def _make_artists(self) -> None:
        c = self._W0.shape[1]
        fig = self.figure
        # left: the example and the weight vectors
        plane = fig.add_axes((0.07, 0.14, 0.33, 0.76))
        lim = 4.5
        plane.set_xlim(-lim, lim)
        plane.set_ylim(-lim, lim)
        ticks = np.arange(-4, 5, 2)
        plane.set_xticks(ticks)
        plane.set_yticks(ticks)
        plane.tick_params(labelsize=8)
        plane.set_xlabel(self.text("input0"), fontsize=9, labelpad=1)
        plane.set_ylabel(self.text("input1"), fontsize=9, labelpad=1)
        axis_lines = [
            plane.axhline(0, color="0.85", lw=0.8, zorder=0),
            plane.axvline(0, color="0.85", lw=0.8, zorder=0),
        ]
        colors = [CLASS_COLORS[j % len(CLASS_COLORS)] for j in range(c)]
        self.arrows = plane.quiver(
            np.zeros(c),
            np.zeros(c),
            np.ones(c),
            np.ones(c),
            color=colors,
            angles="xy",
            scale_units="xy",
            scale=1,
            width=0.012,
            zorder=2,
        )
        self.arrow_labels = [
            plane.text(
                0, 0, "", color=colors[j], fontsize=9, ha="center", va="center", clip_on=True
            )
            for j in range(c)
        ]
        (x_line,) = plane.plot([0, self.x[0]], [0, self.x[1]], color="k", lw=0.8, ls=":", zorder=1)
        plane.plot(*self.x, marker="*", ms=12, color="k", zorder=1.5)  # under the arrowheads
        x_label = plane.text(
            self.x[0] + 0.35,
            self.x[1],
            f"x = ({format_number(self.x[0])}, {format_number(self.x[1])})",
            ha="left",
            va="center",
            fontsize=9,
        )
        plane_title = plane.text(
            0.0, 1.02, self.text("plane_title"), transform=plane.transAxes, fontsize=10
        )
        # right: the margins
        bars_ax = fig.add_axes((0.5, 0.1, 0.48, 0.8))
        self.bars = MarginBars(
            bars_ax,
            self.class_names,
            ylim=(-12.0, 14.0),
            title=self.text("bars_title", cls=self.class_names[self.y]),
            y=self.y,
            ylabel=self.text("ylabel"),
            correct_label=self.text("correct_bar"),
        )
        fixed = [plane, *axis_lines, x_line, x_label, plane_title]
        self._bake(*fixed, *self.bars.static_artists())

    @property
    def W(self) -> np.ndarray:
        """The weights W of the sliders, shape (2, C) (before the scale c)."""
        d, c = self._W0.shape
        return np.array([[self.values[f"w_{k}_{j}"] for j in range(c)] for k in range(d)])

    def update(self) -> None:
        v = self.values
        W = v["scale"] * self.W
        delta = v["delta"]
        self.arrows.set_UVC(W[0], W[1])
        for j, label in enumerate(self.arrow_labels):
            tip = W[:, j]
            norm = float(np.hypot(*tip))
            pos = tip + (0.45 * tip / norm if norm > 1e-9 else np.array([0.0, 0.45]))
            label.set_position(pos)
            label.set_text(self.class_names[j])
        self.scores = self.x @ W
        self.terms = self.bars.update(self.scores, self.y, delta)
        self.loss = float(hinge_losses(self.scores[None, :], np.array([self.y]), delta)[0])
        self.readout.value = self._readout_html(delta)

    def _readout_html(self, delta: float) -> str:
        s, y = self.scores, self.y
        rows = []
        for j, name in enumerate(self.class_names):
            if j == y:
                rows.append(self.text("correct_row", name=name, score=f"{s[j]:.2f}"))
                continue
            style = f' style="color:{VIOLATION_COLOR}"' if self.terms[j] > 0 else ""
            rows.append(
                f"<li{style}>{name}: max(0, {s[j]:.2f} − {s[y]:.2f} + {delta:g}) = "
                f"{self.terms[j]:.2f}</li>"
            )
        ratio = f"{self.loss / delta:.3f}" if delta > 0 else "—"
        return f"<ul>{''.join(rows)}</ul>" + self.text(
            "loss_line", loss=f"{self.loss:.2f}", ratio=ratio
        )
