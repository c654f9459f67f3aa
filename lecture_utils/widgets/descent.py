r"""Gradient descent and minibatch SGD, live on a loss surface you can see whole.

Notebook 07. The surface is the loss of a binary linear classifier with two weights
:math:`w = (w_1, w_2)` (:class:`lecture_utils.landscape.TwoWeightProblem`: the 2-class softmax
loss plus :math:`\lambda\|w\|^2`), precomputed once on a 200 x 200 grid. A control change
only re-runs the descent (a few hundred two-element updates) and moves the path.

- :class:`GradientDescentApp`: :math:`w \leftarrow w - \eta \nabla L(w)` from a start point
  you choose; step size, start and number of steps on sliders. The title names the regime
  (:data:`lecture_utils.optim.REGIMES`): a tiny step is slow, one below :math:`1/h_{max}`
  runs down monotonically, one between :math:`1/h_{max}` and :math:`2/h_{max}` zig-zags
  across the valley but converges, a larger one bounces between the valley's walls for good,
  and a huge one diverges.
- :class:`SGDApp`: the same step on the gradient of a random minibatch of B examples,
  against full-batch gradient descent; the batch size on a slider. The path and the loss
  curve get noisy as B shrinks, but each step costs B gradient evaluations instead of N.
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FormatStrFormatter, MaxNLocator, NullLocator

from .._validation import as_float_array
from ..landscape import TwoWeightProblem, two_weight_problem
from ..optim import History, descent_regime, gradient_descent, sgd
from ..plotting import (
    PATH_COLOR,
    SGD_COLOR,
    DescentPath,
    LossSurface,
    surface_levels,
)
from ._app import App
from ._controls import (
    float_slider,
    int_slider,
    labelled,
    log_slider,
    selection_slider,
    toggle_buttons,
)
from ._strings.descent import STRINGS

__all__ = ["GradientDescentApp", "SGDApp"]

_RESOLUTION = 200
_DEFAULT_EXTENT = (-4.5, 3.5, -2.5, 5.5)
_DEFAULT_START = (2.5, -1.5)


# --------------------------------------------------------------------------------------------
# The surface, computed once per problem
# --------------------------------------------------------------------------------------------


class _Surface:
    """A problem, its loss on a grid over ``extent``, its minimum and curvatures there."""

    def __init__(self, problem: TwoWeightProblem, extent: tuple[float, float, float, float]):
        self.problem = problem
        self.extent = extent
        xmin, xmax, ymin, ymax = extent
        self.w1 = np.linspace(xmin, xmax, _RESOLUTION)
        self.w2 = np.linspace(ymin, ymax, _RESOLUTION)
        self.Z = problem.loss_grid(self.w1, self.w2)
        self.Z.setflags(write=False)
        self.w_star = problem.minimum()
        self.loss_star = problem.loss(self.w_star)
        self.curvatures = np.linalg.eigvalsh(problem.hessian(self.w_star))  # (h_min, h_max)
        self.levels = surface_levels(self.Z, 12, "log")


@functools.lru_cache(maxsize=1)
def _default_surface() -> _Surface:
    return _Surface(two_weight_problem(), _DEFAULT_EXTENT)


def _surface(problem: Any, extent: Any) -> _Surface:
    if problem is None and extent is None:
        return _default_surface()
    if problem is None:
        problem = two_weight_problem()
    if not isinstance(problem, TwoWeightProblem):
        raise TypeError(
            "problem must be a lecture_utils.landscape.TwoWeightProblem, "
            f"got {type(problem).__name__}"
        )
    if extent is None:
        extent = _DEFAULT_EXTENT
    e = as_float_array(extent, "extent", ndim=1)
    if e.shape != (4,) or not (e[0] < e[1] and e[2] < e[3]):
        raise ValueError(f"extent must be (w1_min, w1_max, w2_min, w2_max), got {tuple(extent)}")
    return _Surface(problem, tuple(float(v) for v in e))


class _SurfaceApp(App):
    """The part both apps share: the surface on the left, a loss curve on the right."""

    figsize = (9.0, 3.9)
    strings = STRINGS
    #: The loss axis starts at this fraction of L* (SGDApp: low enough for minibatch losses).
    loss_floor = 0.85

    def _setup_axes(self) -> None:
        s = self.surface
        self.ax_surface = self.figure.add_axes((0.065, 0.15, 0.38, 0.75))
        self.ax_loss = self.figure.add_axes((0.57, 0.15, 0.41, 0.75))
        self.surface_artist = LossSurface(self.ax_surface, s.Z, s.extent, s.levels, s.w_star)
        self.ax_surface.set_xlabel("$w_1$")
        self.ax_surface.set_ylabel("$w_2$", labelpad=0)
        # log scale, labelled with plain numbers (1, 2, 5, ...) instead of powers of ten
        self.ax_loss.set_yscale("log")
        lo = max(s.loss_star * self.loss_floor, 1e-3)
        hi = max(float(s.Z.max()), 4 * s.loss_star) * 1.5
        self.ax_loss.set_ylim(lo, hi)
        ticks = [t * 10.0**e for e in range(-3, 4) for t in (1, 2, 5)]
        self.ax_loss.set_yticks([t for t in ticks if lo <= t <= hi])
        self.ax_loss.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        self.min_line = self.ax_loss.axhline(s.loss_star, color="k", ls="--", lw=0.8)
        self.ax_loss.text(
            0.01,
            s.loss_star,
            self.text("loss_star", loss=f"{s.loss_star:.3f}"),
            transform=self.ax_loss.get_yaxis_transform(),
            ha="left",
            va="top",
            fontsize=8,
            zorder=1.5,  # under the curves, as in the baked layer
        )
        self.ax_loss.set_ylabel(self.text("loss_axis"))
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))

    def _bake_surface(self, *extra: Any) -> None:
        """Bake what :meth:`_setup_axes` drew (and ``extra`` fixed artists) into the still layer."""
        self._bake(
            self.ax_surface,
            self.ax_loss.patch,  # the x axis is drawn live: its limits follow the controls
            self.ax_loss.yaxis,
            self.surface_artist.image,
            self.surface_artist.contours,
            self.min_line,
            *self.ax_loss.texts[:1],  # the L* label
            *extra,
        )

    def _start(self) -> np.ndarray:
        return np.array([self.values["w1_start"], self.values["w2_start"]])

    def _start_controls(self, start: tuple[float, float]) -> dict[str, widgets.Widget]:
        xmin, xmax, ymin, ymax = self.surface.extent
        out = {}
        for name, value, lo, hi, label in (
            ("w1_start", start[0], xmin, xmax, self.text("start_w1")),
            ("w2_start", start[1], ymin, ymax, self.text("start_w2")),
        ):
            lo_r, hi_r = np.ceil(lo * 10) / 10, np.floor(hi * 10) / 10
            start_value = float(np.clip(round(float(value), 1), lo_r, hi_r))
            out[name] = float_slider(label, lo_r, hi_r, 0.1, start_value)
        return out


def _check_start(start: Any) -> tuple[float, float]:
    s = as_float_array(start, "start", ndim=1)
    if s.shape != (2,):
        raise ValueError(f"start must be a point (w1, w2), got shape {s.shape}")
    return float(s[0]), float(s[1])


# --------------------------------------------------------------------------------------------
# Gradient descent
# --------------------------------------------------------------------------------------------


class GradientDescentApp(_SurfaceApp):
    r"""Gradient descent :math:`w \leftarrow w - \eta \nabla L(w)` on a 2-weight loss surface.

    Left: the loss surface (contours, lighter is lower, the star is the minimum :math:`w^*`)
    with the path :math:`w_0, w_1, \dots` from the start (white dot) to the last point (X).
    Right: the loss at every step, on a log scale, against the lowest loss :math:`L^*`. The
    title names the regime (:func:`lecture_utils.optim.descent_regime`): slow, monotone,
    zig-zag, bouncing or diverging. The readout gives the surface's curvatures
    :math:`h_{min}, h_{max}` at the minimum: steps :math:`\eta < 1/h_{max}` never overshoot
    across the valley (monotone, or slow), steps between :math:`1/h_{max}` and
    :math:`2/h_{max}` zig-zag but converge, steps :math:`\eta > 2/h_{max}` cannot converge
    (bouncing, or diverging when even the regularizer's curvature :math:`2\lambda` is
    exceeded).

    Parameters
    ----------
    problem : TwoWeightProblem, optional
        The classifier whose loss is shown (default:
        :func:`lecture_utils.landscape.two_weight_problem`).
    extent : (w1_min, w1_max, w2_min, w2_max), optional
        The window (default (-4.5, 3.5, -2.5, 5.5)).
    step_size : float, default 1.0
        Starting value of :math:`\eta`, in [0.01, 100].
    start : (float, float), default (2.5, -1.5)
        Starting point :math:`w_0`.
    n_steps : int, default 30
        Number of steps, in [1, 100].
    language : {"en", "ko"}, optional
        Language of the texts (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``step_size`` (FloatLogSlider, 10^-2 .. 10^2) : :math:`\eta`.
    ``w1_start``, ``w2_start`` (FloatSlider, step 0.1) : the start point.
    ``n_steps`` (IntSlider, 1 .. 100) : number of steps.

    Attributes
    ----------
    history : lecture_utils.optim.History
        The current run.
    regime : str
        One of :data:`lecture_utils.optim.REGIMES`.

    Examples
    --------
    >>> app = GradientDescentApp()
    >>> app.set_state(step_size=0.05)
    >>> app.regime
    'slow'
    """

    def __init__(
        self,
        problem: TwoWeightProblem | None = None,
        extent: tuple[float, float, float, float] | None = None,
        *,
        step_size: float = 1.0,
        start: tuple[float, float] = _DEFAULT_START,
        n_steps: int = 30,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        self.surface = _surface(problem, extent)
        self._initial_start = _check_start(start)
        self.history: History | None = None
        self.regime = ""
        self._shown_steps = -1
        values = {"step_size": step_size, "n_steps": n_steps}
        super().__init__(values, backend=backend, language=language)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "step_size": log_slider(self.text("step_size"), -2, 2, 0.05, 1.0),
            **self._start_controls(self._initial_start),
            "n_steps": int_slider(self.text("steps"), 1, 100, 1, 30),
        }

    def _make_artists(self) -> None:
        self._setup_axes()
        self.path = DescentPath(self.ax_surface, PATH_COLOR, self.text("gd_path"))
        (self.curve,) = self.ax_loss.plot([], [], color=PATH_COLOR, lw=1.5, marker="o", ms=3)
        xlabel = self.ax_loss.text(
            0.5, -0.1, self.text("step_k"), transform=self.ax_loss.transAxes, ha="center", va="top"
        )
        self.title = self.ax_loss.text(
            0.5, 1.02, "", transform=self.ax_loss.transAxes, ha="center", va="bottom"
        )
        self.surface_title = self.ax_surface.text(
            0.5, 1.02, "", transform=self.ax_surface.transAxes, ha="center", va="bottom"
        )
        self._bake_surface(xlabel)

    def update(self) -> None:
        v = self.values
        eta, n = v["step_size"], v["n_steps"]
        hist = gradient_descent(self.surface.problem.loss_and_grad, self._start(), eta, n)
        self.history = hist
        self.regime = descent_regime(
            hist.losses, hist.params, self.surface.loss_star, hist.diverged
        )
        self.path.update(hist.params)
        losses = np.minimum(hist.losses, 1e300)
        self.curve.set_data(np.arange(len(hist)), losses)
        if n != self._shown_steps:
            self.ax_loss.set_xlim(-0.02 * n - 0.3, n * 1.02 + 0.3)
            self._shown_steps = n
        # short texts: every glyph is drawn again in every frame
        end = f"{hist.final_loss:.4g}" if hist.final_loss < 1e6 else f"{hist.final_loss:.0e}"
        regime = self.text(self.regime)
        self.title.set_text(self.text("gd_title", regime=regime, loss=end))
        self.surface_title.set_text(f"η = {eta:.3g}")
        h_min, h_max = self.surface.curvatures
        self.readout.value = self.text(
            "gd_readout",
            regime=regime,
            first=f"{hist.losses[0]:.4f}",
            n=hist.n_steps,
            last=f"{hist.final_loss:.4g}",
            star=f"{self.surface.loss_star:.4f}",
            h_min=f"{h_min:.3f}",
            h_max=f"{h_max:.3f}",
            one=f"{1 / h_max:.2f}",
            two=f"{2 / h_max:.2f}",
        )


# --------------------------------------------------------------------------------------------
# Minibatch SGD against full-batch gradient descent
# --------------------------------------------------------------------------------------------


class SGDApp(_SurfaceApp):
    r"""Minibatch SGD against full-batch gradient descent, with a batch-size slider.

    Both start at the same point and take the same number of steps of the same size.
    Gradient descent (red) uses all N examples per step; SGD (orange) uses a random batch
    of B. Left: both paths over the loss surface. Right: the full loss :math:`L(w)` along
    both paths and, thin, the minibatch loss SGD actually saw, against the number of steps
    or against the number of examples whose gradients were computed (the cost).

    Parameters
    ----------
    problem : TwoWeightProblem, optional
        Default :func:`lecture_utils.landscape.two_weight_problem` (N = 100).
    extent : (w1_min, w1_max, w2_min, w2_max), optional
    batch_size : int, default 4
        One of 1, 2, 4, 8, 16, 32, 64 (those below N) or N.
    step_size : float, default 1.0
        In [0.01, 10].
    n_steps : int, default 60
        In [1, 150].
    seed : int, default 0
        Chooses the batches; in [0, 50].
    x_axis : {"steps", "examples"}, default "steps"
    start : (float, float), default (2.5, -1.5)
    language : {"en", "ko"}, optional
        Language of the texts (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``batch_size`` (SelectionSlider) : B.
    ``step_size`` (FloatLogSlider, 10^-2 .. 10^1) : :math:`\eta`.
    ``n_steps`` (IntSlider) : number of steps of both methods.
    ``seed`` (IntSlider) : which random batches.
    ``x_axis`` (ToggleButtons) : loss against steps or against examples processed.

    Attributes
    ----------
    sgd_history, gd_history : lecture_utils.optim.History
    sgd_full_losses : ndarray of shape (K,)
        The full loss at each point of the SGD path.

    Notes
    -----
    A minibatch's loss can lie far below the lowest full loss :math:`L^*` (a few examples
    that the current :math:`w` happens to fit well), so the loss axis starts at
    :math:`L^*/16`, not just under :math:`L^*` as in :class:`GradientDescentApp`.
    """

    loss_floor = 1 / 16

    def __init__(
        self,
        problem: TwoWeightProblem | None = None,
        extent: tuple[float, float, float, float] | None = None,
        *,
        batch_size: int = 4,
        step_size: float = 1.0,
        n_steps: int = 60,
        seed: int = 0,
        x_axis: str = "steps",
        start: tuple[float, float] = _DEFAULT_START,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        self.surface = _surface(problem, extent)
        self._start_point = np.array(_check_start(start))
        n = self.surface.problem.n_examples
        self.batch_sizes = [b for b in (1, 2, 4, 8, 16, 32, 64) if b < n] + [n]
        self.sgd_history: History | None = None
        self.gd_history: History | None = None
        self.sgd_full_losses = np.zeros(0)
        self._gd_key: tuple | None = None
        self._sgd_key: tuple | None = None
        self._shown_xlim: tuple[float, float] | None = None
        values = {
            "batch_size": batch_size,
            "step_size": step_size,
            "n_steps": n_steps,
            "seed": seed,
            "x_axis": x_axis,
        }
        super().__init__(values, backend=backend, language=language)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        n = self.surface.problem.n_examples
        return {
            "batch_size": selection_slider(
                self.text("batch_size"),
                self.batch_sizes,
                self.batch_sizes[0],
                tooltip=self.text("batch_tooltip", n=n),
            ),
            "step_size": log_slider(self.text("step_size"), -2, 1, 0.05, 1.0),
            "n_steps": int_slider(self.text("steps"), 1, 150, 1, 60),
            "seed": int_slider(self.text("seed"), 0, 50, 1, 0),
            "x_axis": toggle_buttons(
                self.text("x_axis"),
                labelled(["steps", "examples"], [self.text("x_steps"), self.text("x_examples")]),
                "steps",
                button_width="80px",
                tooltip=self.text("x_tooltip"),
            ),
        }

    def _make_artists(self) -> None:
        self._setup_axes()
        self.gd_path = DescentPath(self.ax_surface, PATH_COLOR, self.text("gd_full"))
        self.sgd_path = DescentPath(self.ax_surface, SGD_COLOR, self.text("sgd_path"))
        self.sgd_path.line.set_markersize(2)
        self.sgd_path.line.set_linewidth(1.0)
        (self.batch_curve,) = self.ax_loss.plot(
            [], [], color=SGD_COLOR, lw=0.7, alpha=0.45, label=self.text("sgd_batch_curve")
        )
        (self.sgd_curve,) = self.ax_loss.plot(
            [], [], color=SGD_COLOR, lw=1.8, label=self.text("sgd_curve")
        )
        (self.gd_curve,) = self.ax_loss.plot(
            [], [], color=PATH_COLOR, lw=1.8, marker="o", ms=2.5, label=self.text("gd_curve")
        )
        # the legend sits above the panel, so that it can be baked under nothing
        legend = self.ax_loss.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=3,
            fontsize=9,
            frameon=False,
            handlelength=1.5,
            handletextpad=0.5,
            columnspacing=1.0,
            borderaxespad=0.2,
        )
        self.xlabel = self.ax_loss.text(
            0.5, -0.1, "", transform=self.ax_loss.transAxes, ha="center", va="top"
        )
        self.title = self.ax_loss.text(
            0.98, 0.97, "", transform=self.ax_loss.transAxes, ha="right", va="top", zorder=6
        )
        self._bake_surface(legend)

    def update(self) -> None:
        v = self.values
        p = self.surface.problem
        b, eta, n = v["batch_size"], v["step_size"], v["n_steps"]
        # the runs depend on some controls only: keep the last ones (x_axis just relabels)
        gd_key, sgd_key = (eta, n), (b, eta, n, v["seed"])
        if self._gd_key != gd_key:
            self.gd_history = gradient_descent(p.loss_and_grad, self._start_point, eta, n)
            self._gd_key = gd_key
        if self._sgd_key != sgd_key:
            self.sgd_history = sgd(
                p.loss_and_grad_batch, self._start_point, p.X, p.y, eta, n, b, seed=v["seed"]
            )
            self.sgd_full_losses = p.losses_at(self.sgd_history.params)
            self._sgd_key = sgd_key
        gd, st = self.gd_history, self.sgd_history
        self.gd_path.update(gd.params)
        self.sgd_path.update(st.params)

        big = 1e300
        if v["x_axis"] == "steps":
            x_sgd, x_gd = np.arange(len(st)), np.arange(len(gd))
            xmax = float(n)
            label = self.text("step_k")
        else:
            x_sgd = np.arange(len(st)) * b
            x_gd = np.arange(len(gd)) * p.n_examples
            xmax = float(max(n * b, p.n_examples))
            label = self.text("examples_processed")
        self.batch_curve.set_data(x_sgd, np.minimum(st.losses, big))
        self.sgd_curve.set_data(x_sgd, np.minimum(self.sgd_full_losses, big))
        self.gd_curve.set_data(x_gd, np.minimum(gd.losses, big))
        xlim = (-0.01 * xmax, 1.01 * xmax)
        if xlim != self._shown_xlim:
            self.ax_loss.set_xlim(*xlim)
            self._shown_xlim = xlim
        self.xlabel.set_text(label)
        sgd_loss, gd_loss = f"{self.sgd_full_losses[-1]:.3f}", f"{gd.final_loss:.3f}"
        self.title.set_text(self.text("sgd_title", sgd=sgd_loss, gd=gd_loss))
        self.readout.value = self.text(
            "sgd_readout",
            b=b,
            n_examples=p.n_examples,
            n=n,
            sgd_seen=n * b,
            sgd=sgd_loss,
            gd_seen=n * p.n_examples,
            gd=gd_loss,
            star=f"{self.surface.loss_star:.3f}",
        )
