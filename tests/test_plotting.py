"""Tests of the static plot helpers the apps are built from (lecture_utils.plotting, first part).

The helpers added for later notebooks (loss surfaces, dropout pictures, ...) are tested in
``test_plotting_pictures.py``.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from lecture_utils.plotting import (
    CLASS_COLORS,
    VIOLATION_COLOR,
    DecisionRegions,
    MarginBars,
    class_colors,
    data_extent,
    decision_boundary_segments,
    format_number,
    format_probability,
    format_score,
    plot_decision_regions,
    plot_margin_bars,
    region_colormap,
    score_label_position,
)


def new_ax():
    return Figure().add_subplot()


def test_import_changes_no_rcparams_and_opens_no_figure():
    code = (
        "import matplotlib; before = dict(matplotlib.rcParams)\n"
        "import lecture_utils.plotting, lecture_utils.widgets\n"
        "after = dict(matplotlib.rcParams)\n"
        "changed = sorted(k for k in before if str(before[k]) != str(after[k]))\n"
        "import matplotlib.pyplot as plt\n"
        "print(changed, plt.get_fignums())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.9, "2.9"), (2.8999999999999995, "2.9"), (0.0, "0"), (-0.001, "0"), (5.2666, "5.27")],
)
def test_format_number_writes_numbers_as_the_lecture(value, text):
    assert format_number(value) == text
    assert format_number(12.9) == "12.9"
    assert format_number(-3.1) == "-3.1"


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.0, "2.0"), (2.9, "2.9"), (-3.1, "-3.1"), (5.2666, "5.27"), (0.0, "0.0"), (-0.001, "0.0")],
)
def test_format_score_always_has_a_decimal(value, text):
    # the lecture's table writes the car image's frog score as 2.0, next to 1.3 and 4.9
    assert format_score(value) == text


@pytest.mark.parametrize(
    ("p", "decimals", "text"),
    [
        (0.8691, 2, "0.87"),
        (0.13, 2, "0.13"),
        (0.00097, 2, "<0.01"),  # softmax's P(frog) on the cat image: positive, not 0.00
        (0.00097, 3, "0.001"),
        (0.0004, 3, "<0.001"),
        (0.9996, 2, ">0.99"),  # never certain either
        (0.0, 2, "0.00"),
        (1.0, 2, "1.00"),
    ],
)
def test_format_probability_never_rounds_a_positive_probability_to_0_or_1(p, decimals, text):
    assert format_probability(p, decimals) == text


def test_format_probability_rejects_what_is_not_a_probability():
    with pytest.raises(ValueError, match="p must be a probability"):
        format_probability(1.5)
    with pytest.raises(TypeError, match="p must be a real number"):
        format_probability("0.5")
    with pytest.raises(ValueError, match="decimals"):
        format_probability(0.5, decimals=0)


def test_class_colors_and_region_colormap():
    colors = class_colors(3)
    assert colors.shape == (3, 4)
    np.testing.assert_allclose(colors[1], to_rgba(CLASS_COLORS[1]))
    np.testing.assert_allclose(class_colors(len(CLASS_COLORS) + 1)[-1], colors[0])  # wraps
    light = region_colormap(3, lightness=0.5)
    # value k is class k's colour, half-way to white
    np.testing.assert_allclose(light(1)[:3], 0.5 * colors[1, :3] + 0.5)
    with pytest.raises(ValueError, match="n_classes must be >= 1"):
        class_colors(0)


# ---------------------------------------------------------------------------------------------
# Margin bars
# ---------------------------------------------------------------------------------------------


def test_margin_bars_show_the_lecture_cat_image():
    ax = new_ax()
    bars = plot_margin_bars([3.2, 5.1, -1.7], 0, ax=ax, class_names=["cat", "car", "frog"])
    assert isinstance(bars, MarginBars)
    np.testing.assert_allclose(bars.terms, [0.0, 2.9, 0.0])
    np.testing.assert_allclose([b.get_height() for b in bars.bars], [3.2, 5.1, -1.7])
    np.testing.assert_allclose(bars.margin_line.get_ydata(), [2.2, 2.2])  # s_y - delta
    # the red part of the car bar runs from the margin line to its top: the hinge term
    car = bars.hinge_bars[1]
    assert car.get_y() == pytest.approx(2.2) and car.get_height() == pytest.approx(2.9)
    assert bars.hinge_bars[2].get_height() == 0.0
    assert to_rgba(bars.bars[1].get_facecolor())[:3] == to_rgba(VIOLATION_COLOR)[:3]
    assert [t.get_text() for t in bars.term_texts] == ["correct", "+2.9", "0"]
    assert [t.get_text() for t in bars.score_texts] == ["3.2", "5.1", "-1.7"]
    assert bars.loss_text.get_text() == "$L_i$ = 2.9"


def test_margin_bars_update_in_place_and_delta():
    ax = new_ax()
    bars = plot_margin_bars([3.2, 5.1, -1.7], 0, ax=ax, ylim=(-5, 10))
    n_artists = len(ax.get_children())
    terms = bars.update([3.2, 5.1, -1.7], 0, delta=0.0)
    np.testing.assert_allclose(terms, [0.0, 1.9, 0.0])
    terms = bars.update([6.0, 5.1, -1.7], 0, delta=1.0)
    np.testing.assert_allclose(terms, [0.0, 0.1, 0.0], atol=1e-12)
    assert len(ax.get_children()) == n_artists  # nothing new was drawn
    assert ax.get_ylim() == (-5, 10)


def test_margin_bars_with_a_fixed_class_and_without_scores():
    ax = new_ax()
    bars = MarginBars(ax, ["a", "b"], ylim=(-1, 1), y=1, show_scores=False, show_yaxis=False)
    assert bars.score_texts == []
    assert bars.term_texts[1] in bars.static_artists()
    bars.update([0.5, 0.0], 1)
    np.testing.assert_allclose(bars.terms, [1.5, 0.0])
    assert bars.term_texts[1].get_text() == "correct"
    with pytest.raises(ValueError, match="built for correct class 1, got y=0"):
        bars.update([0.5, 0.0], 0)


def test_score_label_steps_over_the_margin_line():
    lim = (-6.5, 9.5)
    # clear of the line: just beyond the bar's end, away from 0
    assert score_label_position(3.2, 2.2, 0.5, 0.8, lim) == (3.7, "bottom")
    assert score_label_position(-1.7, 2.2, 0.5, 0.8, lim) == (-2.2, "top")
    # the lecture's frog image: frog -3.1 with its line at -4.1 would be crossed: below the line
    y, va = score_label_position(-3.1, -4.1, 0.48, 0.84, lim)
    assert va == "top" and y == pytest.approx(-4.58)
    # a positive bar just under the line: above the line
    y, va = score_label_position(1.5, 2.2, 0.5, 0.8, lim)
    assert va == "bottom" and y == pytest.approx(2.7)
    # no room beyond the line (it is near the bottom of the axes): just inside the bar's end
    y, va = score_label_position(-5.5, -6.2, 0.3, 0.8, lim)
    assert va == "bottom" and y == pytest.approx(-5.2)
    # nowhere fits: beyond the bar's end, as before
    assert score_label_position(0.0, 0.0, 1.0, 20.0, lim) == (1.0, "bottom")


def _crossings(bars, renderer):
    """Score labels that the margin line crosses (in pixels, at the rendered size)."""
    line_y = bars.ax.transData.transform((0.0, bars.margin_line.get_ydata()[0]))[1]
    crossed = []
    for text in bars.score_texts:
        box = text.get_window_extent(renderer)
        if box.y0 - 1 < line_y < box.y1 + 1:
            crossed.append(text.get_text())
    return crossed


def test_margin_bars_labels_never_sit_on_the_margin_line():
    fig = Figure(figsize=(2.8, 3.5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.2, 0.2, 0.75, 0.68))
    bars = MarginBars(ax, ["cat", "car", "frog"], ylim=(-6.5, 9.5), y=2)
    renderer = fig.canvas.get_renderer()
    bars.update([2.2, 2.5, -3.1], 2)  # the lecture's frog image: -3.1 above its line at -4.1
    assert _crossings(bars, renderer) == []
    frog = bars.score_texts[2]
    line_px = ax.transData.transform((0.0, -4.1))[1]
    assert frog.get_window_extent(renderer).y1 < line_px  # moved below the line
    rng = np.random.default_rng(0)
    for _ in range(200):  # any scores and margin the sliders allow
        s = np.round(rng.uniform(-5.0, 8.0, size=3), 1)
        bars.update(s, 2, delta=float(rng.choice([0.2, 0.5, 1.0])))
        assert _crossings(bars, renderer) == [], s


def test_plot_margin_bars_uses_pyplots_current_axes_without_ax():
    fig = plt.figure()
    try:
        bars = plot_margin_bars([1.0, 0.0], 0)
        assert bars.ax is plt.gca()
    finally:
        plt.close(fig)


def test_plot_margin_bars_rejects_bad_input():
    ax = new_ax()
    with pytest.raises(ValueError, match="labels in"):
        plot_margin_bars([1.0, 2.0], 2, ax=ax)
    with pytest.raises(ValueError, match="delta must be >= 0"):
        plot_margin_bars([1.0, 2.0], 0, delta=-1, ax=ax)
    with pytest.raises(ValueError, match="class_names has 3 names but there are 2 scores"):
        plot_margin_bars([1.0, 2.0], 0, class_names=["a", "b", "c"], ax=ax)
    with pytest.raises(ValueError, match="C >= 2"):
        plot_margin_bars([1.0], 0, ax=ax)
    with pytest.raises(ValueError, match="scores contains NaN"):
        plot_margin_bars([np.nan, 1.0], 0, ax=ax)


# ---------------------------------------------------------------------------------------------
# Decision regions
# ---------------------------------------------------------------------------------------------


def test_boundary_of_two_classes_is_the_line_where_their_scores_tie():
    # s_0 = x, s_1 = -x: the boundary is x = 0, from the bottom to the top of the box
    seg = decision_boundary_segments([[1.0, -1.0], [0.0, 0.0]], [0.0, 0.0], (-1, 1, -2, 2))
    assert seg.shape == (2, 2)
    np.testing.assert_allclose(np.sort(seg[1]), [-2, 2])
    np.testing.assert_allclose(seg[0], [0, 0], atol=1e-12)
    # shifted by the bias: s_0 - s_1 = 2x + 1 = 0 at x = -0.5
    seg = decision_boundary_segments([[1.0, -1.0], [0.0, 0.0]], [1.0, 0.0], (-1, 1, -2, 2))
    np.testing.assert_allclose(seg[0], [-0.5, -0.5])
    # equal classes (no boundary) and a boundary outside the box
    assert decision_boundary_segments(np.zeros((2, 2)), [0.0, 0.0], (-1, 1, -1, 1)).shape == (2, 0)
    seg = decision_boundary_segments([[1.0, -1.0], [0.0, 0.0]], [5.0, 0.0], (-1, 1, -1, 1))
    assert seg.shape == (2, 0)


def test_boundary_of_three_classes_is_where_the_top_two_tie():
    rng = np.random.default_rng(3)
    extent = (-2.0, 2.0, -1.5, 1.5)
    for _ in range(20):
        W, b = rng.normal(size=(2, 3)), rng.normal(size=3)
        seg = decision_boundary_segments(W, b, extent)
        pieces = np.split(seg, np.flatnonzero(np.isnan(seg[0])), axis=1)
        for piece in pieces:
            piece = piece[:, ~np.isnan(piece[0])]
            if piece.size == 0:
                continue
            for t in np.linspace(0, 1, 5):
                p = (1 - t) * piece[:, 0] + t * piece[:, 1]
                assert extent[0] - 1e-9 <= p[0] <= extent[1] + 1e-9
                assert extent[2] - 1e-9 <= p[1] <= extent[3] + 1e-9
                s = np.sort(p @ W + b)
                assert s[2] - s[1] == pytest.approx(0, abs=1e-9)  # the top two tie


def _distance_to_segments(points: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Distance of each point (M, 2) to the nearest segment of a NaN-separated polyline."""
    ends = [p[:, ~np.isnan(p[0])] for p in np.split(seg, np.flatnonzero(np.isnan(seg[0])), 1)]
    best = np.full(len(points), np.inf)
    for e in ends:
        a, b = e[:, 0], e[:, 1]
        t = np.clip((points - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
        best = np.minimum(best, np.linalg.norm(points - (a + t[:, None] * (b - a)), axis=1))
    return best


def test_boundary_matches_the_regions_on_the_grid():
    W = np.array([[1.0, -0.5, -0.5], [0.0, 0.8, -0.8]])
    b = np.array([0.1, 0.0, -0.2])
    res = 100
    regions = plot_decision_regions(W, b, ax=new_ax(), extent=(-1, 1, -1, 1), resolution=res)
    labels = regions.predict(W, b)
    centres = regions.grid.reshape(res, res, 2)
    seg = decision_boundary_segments(W, b, regions.extent)
    assert np.count_nonzero(np.isnan(seg[0])) == 2  # three segments meeting inside the box
    # wherever neighbouring cells differ in class, the boundary passes between them ...
    changed = labels[:, 1:] != labels[:, :-1]
    midpoints = (centres[:, 1:][changed] + centres[:, :-1][changed]) / 2
    assert len(midpoints) > 50
    cell = 2 / res
    assert _distance_to_segments(midpoints, seg).max() <= cell
    # ... and cells far from the boundary never change class across it
    far = _distance_to_segments(regions.grid, seg) > 2 * cell
    near_change = np.zeros((res, res), dtype=bool)
    near_change[:, 1:] |= changed
    near_change[:, :-1] |= changed
    assert not (far & near_change.ravel()).any()


def test_decision_regions_colour_each_cell_by_its_winning_class():
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    y = np.array([0, 1])
    W = np.array([[-1.0, 1.0], [0.0, 0.0]])
    regions = plot_decision_regions(W, [0.0, 0.0], X, y, ax=new_ax(), resolution=20)
    assert isinstance(regions, DecisionRegions)
    assert regions.grid.shape == (400, 2)
    pixels = regions.image.get_array()
    assert pixels.shape == (20, 20, 4)
    lut = (region_colormap(2)(np.arange(2)) * 255).round().astype(np.uint8)
    np.testing.assert_array_equal(pixels[:, 0], np.tile(lut[0], (20, 1)))  # left: class 0
    np.testing.assert_array_equal(pixels[:, -1], np.tile(lut[1], (20, 1)))  # right: class 1
    assert regions.points.get_offsets().shape == (2, 2)
    assert regions.extent == data_extent(X)
    regions.update(-W, [0.0, 0.0])  # in place: now the other way round
    np.testing.assert_array_equal(regions.image.get_array()[:, 0], np.tile(lut[1], (20, 1)))


def test_data_extent_and_decision_regions_errors():
    np.testing.assert_allclose(data_extent([[0, 0], [10, 20]], margin=0.1), (-1, 11, -2, 22))
    ax = new_ax()
    with pytest.raises(ValueError, match=r"W must have shape \(2, C\)"):
        plot_decision_regions(np.zeros((3, 2)), [0, 0], ax=ax)
    with pytest.raises(ValueError, match=r"b must have shape \(C,\) = \(2,\)"):
        plot_decision_regions(np.zeros((2, 2)), [0, 0, 0], ax=ax)
    with pytest.raises(ValueError, match="y is required with X"):
        plot_decision_regions(np.zeros((2, 2)), [0, 0], X=[[0, 0]], ax=ax)
    with pytest.raises(ValueError, match="labels in"):
        plot_decision_regions(np.zeros((2, 2)), [0, 0], X=[[0, 0]], y=[5], ax=ax)


def test_the_package_re_exports_every_public_name_of_its_topic_modules():
    import importlib
    import pkgutil

    import lecture_utils.plotting as plotting

    topics = [m.name for m in pkgutil.iter_modules(plotting.__path__) if not m.name.startswith("_")]
    assert sorted(topics) == [
        "margins",
        "regions",
        "regularization_pictures",
        "style",
        "surfaces",
        "training",
    ]
    exported = set()
    for topic in topics:
        module = importlib.import_module(f"lecture_utils.plotting.{topic}")
        public = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and getattr(value, "__module__", module.__name__) == module.__name__
            and not isinstance(value, type(module))
            and name != "annotations"
        }
        assert public <= set(plotting.__all__), (topic, public - set(plotting.__all__))
        for name in public:
            assert getattr(plotting, name) is getattr(module, name)
        exported |= public
    assert exported == set(plotting.__all__)


def test_plot_grid_search_rows_are_step_sizes():
    from lecture_utils.plotting import plot_grid_search

    ax = new_ax()
    values = np.array([[0.5, 0.6], [0.7, np.nan], [0.2, 0.1]])
    image = plot_grid_search(values, step_sizes=[0.01, 0.1, 1.0], regs=[0.0, 1e-3], ax=ax)
    np.testing.assert_array_equal(np.ma.getdata(image.get_array()), values)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.01", "0.1", "1"]
    assert ax.get_ylabel() == r"step size $\eta$"  # one name for η, as the apps' sliders
    (outline,) = ax.patches
    assert outline.get_xy() == (-0.5, 0.5)  # row 1 (step size 0.1), column 0 (reg 0)
    with pytest.raises(ValueError, match=r"len\(step_sizes\), len\(regs\)\) = \(2, 2\)"):
        plot_grid_search(values, [0.1, 1.0], [0.0, 1e-3], ax=ax)
    with pytest.raises(TypeError, match="learning_rates"):
        plot_grid_search(values, learning_rates=[0.01, 0.1, 1.0], regs=[0.0, 1e-3], ax=ax)
