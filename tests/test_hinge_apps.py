"""The hinge-loss apps with the lecture's hand-checked numbers.

``HingeTableApp``: the lecture's table of three images' scores, every ``max(0, .)`` term written
out, its bars, score labels and axis label laid out clear of each other. ``MarginsApp``: one
example under ``W`` sliders, ``delta`` and ``scale``. (The contract every app keeps is tested
in ``tests/test_app_contract.py``.)
"""

from __future__ import annotations

import numpy as np
import pytest
from _app_driving import (
    close_apps_after_each_test,  # noqa: F401 (autouse fixture)
    default_app,
    render,
)

import lecture_utils.widgets as W

# ---------------------------------------------------------------------------------------------
# HingeTableApp: the lecture's numbers
# ---------------------------------------------------------------------------------------------


def test_hinge_table_default_shows_the_lecture_numbers():
    app = default_app("HingeTableApp")
    np.testing.assert_allclose(app.losses, [2.9, 0.0, 12.9])
    assert round(app.loss, 2) == 5.27
    html = app.readout.value
    for text in ("<b>2.9</b>", "<b>0</b>", "<b>12.9</b>", "<b>5.27</b>"):
        assert text in html
    # every max(0, .) term written out; the violated ones highlighted
    assert "max(0, 5.1 − 3.2 + 1) = 2.9" in html
    assert "max(0, -1.7 − 3.2 + 1) = 0" in html
    assert "max(0, 2.5 − -3.1 + 1) = 6.6" in html
    assert html.count("color:") == 3  # cat image: car; frog image: cat and car
    # the same numbers in the figure, for the static image
    assert app.total_text.get_text() == "$L$ = (2.9 + 0 + 12.9) / 3 = 5.27"
    assert [p.title.get_text() for p in app.panels] == ["cat image", "car image", "frog image"]
    assert [p.loss_text.get_text() for p in app.panels] == [
        "$L_i$ = 2.9",
        "$L_i$ = 0",
        "$L_i$ = 12.9",
    ]
    assert [t.get_text() for t in app.panels[2].term_texts] == ["+6.3", "+6.6", "correct"]


def test_hinge_table_controls_are_the_lecture_table():
    app = default_app("HingeTableApp")
    assert sorted(app.controls) == sorted(f"s_{i}_{j}" for i in range(3) for j in range(3))
    assert app.state()["s_0_1"] == 5.1  # cat image, car score
    assert app.state()["s_2_2"] == -3.1  # frog image, frog score
    np.testing.assert_array_equal(
        app.scores(), [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    )


def test_hinge_table_follows_the_sliders():
    app = W.HingeTableApp()
    app.set_state(s_0_1=3.0)  # car score of the cat image: margin 3.0 - 3.2 + 1 = 0.8
    np.testing.assert_allclose(app.losses, [0.8, 0.0, 12.9])
    assert "<b>4.57</b>" in app.readout.value  # (0.8 + 0 + 12.9) / 3
    app.set_state(s_2_2=8.0)  # the frog image's frog score now wins by a margin
    np.testing.assert_allclose(app.losses, [0.8, 0.0, 0.0])
    assert app.readout.value.count("color:") == 1  # only the cat image's car term is violated
    assert app.panels[2].loss_text.get_text() == "$L_i$ = 0"


def test_hinge_table_custom_data_and_bad_arguments():
    app = W.HingeTableApp([[1.0, 0.0], [0.0, 2.5]], [0, 0], class_names=["a", "b"])
    np.testing.assert_allclose(app.losses, [0.0, 3.5])
    assert app.image_names == ("image 0", "image 1")
    with pytest.raises(ValueError, match="scores must have at least 2 classes"):
        W.HingeTableApp([[1.0], [2.0]], [0, 0])
    with pytest.raises(ValueError, match="labels in"):
        W.HingeTableApp([[1.0, 2.0]], [2])
    with pytest.raises(ValueError, match="class_names has 3 names"):
        W.HingeTableApp([[1.0, 2.0]], [0], class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="delta must be >= 0"):
        W.HingeTableApp(delta=-1.0)
    with pytest.raises(ValueError, match="scores contains NaN"):
        W.HingeTableApp([[np.nan, 2.0]], [0])


def test_hinge_table_bars_start_at_zero_and_carry_their_scores_in_every_panel():
    app = W.HingeTableApp()
    scores = app.scores()
    for i, panel in enumerate(app.panels):
        # the score bars start at 0, whether the margin line is above 0 (cat) or below (frog)
        assert [b.get_y() for b in panel.bars] == [0.0, 0.0, 0.0]
        np.testing.assert_allclose([b.get_height() for b in panel.bars], scores[i])
        # one format for every score, as the lecture's table: 2.0, not 2
        assert [t.get_text() for t in panel.score_texts] == [f"{s:.1f}" for s in scores[i]]
        # the hinge term is a narrower bar from the line to s_j: the score bar shows around it
        for bar, hinge in zip(panel.bars, panel.hinge_bars, strict=True):
            assert hinge.get_width() < bar.get_width()
    frog = app.panels[2]
    np.testing.assert_allclose([h.get_y() for h in frog.hinge_bars[:2]], [-4.1, -4.1])
    np.testing.assert_allclose([h.get_height() for h in frog.hinge_bars[:2]], [6.3, 6.6])
    pixels = render(app)
    fresh = render(W.HingeTableApp())
    np.testing.assert_array_equal(pixels, fresh)
    app.set_state(s_2_0=-1.0)  # frog image, cat score 2.2 -> -1: its term 6.3 -> 3.1
    assert app.panels[2].score_texts[0].get_text() == "-1.0"
    assert not np.array_equal(render(app), pixels)


def test_hinge_table_scores_read_as_the_lecture_writes_them_and_clear_of_the_line():
    app = default_app("HingeTableApp")
    car_image = app.panels[1]
    assert [t.get_text() for t in car_image.score_texts] == ["1.3", "4.9", "2.0"]
    assert "max(0, 2.0 − 4.9 + 1) = 0" in app.readout.value  # the table writes it so too
    render(app)
    renderer = app.figure.canvas.get_renderer()
    for panel in app.panels:
        line_y = panel.ax.transData.transform((0.0, panel.margin_line.get_ydata()[0]))[1]
        for text in panel.score_texts:
            box = text.get_window_extent(renderer)
            assert not box.y0 - 1 < line_y < box.y1 + 1, (panel.title.get_text(), text.get_text())
    # the frog image's frog score (-3.1, its line at -4.1) is written below the line
    frog = app.panels[2]
    line_y = frog.ax.transData.transform((0.0, -4.1))[1]
    assert frog.score_texts[2].get_window_extent(renderer).y1 < line_y


@pytest.mark.parametrize("n_images", [1, 3])
def test_hinge_table_score_axis_is_labelled_inside_the_figure(n_images):
    # notebook 00 shows a single wide panel: its label must not slide off the figure
    scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]][:n_images]
    app = W.HingeTableApp(scores=scores, y=[0, 1, 2][:n_images])
    render(app)
    renderer = app.figure.canvas.get_renderer()
    label = app.panels[0].ylabel
    assert label.get_text() == "score $s_j$"
    label.set_visible(True)  # baked into the static layer, which hides it between draws
    box = label.get_window_extent(renderer)
    label.set_visible(False)
    axes_left = app.panels[0].ax.get_window_extent(renderer).x0
    # in the figure, and as far left of the axes (past the tick labels) however wide the panel
    assert box.x0 >= 0
    assert axes_left - box.x1 == pytest.approx(24.1, abs=1.0)


# ---------------------------------------------------------------------------------------------
# MarginsApp: one example, W sliders, delta and scale
# ---------------------------------------------------------------------------------------------


def test_margins_default_is_the_lecture_cat_image():
    app = default_app("MarginsApp")
    np.testing.assert_allclose(app.scores, [3.2, 5.1, -1.7])
    assert app.loss == pytest.approx(2.9)
    np.testing.assert_allclose(app.terms, [0.0, 2.9, 0.0])
    assert "L<sub>i</sub> = <b>2.90</b>" in app.readout.value
    assert "max(0, 5.10 − 3.20 + 1) = 2.90" in app.readout.value
    # the arrows are the weight columns, the bars the scores
    np.testing.assert_allclose(app.arrows.U, app.W[0])
    np.testing.assert_allclose(app.arrows.V, app.W[1])
    np.testing.assert_allclose([b.get_height() for b in app.bars.bars], [3.2, 5.1, -1.7])


def test_margins_scaling_w_and_delta_together_scales_the_loss():
    app = W.MarginsApp(W=[[1.0, 2.0, -0.5], [1.2, 1.1, -0.7]])  # the cat-image scores again
    ratio = app.loss / app.values["delta"]
    for c in (0.5, 2.0):
        app.set_state(scale=c, delta=c)
        assert app.loss == pytest.approx(2.9 * c)
        assert app.loss / app.values["delta"] == pytest.approx(ratio)
    app.set_state(scale=1.0, delta=1.0, w_0_1=1.0)  # car's first weight 2 -> 1: s_car = 3.1
    assert app.scores[1] == pytest.approx(3.1)
    assert app.loss == pytest.approx(0.9)


def test_margins_bad_arguments():
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        W.MarginsApp(x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"W's entries must be in \[-3, 3\]"):
        W.MarginsApp(W=[[5.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="delta must be in"):
        W.MarginsApp(delta=7.0)
    with pytest.raises(ValueError, match="labels in"):
        W.MarginsApp(y=3)
    with pytest.raises(ValueError, match="class_names has 2 names"):
        W.MarginsApp(class_names=["a", "b"])
    app = W.MarginsApp(x=[1.0, -1.0], y=1, W=[[1.0, 0.0], [0.0, 1.0]], class_names=["a", "b"])
    np.testing.assert_allclose(app.scores, [1.0, -1.0])
    assert app.loss == pytest.approx(3.0)  # max(0, 1 - (-1) + 1)


def test_margins_arrows_and_labels_stay_off_the_example_and_the_plane_has_ticks():
    app = default_app("MarginsApp")
    render(app)  # lay the texts out
    renderer = app.figure.canvas.get_renderer()
    plane = app.arrows.axes
    star = plane.transData.transform(app.x)
    tips = plane.transData.transform(app.W.T)
    # every arrow tip is at least 20 pixels from the star, and no arrow label covers it
    assert np.min(np.hypot(*(tips - star).T)) > 20
    for label in app.arrow_labels:
        assert not label.get_window_extent(renderer).contains(*star)
    # the plane has ticks on both axes (and their labels; baked into the static layer)
    assert len(plane.get_xticks()) >= 3 and len(plane.get_yticks()) >= 3
    assert all(t.get_text() for t in plane.get_xticklabels())
