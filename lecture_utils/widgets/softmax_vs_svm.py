r"""Softmax and multiclass SVM losses of one example, side by side, with a slider on one score.

Notebook 04. For an example with scores :math:`s` and correct class :math:`y_i`:

.. math::

    L_i^{\text{SVM}} = \sum_{j \ne y_i} \max(0, s_j - s_{y_i} + \Delta), \qquad
    L_i^{\text{softmax}} = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}

Move one score and watch both: once the correct class is ahead of every other class by
:math:`\Delta`, the SVM loss is 0 and stays 0 (it stops caring); the softmax loss keeps
falling towards 0 without reaching it (it always wants more).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

from .._validation import as_float_array, check_labels, check_nonnegative
from ..language import resolve_language
from ..losses import cross_entropy_losses, hinge_losses, softmax
from ..plotting import CLASS_COLORS, VIOLATION_COLOR, format_number, format_probability
from ._app import App
from ._controls import dropdown, float_slider, labelled
from ._strings import Strings
from ._strings.names import STRINGS as NAMES
from ._strings.softmax_vs_svm import STRINGS

__all__ = ["SoftmaxVsSvmApp"]

_SOFTMAX_COLOR = "#4e79a7"
_SVM_COLOR = VIOLATION_COLOR
_N_CURVE = 241  # points per loss curve


def _text(ax: Axes, x: float, y: float, text: str, **kwargs: Any) -> Text:
    """A text placed in axes coordinates (for titles and labels that never move)."""
    return ax.text(x, y, text, transform=ax.transAxes, fontsize=10, **kwargs)


class SoftmaxVsSvmApp(App):
    r"""One example's multiclass SVM and softmax losses as one of its scores moves.

    Three panels: the example's scores as bars (the correct class in its colour, the score
    the slider moves outlined); both losses as functions of the moving score, with the
    current value marked (the SVM curve reaches 0 and stays flat; the softmax curve only
    approaches 0); and the softmax probabilities :math:`P(Y = j \mid x)`, with
    :math:`L_i = -\log P(Y = y_i \mid x)`. The readout writes out scores,
    :math:`e^{s_j}`, probabilities and the hinge terms.

    Parameters
    ----------
    scores : array_like of shape (C,), optional
        The example's class scores (default: the lecture's cat image, [3.2, 5.1, -1.7]).
        2 <= C <= 6.
    y : int, optional
        Its correct class (default 0, "cat").
    class_names : sequence of str of length C, optional
        Default: the lecture's ("cat", "car", "frog") with the default scores, else
        "class 0", ...
    which : str, optional
        The class whose score the slider moves first (default: the correct class).
    delta : float, default 1.0
        The SVM margin :math:`\Delta \ge 0`.
    score_range : (float, float), default (-6.0, 12.0)
        Range of the slider (widened to hold the given scores).
    language : {"en", "ko"}, optional
        Language of the labels and readout (default: :func:`lecture_utils.get_language`).
        The lecture's default class names are shown translated, but ``which`` (the control's
        value and the argument) stays the name given (or the English default), so the same
        code drives the app in every language.

    Controls
    --------
    ``which`` (Dropdown) : the class whose score the slider moves; the other scores keep
    their given values.
    ``score`` (FloatSlider, step 0.1) : that score's value.

    Examples
    --------
    >>> app = SoftmaxVsSvmApp(backend="agg")
    >>> round(app.svm_loss, 2), round(app.softmax_loss, 2)
    (2.9, 2.04)
    >>> app.set_state(score=8.0)  # the cat score, far ahead of car's 5.1
    >>> app.svm_loss, round(app.softmax_loss, 3)
    (0.0, 0.054)
    """

    figsize = (9.4, 3.3)
    strings = STRINGS

    def __init__(
        self,
        scores: Any = None,
        y: int | None = None,
        class_names: Sequence[str] | None = None,
        *,
        which: str | None = None,
        delta: float = 1.0,
        score_range: tuple[float, float] = (-6.0, 12.0),
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        text = Strings(STRINGS, resolve_language(language))
        lecture_names = scores is None and class_names is None
        if scores is None:
            from ..data import lecture_example

            example = lecture_example()
            scores = example.scores[0]
            y = 0 if y is None else y
            class_names = example.class_names if class_names is None else class_names
        s = as_float_array(scores, "scores", ndim=1)
        c = s.shape[0]
        if not 2 <= c <= 6:
            raise ValueError(f"scores must have shape (C,) with 2 <= C <= 6, got shape {s.shape}")
        label = 0 if y is None else y
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
            raise TypeError(f"y must be an integer class index, got {type(label).__name__}")
        self.y = int(check_labels(np.array([label]), c, "y")[0])
        default_names = [text("class_default", j=j) for j in range(c)]
        names = class_names if class_names is not None else default_names
        self.class_names = tuple(str(n) for n in names)
        if len(self.class_names) != c:
            raise ValueError(f"class_names has {len(self.class_names)} names but C = {c}")
        if len(set(self.class_names)) != c:
            raise ValueError(f"class_names must be different from each other, got {names}")
        self.delta = check_nonnegative(delta, "delta")
        lo, hi = (float(v) for v in score_range)
        if not lo < hi:
            raise ValueError(f"score_range must be (low, high) with low < high, got {score_range}")
        self._range = (min(lo, float(np.floor(s.min()))), max(hi, float(np.ceil(s.max()))))
        self.base_scores = np.round(s, 1)
        which = self.class_names[self.y] if which is None else which
        if which not in self.class_names:
            raise ValueError(f"which must be one of {list(self.class_names)}, got {which!r}")
        # each class's two loss curves, as its score sweeps the slider's range (computed once)
        self.curve_x = np.linspace(*self._range, _N_CURVE)
        self.curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        labels = np.full(_N_CURVE, self.y)
        for j, name in enumerate(self.class_names):
            sweep = np.tile(self.base_scores, (_N_CURVE, 1))
            sweep[:, j] = self.curve_x
            self.curves[name] = (
                hinge_losses(sweep, labels, self.delta),
                cross_entropy_losses(sweep, labels),
            )
        #: the names shown (the lecture's translated); ``class_names`` are the control values
        to_show = Strings(NAMES, text.language) if lecture_names else None
        self.display_names = tuple(to_show(n) if to_show else n for n in self.class_names)
        self.svm_loss = self.softmax_loss = 0.0
        self.probabilities = np.zeros(c)
        index = self.class_names.index(which)
        values = {"which": which, "score": float(self.base_scores[index])}
        super().__init__(values, backend=backend, language=language)

    # -- the pattern ---------------------------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "which": dropdown(
                self.text("which"),
                labelled(self.class_names, self.display_names),
                width="230px",
                style={"description_width": "initial"},
            ),
            "score": float_slider(self.text("score"), *self._range, step=0.1, width="420px"),
        }

    def scores(self) -> np.ndarray:
        """The example's current scores, shape (C,): the given ones with one replaced."""
        s = self.base_scores.copy()
        s[self.class_names.index(self.values["which"])] = self.values["score"]
        return s

    def _make_artists(self) -> None:
        fig = self.figure
        c = len(self.class_names)
        lo, hi = self._range
        fixed: list[Any] = []
        # left: the scores
        ax = self.ax_scores = fig.add_axes((0.055, 0.17, 0.24, 0.66))
        colors = [CLASS_COLORS[j] if j == self.y else "#c9c9c9" for j in range(c)]
        self.score_bars, self.score_texts = self._class_bars(ax, colors, fixed)
        ax.axhline(0.0, color="0.5", lw=0.6, zorder=1)
        ax.set_ylim(lo - 0.5, hi + 1.5)
        correct = self.display_names[self.y]
        fixed.append(_text(ax, 0.0, 1.04, self.text("scores_title", cls=correct)))
        # middle: both losses as the chosen score moves
        ax = self.ax_curves = fig.add_axes((0.37, 0.17, 0.3, 0.66))
        (self.svm_curve,) = ax.plot([], [], color=_SVM_COLOR, lw=2, zorder=2)
        (self.softmax_curve,) = ax.plot([], [], color=_SOFTMAX_COLOR, lw=2, zorder=2)
        (self.svm_dot,) = ax.plot([], [], "o", color=_SVM_COLOR, zorder=3)
        (self.softmax_dot,) = ax.plot([], [], "o", color=_SOFTMAX_COLOR, zorder=3)
        self.cursor = ax.axvline(0.0, color="0.3", lw=0.8, ls=":", zorder=1)
        top = max(float(max(h.max(), e.max())) for h, e in self.curves.values())
        ax.set_xlim(lo, hi)
        ax.set_ylim(-0.04 * min(top, 15.0), min(top, 15.0) * 1.05)
        ax.tick_params(labelsize=8)
        fixed.append(_text(ax, 0.0, 1.04, self.text("curves_title")))
        svm, softmax = self.text("svm"), self.text("softmax")
        fixed.append(_text(ax, 0.97, 0.92, svm, color=_SVM_COLOR, weight="bold", ha="right"))
        fixed.append(
            _text(ax, 0.97, 0.82, softmax, color=_SOFTMAX_COLOR, weight="bold", ha="right")
        )
        self.curve_label = _text(ax, 0.5, -0.15, "", ha="center", va="top")
        # right: the softmax probabilities
        ax = self.ax_probs = fig.add_axes((0.74, 0.17, 0.24, 0.66))
        self.prob_bars, self.prob_texts = self._class_bars(ax, colors, fixed)
        ax.set_ylim(0, 1.12)
        fixed.append(_text(ax, 0.0, 1.04, self.text("probs_title")))
        self.total_text = fig.text(0.5, 0.985, "", ha="center", va="top", fontsize=11)
        self._bake(self.ax_scores, self.ax_curves, self.ax_probs, *fixed)

    def _class_bars(
        self, ax: Axes, colors: list[str], fixed: list[Artist]
    ) -> tuple[BarContainer, list[Text]]:
        """One bar per class on ``ax`` (value texts above them, the names below, bold for the
        correct class); the names join the ``fixed`` artists to bake."""
        x = np.arange(len(self.class_names))
        bars = ax.bar(x, np.zeros(len(x)), width=0.6, color=colors, linewidth=0, zorder=2)
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.xaxis.set_visible(False)
        ax.tick_params(labelsize=8)
        along_x = blended_transform_factory(ax.transData, ax.transAxes)
        for j, name in enumerate(self.display_names):
            weight = "bold" if j == self.y else "normal"
            fixed.append(
                ax.text(j, -0.03, name, transform=along_x, ha="center", va="top", weight=weight)
            )
        texts = [ax.text(j, 0.0, "", ha="center", fontsize=9, zorder=3) for j in x]
        return bars, texts

    def update(self) -> None:
        s = self.scores()
        which = self.values["which"]
        j = self.class_names.index(which)
        y = np.array([self.y])
        self.svm_loss = float(hinge_losses(s[None, :], y, self.delta)[0])
        self.softmax_loss = float(cross_entropy_losses(s[None, :], y)[0])
        self.probabilities = softmax(s)
        lo, hi = self.ax_scores.get_ylim()
        pad = 0.02 * (hi - lo)
        for k, (bar, text) in enumerate(zip(self.score_bars, self.score_texts, strict=True)):
            bar.set_height(s[k])
            bar.set_edgecolor("k" if k == j else "none")
            bar.set_linewidth(2.0 if k == j else 0.0)
            text.set_text(format_number(s[k]))
            text.set_y(s[k] + pad if s[k] >= 0 else s[k] - pad)
            text.set_va("bottom" if s[k] >= 0 else "top")
        for k, (bar, text) in enumerate(zip(self.prob_bars, self.prob_texts, strict=True)):
            p = float(self.probabilities[k])
            bar.set_height(p)
            bar.set_edgecolor("k" if k == j else "none")
            bar.set_linewidth(2.0 if k == j else 0.0)
            text.set_text(format_probability(p))
            text.set_y(p + 0.02)
        hinge, entropy = self.curves[which]
        self.svm_curve.set_data(self.curve_x, hinge)
        self.softmax_curve.set_data(self.curve_x, entropy)
        score = self.values["score"]
        self.svm_dot.set_data([score], [self.svm_loss])
        self.softmax_dot.set_data([score], [self.softmax_loss])
        self.cursor.set_xdata([score, score])
        self.curve_label.set_text(self.text("curve_label", cls=self.display_names[j]))
        self.total_text.set_text(
            self.text("total", svm=f"{self.svm_loss:.2f}", softmax=f"{self.softmax_loss:.3f}")
        )
        self.readout.value = self._table_html(s)

    def _table_html(self, s: np.ndarray) -> str:
        e = np.exp(s)
        p = self.probabilities
        syi = s[self.y]
        head = "".join(f"<th>{html.escape(n)}</th>" for n in self.display_names)
        rows = [
            f"<tr><th></th>{head}</tr>",
            f"<tr><th>{self.text('row_score')}</th>"
            + "".join(f"<td>{format_number(v)}</td>" for v in s)
            + "</tr>",
            f"<tr><th>{self.text('row_exp')}</th>"
            + "".join(f"<td>{v:.4g}</td>" for v in e)
            + "</tr>",
            "<tr><th>P = e<sup>s<sub>j</sub></sup> / Σ</th>"
            + "".join(f"<td>{html.escape(format_probability(v, 3))}</td>" for v in p)
            + "</tr>",
        ]
        terms = []
        for k, v in enumerate(s):
            if k == self.y:
                terms.append(f"<td>{self.text('correct_cell')}</td>")
            else:
                t = max(0.0, v - syi + self.delta)
                style = f" style='color:{VIOLATION_COLOR}'" if t > 0 else ""
                terms.append(f"<td{style}>{format_number(t)}</td>")
        hinge = "max(0, s<sub>j</sub> − s<sub>y</sub> + Δ)"
        head_hinge = self.text("row_hinge", hinge=hinge)
        rows.append(f"<tr><th>{head_hinge}</th>" + "".join(terms) + "</tr>")
        correct = html.escape(self.display_names[self.y])
        p_y = format_probability(p[self.y], 3)
        if not p_y[0].isdigit():  # "<0.001" or ">0.999": the loss line needs the number
            p_y = f"{p[self.y]:.1e}"
        return (
            "<table class='lecture-softmax-table'>"
            + "".join(rows)
            + "</table>"
            + self.text(
                "loss_line",
                cls=correct,
                p=p_y,
                softmax=f"{self.softmax_loss:.3f}",
                svm=format_number(self.svm_loss),
            )
        )
