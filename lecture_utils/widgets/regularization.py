r"""Regularization strength and type on a 2-D toy set: decision regions, weights, losses.

Notebook 03. A linear classifier (scores ``X @ W + b``, ``W`` of shape (2, C)) is trained on
seeded blobs by minimizing

.. math:: L(W, b) = \frac{1}{N}\sum_i L_i + \lambda R(W),

with R = L2, L1 or elastic net (:mod:`lecture_utils.regularization`); the bias is not
regularized. The training is :func:`lecture_utils.regularization.regularization_path`
(plain (sub)gradient descent; its docstring says how); this module only draws its results.

Precomputed, not retrained live
-------------------------------
Training on every slider move would cost more than the 40 ms a frame may take, and the
picture would depend on the order the slider was moved in. So the app trains once, at
build time, for every λ of the slider's grid (17 values, 1e-3 to 10, a quarter decade
apart) and every regularizer: a *regularization path*, from the largest λ (W ≈ 0) down,
each λ starting from the previous solution (warm start), 150 full-batch steps with step size
η_t = η_0 / sqrt(1 + t) and the average of the last half of the iterates as the solution
(subgradient descent on a kinked loss needs both), or the best iterate if that is lower. On
the default data each solution is within 0.01 of the objective any neighbouring λ's solution
reaches (tested); losses range from about 0.1 to 2. Moving the slider then only looks a
solution up (the slider snaps to the grid). Paths are cached per data set, so a second app
on the same data builds instantly.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._validation import (
    as_float_array,
    check_choice,
    check_labels,
    check_nonnegative,
)
from ..losses import LOSSES
from ..plotting import CLASS_COLORS, DecisionRegions, data_extent
from ..regularization import REGULARIZERS, RegularizationPath, regularization_path
from ._app import App
from ._controls import dropdown, log_slider
from ._strings.regularization import STRINGS

__all__ = ["RegularizationApp"]

#: log10 of the smallest and largest λ, and the grid step, of the slider.
LOG10_LAMBDA_MIN, LOG10_LAMBDA_MAX, LOG10_LAMBDA_STEP = -3.0, 1.0, 0.25


# Paths per (data, settings), so that fresh apps on the same data build instantly.
_PATHS: OrderedDict[tuple, dict[str, RegularizationPath]] = OrderedDict()
_MAX_CACHED = 4


def _paths(X: np.ndarray, y: np.ndarray, loss: str, beta: float) -> dict[str, RegularizationPath]:
    lams = 10 ** np.arange(
        LOG10_LAMBDA_MIN, LOG10_LAMBDA_MAX + LOG10_LAMBDA_STEP / 2, LOG10_LAMBDA_STEP
    )
    key = (X.tobytes(), X.shape, y.tobytes(), loss, beta)
    if key not in _PATHS:
        _PATHS[key] = {
            name: regularization_path(X, y, lams, name, loss, beta) for name in REGULARIZERS
        }
        while len(_PATHS) > _MAX_CACHED:
            _PATHS.popitem(last=False)
    _PATHS.move_to_end(key)
    return _PATHS[key]


class RegularizationApp(App):
    r"""λ (log scale) and the regularizer of a linear classifier trained on 2-D blobs.

    Left: decision regions (200 x 200 grid) over the two inputs, the exact decision boundary
    and the data. Middle: the weights W as bars, grouped by class, titled with the penalty
    and λ shown (L1 drives some to almost 0, below 0.01, and all of them to exactly 0 at the
    largest λ; L2 shrinks them all). Right: data loss, :math:`\lambda R(W)` and their sum
    along the whole λ grid (log axis) for the chosen penalty, named in the title, with the
    current λ marked. Readout: the numbers. See the module docstring for how the solutions
    are computed (once, at build).

    Parameters
    ----------
    X : array_like of shape (N, 2), optional
        Default: ``make_blobs(30, 3, spread=0.9, seed=seed)`` (overlapping a little).
    y : array_like of shape (N,), optional
        Labels in [0, C), 2 <= C <= 6 (required with X).
    lam : float, default 0.1
        Starting λ, in [1e-3, 10] (snapped to the grid).
    regularizer : {"l2", "l1", "elastic_net"}, default "l2"
    loss : str, default "svm"
        Data loss, a key of :data:`lecture_utils.losses.LOSSES`.
    beta : float, default 1.0
        Elastic net's L2 weight: R(W) = sum(beta W**2 + |W|).
    seed : int or Generator, default 0
        Seed of the default blobs.
    language : {"en", "ko"}, optional
        Language of the labels and readout (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``lam`` (FloatLogSlider, 1e-3 to 10, a quarter decade per step) : λ.
    ``regularizer`` (Dropdown: L2, L1, elastic net) : R.
    """

    figsize = (9.6, 3.6)
    strings = STRINGS

    def __init__(
        self,
        X: Any = None,
        y: Any = None,
        *,
        lam: float = 0.1,
        regularizer: str = "l2",
        loss: str = "svm",
        beta: float = 1.0,
        seed: int | np.random.Generator = 0,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        if X is None:
            if y is not None:
                raise ValueError("y was given without X: pass both, or neither for the default")
            from ..data import make_blobs

            X, y = make_blobs(30, 3, spread=0.9, seed=seed)
        elif y is None:
            raise ValueError("X was given without y: pass the labels too")
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != 2 or X.shape[0] < 2:
            raise ValueError(f"X must have shape (N, 2) with N >= 2, got shape {X.shape}")
        labels = check_labels(y, 6, n=X.shape[0])
        n_classes = int(labels.max()) + 1
        if n_classes < 2:
            raise ValueError("y must hold at least 2 classes (labels 0 and 1 at least)")
        check_choice(loss, LOSSES, "loss")
        self.beta = check_nonnegative(beta, "beta")
        self.X, self.y, self.loss_name, self.n_classes = X, labels, loss, n_classes
        self.paths = _paths(X, labels, loss, self.beta)
        self.lams = next(iter(self.paths.values())).lams
        super().__init__(
            {"lam": lam, "regularizer": regularizer}, backend=backend, language=language
        )

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "lam": log_slider(
                "λ",
                LOG10_LAMBDA_MIN,
                LOG10_LAMBDA_MAX,
                step=LOG10_LAMBDA_STEP,
                value=0.1,
                width="380px",
            ),
            "regularizer": dropdown(
                "R(W)", [(self.text(name), name) for name in REGULARIZERS], "l2", width="220px"
            ),
        }

    def _make_artists(self) -> None:
        fig, C = self.figure, self.n_classes
        d = self.X.shape[1]
        # left: decision regions
        ax_regions = fig.add_axes((0.055, 0.14, 0.25, 0.72))
        self.regions = DecisionRegions(ax_regions, C, data_extent(self.X), 200, self.X, self.y)
        ax_regions.tick_params(labelsize=8)
        ax_regions.set_xlabel(self.text("input0"), fontsize=9, labelpad=1)
        ax_regions.set_ylabel(self.text("input1"), fontsize=9, labelpad=1)
        regions_title = ax_regions.text(
            0.0, 1.02, self.text("regions_title"), transform=ax_regions.transAxes, fontsize=10
        )
        # middle: weights
        ax_w = fig.add_axes((0.375, 0.14, 0.25, 0.72))
        all_W = np.concatenate([p.W.ravel() for p in self.paths.values()])
        top = 1.15 * max(float(np.abs(all_W).max()), 1e-3)
        ax_w.set_ylim(-top, top)
        positions = np.array([j * (d + 1) + k for j in range(C) for k in range(d)], dtype=float)
        colors = [CLASS_COLORS[j % len(CLASS_COLORS)] for j in range(C) for _ in range(d)]
        hatches = ["", "///", "xx", ".."][:d] * C
        self.weight_bars = ax_w.bar(positions, np.zeros(len(positions)), color=colors, width=0.9)
        for bar, hatch in zip(self.weight_bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax_w.set_xlim(-0.8, positions[-1] + 0.8)
        ax_w.xaxis.set_visible(False)
        zero = ax_w.axhline(0, color="0.4", lw=0.6, zorder=0)
        fixed = [zero]
        for j in range(C):
            for k in range(d):
                fixed.append(
                    ax_w.text(
                        positions[j * d + k],
                        -0.02,
                        self.text("weight", k=k),
                        transform=ax_w.get_xaxis_transform(),
                        ha="center",
                        va="top",
                        fontsize=9,
                    )
                )
            fixed.append(
                ax_w.text(
                    positions[j * d] + (d - 1) / 2,
                    -0.11,
                    self.text("class", j=j),
                    transform=ax_w.get_xaxis_transform(),
                    ha="center",
                    va="top",
                    fontsize=9,
                    color=CLASS_COLORS[j % len(CLASS_COLORS)],
                )
            )
        # which penalty and λ the picture shows: the two live texts (the rest is baked)
        self.weights_title = ax_w.text(0.0, 1.02, "", transform=ax_w.transAxes, fontsize=10)
        # right: losses along the λ grid
        ax_l = fig.add_axes((0.715, 0.14, 0.275, 0.72))
        ax_l.set_xscale("log")
        ax_l.set_xlim(self.lams[0] / 1.5, self.lams[-1] * 1.5)
        top_loss = max(float((p.data_loss + p.reg_loss).max()) for p in self.paths.values())
        ax_l.set_ylim(0, 1.08 * top_loss)
        ax_l.set_xticks([1e-3, 1e-2, 1e-1, 1, 10])
        ax_l.tick_params(labelsize=8)
        ax_l.set_xlabel(self.text("xlabel"), fontsize=9, labelpad=1)
        ax_l.set_ylabel(self.text("ylabel"), fontsize=9, labelpad=1)
        (self.data_curve,) = ax_l.plot([], [], color="#4e79a7", lw=1.5)
        (self.reg_curve,) = ax_l.plot([], [], color="#e15759", lw=1.5)
        (self.total_curve,) = ax_l.plot([], [], color="k", lw=1.0, ls="--")
        self.lam_line = ax_l.axvline(self.lams[0], color="0.3", lw=0.8)
        (self.lam_marks,) = ax_l.plot([], [], "o", color="k", ms=4, zorder=5)
        # a legend as fixed coloured texts (a live legend costs ~5 ms a frame)
        for k, (label, color) in enumerate(
            [
                (self.text("data_loss"), "#4e79a7"),
                (self.text("reg_loss"), "#e15759"),
                (self.text("total"), "k"),
            ]
        ):
            fixed.append(
                ax_l.text(
                    0.03,
                    0.95 - 0.08 * k,
                    label,
                    color=color,
                    fontsize=8,
                    transform=ax_l.transAxes,
                    va="top",
                    zorder=1,  # below the curves and the λ line, as baked artists must be
                )
            )
        self.losses_title = ax_l.text(0.0, 1.02, "", transform=ax_l.transAxes, fontsize=10)
        self._bake(ax_regions, regions_title, ax_w, ax_l, *fixed)

    def current(self) -> tuple[RegularizationPath, int]:
        """The path of the chosen regularizer and the index of the chosen λ in it."""
        path = self.paths[self.values["regularizer"]]
        k = int(np.argmin(np.abs(np.log10(path.lams) - np.log10(self.values["lam"]))))
        return path, k

    @property
    def W(self) -> np.ndarray:
        """The trained weights shown, shape (2, C)."""
        path, k = self.current()
        return path.W[k]

    @property
    def b(self) -> np.ndarray:
        """The trained bias shown, shape (C,)."""
        path, k = self.current()
        return path.b[k]

    def update(self) -> None:
        path, k = self.current()
        W, b, lam = path.W[k], path.b[k], path.lams[k]
        self.regions.update(W, b)
        for bar, w in zip(self.weight_bars, W.T.ravel(), strict=True):
            bar.set_height(w)
        l1, l2 = float(np.abs(W).sum()), float(np.sqrt((W**2).sum()))
        total = path.data_loss + path.reg_loss
        self.data_curve.set_data(path.lams, path.data_loss)
        self.reg_curve.set_data(path.lams, path.reg_loss)
        self.total_curve.set_data(path.lams, total)
        self.lam_line.set_xdata([lam, lam])
        self.lam_marks.set_data([lam] * 3, [path.data_loss[k], path.reg_loss[k], total[k]])
        small = int(np.sum(np.abs(W) < 0.01))
        name = self.text(self.values["regularizer"])
        self.weights_title.set_text(self.text("weights_title", name=name, lam=f"{lam:.3g}"))
        self.losses_title.set_text(self.text("losses_title", name=name))
        self.readout.value = self.text(
            "readout",
            lam=f"{lam:.3g}",
            name=name,
            data=f"{path.data_loss[k]:.3f}",
            reg=f"{path.reg_loss[k]:.3f}",
            total=f"{total[k]:.3f}",
            accuracy=f"{path.accuracy[k]:.0%}",
            l1=f"{l1:.3f}",
            l2=f"{l2:.3f}",
            small=small,
            size=W.size,
        )
