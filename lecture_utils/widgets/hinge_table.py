r"""The lecture's cat/car/frog score table, live: edit any score, see every hinge term.

Notebook 01. The multiclass SVM loss of image i is

.. math:: L_i = \sum_{j \ne y_i} \max(0, s_j - s_{y_i} + \Delta), \qquad L = \frac{1}{N}\sum_i L_i

With the lecture's scores and :math:`\Delta = 1`: :math:`L_i = 2.9, 0, 12.9` and
:math:`L = 5.27`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._validation import check_nonnegative, check_scores_labels
from ..language import resolve_language
from ..losses import hinge_losses
from ..plotting import VIOLATION_COLOR, MarginBars, format_number, format_score
from ._app import App
from ._controls import float_slider
from ._strings import Strings
from ._strings.hinge_table import STRINGS
from ._strings.names import STRINGS as NAMES

__all__ = ["HingeTableApp"]


class HingeTableApp(App):
    r"""Multiclass SVM loss of a score table, with a slider per score.

    The controls are laid out as the lecture's table: one row per class, one column per
    image. The figure has one panel per image: its class scores as bars, the margin line
    :math:`s_{y_i} - \Delta` (dashed), the violated part of each wrong class in red and its
    hinge term on top, and :math:`L_i` in the panel title; the mean loss :math:`L` is written
    under the panels. The readout repeats the table with every
    :math:`\max(0, s_j - s_{y_i} + \Delta)` term written out.

    Parameters
    ----------
    scores : array_like of shape (N, C), optional
        ``scores[i, j]`` is image i's score for class j (default: the lecture's table from
        :func:`lecture_utils.data.lecture_example`). 1 <= N <= 6, 2 <= C <= 6.
    y : array_like of shape (N,), optional
        Correct class of each image (default: the lecture's [0, 1, 2]).
    class_names : sequence of str of length C, optional
    image_names : sequence of str of length N, optional
    delta : float, default 1.0
        The margin :math:`\Delta \ge 0`.
    score_range : (float, float), default (-5.0, 8.0)
        Range of every slider (widened to hold the given scores).
    language : {"en", "ko"}, optional
        Language of the labels and readout (default: :func:`lecture_utils.get_language`);
        the lecture's default names are translated, names given are shown as they are.

    Controls
    --------
    ``s_i_j`` (FloatSlider, step 0.1) : image i's score for class j, i.e. ``scores[i, j]``.

    Examples
    --------
    >>> app = HingeTableApp()
    >>> app.losses.round(2).tolist()
    [2.9, 0.0, 12.9]
    >>> round(app.loss, 2)
    5.27
    >>> app.set_state(s_0_1=3.0)  # the cat image's car score
    >>> round(float(app.losses[0]), 2)
    0.8
    """

    figsize = (8.4, 3.5)
    strings = STRINGS

    def __init__(
        self,
        scores: Any = None,
        y: Any = None,
        class_names: Sequence[str] | None = None,
        image_names: Sequence[str] | None = None,
        *,
        delta: float = 1.0,
        score_range: tuple[float, float] = (-5.0, 8.0),
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        text = Strings(STRINGS, resolve_language(language))
        names = Strings(NAMES, text.language)
        if scores is None or y is None or class_names is None or image_names is None:
            from ..data import lecture_example

            example = lecture_example()
            scores = example.scores if scores is None else scores
            y = example.y if y is None else y
            if class_names is None and np.shape(scores)[1:] == example.scores.shape[1:]:
                class_names = [names(k) for k in example.class_names]
            if image_names is None and np.shape(scores)[:1] == example.scores.shape[:1]:
                image_names = [names(k) for k in example.image_names]
        s, labels = check_scores_labels(scores, y)
        n, c = s.shape
        if n > 6 or c > 6:
            raise ValueError(
                f"scores must have at most 6 images and 6 classes, got shape {s.shape}"
            )
        default_classes = [text("class_default", j=j) for j in range(c)]
        default_images = [text("image_default", i=i) for i in range(n)]
        self.class_names = tuple(str(k) for k in (class_names or default_classes))
        self.image_names = tuple(str(k) for k in (image_names or default_images))
        if len(self.class_names) != c:
            raise ValueError(f"class_names has {len(self.class_names)} names but C = {c}")
        if len(self.image_names) != n:
            raise ValueError(f"image_names has {len(self.image_names)} names but N = {n}")
        self.delta = check_nonnegative(delta, "delta")
        lo, hi = (float(v) for v in score_range)
        if not lo < hi:
            raise ValueError(f"score_range must be (low, high) with low < high, got {score_range}")
        self._range = (min(lo, np.floor(s.min())), max(hi, np.ceil(s.max())))
        self.y = labels
        self._initial = s.copy()
        self.losses = np.zeros(n)
        self.loss = 0.0
        super().__init__(backend=backend, language=language)

    # -- the pattern ---------------------------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        n, c = self._initial.shape
        controls = {}
        for i in range(n):
            for j in range(c):
                controls[f"s_{i}_{j}"] = float_slider(
                    "",
                    *self._range,
                    step=0.1,
                    value=round(float(self._initial[i, j]), 1),
                    tooltip=self.text(
                        "tooltip", image=self.image_names[i], cls=self.class_names[j]
                    ),
                    width="210px",
                )
        return controls

    def _controls_box(self) -> widgets.Widget:
        # the lecture's layout: classes as rows, images as columns
        n, c = self._initial.shape
        cells: list[widgets.Widget] = [widgets.HTML("")]
        cells += [widgets.HTML(f"<b>{html.escape(name)}</b>") for name in self.image_names]
        for j in range(c):
            cells.append(widgets.HTML(f"<b>{html.escape(self.class_names[j])}</b>"))
            cells += [self.controls[f"s_{i}_{j}"] for i in range(n)]
        return widgets.GridBox(
            cells,
            layout=widgets.Layout(
                grid_template_columns=f"70px repeat({n}, 215px)", align_items="center"
            ),
        )

    def _make_artists(self) -> None:
        n, _ = self._initial.shape
        lo, hi = self._range
        ylim = (lo - self.delta - 0.5, hi + 1.5)
        left, right, gap = 0.075, 0.99, 0.02
        width = (right - left - gap * (n - 1)) / n
        # the score axis's label about 0.32 inch left of the first panel, however wide the
        # panels are (0.3185: where it was on the default three panels, -0.13 of their width)
        ylabel_x = -0.3185 / (width * self.figsize[0])
        self.panels: list[MarginBars] = []
        for i in range(n):
            ax = self.figure.add_axes((left + i * (width + gap), 0.2, width, 0.68))
            self.panels.append(
                MarginBars(
                    ax,
                    self.class_names,
                    ylim=ylim,
                    title=self.image_names[i],
                    show_yaxis=i == 0,
                    y=int(self.y[i]),
                    ylabel_x=ylabel_x,
                    ylabel=self.text("ylabel"),
                    correct_label=self.text("correct_bar"),
                )
            )
            ax.set_yticks(np.arange(np.ceil(ylim[0] / 2) * 2, ylim[1], 2))
        self.total_text = self.figure.text(0.5, 0.025, "", ha="center", va="bottom", fontsize=11)
        self._bake(*(a for panel in self.panels for a in panel.static_artists()))

    def scores(self) -> np.ndarray:
        """The current score table, shape (N, C) (rows = images, columns = classes)."""
        n, c = self._initial.shape
        return np.array([[self.values[f"s_{i}_{j}"] for j in range(c)] for i in range(n)])

    def update(self) -> None:
        s = self.scores()
        terms = np.array([p.update(s[i], self.y[i], self.delta) for i, p in enumerate(self.panels)])
        self.losses = hinge_losses(s, self.y, self.delta)
        self.loss = float(self.losses.mean())
        parts = " + ".join(format_number(v) for v in self.losses)
        self.total_text.set_text(
            self.text("total", parts=parts, n=len(self.losses), loss=format_number(self.loss))
        )
        self.readout.value = self._table_html(s, terms)

    # -- readout -------------------------------------------------------------------------------

    def _table_html(self, s: np.ndarray, terms: np.ndarray) -> str:
        n, c = s.shape
        d = format_number(self.delta)
        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.image_names)
        rows = [f"<tr><th></th>{head}</tr>"]
        for j in range(c):
            cells = []
            for i in range(n):
                yi = self.y[i]
                if j == yi:
                    cells.append(self.text("correct_cell", score=format_score(s[i, j])))
                    continue
                sj, syi = format_score(s[i, j]), format_score(s[i, yi])
                term = format_number(terms[i, j])
                term = f"max(0, {sj} − {syi} + {d}) = {term}"
                style = f' style="color:{VIOLATION_COLOR}"' if terms[i, j] > 0 else ""
                cells.append(f"<td{style}>{term}</td>")
            rows.append(f"<tr><th>{html.escape(self.class_names[j])}</th>{''.join(cells)}</tr>")
        li = "".join(f"<td><b>{format_number(v)}</b></td>" for v in self.losses)
        rows.append(f"<tr><th>L<sub>i</sub></th>{li}</tr>")
        table = "<table class='lecture-hinge-table'>" + "".join(rows) + "</table>"
        parts = " + ".join(format_number(v) for v in self.losses)
        return table + self.text("mean_line", parts=parts, n=n, loss=format_number(self.loss))
