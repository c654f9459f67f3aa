r"""Training a linear classifier with minibatch SGD, live: loss curve, accuracies, templates.

Notebook 08. Every control retrains :class:`~lecture_utils.classifier.LinearClassifier` from
the same seed (a few epochs on the digits take milliseconds), so the picture always shows the
run its settings give. The **train** button adds epochs and *replays* that run step by step:
the loss curve grows in place while :meth:`LinearClassifier.fit` runs (through its
``callback``) and the progress bar counts the steps.
"""

from __future__ import annotations

import html
import math
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, check_positive_int
from ..classifier import LinearClassifier
from ..plotting import ClassTemplates
from ._app import App, serialized
from ._controls import dropdown, int_slider, labelled, selection_slider
from ._strings.training import STRINGS

__all__ = ["TrainingApp", "STEP_SIZES", "REGULARIZATION_STRENGTHS"]

#: The step-size slider's values (1-3-10 steps, as a grid search tries them).
STEP_SIZES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
#: The regularization slider's values, 0 included.
REGULARIZATION_STRENGTHS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)

_LOSS_NAMES = ("svm", "softmax")
_TRAIN_COLOR = "#4e79a7"
_VAL_COLOR = "#f28e2b"
_LOSS_COLOR = "#9c9c9c"
_EPOCH_LOSS_COLOR = "#e15759"


class TrainingApp(App):
    r"""Train a linear classifier on the digits with minibatch SGD and watch it learn.

    Left: the minibatch loss at every SGD step (grey) and its mean over each epoch (red), log
    scale. Middle: training and validation accuracy after each epoch. Right (when the images
    are 8 x 8): the learned weights :math:`W_{:, j}` as class templates. The line under the
    panels gives the final numbers; the progress bar counts SGD steps.

    Parameters
    ----------
    X_train : array_like of shape (N, D), optional
        Training examples (default: the digits' training part,
        ``train_val_test_split(*load_digits(), seed=0)``).
    y_train : array_like of shape (N,), optional
    X_val : array_like of shape (N_val, D), optional
        Validation examples (default: the digits' validation part).
    y_val : array_like of shape (N_val,), optional
    loss, step_size, reg, epochs
        Starting values of the controls below.
    batch_size : int, default 64
        Examples per SGD step.
    seed : int, default 0
        Seeds the initial W and the minibatches: the same settings give the same run.
    image_shape : (int, int), default (8, 8)
        Shape of one image, for the templates panel (shown only when height * width = D).
    epochs_per_click : int, default 5
        Epochs added by the train button.
    max_epochs : int, default 20
        The epochs slider's maximum and the x axes' range.
    language : {"en", "ko"}, optional
        Language of the texts (default: :func:`lecture_utils.get_language`).

    Controls
    --------
    ``loss`` (Dropdown) : "svm" (multiclass SVM) or "softmax".
    ``step_size`` (SelectionSlider, :data:`STEP_SIZES`: 0.001 .. 3) : the SGD step
    size η.
    ``reg`` (SelectionSlider, :data:`REGULARIZATION_STRENGTHS`: 0, 1e-4 .. 1) : the L2
    regularization strength λ.
    ``epochs`` (IntSlider, 1 .. ``max_epochs``) : passes over the training set.
    ``train`` (Button) : ``epochs_per_click`` more epochs, trained live (:meth:`train`).

    Attributes
    ----------
    classifier : LinearClassifier
        The classifier trained with the current settings (fitted; ``classifier.W_`` etc.).
    progress : ipywidgets.IntProgress
        SGD steps done out of the run's total.

    Examples
    --------
    >>> app = TrainingApp(loss="softmax", step_size=0.3, epochs=10)
    >>> round(app.classifier.score(app.X_val, app.y_val), 3)  # doctest: +SKIP
    >>> clf = app.train(20)   # 20 epochs, drawn live while fit runs
    >>> clf.step_size_, app.state()["epochs"]
    (0.3, 20)
    """

    figsize = (9.6, 3.7)
    strings = STRINGS
    #: Frames drawn while the train button replays a run (fewer: faster click).
    live_frames = 10

    def __init__(
        self,
        X_train: Any = None,
        y_train: Any = None,
        X_val: Any = None,
        y_val: Any = None,
        *,
        loss: str = "svm",
        step_size: float = 0.1,
        reg: float = 1e-3,
        epochs: int = 5,
        batch_size: int = 64,
        seed: int = 0,
        image_shape: tuple[int, int] = (8, 8),
        epochs_per_click: int = 5,
        max_epochs: int = 20,
        backend: str = "ipympl",
        language: str | None = None,
    ) -> None:
        given = [a is not None for a in (X_train, y_train, X_val, y_val)]
        if any(given) and not all(given):
            raise ValueError("give X_train, y_train, X_val and y_val together (or none of them)")
        if not any(given):
            from ..data import load_digits, train_val_test_split

            split = train_val_test_split(*load_digits(), seed=0)
            X_train, y_train, X_val, y_val = split[:4]
        self.X_train = as_float_array(X_train, "X_train", ndim=2)
        self.X_val = as_float_array(X_val, "X_val", ndim=2)
        self.y_train = np.asarray(y_train)
        self.y_val = np.asarray(y_val)
        if self.X_val.shape[1] != self.X_train.shape[1]:
            raise ValueError(
                f"X_val has {self.X_val.shape[1]} features but X_train has "
                f"{self.X_train.shape[1]}; they must have the same number of columns"
            )
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.seed = seed
        self.epochs_per_click = check_positive_int(epochs_per_click, "epochs_per_click")
        self.max_epochs = check_positive_int(max_epochs, "max_epochs")
        h, w = (check_positive_int(s, "image_shape") for s in image_shape)
        self.image_shape = (h, w)
        self.steps_per_epoch = math.ceil(
            self.X_train.shape[0] / min(self.batch_size, len(self.X_train))
        )
        self.n_classes = int(np.unique(self.y_train).size)
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="steps", layout=widgets.Layout(width="330px")
        )
        self.progress_text = widgets.Label("")
        self._runs: OrderedDict[tuple[Any, ...], LinearClassifier] = OrderedDict()
        self.classifier: LinearClassifier | None = None
        super().__init__(
            {"loss": loss, "step_size": step_size, "reg": reg, "epochs": epochs},
            backend=backend,
            language=language,
        )

    # -- the pattern ---------------------------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        style = {"description_width": "95px"}
        t = self.text
        self.progress.description = t("progress")  # made before the texts were known
        losses = labelled(_LOSS_NAMES, [t(name) for name in _LOSS_NAMES])
        return {
            "loss": dropdown(t("loss"), losses, "svm", width="220px", style=style),
            "step_size": selection_slider(
                t("step_size"), STEP_SIZES, 0.1, width="330px", style=style
            ),
            "reg": selection_slider(
                t("reg"), REGULARIZATION_STRENGTHS, 1e-3, width="330px", style=style
            ),
            "epochs": int_slider(
                t("epochs"), 1, self.max_epochs, value=5, width="330px", style=style
            ),
            "train": self._button(
                t("train_more", n=self.epochs_per_click),
                self._train_more,
                button_style="primary",
                layout=widgets.Layout(width="220px"),
            ),
        }

    def _controls_box(self) -> widgets.Widget:
        c = self.controls
        return widgets.VBox(
            [
                widgets.HBox(
                    [c["loss"], c["step_size"], c["reg"]],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                widgets.HBox(
                    [c["epochs"], c["train"], self.progress, self.progress_text],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
            ]
        )

    def _make_artists(self) -> None:
        fig = self.figure
        show_templates = self.image_shape[0] * self.image_shape[1] == self.X_train.shape[1]
        # with templates the curves are narrower, so that the tiles are large enough to read
        width = 0.22 if show_templates else 0.4
        ax_loss = fig.add_axes((0.07, 0.2, width, 0.68))
        ax_acc = fig.add_axes((0.07 + width + 0.08, 0.2, width * 0.75, 0.68))
        self.ax_loss, self.ax_acc = ax_loss, ax_acc
        (self.step_line,) = ax_loss.semilogy(
            [], [], color=_LOSS_COLOR, lw=0.8, label=self.text("minibatch")
        )
        (self.epoch_line,) = ax_loss.semilogy(
            [], [], "-o", color=_EPOCH_LOSS_COLOR, lw=1.6, ms=3, label=self.text("epoch_mean")
        )
        ax_loss.set_ylim(1e-2, 1e2)
        ax_loss.set_xlabel(self.text("epoch"), labelpad=1)
        ax_loss.set_ylabel(self.text("loss_axis"), labelpad=1)
        ax_loss.grid(True, which="major", lw=0.4, alpha=0.5)
        (self.train_line,) = ax_acc.plot(
            [], [], "-o", color=_TRAIN_COLOR, ms=3, label=self.text("train")
        )
        (self.val_line,) = ax_acc.plot(
            [], [], "-s", color=_VAL_COLOR, ms=3, label=self.text("validation")
        )
        ax_acc.set_ylim(0.5, 1.0)
        ax_acc.set_xlabel(self.text("epoch"), labelpad=1)
        ax_acc.set_ylabel(self.text("accuracy"), labelpad=1)
        ax_acc.grid(True, lw=0.4, alpha=0.5)
        texts = [
            fig.text(0.07 + width / 2, 0.91, self.text("loss_title"), ha="center"),
            fig.text(0.07 + width * 1.455, 0.91, self.text("accuracy_title"), ha="center"),
        ]
        # legends in corners the curves seldom reach, baked (a legend is slow to draw)
        texts += [
            ax_loss.legend(loc="upper right", fontsize=8, framealpha=0.85),
            ax_acc.legend(loc="lower right", fontsize=8, framealpha=0.85),
        ]
        # fixed limits (0 .. max_epochs): nothing re-lays out per change, so axes can be baked
        for ax in (ax_loss, ax_acc):
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax_loss.set_xlim(0, self.max_epochs)
        ax_acc.set_xlim(0, self.max_epochs + 0.5)
        self.templates: ClassTemplates | None = None
        if show_templates:
            ax_t = fig.add_axes((0.57, 0.1, 0.42, 0.78))
            self.templates = ClassTemplates(ax_t, self.n_classes, self.image_shape)
            texts.append(fig.text(0.78, 0.91, self.text("templates_title"), ha="center"))
            # the tile labels never change: baked, under the mosaic's transparent gaps (the
            # axes background, drawn over the baked layer otherwise, is switched off)
            ax_t.patch.set_visible(False)
            texts += self.templates.labels

        self.summary = fig.text(0.5, 0.015, "", ha="center", va="bottom", fontsize=10)
        self._bake(ax_loss, ax_acc, *texts)

    def update(self) -> None:
        v = self.values
        clf = self._fit(v["loss"], v["step_size"], v["reg"], v["epochs"])
        self.classifier = clf
        self._show_losses(clf.loss_history_)
        epochs = np.arange(1, clf.train_accuracy_history_.size + 1)
        self.train_line.set_data(epochs, clf.train_accuracy_history_)
        self.val_line.set_data(epochs, clf.val_accuracy_history_)
        if self.templates is not None:
            self.templates.update(clf.W_)
        train_acc, val_acc = self._accuracies(clf)
        label = self.text(f"{v['loss']}_short")
        state = self.text("diverged") if clf.diverged_ else ""
        # short: text is the slowest thing to draw (the settings are on the controls)
        self.summary.set_text(
            self.text(
                "summary", loss=label, train=f"{train_acc:.1%}", val=f"{val_acc:.1%}", state=state
            )
        )
        total = v["epochs"] * self.steps_per_epoch
        self._set_progress(clf.n_iter_, total)
        last = clf.loss_history_[-1] if clf.n_iter_ else float("nan")
        self.readout.value = self.text(
            "readout",
            loss=html.escape(self.text(f"{v['loss']}_long")),
            train=f"{train_acc:.3f}",
            val=f"{val_acc:.3f}",
            last=f"{last:.3g}",
            state=state,
        )

    # -- training ----------------------------------------------------------------------------

    def _classifier(self, loss: str, step_size: float, reg: float, epochs: int, **kw: Any):
        return LinearClassifier(
            loss=loss,
            reg=reg,
            step_size=step_size,
            n_epochs=epochs,
            batch_size=self.batch_size,
            seed=self.seed,
            **kw,
        )

    def _fit(self, loss: str, step_size: float, reg: float, epochs: int) -> LinearClassifier:
        """The classifier these settings give (trained once, then cached)."""
        key = (loss, step_size, reg, epochs)
        clf = self._runs.get(key)
        if clf is None:
            clf = self._classifier(loss, step_size, reg, epochs)
            with np.errstate(all="ignore"), _quiet_divergence():
                clf.fit(self.X_train, self.y_train, self.X_val, self.y_val)
            self._remember(key, clf)
        else:
            self._runs.move_to_end(key)
        return clf

    def _remember(self, key: tuple[Any, ...], clf: LinearClassifier) -> None:
        self._runs[key] = clf
        while len(self._runs) > 32:
            self._runs.popitem(last=False)

    def _accuracies(self, clf: LinearClassifier) -> tuple[float, float]:
        train = clf.train_accuracy_history_
        val = clf.val_accuracy_history_
        if train.size:
            return float(train[-1]), float(val[-1])
        return clf.score(self.X_train, self.y_train), clf.score(self.X_val, self.y_val)

    def _show_losses(self, losses: np.ndarray) -> None:
        steps = np.arange(1, losses.size + 1) / self.steps_per_epoch
        self.step_line.set_data(steps, losses)
        n_full = losses.size // self.steps_per_epoch
        means = losses[: n_full * self.steps_per_epoch].reshape(n_full, self.steps_per_epoch)
        means = means.mean(axis=1)
        self.epoch_line.set_data(np.arange(1, n_full + 1) - 0.5, means)

    def _set_progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = min(done, total)
        self.progress_text.value = self.text("progress_text", done=done, total=total)

    @serialized  # a cell may call it while widget messages arrive on another thread
    def train(self, epochs: int | None = None) -> LinearClassifier:
        """Train for ``epochs`` epochs from scratch, drawing the loss curve as ``fit`` runs.

        The curve and the progress bar are updated in place every few steps (through
        ``LinearClassifier``'s ``callback``); at the end the ``epochs`` control is set, so the
        picture is the one these settings always give.

        Parameters
        ----------
        epochs : int, optional
            1 .. ``max_epochs``; default: the current value plus ``epochs_per_click`` (at most
            ``max_epochs``).

        Returns
        -------
        LinearClassifier
            The trained classifier (also ``self.classifier``).
        """
        v = self.values
        if epochs is None:
            epochs = min(v["epochs"] + self.epochs_per_click, self.max_epochs)
        control = self.controls["epochs"]
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)):
            raise TypeError(f"epochs must be an integer, got {type(epochs).__name__}")
        if not control.min <= int(epochs) <= control.max:
            raise ValueError(f"epochs must be in [{control.min}, {control.max}], got {epochs}")
        epochs = int(epochs)
        total = epochs * self.steps_per_epoch
        every = max(1, total // self.live_frames)
        losses: list[float] = []

        def on_step(step: int, loss: float) -> None:
            losses.append(loss)
            if step % every == 0 and step < total:
                self._show_losses(np.asarray(losses))
                self._set_progress(step, total)
                self._draw_frame()

        self._set_progress(0, total)
        clf = self._classifier(
            v["loss"], v["step_size"], v["reg"], epochs, callback=on_step, callback_every=1
        )
        with np.errstate(all="ignore"), _quiet_divergence():
            clf.fit(self.X_train, self.y_train, self.X_val, self.y_val)
        clf.callback = None  # the cached classifier keeps no reference to this closure
        self._remember((v["loss"], v["step_size"], v["reg"], epochs), clf)
        with self.hold_updates():
            control.value = epochs
        if self.values["epochs"] == v["epochs"]:  # same epochs: show the final frame anyway
            self.refresh()
        return clf

    def _train_more(self) -> None:
        self.train()


@contextmanager
def _quiet_divergence() -> Iterator[None]:
    """Silence LinearClassifier's divergence warning: the app says it in the picture."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
