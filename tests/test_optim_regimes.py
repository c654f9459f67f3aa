"""Tests of how lecture_utils.optim names what a run did.

``descent_regime`` (slow, monotone, zig-zag, bouncing, diverging) on small hand-made paths and on
gradient descent over quadratics, and that it has one import path; ``steps_to_stay_below``:
when a run settles under a loss level for good.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ill_conditioned_quadratic import quad_loss_and_grad

from lecture_utils import optim
from lecture_utils.optim import (
    REGIMES,
    Momentum,
    descent_regime,
    gradient_descent,
    optimize,
    steps_to_stay_below,
)

# --------------------------------------------------------------------------------------------
# descent_regime: naming what a run did, on small hand-made paths
# --------------------------------------------------------------------------------------------


def test_regime_of_hand_made_runs():
    straight = np.array([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0], [1.75, 0.0]])
    # 0.5 of the gap 4.0 left is more than 10 %; 0.3 is less
    assert descent_regime([4.0, 2.0, 1.0, 0.5], straight, 0.0) == "slow"
    assert descent_regime([4.0, 2.0, 1.0, 0.3], straight, 0.0) == "monotone"
    zigzag = np.array([[0.0, 0.0], [2.0, 1.0], [0.0, 2.0], [2.0, 3.0]])  # back and forth
    assert descent_regime([4.0, 3.0, 2.0, 1.0], zigzag, 1.0) == "bouncing"
    assert descent_regime([1.0, 2.0, 4.0, 8.0], straight, 0.0) == "diverging"
    assert descent_regime([1.0, 0.5], straight[:2], 0.0, diverged=True) == "diverging"
    assert REGIMES == ("slow", "monotone", "zig-zag", "bouncing", "diverging")


STRAIGHT = np.array([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0], [1.75, 0.0]])  # steps shrink, one way
ZIGZAG = np.array([[0.0, 0.0], [2.0, 1.0], [0.0, 2.0], [2.0, 3.0]])  # every step turns back


def test_regime_diverging_when_the_loss_keeps_rising_or_the_run_diverged():
    assert descent_regime([1.0, 2.0, 4.0, 8.0], ZIGZAG, 0.0) == "diverging"  # before bouncing
    assert descent_regime([1.0, 0.5, np.inf], STRAIGHT[:3], 0.0) == "diverging"
    assert descent_regime([1.0, 0.5, np.nan], STRAIGHT[:3], 0.0) == "diverging"
    assert descent_regime([4.0, 0.0], STRAIGHT[:2], 0.0, diverged=True) == "diverging"
    assert descent_regime([4.0, 4.0 + 1e-12], STRAIGHT[:2], 0.0) == "diverging"
    # rising at the last two steps is diverging, even below the start
    assert descent_regime([9.0, 1.0, 2.0, 3.0], ZIGZAG, 0.0) == "diverging"
    # rising at only one of them is not (a bouncing loss alternates), even above the start
    assert descent_regime([1.0, 3.0, 2.0, 3.0], ZIGZAG, 0.0) == "bouncing"
    assert descent_regime([1.0, 3.0, 3.0, 2.0], ZIGZAG, 0.0) == "bouncing"


def test_regime_bouncing_needs_the_last_step_to_come_back_as_long():
    # steps +2, -1, +0.5, +0.5: the last step does not point back
    half = np.array([[0.0], [2.0], [1.0], [1.5], [2.0]])
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], half, 0.0) == "zig-zag"
    # steps +2, -2, +2: back and forth as long as before, even though the loss reached L*
    assert descent_regime([4.0, 1.0, 1.0, 0.0], [[0.0], [2.0], [0.0], [2.0]], 0.0) == "bouncing"
    # 0.99 of the step before is still bouncing; 0.98 is closing in (a zig-zag)
    for last, regime in [(0.99, "bouncing"), (0.98, "zig-zag")]:
        path = np.array([[0.0], [1.0], [1.0 - last]])
        assert descent_regime([2.0, 1.0, 0.5], path, 0.0) == regime


def test_regime_zig_zag_when_a_step_points_back_or_the_path_bends_both_ways():
    # 1 of 3 step pairs points back: the path overshot once, then converged
    once = np.array([[0.0], [2.0], [1.0], [0.5], [0.25]])  # steps +2, -1, -0.5, -0.25
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], once, 0.0) == "zig-zag"
    # a single step cannot zig-zag
    assert descent_regime([4.0, 0.0], ZIGZAG[:2], 0.0) == "monotone"
    # never pointing back, but bending right, left, right: across a valley and back
    across = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, -0.5], [1.0, 0.25], [1.0, -0.125]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], across, 0.0) == "zig-zag"
    # the same steps bending always the same way: a smooth curve, no overshoot
    curve = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, 0.5], [1.0, 0.25], [1.0, 0.125]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], curve, 0.0) == "monotone"
    # one change of bend (an S-curve) is not a zig-zag
    s_curve = np.cumsum([[0.0, 0.0], [1.0, 1.0], [1.0, 0.5], [1.0, 0.6], [1.0, 0.8]], 0)
    assert descent_regime([4.0, 3.0, 2.0, 1.0, 0.0], s_curve, 0.0) == "monotone"


def test_regime_slow_when_more_than_a_tenth_of_the_gap_is_left():
    ends_at = lambda final: descent_regime([5.0, 3.0, 2.0, final], STRAIGHT, 0.0)  # noqa: E731
    assert ends_at(0.51) == "slow"  # 0.51 of the gap 5.0 left: more than 10 %
    assert ends_at(0.5) == "monotone"  # exactly 10 %: not more
    assert ends_at(0.0) == "monotone"
    assert descent_regime([5.0, 3.0, 2.0, 1.5], STRAIGHT, 1.0) == "slow"  # gap measured to L*
    # a start already at L* has no gap to close
    assert descent_regime([1.0, 1.0, 1.0, 1.0], STRAIGHT, 1.0) == "monotone"


def test_regime_accepts_parameters_of_any_shape_and_a_history():
    path = np.zeros((4, 2, 3))
    path[:, 0, 0] = [0.0, 1.0, 1.5, 1.75]  # a (D, C) = (2, 3) weight matrix moving one way
    assert descent_regime([4.0, 2.0, 1.0, 0.5], path, 0.0) == "slow"
    bowl = lambda w: (float(w @ w), 2 * w)  # noqa: E731
    for eta, regime in [(0.01, "slow"), (0.25, "monotone"), (0.9, "zig-zag")]:
        run = gradient_descent(bowl, np.array([1.0, -2.0]), eta, 20)
        assert descent_regime(run.losses, run.params, 0.0, run.diverged) == regime
    run = gradient_descent(bowl, np.array([1.0, -2.0]), 1e3, 200)
    assert run.diverged
    assert descent_regime(run.losses, run.params, 0.0, run.diverged) == "diverging"


def test_regime_follows_the_curvature_bands_of_a_quadratic():
    # L = 1/2 (h1 w1^2 + h2 w2^2) with h_max = 4: bands at 1/h_max = 0.25, 2/h_max = 0.5
    h = np.array([0.5, 4.0])
    bowl = lambda w: (float(0.5 * h @ w**2), h * w)  # noqa: E731
    for eta, regime in [
        (0.02, "slow"),
        (0.24, "monotone"),
        (0.26, "zig-zag"),
        (0.45, "zig-zag"),
        (0.5, "bouncing"),  # 1 - eta h_max = -1: w2 flips sign for good
        (0.55, "diverging"),
    ]:
        run = gradient_descent(bowl, np.array([3.0, 1.0]), eta, 40)
        assert descent_regime(run.losses, run.params, 0.0, run.diverged) == regime, eta


def test_descent_regime_has_one_import_path():
    from lecture_utils.widgets import descent

    assert descent.descent_regime is optim.descent_regime  # the widget uses the core function
    assert "descent_regime" not in descent.__all__ and "REGIMES" not in descent.__all__


# --------------------------------------------------------------------------------------------
# steps_to_stay_below: when a run settles under a loss level
# --------------------------------------------------------------------------------------------


def test_steps_to_stay_below_counts_from_the_last_rise_not_the_first_dip():
    losses = [5.0, 0.5, 2.0, 0.4, 0.1]  # dips at step 1, back above at 2, below for good at 3
    assert steps_to_stay_below(losses, 1.0) == 3
    assert steps_to_stay_below([0.5, 0.4], 1.0) == 0  # below from the start
    assert steps_to_stay_below([5.0, 4.0, 3.0], 1.0) is None  # never below
    assert steps_to_stay_below([5.0, 0.5, 2.0], 1.0) is None  # dipped, but ends above
    assert steps_to_stay_below([5.0, 1.0, 0.5], 1.0) == 2  # "below" is strict


def test_steps_to_stay_below_on_a_momentum_run_that_overshoots():
    # momentum on an ill-conditioned bowl dips below the level, rises above it and settles later
    run = optimize(quad_loss_and_grad, np.zeros(2), Momentum(0.04, beta=0.9), n_steps=200)
    level = 1e-3
    k = steps_to_stay_below(run.losses, level)
    first_dip = int(np.flatnonzero(run.losses < level)[0])
    assert k is not None and k > first_dip
    assert (run.losses[k:] < level).all() and run.losses[k - 1] >= level


def test_steps_to_stay_below_treats_nan_and_inf_as_above():
    assert steps_to_stay_below([1.0, 0.1, np.inf], 0.5) is None
    assert steps_to_stay_below([1.0, np.nan, 0.1], 0.5) == 2


def test_steps_to_stay_below_rejects_bad_input():
    with pytest.raises(ValueError, match="losses"):
        steps_to_stay_below([], 1.0)
    with pytest.raises(ValueError, match="losses"):
        steps_to_stay_below([[1.0, 2.0]], 1.0)
    with pytest.raises(TypeError, match="level"):
        steps_to_stay_below([1.0], "low")
    with pytest.raises(ValueError, match="level"):
        steps_to_stay_below([1.0], np.nan)
