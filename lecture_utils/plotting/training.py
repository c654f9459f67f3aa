"""Training a linear classifier (notebook 08): learned weights as images, grid-search heat map.

- :func:`plot_class_templates` / :class:`ClassTemplates`: the columns of W as images.
- :func:`plot_grid_search`: validation scores over a step size x regularization grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validation import as_float_array, check_positive_int
from ._axes import get_ax


def _template_mosaic(W: np.ndarray, image_shape: tuple[int, int], n_cols: int) -> np.ndarray:
    """Columns of W as tiles of ``image_shape`` in a grid with NaN gaps (2 rows under a tile,
    for its label; 1 column between tiles)."""
    h, w = image_shape
    n_classes = W.shape[1]
    n_rows = -(-n_classes // n_cols)
    mosaic = np.full((n_rows * (h + 2) - 1, n_cols * (w + 1) - 1), np.nan)
    for j in range(n_classes):
        r, c = divmod(j, n_cols)
        tile = W[:, j].reshape(h, w)
        mosaic[r * (h + 2) : r * (h + 2) + h, c * (w + 1) : c * (w + 1) + w] = tile
    return mosaic


class ClassTemplates:
    r"""The columns of W shown as images: what each class's linear score "looks for".

    Column :math:`W_{:, j}` has one weight per pixel; reshaped to the image's shape it is class
    j's *template*: the score :math:`s_j = x \cdot W_{:, j}` is high when the image has ink
    (large pixel values; the digits are drawn with dark ink) where the template is red
    (positive) and no ink where it is blue (negative). All tiles share
    one colour scale, symmetric around 0, up to the 99th percentile of :math:`|W|` (larger
    weights saturate). Build with :func:`plot_class_templates`; change with
    :meth:`update`.

    Attributes
    ----------
    image : AxesImage
        The mosaic of all templates (gaps are NaN, drawn as the axes background).
    labels : list of Text
        Each tile's class name.
    colorbar : Colorbar or None
        The colour scale, when :func:`plot_class_templates` drew one.
    """

    def __init__(
        self,
        ax: Axes,
        n_classes: int,
        image_shape: tuple[int, int],
        class_names: Sequence[str] | None = None,
        n_cols: int | None = None,
        cmap: str = "RdBu_r",
    ) -> None:
        self.ax = ax
        self.image_shape = (int(image_shape[0]), int(image_shape[1]))
        self.n_classes = check_positive_int(n_classes, "n_classes")
        self.n_cols = min(
            self.n_classes, 5 if n_cols is None else check_positive_int(n_cols, "n_cols")
        )
        names = [str(j) for j in range(self.n_classes)] if class_names is None else class_names
        if len(names) != self.n_classes:
            raise ValueError(f"class_names has {len(names)} names but W has {n_classes} columns")
        h, w = self.image_shape
        mosaic = _template_mosaic(np.zeros((h * w, self.n_classes)), self.image_shape, self.n_cols)
        self.image = ax.imshow(mosaic, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        self.colorbar: Any = None
        self.labels = []
        for j, name in enumerate(names):
            r, c = divmod(j, self.n_cols)
            self.labels.append(
                ax.text(
                    c * (w + 1) + (w - 1) / 2,
                    r * (h + 2) + h - 0.45,
                    str(name),
                    ha="center",
                    va="top",
                    fontsize=8,
                )
            )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        n_rows = -(-self.n_classes // self.n_cols)
        ax.set_xlim(-0.5, self.n_cols * (w + 1) - 1.5)
        ax.set_ylim(n_rows * (h + 2) - 1.5, -0.5)

    def update(self, W: Any) -> None:
        """Show the weights ``W`` of shape (D, C), D = height * width of ``image_shape``."""
        W = as_float_array(W, "W", ndim=2)
        h, w = self.image_shape
        if W.shape != (h * w, self.n_classes):
            raise ValueError(
                f"W must have shape ({h * w}, {self.n_classes}) for {self.n_classes} templates "
                f"of {h} x {w} pixels, got {W.shape}"
            )
        self.image.set_data(_template_mosaic(W, self.image_shape, self.n_cols))
        # symmetric scale at the 99th percentile of |W|: the few largest weights do not wash
        # out every other tile
        scale = float(np.percentile(np.abs(W), 99)) or float(np.abs(W).max()) or 1.0
        self.image.set_clim(-scale, scale)


def plot_class_templates(
    W: Any,
    image_shape: tuple[int, int] = (8, 8),
    class_names: Sequence[str] | None = None,
    n_cols: int | None = None,
    ax: Axes | None = None,
    cmap: str = "RdBu_r",
    colorbar: bool = True,
) -> ClassTemplates:
    r"""Draw each column of W as an image (the learned class templates).

    Parameters
    ----------
    W : array_like of shape (D, C)
        Weights, one column per class; D = height * width (e.g. 64 for 8 x 8 digits). For a
        :class:`~lecture_utils.classifier.LinearClassifier` pass ``clf.W_`` (weights on
        standardized pixels).
    image_shape : (int, int), default (8, 8)
        (height, width) of one image.
    class_names : sequence of str of length C, optional
        Written under each tile (default: "0", "1", ...).
    n_cols : int, optional
        Tiles per row (default 5).
    ax : Axes, optional
    cmap : str, default "RdBu_r"
        A diverging colormap: red = positive weight, blue = negative, white = 0.
    colorbar : bool, default True
        Draw the colour scale next to the tiles, labelled with what a colour means.

    Returns
    -------
    ClassTemplates
        Its ``update(W)`` shows new weights in place.

    Examples
    --------
    >>> import matplotlib.pyplot as plt   # doctest: +SKIP
    >>> plot_class_templates(clf.W_)     # doctest: +SKIP
    """
    W = as_float_array(W, "W", ndim=2)
    shape = tuple(int(s) for s in image_shape)
    if len(shape) != 2 or shape[0] * shape[1] != W.shape[0]:
        raise ValueError(
            f"image_shape {tuple(image_shape)} does not fit W's {W.shape[0]} rows: "
            "height * width must equal D"
        )
    templates = ClassTemplates(get_ax(ax), W.shape[1], shape, class_names, n_cols, cmap)
    templates.update(W)
    if colorbar:
        templates.colorbar = templates.ax.figure.colorbar(
            templates.image, ax=templates.ax, fraction=0.05, pad=0.02, shrink=0.7
        )
        templates.colorbar.set_label("weight $W_{i,j}$\n(+: ink at pixel i raises $s_j$)")
    return templates


def plot_grid_search(
    values: Any,
    step_sizes: Sequence[float],
    regs: Sequence[float],
    ax: Axes | None = None,
    cmap: str = "viridis",
    value_format: str = "{:.3f}",
    label: str = "validation accuracy",
) -> Any:
    r"""Heat map of a step-size x regularization grid search, best cell outlined.

    Parameters
    ----------
    values : array_like of shape (n_step_sizes, n_regs)
        ``values[i, j]`` is the score (higher is better, e.g. validation accuracy) of
        ``step_sizes[i]`` with ``regs[j]``. NaN marks a run that failed (diverged).
    step_sizes : sequence of float
        The rows' step sizes :math:`\eta` (the axis is labelled "step size η").
    regs : sequence of float
        The columns' regularization strengths :math:`\lambda`.
    ax : Axes, optional
    cmap : str, default "viridis"
    value_format : str, default "{:.3f}"
        Format of the number written in each cell.
    label : str, default "validation accuracy"
        The colour bar's label.

    Returns
    -------
    AxesImage
        The heat map (``image.axes`` holds the outline and texts).
    """
    from matplotlib.patches import Rectangle

    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape != (len(step_sizes), len(regs)):
        raise ValueError(
            f"values must have shape (len(step_sizes), len(regs)) = "
            f"({len(step_sizes)}, {len(regs)}), got {v.shape}"
        )
    if np.isnan(v).all():
        raise ValueError("values are all NaN: nothing to show")
    ax = get_ax(ax)
    image = ax.imshow(v, cmap=cmap, origin="upper", aspect="auto")
    finite = v[np.isfinite(v)]
    middle = 0.5 * (finite.min() + finite.max())
    for i in range(v.shape[0]):
        for j in range(v.shape[1]):
            text = "diverged" if np.isnan(v[i, j]) else value_format.format(v[i, j])
            dark = np.isfinite(v[i, j]) and v[i, j] < middle
            ax.text(
                j, i, text, ha="center", va="center", fontsize=9, color="white" if dark else "black"
            )
    best = np.unravel_index(np.nanargmax(v), v.shape)
    ax.add_patch(
        Rectangle((best[1] - 0.5, best[0] - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2.5)
    )
    ax.set_xticks(range(len(regs)), [f"{r:g}" for r in regs])
    ax.set_yticks(range(len(step_sizes)), [f"{r:g}" for r in step_sizes])
    ax.set_xlabel(r"regularization strength $\lambda$")
    ax.set_ylabel(r"step size $\eta$")
    colorbar = ax.figure.colorbar(image, ax=ax)
    colorbar.set_label(label)
    return image
