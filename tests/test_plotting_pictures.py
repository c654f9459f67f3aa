"""The static pictures of notebook 03: dropout grid, feature histograms, stochastic depth."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lecture_utils import plotting


@pytest.fixture
def ax():
    fig, axis = plt.subplots()
    yield axis
    plt.close(fig)


def test_activation_grid_hides_and_crosses_exactly_the_dropped_units(ax):
    acts = np.arange(12.0).reshape(3, 4)
    keep = np.ones((3, 4), dtype=bool)
    keep[0, 1] = keep[2, 3] = False
    artists = plotting.plot_activation_grid(acts, keep, ax=ax)
    shown = np.ma.filled(artists["image"].get_array().astype(float), np.nan)
    assert np.isnan(shown[0, 1]) and np.isnan(shown[2, 3])
    assert np.count_nonzero(np.isnan(shown)) == 2
    assert shown[1, 2] == acts[1, 2]
    # crosses sit at (column, row) of each dropped unit
    assert sorted(map(tuple, artists["dropped"].get_offsets().tolist())) == [(1, 0), (3, 2)]


def test_activation_grid_without_mask_draws_everything(ax):
    artists = plotting.plot_activation_grid(np.ones((2, 2)), ax=ax)
    assert artists["dropped"] is None
    assert not np.ma.is_masked(artists["image"].get_array())


def test_activation_grid_shares_a_given_colour_scale(ax):
    artists = plotting.plot_activation_grid(np.full((2, 2), 0.5), ax=ax, vmin=0.0, vmax=2.0)
    assert artists["image"].get_clim() == (0.0, 2.0)
    # the same value is the same colour whatever else the panel holds
    other = plotting.plot_activation_grid(np.array([[0.5, 2.0]]), ax=ax, vmin=0.0, vmax=2.0)
    assert np.allclose(artists["image"].to_rgba(0.5), other["image"].to_rgba(0.5))
    default = plotting.plot_activation_grid(np.array([[1.0, 3.0]]), ax=ax)
    assert default["image"].get_clim() == (1.0, 3.0)


def test_activation_grid_rejects_a_mask_of_the_wrong_shape(ax):
    with pytest.raises(ValueError, match=r"keep must be a bool array of shape \(2, 2\)"):
        plotting.plot_activation_grid(np.ones((2, 2)), np.ones((2, 3), dtype=bool), ax=ax)


def test_feature_histograms_one_per_column_with_shared_bins(ax):
    x = np.column_stack([np.zeros(10), np.ones(10)])
    patches = plotting.plot_feature_histograms(x, ax=ax, bins=4, value_range=(0, 2))
    assert len(patches) == 2
    assert [t.get_text() for t in ax.legend().get_texts()] == ["feature 0", "feature 1"]


def test_feature_histograms_checks_names(ax):
    with pytest.raises(ValueError, match="names has 1 labels but features has 2 columns"):
        plotting.plot_feature_histograms(np.zeros((3, 2)), ax=ax, names=["a"])


def test_stochastic_depth_draws_kept_and_skipped_blocks_plus_a_full_test_row(ax):
    keep = np.array([[True, False, True], [False, False, True]])
    artists = plotting.plot_stochastic_depth(keep, ax=ax, survival=0.5)
    assert len(artists["skipped"]) == 3
    assert len(artists["kept"]) == 3 + 3  # 3 kept in training + the test row
    assert "output × p = 0.5" in [t.get_text() for t in ax.texts][-1]


def test_stochastic_depth_rejects_a_non_bool_mask(ax):
    with pytest.raises(ValueError, match="keep must be a non-empty 2-D bool array"):
        plotting.plot_stochastic_depth(np.ones((2, 3)), ax=ax)
