"""``RegularizationApp``: lambda and the regularizer on a precomputed regularization path.

The app shows the core path of ``lecture_utils.regularization`` (the path itself is tested in
``tests/test_regularization.py``), L1 zeroes weights where L2 spreads them, the picture names the
penalty and its axes, the slider snaps to the path's grid, and fresh apps share the cached path.
(The contract every app keeps is tested in ``tests/test_app_contract.py``.)
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
# RegularizationApp: lambda and the regularizer on a precomputed path
# ---------------------------------------------------------------------------------------------


def test_regularization_app_shows_the_core_regularization_path():
    # the path itself is tested in tests/test_regularization.py
    from lecture_utils.regularization import REGULARIZERS, regularization_path

    app = default_app("RegularizationApp")
    assert set(app.paths) == set(REGULARIZERS)
    np.testing.assert_allclose(app.lams, 10 ** np.arange(-3.0, 1.0 + 0.125, 0.25))
    for name, path in app.paths.items():
        expected = regularization_path(app.X, app.y, app.lams, name, app.loss_name, app.beta)
        for field in ("lams", "W", "b", "data_loss", "reg_loss", "accuracy"):
            np.testing.assert_array_equal(getattr(path, field), getattr(expected, field))


def test_regularization_l1_is_sparse_where_l2_spreads():
    app = W.RegularizationApp()
    app.set_state(lam=1.0, regularizer="l1")
    l1_zero = np.count_nonzero(np.abs(app.W) < 0.01)
    app.set_state(regularizer="l2")
    l2_zero = np.count_nonzero(np.abs(app.W) < 0.01)
    assert l1_zero >= 3 and l2_zero == 0
    assert "weights with |w| &lt; 0.01: 0 of 6" in app.readout.value


def test_regularization_picture_names_the_penalty_and_its_axes():
    app = W.RegularizationApp()
    weights_ax, losses_ax = app.weights_title.axes, app.losses_title.axes
    assert app.weights_title.get_text() == "weights W (L2, λ = 0.1)"
    assert app.losses_title.get_text() == "losses along λ (R = L2)"
    regions_ax = app.regions.image.axes
    assert (regions_ax.get_xlabel(), regions_ax.get_ylabel()) == ("input 0", "input 1")
    assert len(regions_ax.get_xticks()) >= 3 and len(regions_ax.get_yticks()) >= 3
    assert losses_ax.get_xlabel() == r"$\lambda$ (log scale)"
    assert losses_ax.get_ylabel() == "loss"
    assert weights_ax is not losses_ax
    before = render(app)
    app.set_state(regularizer="l1", lam=1.0)
    assert app.weights_title.get_text() == "weights W (L1, λ = 1)"
    assert app.losses_title.get_text() == "losses along λ (R = L1)"
    app.set_state(regularizer="elastic_net")
    assert app.losses_title.get_text() == "losses along λ (R = elastic net)"
    assert not np.array_equal(render(app), before)


def test_regularization_slider_snaps_to_the_grid_and_shows_that_solution():
    app = W.RegularizationApp()
    control = app.controls["lam"]
    control.set_state({"value": 0.0316227766016838})  # 10**-1.5 with noise, from the browser
    path, k = app.current()
    assert path.lams[k] == pytest.approx(10**-1.5)
    np.testing.assert_array_equal(app.W, path.W[k])
    expected = app.regions.predict(path.W[k], path.b[k])
    lut = app.regions._lut
    np.testing.assert_array_equal(app.regions.image.get_array(), lut[expected])
    np.testing.assert_allclose(app.lam_line.get_xdata(), [path.lams[k]] * 2)
    assert f"data loss <b>{path.data_loss[k]:.3f}</b>" in app.readout.value


def test_regularization_fresh_apps_share_the_cached_path():
    assert W.RegularizationApp().paths is W.RegularizationApp().paths
    other = W.RegularizationApp(seed=1)
    assert other.paths is not default_app("RegularizationApp").paths


def test_regularization_bad_arguments():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="y was given without X"):
        W.RegularizationApp(y=[0, 1])
    with pytest.raises(ValueError, match="X was given without y"):
        W.RegularizationApp(X)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        W.RegularizationApp(np.zeros((3, 3)), [0, 1, 0])
    with pytest.raises(ValueError, match="at least 2 classes"):
        W.RegularizationApp(X, [0, 0, 0])
    with pytest.raises(ValueError, match="loss must be one of"):
        W.RegularizationApp(loss="hinge")
    with pytest.raises(ValueError, match=r"lam must be in \[0.001, 10\]"):
        W.RegularizationApp(lam=100.0)
    with pytest.raises(ValueError, match="regularizer must be one of"):
        W.RegularizationApp(regularizer="l3")
    with pytest.raises(ValueError, match="beta must be >= 0"):
        W.RegularizationApp(beta=-1.0)
