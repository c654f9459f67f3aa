"""Pictures of regularization ideas (notebook 03): dropout, batch normalization, stochastic depth.

Static helpers: the notebook computes the idea in a few numpy lines, these draw it.

- :func:`plot_activation_grid`: a layer's activations, dropped units greyed out and crossed.
- :func:`plot_feature_histograms`: one histogram per feature, before/after normalization.
- :func:`plot_stochastic_depth`: residual blocks skipped at random in each training step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validation import as_float_array, check_nonnegative, check_positive_int
from ._axes import get_ax
from .style import CLASS_COLORS, class_colors, format_number

_DROPPED_COLOR = "#d9d9d9"


def plot_activation_grid(
    activations: Any,
    keep: Any = None,
    ax: Axes | None = None,
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
) -> dict[str, Any]:
    """A layer's activations as a grid of coloured cells; dropped units greyed out and crossed.

    Parameters
    ----------
    activations : array_like of shape (H, W)
        One value per unit (e.g. a hidden layer reshaped to a grid).
    keep : array_like of bool, shape (H, W), optional
        Dropout mask: False marks a dropped unit. None draws every unit.
    ax : matplotlib Axes, optional
    cmap : str, default "viridis"
    vmin, vmax : float, optional
        Colour scale limits (default: the kept units' range). Give two panels the same
        limits so their colours compare, e.g. activations before and after inverted dropout.

    Returns
    -------
    dict
        ``"image"``: the AxesImage of the kept units; ``"dropped"``: the PathCollection of the
        crosses on dropped units (None when nothing is dropped).
    """
    a = as_float_array(activations, "activations", ndim=2)
    if keep is None:
        mask = np.ones(a.shape, dtype=bool)
    else:
        mask = np.asarray(keep)
        if mask.dtype != np.bool_ or mask.shape != a.shape:
            raise ValueError(
                f"keep must be a bool array of shape {a.shape} (like activations), got "
                f"dtype {mask.dtype} and shape {mask.shape}"
            )
    ax = get_ax(ax)
    ax.set_facecolor(_DROPPED_COLOR)
    image = ax.imshow(
        np.where(mask, a, np.nan), cmap=cmap, interpolation="nearest", vmin=vmin, vmax=vmax
    )
    dropped = None
    rows, cols = np.nonzero(~mask)
    if rows.size:
        dropped = ax.scatter(cols, rows, marker="x", s=40, color="#555555", linewidths=1.2)
    ax.set_xticks(np.arange(a.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(a.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    return {"image": image, "dropped": dropped}


def plot_feature_histograms(
    features: Any,
    ax: Axes | None = None,
    bins: int = 30,
    value_range: tuple[float, float] | None = None,
    names: Sequence[str] | None = None,
) -> list[Any]:
    """One outlined histogram per feature (column), in the class colours.

    Parameters
    ----------
    features : array_like of shape (N, F)
        N samples of F features (e.g. a minibatch of one layer's activations).
    ax : matplotlib Axes, optional
    bins : int, default 30
    value_range : (float, float), optional
        Range of the bins (default: the data's range), shared by all features so that
        histograms drawn in two panels can be compared.
    names : sequence of F str, optional
        Legend labels (default "feature 0", "feature 1", ...).

    Returns
    -------
    list
        The patches of each feature's histogram, in column order.
    """
    x = as_float_array(features, "features", ndim=2)
    n_bins = check_positive_int(bins, "bins")
    f = x.shape[1]
    labels = list(names) if names is not None else [f"feature {k}" for k in range(f)]
    if len(labels) != f:
        raise ValueError(f"names has {len(labels)} labels but features has {f} columns")
    lo, hi = value_range if value_range is not None else (float(x.min()), float(x.max()))
    ax = get_ax(ax)
    colors = class_colors(f)
    patches = []
    for k in range(f):
        *_, p = ax.hist(
            x[:, k],
            bins=n_bins,
            range=(lo, hi),
            histtype="step",
            linewidth=1.8,
            color=colors[k],
            label=labels[k],
        )
        patches.append(p)
    return patches


def plot_stochastic_depth(
    keep: Any, ax: Axes | None = None, survival: float | None = None
) -> dict[str, Any]:
    """Residual blocks of a deep network, some skipped at random in each training step.

    Each row is one training step, each box one residual block; a kept block is drawn in
    colour, a skipped one as a dashed outline, and the identity (skip) connection runs
    under every row. A last row shows test time, where every block is used.

    Parameters
    ----------
    keep : array_like of bool, shape (S, B)
        ``keep[s, b]`` is whether block b runs in training step s.
    ax : matplotlib Axes, optional
    survival : float, optional
        The survival probability, written in the test row ("output scaled by p").

    Returns
    -------
    dict
        ``"kept"`` and ``"skipped"``: lists of the Rectangle patches.
    """
    from matplotlib.patches import Rectangle

    mask = np.asarray(keep)
    if mask.dtype != np.bool_ or mask.ndim != 2 or 0 in mask.shape:
        raise ValueError(
            f"keep must be a non-empty 2-D bool array (steps, blocks), got dtype {mask.dtype} "
            f"and shape {mask.shape}"
        )
    n_steps, n_blocks = mask.shape
    rows = np.vstack([mask, np.ones((1, n_blocks), dtype=bool)])
    ax = get_ax(ax)
    kept, skipped = [], []
    color = CLASS_COLORS[0]
    for r, row in enumerate(rows):
        yc = -r
        ax.plot([-0.6, n_blocks - 0.4], [yc, yc], color="#888888", linewidth=1, zorder=0)
        for b, on in enumerate(row):
            box = Rectangle(
                (b - 0.35, yc - 0.3),
                0.7,
                0.6,
                facecolor=color if on else "none",
                edgecolor=color if on else "#999999",
                linestyle="-" if on else "--",
                linewidth=1.2,
            )
            ax.add_patch(box)
            (kept if on else skipped).append(box)
        label = f"step {r + 1}" if r < n_steps else "test"
        ax.text(-0.8, yc, label, ha="right", va="center", fontsize=9)
    if survival is not None:
        p = check_nonnegative(survival, "survival")
        ax.text(
            n_blocks - 0.4,
            -n_steps - 0.5,
            f"every block, output × p = {format_number(p)}",
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.set_xlim(-2.0, n_blocks - 0.2)
    ax.set_ylim(-n_steps - 0.9, 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"kept": kept, "skipped": skipped}
