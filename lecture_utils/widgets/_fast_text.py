"""Text that is cheap to redraw: number labels as glyph outlines, panels with a live scale.

Why this is its own concern: text is the slowest thing matplotlib draws (every glyph is
rasterized again on every draw, and a tick axis costs about 5 ms), and a live app has 40 ms a
frame. The helpers here keep the changing text of a frame small:

- fixed titles are plain texts (an axes title is laid out again on every draw), so they can be
  baked into the static layer (``App._bake``);
- many small numbers (which example is which) are glyph *outlines* in one ``PathCollection``,
  one draw call instead of one text each, with the outlines cached;
- a panel whose y range follows the data keeps fixed axes (baked once) with y in [0, 1]: the
  data are drawn divided by a "nice" top value, and only two tick labels showing that value are
  live texts.

Used by the classifier playground (:mod:`.playground`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, ScaledTranslation, Transform


def _nice_ceiling(x: float) -> float:
    """The smallest of 0.1, 0.2, 0.5, 1, 2, 5, 10, ... that is >= 1.05 x."""
    target = max(1.05 * float(x), 0.1)
    exponent = np.floor(np.log10(target))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        value = mantissa * 10.0**exponent
        if value >= target * (1 - 1e-12):
            return float(value)
    return float(10.0 ** (exponent + 1))  # pragma: no cover (10 * 10**e always qualifies)


def _title(ax: Axes, text: str, ha: str = "left") -> Text:
    """A fixed title above ``ax`` (a plain text: an axes title is re-laid out every draw)."""
    x = 0.5 if ha == "center" else 0.0
    return ax.text(x, 1.03, text, transform=ax.transAxes, ha=ha, va="bottom", fontsize=10)


def _number_labels(ax: Axes, offset_transform: Transform, **kwargs: Any) -> PathCollection:
    """An empty collection of number labels (glyph outlines), filled by _set_number_labels."""
    labels = PathCollection(
        [],
        offsets=np.zeros((0, 2)),
        offset_transform=offset_transform,
        facecolors="k",
        edgecolors="none",
        **kwargs,
    )
    labels.set_transform(Affine2D().scale(ax.figure.dpi / 72.0))  # path units: points
    ax.add_collection(labels, autolim=False)
    return labels


@functools.lru_cache(maxsize=2048)
def _number_path(number: int, shift: tuple[float, float], centred: bool) -> Path:
    """The outline of ``number`` in 8-point glyphs, moved by ``shift`` points (cached)."""
    dx = -TextPath((0.0, 0.0), str(number), size=8).get_extents().width / 2 if centred else 0.0
    return TextPath((shift[0] + dx, shift[1]), str(number), size=8)


def _set_number_labels(
    labels: PathCollection,
    numbers: np.ndarray,
    where: np.ndarray,
    shift: tuple[float, float],
    centred: bool = False,
) -> None:
    """Show ``numbers`` at the points ``where`` (N, 2), moved by ``shift`` points."""
    labels.set_paths([_number_path(int(k), shift, centred) for k in numbers])
    labels.set_offsets(np.asarray(where, dtype=float).reshape(-1, 2))


def _fixed_unit_axes(ax: Axes, xlim: tuple[float, float]) -> None:
    """Axes for values divided by a scale: y in [0, 1], ticks at 0, 0.5, 1, only "0" labelled."""
    ax.set_xlim(*xlim)
    ax.set_ylim(0.0, 1.06)
    ax.set_yticks([0.0, 0.5, 1.0], ["0", "", ""])
    ax.tick_params(labelsize=8)


def _scale_texts(ax: Axes) -> tuple[Text, Text]:
    """Live tick labels for y = 0.5 and y = 1 of a :func:`_fixed_unit_axes`."""
    pad = ax.yaxis.get_major_ticks()[0].get_pad() + ax.yaxis.get_major_ticks()[0].get_tick_padding()
    offset = ScaledTranslation(-pad / 72, 0, ax.figure.dpi_scale_trans)
    where = ax.get_yaxis_transform() + offset
    return tuple(  # type: ignore[return-value]
        ax.text(0, y, "", transform=where, ha="right", va="center", fontsize=8) for y in (0.5, 1.0)
    )


def _show_scale(texts: tuple[Text, Text], top: float) -> None:
    texts[0].set_text(f"{top / 2:g}")
    texts[1].set_text(f"{top:g}")
