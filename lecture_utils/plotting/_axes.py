"""Which axes a plot helper draws on: the one given, or pyplot's current axes."""

from __future__ import annotations

from matplotlib.axes import Axes


def get_ax(ax: Axes | None) -> Axes:
    """``ax`` itself, or pyplot's current axes when ``ax`` is None (static use in a notebook).

    pyplot is imported only then, so the live apps, which always pass their axes, never
    touch it.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only for static use in a notebook

    return plt.gca()
