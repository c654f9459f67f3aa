"""The lecture's visual conventions: one colour per class, the violation colour, numbers.

Every picture of :mod:`lecture_utils.plotting` and every live app uses these, so class k has
the same colour everywhere and numbers are written as the lecture writes them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, to_rgba

from .._validation import check_positive_int

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


def format_number(x: float) -> str:
    """A number as the lecture writes it: 2.90 -> '2.9', 0.00 -> '0', 5.2667 -> '5.27'."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
