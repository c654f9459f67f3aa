r"""How big should the step h of a numerical gradient be? The V-shaped error curve, live.

Notebook 06. A finite difference estimates a derivative from two loss values:

.. math::  \frac{\partial L}{\partial W_k} \approx \frac{L(W + h e_k) - L(W - h e_k)}{2h}
           \quad\text{(centered)}, \qquad \frac{L(W + h e_k) - L(W)}{h} \quad\text{(forward)}.

Its error has two sources that pull h in opposite directions:

- *truncation*: the formula ignores the curvature; the error grows like :math:`h^2`
  (centered) or :math:`h` (forward) as h grows;
- *round-off*: the two loss values are stored with relative precision
  :math:`\varepsilon` (about 1e-16 in float64, 6e-8 in float32), so their difference
  carries an error of about :math:`\varepsilon L`, divided by h: it grows like
  :math:`\varepsilon / h` as h shrinks.

On log-log axes the relative error against the analytic gradient is a V; its bottom sits
near :math:`h \approx \varepsilon^{1/3}` (centered) or :math:`\varepsilon^{1/2}` (forward),
far higher for float32 than for float64. The curve is computed by
:func:`lecture_utils.gradients.finite_difference_errors`; this module draws it.
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D

from .._validation import (
    as_float_array,
    check_choice,
    check_positive,
    check_positive_int,
    check_seed,
    check_W_X_y,
)
from ..gradients import METHODS, finite_difference_errors
from ..losses import softmax_loss, svm_loss
from ._app import App
from ._controls import labelled, log_slider, toggle_buttons
from ._strings.finite_differences import STRINGS

__all__ = ["FiniteDifferenceApp"]

#: Exponents of the step sizes h = 10**e on the curve (the slider's grid).
_EXPONENTS = np.round(np.arange(-16.0, 0.0 + 1e-9, 0.25), 2)
_FLOOR = 1e-16  # relative errors below this are drawn at this value (log axis)
_COLORS = {"float64": "#4e79a7", "float32": "#f28e2b"}
_LOSSES = {"softmax": softmax_loss, "svm": svm_loss}


@functools.lru_cache(maxsize=1)
def _default_data() -> tuple[np.ndarray, np.ndarray]:
    from ..data import load_digits

    X, y = load_digits()
    rng = np.random.default_rng(0)
    idx = np.sort(rng.choice(X.shape[0], size=40, replace=False))
    Xs = X[idx] / 16.0  # pixels in [0, 1]
    Xs.setflags(write=False)
    return Xs, y[idx]


@functools.lru_cache(maxsize=4)
def _curves_cached(key: tuple) -> dict[tuple[str, str], np.ndarray]:
    loss, n_coords, seed = key
    X, y = _default_data()
    W = 0.01 * np.random.default_rng(seed).standard_normal((X.shape[1], 10))
    return _curves(X, y, W, loss, n_coords, seed)


def _curves(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, loss: str, n_coords: int, seed: Any
) -> dict[tuple[str, str], np.ndarray]:
    loss_fn = _LOSSES[loss]
    rng = check_seed(seed)
    W64 = W.astype(np.float64)
    analytic = loss_fn(W64, X.astype(np.float64), y, 0.0)[1]
    n = min(n_coords, W.size)
    flat = np.sort(rng.choice(W.size, size=n, replace=False))
    indices = [tuple(int(i) for i in np.unravel_index(k, W.shape)) for k in flat]
    hs = 10.0**_EXPONENTS
    curves = {}
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        Wd = W.astype(dtype)

        def f(w: np.ndarray, Xd: np.ndarray = Xd) -> float:
            return loss_fn(w, Xd, y, 0.0)[0]

        for method in METHODS:
            errors = finite_difference_errors(f, Wd, analytic, indices, hs, method)
            curves[(method, np.dtype(dtype).name)] = np.maximum(errors, _FLOOR)
    return curves


class FiniteDifferenceApp(App):
    r"""The relative error of a numerical gradient as the step h varies: a V on log-log axes.

    The curves (precomputed for h = 10^-16 ... 10^0 in quarter decades) show the largest
    relative error, over a few seeded coordinates of W, between the finite-difference
    derivative and the analytic gradient, for the loss computed in float64 (blue) and in
    float32 (orange). The chosen method is drawn bold, the other one thin and dashed. The
    vertical line is the slider's h; the readout gives the numbers there and the best h of
    each curve. Right of each V's bottom, truncation error dominates; left of it, round-off.

    Parameters
    ----------
    X : array_like of shape (N, D), optional
        Default: 40 seeded digits, pixels scaled to [0, 1] (D = 64).
    y : array_like of shape (N,), optional
    W : array_like of shape (D, C), optional
        The point; default ``0.01 * standard_normal((64, 10))`` (seeded).
    loss : {"softmax", "svm"}, default "softmax"
        The loss whose gradient is checked (the SVM's kinks make its curve less regular).
    n_coords : int, default 6
        How many coordinates of W are checked.
    seed : int, default 0
        Chooses the default W and the coordinates.
    h : float, default 1e-5
    method : {"centered", "forward"}, default "centered"
    language : {"en", "ko"}, optional
        Language of the labels and readout (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``h`` (FloatLogSlider, 10^-16 .. 10^0, quarter decades) : the step.
    ``method`` (ToggleButtons) : centered or forward differences.

    Attributes
    ----------
    hs : ndarray of shape (65,)
        The step sizes of the curves.
    errors : dict
        ``errors[(method, dtype)]`` for method in :data:`lecture_utils.gradients.METHODS` and
        dtype "float64" or "float32": ndarray of shape (65,), the relative errors (floored at
        1e-16).

    Examples
    --------
    >>> app = FiniteDifferenceApp()
    >>> app.error_at("float64") < 1e-7  # h = 1e-5, centered: fine
    True
    >>> app.set_state(h=1e-12)
    >>> app.error_at("float64") > 1e-5  # round-off takes over
    True
    """

    strings = STRINGS
    figsize = (9.0, 3.8)

    def __init__(
        self,
        X: Any = None,
        y: Any = None,
        W: Any = None,
        *,
        loss: str = "softmax",
        n_coords: int = 6,
        seed: int = 0,
        h: float = 1e-5,
        method: str = "centered",
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        check_choice(loss, _LOSSES, "loss")
        n_coords = check_positive_int(n_coords, "n_coords")
        check_seed(seed)
        if X is None and y is None and W is None:
            self.errors = _curves_cached((loss, n_coords, seed))
        else:
            if X is None or y is None:
                raise ValueError("give X and y together (or neither, for the digits default)")
            if W is None:
                Xa = as_float_array(X, "X", ndim=2)
                W = 0.01 * np.random.default_rng(seed).standard_normal(
                    (Xa.shape[1], int(np.max(y)) + 1)
                )
            Wa, Xa, ya = check_W_X_y(W, X, y)
            self.errors = _curves(Xa, ya, Wa, loss, n_coords, seed)
        self.loss_name = loss
        self.hs = 10.0**_EXPONENTS
        super().__init__({"h": h, "method": method}, backend=backend, language=language)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "h": log_slider(
                self.text("h"),
                float(_EXPONENTS[0]),
                float(_EXPONENTS[-1]),
                step=0.25,
                value=1e-5,
                fmt=".1e",
            ),
            "method": toggle_buttons(
                self.text("method"),
                labelled(METHODS, [self.text(m) for m in METHODS]),
                "centered",
                button_width="80px",
            ),
        }

    def _index(self, h: float | None = None) -> int:
        """Position of ``h`` (default: the slider's) on the grid of steps."""
        exponent = np.log10(self.values["h"] if h is None else check_positive(h, "h"))
        k = int(round((exponent - _EXPONENTS[0]) / 0.25))
        if not (0 <= k < len(_EXPONENTS) and abs(_EXPONENTS[k] - exponent) < 1e-9):
            raise ValueError(
                f"h must be a step of the slider's grid, 10**e with e in {_EXPONENTS[0]:g}, "
                f"{_EXPONENTS[0] + 0.25:g}, ..., {_EXPONENTS[-1]:g}; got {h!r}"
            )
        return k

    def error_at(self, dtype: str, method: str | None = None, h: float | None = None) -> float:
        """The relative error for ``dtype`` "float64" or "float32" at step ``h``.

        ``method`` defaults to the toggle's, ``h`` to the slider's (else a step of its grid,
        such as 1e-5 or 1e-2).
        """
        m = self.values["method"] if method is None else method
        return float(self.errors[(m, dtype)][self._index(h)])

    def best_h(self, dtype: str, method: str | None = None) -> tuple[float, float]:
        """``(h, error)`` at the bottom of the V for ``dtype`` and the method."""
        m = self.values["method"] if method is None else method
        curve = self.errors[(m, dtype)]
        k = int(np.argmin(curve))
        return float(self.hs[k]), float(curve[k])

    def _make_artists(self) -> None:
        ax = self.figure.add_axes((0.085, 0.15, 0.56, 0.76))
        self.ax = ax
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(self.hs[0] / 2, self.hs[-1] * 2)
        ax.set_ylim(1e-12, 5.0)
        ax.set_xticks(10.0 ** np.arange(-16, 1, 2))
        ax.set_yticks(10.0 ** np.arange(-12, 1, 2))
        ax.minorticks_off()
        ax.set_xlabel(self.text("xlabel"))
        ax.set_ylabel(self.text("ylabel"))
        # what the error means (the lecture's reading of relative errors)
        fine = ax.axhspan(1e-12, 1e-7, color="#59a14f", alpha=0.08, lw=0)
        bad = ax.axhspan(1e-2, 5.0, color="#e15759", alpha=0.08, lw=0)
        t_fine = ax.text(
            0.99,
            1.5e-8,
            self.text("fine_band"),
            ha="right",
            va="top",
            fontsize=8,
            color="#2f6b2a",
            transform=ax.get_yaxis_transform(),
            zorder=1.5,  # under the curves, as in the baked layer
        )
        # bottom left of the band: every curve there is flat at 1 (above) or out of the band
        t_bad = ax.text(
            0.01,
            1.5e-2,
            self.text("bad_band"),
            ha="left",
            va="bottom",
            fontsize=8,
            color="#a33",
            transform=ax.get_yaxis_transform(),
            zorder=1.5,  # under the curves, as in the baked layer
        )
        self.lines: dict[tuple[str, str], Line2D] = {}
        for (method, dtype), curve in self.errors.items():
            (self.lines[(method, dtype)],) = ax.plot(self.hs, curve, color=_COLORS[dtype])
        self.vline = ax.axvline(1e-5, color="k", lw=1.0, ls=":")
        self.dots = {
            dtype: ax.plot([], [], "o", ms=7, color=_COLORS[dtype], mec="k", zorder=5)[0]
            for dtype in _COLORS
        }
        region_left = ax.text(
            0.02,
            0.03,
            self.text("round_off"),
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=8,
            zorder=1.5,  # under the curves, as in the baked layer
        )
        self.region_right = ax.text(
            0.98, 0.03, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=8
        )
        handles = [
            Line2D([], [], color=_COLORS["float64"], lw=2, label="float64"),
            Line2D([], [], color=_COLORS["float32"], lw=2, label="float32"),
        ]
        # the other method's curves are drawn as update() draws them: thin, dashed, pale,
        # in each dtype's colour
        other = tuple(
            Line2D([], [], color=_COLORS[dtype], lw=0.9, ls="--", alpha=0.5)
            for dtype in ("float64", "float32")
        )
        legend = self.figure.legend(
            handles=[*handles, other],
            labels=["float64", "float32", self.text("other_method")],
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)},
            loc="upper left",
            bbox_to_anchor=(0.67, 0.93),
            frameon=False,
            fontsize=9,
        )
        # the best steps never change: a fixed table; only the numbers at h are live
        best = [self.text("best_title")]
        for method in METHODS:
            for dtype in ("float64", "float32"):
                h_best, e_best = self.best_h(dtype, method)
                best.append(f"  {self.text(method)}, {dtype}: {h_best:.0e} ({e_best:.0e})")
        table = self.figure.text(0.67, 0.36, "\n".join(best), ha="left", va="top", fontsize=8.5)
        self.panel = self.figure.text(
            0.67, 0.68, "", ha="left", va="top", fontsize=9, linespacing=1.5
        )
        self._bake(ax, fine, bad, t_fine, t_bad, legend, region_left, table)

    def update(self) -> None:
        method = self.values["method"]
        h = self.values["h"]
        k = self._index()
        for (m, _dtype), line in self.lines.items():
            active = m == method
            line.set_linewidth(2.2 if active else 0.9)
            line.set_linestyle("-" if active else "--")
            line.set_alpha(1.0 if active else 0.5)
            line.set_zorder(3 if active else 2)
        self.vline.set_xdata([h, h])
        for dtype, dot in self.dots.items():
            dot.set_data([h], [self.errors[(method, dtype)][k]])
        self.region_right.set_text(self.text(f"truncation_{method}"))
        formula = "(L(W+h) − L(W−h)) / 2h" if method == "centered" else "(L(W+h) − L(W)) / h"
        lines = [formula, f"h = {h:.1e}"]
        for dtype in ("float64", "float32"):
            err = self.errors[(method, dtype)][k]
            verdict = "fine" if err <= 1e-7 else ("wrong" if err >= 1e-2 else "suspicious")
            lines.append(f"{dtype}: {err:.0e} ({self.text(verdict)})")
        self.panel.set_text("\n".join(lines))
        rows = "".join(
            f"<tr><td>{dtype}</td><td>{self.errors[(method, dtype)][k]:.1e}</td>"
            f"<td>{self.best_h(dtype)[0]:.0e}</td><td>{self.best_h(dtype)[1]:.1e}</td></tr>"
            for dtype in ("float64", "float32")
        )
        self.readout.value = self.text("head", h=f"{h:.1e}", rows=rows) + self.text(
            "advice", loss=self.loss_name, method=self.text(method)
        )
