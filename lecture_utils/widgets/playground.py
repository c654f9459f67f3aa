r"""The linear-classifier playground: 2-D points, 3 classes, every weight on a slider.

Notebook 05. Our take on the CS231n linear-classification web demo, inside JupyterLab and
on the tested library: every number it shows comes from
:func:`lecture_utils.losses.linear_loss`.

The scores of a point :math:`x = (x_1, x_2)` are :math:`s = xW + b` with ``W`` of shape
(D, C) = (2, 3) (one *column* per class, the library's orientation) and ``b`` of shape (3,).
The lecture writes :math:`f(x) = Wx + b` with a (3, 2) matrix whose *rows* are the classes:
the same numbers, transposed. The sliders are laid out the lecture's way, one row per class:
row j holds ``W[0, j]``, ``W[1, j]`` and ``b[j]``.

The full loss is :math:`L = \frac{1}{N}\sum_i L_i + \lambda \sum W^2` (the bias is not
regularized), with :math:`L_i` one of the four formulations of
:data:`lecture_utils.losses.LOSSES` and :math:`\Delta = 1` for the hinge losses.

This module is the app's wiring (data, controls, state, buttons); the descent its buttons run
is :func:`lecture_utils.optim.clipped_descent`, and what draws the figure and the
readout table is :class:`._playground_view.PlaygroundView`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._validation import as_float_array, check_choice, check_labels, check_positive_int, check_seed
from ..data import make_blobs, make_spiral, playground_points
from ..losses import LOSSES, LossResult, linear_loss
from ..optim import bias_gradient, clipped_descent
from ..plotting import CLASS_COLORS, region_colormap
from ._app import App, serialized
from ._controls import dropdown, float_slider, labelled, log_slider
from ._playground_view import N_CLASSES, RESOLUTION, PlaygroundView
from ._strings.playground import STRINGS

__all__ = ["ClassifierPlayground"]

#: Input dimensions of the playground (the lecture demo's 2-D plane).
N_INPUTS = 2
#: Range of every weight and bias slider; gradient steps are clipped to it.
PARAMETER_RANGE = (-5.0, 5.0)
#: Slider step of the weights and biases: fine enough that one small gradient step shows.
PARAMETER_STEP = 0.001
#: The margin of the hinge losses.
DELTA = 1.0

# The data menu's entries (what they are, its tooltip, is in the catalogue: "data_<name>").
_DATA_NAMES = ("custom", "points", "blobs", "spiral")
# The lecture demo's starting point, rows = classes: w_j = (W[0, j], W[1, j]) and b_j.
_DEFAULT_W = np.array([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]])
_DEFAULT_B = np.array([0.0, 0.5, -0.5])


def _check_parameter(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    arr = as_float_array(value, name)
    if arr.shape != shape:
        hint = ""
        if arr.shape == shape[::-1] and len(shape) == 2:
            hint = (
                f" (that is the lecture's orientation, classes as rows; pass {name}.T: "
                "the library's W has one column per class)"
            )
        raise ValueError(f"{name} must have shape {shape}, got shape {arr.shape}{hint}")
    lo, hi = PARAMETER_RANGE
    if arr.min() < lo or arr.max() > hi:
        raise ValueError(
            f"{name} must have every entry in [{lo:g}, {hi:g}] (the sliders' range), "
            f"got values from {arr.min():g} to {arr.max():g}"
        )
    return arr


class ClassifierPlayground(PlaygroundView, App):
    r"""A 2-D, 3-class linear classifier with every parameter on a slider.

    The figure shows, left, the plane coloured by the winning class (a 200 x 200 grid), the
    data points coloured by their class (a red ring: that point's loss :math:`L_i > 0`), and
    each class's zero-score line :math:`x W_{:, j} + b_j = 0` in the class's colour, with a
    short stalk pointing to the side where that class's score is positive. Right, top: each
    example's loss :math:`L_i` as a bar in its class colour; right, bottom: the total loss
    along the next ``run_steps`` gradient-descent steps from here, i.e. the path the
    "run" button takes. The line on top gives data loss, regularization loss and total.
    When a browser shows the app, "run" is animated: the regions, lines and bars follow the
    descent and its loss path is drawn as it goes (:meth:`run`).

    Next to every weight and bias slider is its gradient :math:`\partial L / \partial W_{kj}`
    (or :math:`\partial L / \partial b_j`); the readout under the figure lists each example's
    scores and loss.

    Parameters
    ----------
    X : array_like of shape (N, 2), optional
        Your own points (added to the data menu as "your data" and shown first).
    y : array_like of shape (N,), optional
        Their labels in {0, 1, 2}; required with ``X``.
    W : array_like of shape (2, 3), optional
        Starting weights, one column per class (the library's orientation; the lecture's
        (3, 2) matrix transposed). Entries in [-5, 5]. Default: the demo's
        ``[[1, 2, 3], [2, -4, -1]]``.
    b : array_like of shape (3,), optional
        Starting biases in [-5, 5]. Default ``[0, 0.5, -0.5]``.
    reg : float, default 0.01
        Regularization strength :math:`\lambda` in [0, 1].
    loss : {"svm", "ova", "crammer_singer", "softmax"}, default "svm"
        A key of :data:`lecture_utils.losses.LOSSES`.
    step_size : float, default 0.1
        Step size η of "step" and "run", in [0.001, 1] (a log slider, 4 stops a decade).
    data : {"points", "blobs", "spiral", "custom"}, optional
        Data set shown first (default "custom" when ``X`` is given, else "points").
    run_steps : int, default 50
        Steps taken by "run" (and drawn in the loss path), 1 to 500.
    seed : int or numpy.random.Generator, default 0
        Seeds the blobs and spiral data and the "randomize" button: successive clicks draw
        from one generator owned by the app, so a fresh app given the same clicks ends in
        the same state.
    language : {"en", "ko"}, optional
        Language of the texts (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``data`` (Dropdown) : the data set: 9 points (the lecture demo's), blobs, spiral, yours.
    ``loss`` (Dropdown) : the loss, one entry per :data:`~lecture_utils.losses.LOSSES` key.
    ``W_k_j`` (FloatSlider, step 0.001) : ``W[k, j]``, input k's weight for class j.
    ``b_j`` (FloatSlider, step 0.001) : class j's bias.
    ``reg`` (FloatSlider, step 0.005) : :math:`\lambda`.
    ``step_size`` (FloatLogSlider) : the step size :math:`\eta`.
    ``step``, ``run``, ``randomize`` (Buttons) : one gradient step; ``run_steps`` steps
    (animated in a browser, at most ``live_frames`` frames); new random W and b. Steps are
    clipped to the sliders' range [-5, 5].

    Examples
    --------
    >>> app = ClassifierPlayground(backend="agg")
    >>> app.parameters()[0].shape
    (2, 3)
    >>> before = app.result.loss
    >>> app.step()
    >>> app.result.loss < before
    True
    """

    figsize = (9.6, 4.2)
    strings = STRINGS
    #: Most frames drawn while "run" animates (when a browser shows the canvas).
    live_frames = 20

    def __init__(
        self,
        X: Any = None,
        y: Any = None,
        *,
        W: Any = None,
        b: Any = None,
        reg: float = 0.01,
        loss: str = "svm",
        step_size: float = 0.1,
        data: str | None = None,
        run_steps: int = 50,
        seed: int | np.random.Generator = 0,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        self.rng = check_seed(seed)
        self.datasets = self._build_datasets(X, y)
        W0 = _DEFAULT_W if W is None else _check_parameter(W, "W", (N_INPUTS, N_CLASSES))
        b0 = _DEFAULT_B if b is None else _check_parameter(b, "b", (N_CLASSES,))
        self.run_steps = check_positive_int(run_steps, "run_steps")
        if self.run_steps > 500:
            raise ValueError(f"run_steps must be at most 500, got {self.run_steps}")
        if data is None:
            data = "custom" if "custom" in self.datasets else "points"
        check_choice(loss, LOSSES, "loss")
        # one square box that holds every data set, and its grid (computed once)
        reach = max(1.2, 1.1 * max(float(np.abs(Xd).max()) for Xd, _ in self.datasets.values()))
        self.extent = (-reach, reach, -reach, reach)
        centres = np.linspace(-reach, reach, 2 * RESOLUTION + 1)[1::2]
        gx, gy = np.meshgrid(centres, centres)
        self._grid = np.column_stack([gx.ravel(), gy.ravel()])  # (R * R, 2)
        self._region_rgba = (region_colormap(N_CLASSES).colors * 255).round().astype(np.uint8)
        self.result: LossResult | None = None
        self.path = np.zeros(self.run_steps + 1)
        values: dict[str, Any] = {
            "data": data,
            "loss": loss,
            "reg": reg,
            "step_size": step_size,
        }
        for j in range(N_CLASSES):
            for k in range(N_INPUTS):
                values[f"W_{k}_{j}"] = float(W0[k, j])
            values[f"b_{j}"] = float(b0[j])
        super().__init__(values, backend=backend, language=language)

    # -- data ------------------------------------------------------------------------------

    def _build_datasets(self, X: Any, y: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        sets: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if (X is None) != (y is None):
            raise ValueError("X and y must be given together (points and their labels)")
        if X is not None:
            Xc = as_float_array(X, "X", ndim=2)
            if Xc.shape[1] != N_INPUTS:
                raise ValueError(
                    f"X must have shape (N, 2): the playground is 2-D; got shape {Xc.shape}"
                )
            if not 1 <= Xc.shape[0] <= 1000:
                raise ValueError(f"X must have 1 to 1000 points, got {Xc.shape[0]}")
            yc = check_labels(y, N_CLASSES, n=Xc.shape[0])
            sets["custom"] = (Xc.copy(), yc)
        sets["points"] = playground_points()
        # scaled into [-1, 1]^2 like the 9 points, so that the same weights make sense
        Xb, yb = make_blobs(n_per_class=20, n_classes=N_CLASSES, spread=0.45, seed=self.rng)
        sets["blobs"] = (Xb / np.abs(Xb).max(), yb)
        sets["spiral"] = make_spiral(n_per_class=40, n_classes=N_CLASSES, seed=self.rng)
        return sets

    def dataset(self) -> tuple[np.ndarray, np.ndarray]:
        """The data set shown: X of shape (N, 2) and y of shape (N,)."""
        return self.datasets[self.values["data"]]

    def parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """The sliders' W, shape (2, 3) (one column per class), and b, shape (3,)."""
        v = self.values
        W = np.array([[v[f"W_{k}_{j}"] for j in range(N_CLASSES)] for k in range(N_INPUTS)])
        b = np.array([v[f"b_{j}"] for j in range(N_CLASSES)])
        return W, b

    # -- the pattern -----------------------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        t = self.text
        names = [k for k in _DATA_NAMES if k in self.datasets]
        controls: dict[str, widgets.Widget] = {
            "data": dropdown(
                t("data"),
                labelled(names, [t(k) for k in names]),
                tooltip=", ".join(f"{k}: {t(f'data_{k}')}" for k in names),
                width="210px",
            ),
            "loss": dropdown(
                t("loss"),
                LOSSES,
                tooltip="; ".join(f"{name}: {t(f'loss_{name}')}" for name in LOSSES),
                width="230px",
            ),
        }
        for j in range(N_CLASSES):
            for k in range(N_INPUTS):
                controls[f"W_{k}_{j}"] = float_slider(
                    f"W[{k},{j}]",
                    *PARAMETER_RANGE,
                    step=PARAMETER_STEP,
                    tooltip=t("weight_tooltip", k=k + 1, j=j),
                    width="230px",
                )
            controls[f"b_{j}"] = float_slider(
                f"b[{j}]",
                *PARAMETER_RANGE,
                step=PARAMETER_STEP,
                tooltip=t("bias_tooltip", j=j),
                width="230px",
            )
        controls["reg"] = float_slider(
            "λ", 0.0, 1.0, step=0.005, tooltip=t("reg_tooltip"), width="260px"
        )
        controls["step_size"] = log_slider(t("step_size"), -3, 0, step=0.25, width="300px")
        controls["step"] = self._button(t("step"), self.step, tooltip=t("step_tooltip"))
        controls["run"] = self._button(
            t("run", n=self.run_steps), self.run, tooltip=t("run_tooltip")
        )
        controls["randomize"] = self._button(
            t("randomize"), self.randomize, tooltip=t("randomize_tooltip")
        )
        # the loss's full name, and the gradient next to each parameter (they follow the
        # controls, they are not controls)
        self.loss_label = widgets.HTML(layout=widgets.Layout(width="230px"))
        self.gradient_labels = {
            name: widgets.HTML(layout=widgets.Layout(width="92px"))
            for name in controls
            if name.startswith(("W_", "b_"))
        }
        return controls

    def _controls_box(self) -> widgets.Widget:
        c = self.controls
        head = widgets.HBox(
            [c["data"], c["loss"], self.loss_label, c["reg"], c["step_size"]],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        cells: list[widgets.Widget] = [widgets.HTML("")]
        for text in (self.text("head_w1"), self.text("head_w2"), self.text("head_b")):
            cells += [widgets.HTML(f"<b>{text}</b>"), widgets.HTML("<b>∂L/∂·</b>")]
        for j in range(N_CLASSES):
            color = CLASS_COLORS[j]
            label = self.text("class", j=j)
            cells.append(widgets.HTML(f"<b style='color:{color}'>{label}</b>"))
            for name in (f"W_0_{j}", f"W_1_{j}", f"b_{j}"):
                cells += [c[name], self.gradient_labels[name]]
        grid = widgets.GridBox(
            cells,
            layout=widgets.Layout(
                grid_template_columns="60px repeat(3, 232px 94px)", align_items="center"
            ),
        )
        buttons = widgets.HBox([c["step"], c["run"], c["randomize"]])
        return widgets.VBox([head, grid, buttons])

    def update(self) -> None:
        v = self.values
        W, b = self.parameters()
        X, y = self.dataset()
        result = linear_loss(W, X, y, v["reg"], v["loss"], DELTA, b)
        self.result = result
        if self._shown_data != v["data"]:
            self._show_data(X, y)
        self._show_classifier(W, b, result)
        # the path "run" would take
        self.path = self.descent_path()[2]
        self._show_path(self.path, self.run_steps)
        self.total_text.set_text(
            self.text(
                "total",
                data=f"{result.data_loss:.3f}",
                reg=f"{result.reg_loss:.3f}",
                loss=f"{result.loss:.3f}",
            )
        )
        # the numbers next to the controls and under the figure
        self.loss_label.value = f"<i>{html.escape(self.text('loss_' + v['loss']))}</i>"
        for name, label in self.gradient_labels.items():
            label.value = f"<code>{self._gradient_of(name, result):+.3f}</code>"
        self.readout.value = self._readout_html(X, y, result)

    @staticmethod
    def _gradient_of(name: str, result: LossResult) -> float:
        parts = name.split("_")
        if parts[0] == "W":
            return float(result.dW[int(parts[1]), int(parts[2])])
        return float(bias_gradient(result)[int(parts[1])])

    # -- gradient descent ------------------------------------------------------------------

    def descent_path(self, n_steps: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Gradient descent from the sliders' W and b, with the current loss, λ and step size.

        Each step is ``W -= step_size * dW``, ``b -= step_size * db`` (gradients of the
        total loss from :func:`lecture_utils.losses.linear_loss`), clipped to [-5, 5].

        Parameters
        ----------
        n_steps : int, optional
            Default: ``run_steps``.

        Returns
        -------
        W : ndarray of shape (2, 3)
        b : ndarray of shape (3,)
            The parameters after ``n_steps`` steps.
        path : ndarray of shape (n_steps + 1,)
            The total loss before each step and after the last.
        """
        n = self.run_steps if n_steps is None else check_positive_int(n_steps, "n_steps")
        Ws, bs, results = self._descent(n, keep=False)
        return Ws[-1], bs[-1], np.array([r.loss for r in results])

    def _descent(
        self, n: int, keep: bool = True
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[LossResult]]:
        """``n`` steps from the sliders: every W (2, 3), b (3,) and loss result on the way.

        With ``keep=False`` only the last W and b are kept (the results all are: n + 1).
        """
        v = self.values
        X, y = self.dataset()
        W, b = self.parameters()
        return clipped_descent(
            W,
            b,
            X,
            y,
            v["reg"],
            v["loss"],
            v["step_size"],
            n,
            bounds=PARAMETER_RANGE,
            delta=DELTA,
            keep_all=keep,
        )

    def _set_parameters(self, W: np.ndarray, b: np.ndarray) -> None:
        """Write W (2, 3) and b (3,) into the sliders (one redraw, values snapped to 0.001)."""
        lo, hi = PARAMETER_RANGE
        W = np.clip(W, lo, hi)
        b = np.clip(b, lo, hi)
        new: dict[str, float] = {}
        for j in range(N_CLASSES):
            for k in range(N_INPUTS):
                new[f"W_{k}_{j}"] = float(W[k, j])
            new[f"b_{j}"] = float(b[j])
        self.set_state(**new)

    def step(self) -> None:
        """One gradient step (what the "step" button does)."""
        W, b, _ = self.descent_path(1)
        self._set_parameters(W, b)

    @serialized  # a cell may call it while widget messages arrive on another thread
    def run(self) -> None:
        """``run_steps`` gradient steps (what the "run" button does), drawn as they go.

        When a browser shows the canvas, the run is animated: every few steps (at most
        ``live_frames`` frames) the regions, zero-score lines, loss bars and the loss path
        so far are drawn for that step's W and b. Then the sliders are set to the last step
        (one update), so the final picture is the one those values always give (its loss
        panel: the path of the *next* run). Without a browser no frame is drawn.
        """
        if not self._canvas_is_shown():
            W, b, _ = self.descent_path()
            self._set_parameters(W, b)
            return
        n = self.run_steps
        Ws, bs, results = self._descent(n)
        path = np.array([r.loss for r in results])
        every = max(1, -(-n // self.live_frames))  # ceil(n / live_frames)
        for k in range(every, n, every):
            self._show_run_step(Ws[k], bs[k], results[k], path, k)
            self._draw_frame()
        before = self.n_updates
        self._set_parameters(Ws[-1], bs[-1])
        if self.n_updates == before and not self._dirty:
            self.refresh()  # same sliders as before the run: still undo the frames' artists

    def randomize(self) -> None:
        """Random W in [-2, 2] and b in [-1, 1], from the app's seeded generator."""
        W = self.rng.uniform(-2.0, 2.0, size=(N_INPUTS, N_CLASSES)).round(2)
        b = self.rng.uniform(-1.0, 1.0, size=N_CLASSES).round(2)
        self._set_parameters(W, b)

    def set_parameters(self, W: Any, b: Any) -> None:
        """Set the sliders from W of shape (2, 3) (one column per class) and b of shape (3,).

        Raises
        ------
        ValueError
            If a shape is wrong (a (3, 2) W gets a hint to transpose it) or an entry is
            outside [-5, 5].
        """
        self._set_parameters(
            _check_parameter(W, "W", (N_INPUTS, N_CLASSES)),
            _check_parameter(b, "b", (N_CLASSES,)),
        )

    def summary(self) -> Mapping[str, float]:
        """The shown loss: ``{"data_loss", "reg_loss", "loss"}``, rounded to 3 decimals."""
        r = self.result
        if r is None:  # pragma: no cover (the first update in __init__ sets it)
            raise RuntimeError("no loss computed yet")
        return {
            "data_loss": round(r.data_loss, 3),
            "reg_loss": round(r.reg_loss, 3),
            "loss": round(r.loss, 3),
        }
