r"""Static plot helpers shared by the notebooks and the live apps.

Every helper takes ``ax=None`` (then it draws on pyplot's current axes), draws, and returns
its artists; none calls ``plt.show()`` and importing this module changes no ``rcParams``.

Two helpers return a small object that keeps its artists and can change them in place with
``.update(...)``: the live apps of :mod:`lecture_utils.widgets` build their pictures from
these, so a static figure in a notebook and the live view look the same.

One module per topic; every public name is also available here, as
``lecture_utils.plotting.<name>``:

- :mod:`~lecture_utils.plotting.style`: :data:`CLASS_COLORS`, :func:`class_colors`,
  :func:`region_colormap` (one colour per class everywhere), :data:`VIOLATION_COLOR`,
  :func:`format_number`, :func:`format_score`, :func:`format_probability`.
- :mod:`~lecture_utils.plotting.margins`: :func:`plot_margin_bars` / :class:`MarginBars`:
  one example's class scores as bars, the margin line :math:`s_{y_i} - \Delta`, and each
  hinge term :math:`\max(0, s_j - s_{y_i} + \Delta)`; :func:`score_label_position` (where a
  score's label goes, clear of the margin line).
- :mod:`~lecture_utils.plotting.regions`: :func:`plot_decision_regions` /
  :class:`DecisionRegions`: the winning class of a linear classifier on a grid, the exact
  decision boundary, and the data points; :func:`decision_boundary_segments` (the boundary
  as line segments, no contouring), :func:`zero_score_segments`, :func:`data_extent`.
- :mod:`~lecture_utils.plotting.surfaces`: :func:`plot_loss_surface` / :class:`LossSurface`,
  :func:`plot_descent_path` / :class:`DescentPath`, :func:`surface_levels` (notebooks 06-07).
- :mod:`~lecture_utils.plotting.regularization_pictures`: :func:`plot_activation_grid`,
  :func:`plot_feature_histograms`, :func:`plot_stochastic_depth`: static pictures of
  dropout, batch normalization and stochastic depth (notebook 03).
- :mod:`~lecture_utils.plotting.training`: :func:`plot_class_templates` /
  :class:`ClassTemplates`, :func:`plot_grid_search` (notebook 08).
"""

from .margins import MarginBars, plot_margin_bars, score_label_position
from .regions import (
    DecisionRegions,
    data_extent,
    decision_boundary_segments,
    plot_decision_regions,
    zero_score_segments,
)
from .regularization_pictures import (
    plot_activation_grid,
    plot_feature_histograms,
    plot_stochastic_depth,
)
from .style import (
    CLASS_COLORS,
    VIOLATION_COLOR,
    class_colors,
    format_number,
    format_probability,
    format_score,
    region_colormap,
)
from .surfaces import (
    PATH_COLOR,
    SGD_COLOR,
    SURFACE_ALPHA,
    SURFACE_CMAP,
    DescentPath,
    LossSurface,
    plot_descent_path,
    plot_loss_surface,
    surface_levels,
)
from .training import ClassTemplates, plot_class_templates, plot_grid_search

__all__ = [
    "CLASS_COLORS",
    "VIOLATION_COLOR",
    "format_number",
    "format_probability",
    "format_score",
    "class_colors",
    "region_colormap",
    "MarginBars",
    "plot_margin_bars",
    "score_label_position",
    "data_extent",
    "decision_boundary_segments",
    "DecisionRegions",
    "plot_decision_regions",
    # pictures of regularization ideas (notebook 03)
    "plot_activation_grid",
    "plot_feature_histograms",
    "plot_stochastic_depth",
    "zero_score_segments",
    # training a linear classifier (notebook 08)
    "ClassTemplates",
    "plot_class_templates",
    "plot_grid_search",
    # loss surfaces and descent paths (notebooks 06-07)
    "PATH_COLOR",
    "SGD_COLOR",
    "SURFACE_CMAP",
    "SURFACE_ALPHA",
    "surface_levels",
    "LossSurface",
    "plot_loss_surface",
    "DescentPath",
    "plot_descent_path",
]
