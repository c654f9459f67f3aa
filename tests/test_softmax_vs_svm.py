"""SoftmaxVsSvmApp (notebook 04): one example's SVM and softmax losses as one score moves.

The generic app tests run over ``lecture_utils.widgets.__all__`` in ``tests/test_app_contract.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import losses
from lecture_utils.widgets import SoftmaxVsSvmApp


def make_app(*args, **kwargs) -> SoftmaxVsSvmApp:
    return SoftmaxVsSvmApp(*args, backend="agg", **kwargs)


def test_default_is_the_lecture_cat_image():
    app = make_app()
    assert app.class_names == ("cat", "car", "frog")
    assert app.state() == {"which": "cat", "score": 3.2}
    np.testing.assert_array_equal(app.scores(), [3.2, 5.1, -1.7])
    # SVM: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9
    assert app.svm_loss == pytest.approx(2.9)
    # softmax: -log(e^3.2 / (e^3.2 + e^5.1 + e^-1.7)) = 2.04
    want = -np.log(np.exp(3.2) / np.exp([3.2, 5.1, -1.7]).sum())
    assert app.softmax_loss == pytest.approx(want)
    assert round(app.softmax_loss, 2) == 2.04
    np.testing.assert_allclose(app.probabilities.sum(), 1.0)
    assert app.total_text.get_text() == "SVM $L_i$ = 2.90     softmax $L_i$ = 2.040"
    assert "−log 0.130 = <b>2.040</b>" in app.readout.value


def test_probability_labels_never_read_as_zero_or_one():
    app = make_app()  # P(frog) = 0.00097 on the cat image
    assert [t.get_text() for t in app.prob_texts] == ["0.13", "0.87", "<0.01"]
    assert "<td>0.001</td>" in app.readout.value
    app.set_state(score=12.0)  # cat far ahead: P(cat) = 0.999, still not 1
    assert [t.get_text() for t in app.prob_texts] == [">0.99", "<0.01", "<0.01"]
    assert "<td>&lt;0.001</td>" in app.readout.value  # P(frog) = 1.1e-6, escaped
    assert "−log 0.999 = <b>0.001</b>" in app.readout.value
    app.set_state(score=-5.0)  # cat far behind: P(cat) = 4.1e-5
    assert "−log 4.1e-05 = <b>10.101</b>" in app.readout.value  # a number, not "<0.001"


def test_svm_stops_caring_once_the_margin_is_met_softmax_never_does():
    app = make_app()
    previous_softmax = np.inf
    for score in (6.0, 6.1, 7.0, 9.0, 12.0):  # the cat score; car is 5.1, margin 1
        app.set_state(score=score)
        if score >= 6.1:
            assert app.svm_loss == 0.0
        else:
            assert app.svm_loss > 0
        assert 0 < app.softmax_loss < previous_softmax
        previous_softmax = app.softmax_loss


def test_moving_another_class_score_keeps_the_others():
    app = make_app()
    app.set_state(which="car", score=2.0)
    np.testing.assert_array_equal(app.scores(), [3.2, 2.0, -1.7])
    assert app.svm_loss == 0.0  # cat beats car by 1.2 and frog by 4.9
    assert app.curve_label.get_text() == "score of car"
    # the outlined bar is the moving one
    assert [bar.get_linewidth() for bar in app.score_bars] == [0.0, 2.0, 0.0]


@pytest.mark.parametrize("which", ["cat", "car", "frog"])
def test_curves_are_the_library_losses_along_the_slider(which):
    app = make_app()
    app.set_state(which=which)
    j = app.class_names.index(which)
    x, svm = app.svm_curve.get_data()
    _, soft = app.softmax_curve.get_data()
    sweep = np.tile([3.2, 5.1, -1.7], (len(x), 1))
    sweep[:, j] = x
    y = np.zeros(len(x), dtype=int)
    np.testing.assert_allclose(svm, losses.hinge_losses(sweep, y))
    np.testing.assert_allclose(soft, losses.cross_entropy_losses(sweep, y))
    # the dots sit on the curves at the slider's value
    app.set_state(score=1.5)
    sweep1 = np.array([3.2, 5.1, -1.7])
    sweep1[j] = 1.5
    assert app.svm_dot.get_data()[1][0] == pytest.approx(losses.hinge_losses([sweep1], [0])[0])


def test_custom_example_and_bad_arguments():
    app = make_app([0.0, 1.0], 1, class_names=["a", "b"], delta=2.0)
    assert app.svm_loss == pytest.approx(1.0)  # max(0, 0 - 1 + 2)
    assert app.state() == {"which": "b", "score": 1.0}
    with pytest.raises(ValueError, match=r"scores must have shape \(C,\) with 2 <= C <= 6"):
        make_app([1.0])
    with pytest.raises(ValueError, match="labels in"):
        make_app([1.0, 2.0], 2)
    with pytest.raises(TypeError, match="y must be an integer class index"):
        make_app([1.0, 2.0], 0.5)
    with pytest.raises(ValueError, match="class_names has 3 names but C = 2"):
        make_app([1.0, 2.0], 0, class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="which must be one of"):
        make_app(which="dog")
    with pytest.raises(ValueError, match="delta must be >= 0"):
        make_app(delta=-1.0)
    with pytest.raises(ValueError, match="score_range must be"):
        make_app(score_range=(3.0, 1.0))
