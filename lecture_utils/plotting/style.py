"""The lecture's visual conventions: one colour per class, the violation colour, numbers.

Every picture of :mod:`lecture_utils.plotting` and every live app uses these, so class k has
the same colour everywhere and numbers are written as the lecture writes them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, to_rgba

from .._validation import check_finite_number, check_positive_int

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


def format_score(x: float) -> str:
    """A score as the lecture's table writes it: one decimal at least, two at most.

    Like :func:`format_number`, but a whole number keeps its ``.0``, so that every score of
    a picture has the same form (the lecture's table writes the car image's frog score 2.0).

    Parameters
    ----------
    x : float

    Returns
    -------
    str

    Examples
    --------
    >>> format_score(2.0), format_score(-3.1), format_score(5.2667), format_score(-0.001)
    ('2.0', '-3.1', '5.27', '0.0')
    """
    text = format_number(x)
    return text if "." in text else f"{text}.0"


def format_probability(p: float, decimals: int = 2) -> str:
    """A probability rounded to ``decimals`` places that never reads as 0 or 1 when it is not.

    Softmax gives every class a probability strictly between 0 and 1, but plain rounding
    writes P(frog) = 0.00097 as ``0.00``. Values that would round to 0 or
    to 1 are written as bounds instead (same width, so a label does not jump).

    Parameters
    ----------
    p : float
        A probability, in [0, 1].
    decimals : int, default 2

    Returns
    -------
    str

    Examples
    --------
    >>> format_probability(0.8691)
    '0.87'
    >>> format_probability(0.00097), format_probability(0.00097, decimals=3)
    ('<0.01', '0.001')
    >>> format_probability(0.9996)
    '>0.99'
    >>> format_probability(0.0), format_probability(1.0)
    ('0.00', '1.00')
    """
    v = check_finite_number(p, "p")
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {v}")
    d = check_positive_int(decimals, "decimals")
    text = f"{v:.{d}f}"
    if 0.0 < v and float(text) == 0.0:
        return f"<{10.0**-d:.{d}f}"
    if v < 1.0 and float(text) == 1.0:
        return f">{1.0 - 10.0**-d:.{d}f}"
    return text


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
