r"""One example's margins: class scores as bars, the margin line and the hinge terms.

- :func:`plot_margin_bars` / :class:`MarginBars`: the scores :math:`s_j`, the margin line
  :math:`s_{y_i} - \Delta`, and each hinge term :math:`\max(0, s_j - s_{y_i} + \Delta)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory

from .._validation import as_float_array, check_labels, check_nonnegative
from ._axes import get_ax
from .style import CLASS_COLORS, VIOLATION_COLOR, format_number, format_score

_SATISFIED_COLOR = "#c9c9c9"
_SCORE_FONTSIZE = 9


def score_label_position(
    score: float, line: float, pad: float, height: float, ylim: tuple[float, float]
) -> tuple[float, str]:
    r"""Where a bar's score label goes: next to the bar's end, never on the margin line.

    The label is normally just beyond the end of its bar, away from 0 (above the end when
    :math:`s_j \ge 0`, below it otherwise). If the dashed margin line
    :math:`s_{y_i} - \Delta` would cross the label there, the label moves just beyond the line;
    if that leaves the axes (or the line is behind the end), it goes just inside the bar's
    end. If no place fits, it stays beyond the end (clipped by the axes).

    Parameters
    ----------
    score : float
        The bar's score :math:`s_j` (where the bar ends).
    line : float
        Height of the margin line.
    pad : float
        Gap between the label and the bar end (or the line), in data units.
    height : float
        The label's height, in data units.
    ylim : (float, float)
        The axes' y-limits (low, high).

    Returns
    -------
    (float, str)
        The label's y and vertical alignment ("bottom": the label is above y, "top": below).

    Examples
    --------
    >>> score_label_position(3.2, 2.2, 0.5, 0.8, (-6.5, 9.5))  # clear of the line: at the bar
    (3.7, 'bottom')
    >>> score_label_position(-3.1, -4.1, 0.5, 0.8, (-6.5, 9.5))  # would sit on it: below it
    (-4.6, 'top')
    """
    lo, hi = ylim
    clear = 0.25 * pad  # the dashes keep at least this far from the text

    def fits(y: float, va: str) -> bool:
        bottom, top = (y, y + height) if va == "bottom" else (y - height, y)
        return bottom >= lo and top <= hi and not bottom - clear < line < top + clear

    up = score >= 0
    candidates = [(score + pad, "bottom") if up else (score - pad, "top")]  # beyond the end
    if (line > score) == up:  # the line lies the way the label goes: step over it
        candidates.append((line + pad, "bottom") if up else (line - pad, "top"))
    candidates.append((score - pad, "top") if up else (score + pad, "bottom"))  # inside
    return next((c for c in candidates if fits(*c)), candidates[0])


class MarginBars:
    r"""Bars of one example's scores :math:`s_j`, the margin line and the hinge terms.

    Every bar runs from 0 to its score :math:`s_j`, with the score written at its end. A wrong
    class j violates the margin when its bar rises above the dashed line
    :math:`s_{y_i} - \Delta`; its hinge term :math:`\max(0, s_j - s_{y_i} + \Delta)`, the
    distance from the line up to :math:`s_j`, is a narrow dark-red bar inside the (light red)
    score bar, and its value is printed at the top. The correct class's bar has its class
    colour. Build with :func:`plot_margin_bars`; change with :meth:`update`.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    class_names : sequence of str of length C
        The bars' labels, under the axes.
    ylim : (float, float), optional
        Fixed y-limits (default: the axes' own).
    title : str, optional
        Fixed title on the left above the axes.
    show_yaxis : bool, default True
        Draw the score axis and its label "score :math:`s_j`".
    show_scores : bool, default True
        Write each score next to its bar.
    y : int, optional
        The correct class, if it never changes (then its "correct" label is fixed).
    ylabel_x : float, default -0.13
        Horizontal place of the score axis's label, in axes fractions (negative: left of the
        axes). Wide axes need a smaller fraction for the label to stay in the figure.
    ylabel : str, default "score $s_j$"
        The score axis's label (an app in another language passes its own).
    correct_label : str, default "correct"
        What the correct class's bar says instead of a hinge term.

    Attributes
    ----------
    bars : BarContainer
        One bar per class, height :math:`s_j`.
    hinge_bars : BarContainer
        Narrow dark-red bar of each violating class, from the margin line to :math:`s_j`
        (below 0 too when the line is below 0).
    margin_line : Line2D
        Horizontal line at :math:`s_{y_i} - \Delta`.
    score_texts : list of Text
        Each bar's score, one decimal at least (empty list with ``show_scores=False``); next
        to the bar's end, or moved clear of the margin line (:func:`score_label_position`).
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
        ylabel_x: float = -0.13,
        ylabel: str = "score $s_j$",
        correct_label: str = "correct",
    ) -> None:
        self.ax = ax
        self.correct_label = correct_label
        # with the correct class known now, its label is fixed (and can be baked)
        self.fixed_y = None if y is None else int(y)
        self.class_names = tuple(str(c) for c in class_names)
        n = len(self.class_names)
        x = np.arange(n)
        self.bars = ax.bar(x, np.zeros(n), width=0.6, color=_SATISFIED_COLOR, zorder=2)
        # narrow, so that the score bar (from 0) stays visible whether the line is above or
        # below 0: with the line below 0 a full-width hinge bar would hide where the bar starts
        self.hinge_bars = ax.bar(
            x, np.zeros(n), width=0.22, color=VIOLATION_COLOR, alpha=0.95, zorder=3
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
                ylabel_x,
                0.5,
                ylabel,
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
            [
                ax.text(k, 0.0, "", ha="center", fontsize=_SCORE_FONTSIZE, zorder=5, clip_on=True)
                for k in x
            ]
            if show_scores
            else []
        )
        if self.fixed_y is not None:
            self.term_texts[self.fixed_y].set_text(correct_label)
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
        if self.score_texts:
            # a label is as high as its font size: in data units, from the axes' height
            fig_height = self.ax.figure.get_size_inches()[1]
            axes_inches = self.ax.get_position().height * fig_height
            label_height = _SCORE_FONTSIZE / 72 * (hi - lo) / axes_inches
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
                label_y, va = score_label_position(s[k], line, pad, label_height, (lo, hi))
                self.score_texts[k].set_text(format_score(s[k]))
                self.score_texts[k].set_y(label_y)
                self.score_texts[k].set_va(va)
            if k == self.fixed_y:
                continue
            if k == y:
                self.term_texts[k].set_text(self.correct_label)
                self.term_texts[k].set_color("0.3")
            else:
                self.term_texts[k].set_text(f"+{format_score(terms[k])}" if terms[k] > 0 else "0")
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
        get_ax(ax), names, ylim=ylim, title=title, show_yaxis=show_yaxis, show_scores=show_scores
    )
    bars.update(s, label, d)
    return bars
