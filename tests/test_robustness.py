"""Robustness of the apps and the library as a class uses them (no browser).

- Slider storm: 1,000 seeded value changes over every control of each app in
  ``lecture_utils.widgets.__all__``, mixing values set from code, values sent the way the
  browser sends them and float-noise echoes of the current value. Afterwards no figure or
  widget was opened, memory stayed within a small bound, echoes never re-ran ``update``, and
  the picture equals that of a fresh app set to the final state (no stale frame).
- Bad values entered from a notebook: through the library (wrong shapes, NaN, labels out of
  range, negative lambda or step size) and through an app (NaN/inf control values, bad data
  given to its constructor). Each is a ``ValueError``/``TypeError`` with a one-line message
  naming the argument, and an app on screen stays usable afterwards.
- Reproducibility: one notebook executed twice gives the same outputs (nbval compares the
  stored outputs with a third run in ``make test``).
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import tracemalloc
import weakref
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lecture_utils.widgets as W
from lecture_utils import gradients, losses, optim, regularization
from lecture_utils.widgets import App
from lecture_utils.widgets._controls import canonical_value

APP_NAMES = list(W.__all__)
ROOT = Path(__file__).resolve().parents[1]

# 400 changes per app (it was 1,000): the storms were the largest single cost of `make test`
# (about 5 of its 15 minutes on a quiet machine). Every kind of change still comes up well over
# a hundred times per app; the 1,000-move leak check lives in benchmarks/classroom_load.py.
N_CHANGES = 400
WARM_UP = 50  # changes before counting: caches (fonts, text layout) fill here
TRACED = 150  # the last changes of the storm run under tracemalloc (3x slower)
DRAW_EVERY = 50  # render the picture every 50 changes, as a browser asks for frames
#: Allowed growth of the number of live (gc-tracked) objects over the whole storm.
OBJECT_BOUND = 5_000
#: Allowed growth of traced Python memory over the traced changes, in bytes.
MEMORY_BOUND = 1024 * 1024


def render(app: App) -> np.ndarray:
    FigureCanvasAgg.draw(app.figure.canvas)
    return np.asarray(app.figure.canvas.buffer_rgba()).copy()


@pytest.fixture
def new_figures(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref]:
    """Weak references to every Figure created while the test runs (however it is made)."""
    created: list[weakref.ref] = []
    init = Figure.__init__

    def recording_init(self: Figure, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        created.append(weakref.ref(self))

    monkeypatch.setattr(Figure, "__init__", recording_init)
    return created


def alive(refs: list[weakref.ref]) -> int:
    gc.collect()
    return sum(ref() is not None for ref in refs)


def n_widgets() -> int:
    from ipywidgets.widgets.widget import _instances

    return len(_instances)


def value_controls(app: App) -> dict[str, widgets.Widget]:
    return {
        n: c
        for n, c in app.controls.items()
        if not isinstance(c, widgets.Button) and hasattr(c, "value")
    }


# ---------------------------------------------------------------------------------------------
# Slider storm
# ---------------------------------------------------------------------------------------------


def random_value(control: widgets.Widget, rng: np.random.Generator) -> Any:
    """A random valid value for ``control``, on its step grid (as a slider produces)."""
    if isinstance(control, widgets.FloatLogSlider):
        k = rng.integers(0, round((control.max - control.min) / control.step) + 1)
        return control.base ** (control.min + k * control.step)
    if isinstance(control, widgets.FloatSlider):
        k = rng.integers(0, round((control.max - control.min) / control.step) + 1)
        return min(control.min + k * control.step, control.max)
    if isinstance(control, widgets.IntSlider):
        k = rng.integers(0, (control.max - control.min) // control.step + 1)
        return int(control.min + k * control.step)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return bool(rng.integers(0, 2))
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values[rng.integers(0, len(values))]
    raise NotImplementedError(f"the storm does not know a {type(control).__name__}")


def noisy(control: widgets.Widget, value: Any, rng: np.random.Generator) -> Any:
    """``value`` as a rendered FloatSlider echoes it (0.05 -> 0.04999999999999999)."""
    if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider)):
        return value * (1 + rng.choice([-2, -1, 1, 2]) * 2.2e-16) + rng.choice([-1, 1]) * 1e-17
    return value


def send_from_browser(control: widgets.Widget, value: Any) -> None:
    """Deliver ``value`` the way the front-end does: through the widget's ``set_state``."""
    if hasattr(control, "options") and not isinstance(control, widgets.FloatSlider):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.set_state({"index": values.index(value)})
    else:
        control.set_state({"value": value})


def storm(app: App, rng: np.random.Generator, n: int, draw_every: int) -> dict[str, int]:
    """Apply ``n`` changes to ``app``'s controls; returns counts by kind of change."""
    controls = value_controls(app)
    names = sorted(controls)
    counts = {"code": 0, "browser": 0, "echo": 0}
    for i in range(n):
        name = names[rng.integers(0, len(names))]
        control = controls[name]
        kind = rng.choice(["code", "browser", "echo"], p=[0.4, 0.4, 0.2])
        if kind == "echo":
            # the browser echoes the current value with float noise: must change nothing
            before = app.n_updates
            send_from_browser(control, noisy(control, control.value, rng))
            assert app.n_updates == before, f"{name}: an echo of the current value re-ran update"
        else:
            value = random_value(control, rng)
            if kind == "code":
                app.set_state(**{name: value})
            else:
                send_from_browser(control, noisy(control, value, rng))
        counts[str(kind)] += 1
        assert app.last_error is None, f"change {i} ({name}, {kind}): {app.last_error!r}"
        if (i + 1) % draw_every == 0:
            render(app)
    return counts


@pytest.mark.parametrize("name", APP_NAMES)
def test_slider_storm_leaves_no_figure_no_leak_and_no_stale_frame(name, new_figures):
    cls = getattr(W, name)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    app = cls()
    fignums = plt.get_fignums()
    widget_count, built = n_widgets(), len(new_figures)

    storm(app, rng, WARM_UP, DRAW_EVERY)  # caches (fonts, text layout) fill here
    gc.collect()
    objects = len(gc.get_objects())
    counts = storm(app, rng, N_CHANGES - TRACED, DRAW_EVERY)
    # the last changes run under tracemalloc (it slows Python down 3x, so not all of them)
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for kind, k in storm(app, rng, TRACED, DRAW_EVERY).items():
            counts[kind] += k
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    gc.collect()
    new_objects = len(gc.get_objects()) - objects
    growth = end - start
    print(
        f"{name}: {counts}, {new_objects:+d} objects, "
        f"traced memory {growth / 1024:+.0f} KiB over the last {TRACED} changes"
    )

    assert plt.get_fignums() == fignums
    assert len(new_figures) == built, "the storm created a figure"
    assert n_widgets() == widget_count, "the storm created widgets"
    assert new_objects < OBJECT_BOUND, f"{new_objects} more live objects after the storm"
    assert growth < MEMORY_BOUND, f"memory grew by {growth / 1024:.0f} KiB in {TRACED} changes"

    # the picture equals a fresh app's at the final state: no stale frame
    final = render(app)
    fresh = cls()
    fresh.set_state(**app.state())
    assert fresh.state() == app.state()
    assert np.array_equal(render(fresh), final), "the picture differs from a fresh app's"
    # and the controls show the values the picture shows
    for control_name, control in value_controls(app).items():
        assert canonical_value(control, control.value) == app.state()[control_name]


# ---------------------------------------------------------------------------------------------
# Bad values through the library
# ---------------------------------------------------------------------------------------------


def _data(n: int = 5, d: int = 3, c: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(d, c)), rng.normal(size=(n, d)), rng.integers(0, c, size=n)


Wt, Xt, yt = _data()


def _with_nan(a: np.ndarray) -> np.ndarray:
    b = a.astype(float).copy()
    b.flat[1] = np.nan
    return b


def _l2_loss_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
    return float(np.sum(w**2)), 2 * w


def _svm_batch(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return losses.svm_loss(w, x, y, 0.0)


# (what a learner typed, the call, the exception, a pattern the one-line message must match)
LIBRARY_MISTAKES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    ("W with D rows that X lacks", lambda: losses.svm_loss(Wt[:2], Xt, yt, 0.1), ValueError, "W"),
    ("W transposed (C, D)", lambda: losses.svm_loss(Wt.T, Xt, yt, 0.1), ValueError, "W"),
    ("X as one flat image", lambda: losses.svm_loss(Wt, Xt[0], yt, 0.1), ValueError, "X"),
    ("y one label short", lambda: losses.svm_loss(Wt, Xt, yt[:-1], 0.1), ValueError, "y"),
    ("y as a column", lambda: losses.svm_loss(Wt, Xt, yt[:, None], 0.1), ValueError, "y"),
    ("label == C", lambda: losses.svm_loss(Wt, Xt, np.r_[yt[:-1], 4], 0.1), ValueError, "y"),
    ("label -1", lambda: losses.svm_loss(Wt, Xt, np.r_[yt[:-1], -1], 0.1), ValueError, "y"),
    ("float labels", lambda: losses.svm_loss(Wt, Xt, yt + 0.5, 0.1), (ValueError, TypeError), "y"),
    ("NaN in X", lambda: losses.svm_loss(Wt, _with_nan(Xt), yt, 0.1), ValueError, "X"),
    ("NaN in W", lambda: losses.softmax_loss(_with_nan(Wt), Xt, yt, 0.1), ValueError, "W"),
    ("negative lambda", lambda: losses.svm_loss(Wt, Xt, yt, -0.1), ValueError, "reg"),
    ("NaN lambda", lambda: losses.softmax_loss(Wt, Xt, yt, np.nan), ValueError, "reg"),
    ("negative delta", lambda: losses.svm_loss(Wt, Xt, yt, 0.1, delta=-1), ValueError, "delta"),
    ("scores 1-D", lambda: losses.hinge_losses(Xt[0], yt[:1]), ValueError, "scores"),
    ("scores with NaN", lambda: losses.hinge_losses(_with_nan(Xt), yt), ValueError, "scores"),
    ("label out of range", lambda: losses.cross_entropy_losses(Xt, yt + 3), ValueError, "y"),
    ("NaN weights in L2", lambda: regularization.l2(_with_nan(Wt)), ValueError, "W"),
    (
        "negative step size",
        lambda: optim.gradient_descent(_l2_loss_and_grad, Wt, -0.1, 10),
        ValueError,
        "step_size",
    ),
    (
        "zero step size",
        lambda: optim.gradient_descent(_l2_loss_and_grad, Wt, 0.0, 10),
        ValueError,
        "step_size",
    ),
    (
        "NaN step size",
        lambda: optim.gradient_descent(_l2_loss_and_grad, Wt, np.nan, 10),
        ValueError,
        "step_size",
    ),
    (
        "negative n_steps",
        lambda: optim.gradient_descent(_l2_loss_and_grad, Wt, 0.1, -5),
        ValueError,
        "n_steps",
    ),
    (
        "SGD with negative step",
        lambda: optim.sgd(_svm_batch, Wt, Xt, yt, -0.1, 5, 2),
        ValueError,
        "step_size",
    ),
    (
        "SGD with batch size 0",
        lambda: optim.sgd(_svm_batch, Wt, Xt, yt, 0.1, 5, 0),
        ValueError,
        "batch_size",
    ),
    (
        "negative h",
        lambda: gradients.numerical_gradient(_l2_loss_and_grad, Wt, h=-1e-5),
        ValueError,
        "h",
    ),
]


@pytest.mark.parametrize(
    "call, exc, pattern",
    [pytest.param(call, exc, pattern, id=what) for what, call, exc, pattern in LIBRARY_MISTAKES],
)
def test_library_mistake_is_a_clear_one_line_error_and_the_app_stays_usable(call, exc, pattern):
    app = W.HingeTableApp()  # a live app on screen while the learner makes the mistake
    before = render(app)
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    assert "\n" not in message.strip(), f"not one line: {message!r}"
    assert re.search(rf"\b{re.escape(pattern)}\b", message), f"{message!r} does not name {pattern}"
    # the app is untouched and still follows its sliders
    assert np.array_equal(render(app), before)
    app.set_state(s_0_0=6.2)
    assert app.last_error is None
    assert round(app.loss, 2) == 4.3


# ---------------------------------------------------------------------------------------------
# Bad values through an app
# ---------------------------------------------------------------------------------------------


def another_value(control: widgets.Widget, current: Any) -> Any:
    """A valid value of ``control`` other than ``current`` (an end of its range, or option)."""
    if isinstance(control, widgets.FloatLogSlider):
        ends = [control.base**control.min, control.base**control.max]
    elif isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        ends = [control.min, control.max]
    else:
        ends = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return next(v for v in ends if canonical_value(control, v) != current)


@pytest.mark.parametrize("name", APP_NAMES)
def test_nan_or_inf_control_value_is_rejected_and_the_app_stays_usable(name):
    app = getattr(W, name)()
    sliders = {
        n: c
        for n, c in value_controls(app).items()
        if isinstance(c, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider))
        or isinstance(c, widgets.SelectionSlider)
    }
    assert sliders, f"{name} has no slider"
    state, picture, updates = app.state(), render(app), app.n_updates
    for control_name in sliders:
        for bad in (np.nan, np.inf, -np.inf, float("nan")):
            with pytest.raises((ValueError, TypeError), match=control_name) as info:
                app.set_state(**{control_name: bad})
            assert "\n" not in str(info.value)
    assert app.state() == state
    assert app.n_updates == updates
    assert app.last_error is None
    assert np.array_equal(render(app), picture)
    # still usable: a valid value of each slider changes the picture
    for control_name, control in sliders.items():
        before = render(app)
        app.set_state(**{control_name: another_value(control, app.state()[control_name])})
        assert app.last_error is None
        assert not np.array_equal(render(app), before), f"{control_name} no longer redraws"


def _lecture_scores() -> np.ndarray:
    from lecture_utils.data import lecture_example

    return lecture_example().scores


# (app, keyword arguments with a learner's mistake, pattern the one-line message must match)
APP_MISTAKES: list[tuple[str, dict[str, Any], str]] = [
    ("HingeTableApp", {"scores": [3.2, 5.1, -1.7], "y": [0]}, "scores"),
    ("HingeTableApp", {"scores": _lecture_scores(), "y": [0, 1, 3]}, "y"),
    ("HingeTableApp", {"scores": _with_nan(_lecture_scores())}, "scores"),
    ("HingeTableApp", {"delta": -1.0}, "delta"),
    ("SoftmaxVsSvmApp", {"scores": [3.2, np.nan, -1.7], "y": 0}, "scores"),
    ("SoftmaxVsSvmApp", {"scores": [3.2, 5.1, -1.7], "y": 3}, "y"),
    ("MarginsApp", {"delta": -1.0}, "delta"),
    ("RegularizationApp", {"lam": -0.1}, "lam"),
    ("ClassifierPlayground", {"reg": -0.1}, "reg"),
    ("ClassifierPlayground", {"step_size": -0.1}, "step_size"),
    ("GradientDescentApp", {"step_size": -1.0}, "step_size"),
    ("SGDApp", {"batch_size": 0}, "batch_size"),
    ("TrainingApp", {"step_size": -0.1}, "step_size"),
    ("TrainingApp", {"reg": -0.1}, "reg"),
    ("FiniteDifferenceApp", {"h": -1e-5}, "h"),
]


def _build_error(name: str, kwargs: dict[str, Any]) -> str:
    """Build the app with a mistake; return the error message (the exception is not kept)."""
    try:
        getattr(W, name)(**kwargs)
    except (ValueError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    raise AssertionError(f"{name}(**{kwargs}) accepted a bad value")


def _mistakes() -> list[Any]:
    return [
        pytest.param(name, kwargs, pattern, id=f"{name}-{pattern}-{i}")
        for i, (name, kwargs, pattern) in enumerate(APP_MISTAKES)
        if name in APP_NAMES
    ]


@pytest.mark.parametrize("name, kwargs, pattern", _mistakes())
def test_app_built_with_bad_values_says_what_is_wrong_in_one_line(name, kwargs, pattern):
    message = _build_error(name, kwargs)
    assert "\n" not in message.strip(), f"not one line: {message!r}"
    assert re.search(rf"\b{re.escape(pattern)}\b", message), f"{message!r} does not name {pattern}"


@pytest.mark.parametrize("name, kwargs, pattern", _mistakes())
def test_a_failed_build_leaves_no_figure_and_no_widget_behind(name, kwargs, pattern, new_figures):
    widget_count = n_widgets()
    _build_error(name, kwargs)
    assert alive(new_figures) == 0, "a failed build left a figure alive"
    assert n_widgets() == widget_count, "a failed build left widgets registered"


# ---------------------------------------------------------------------------------------------
# Reproducibility
# ---------------------------------------------------------------------------------------------


def _sanitizers() -> list[tuple[re.Pattern[str], str]]:
    """The regex/replace pairs of notebooks/nbval_sanitize.cfg (what nbval ignores)."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(ROOT / "notebooks" / "nbval_sanitize.cfg")
    return [
        (re.compile(parser[s]["regex"]), parser[s].get("replace", ""))
        for s in parser.sections()
        if "regex" in parser[s]
    ]


def _checked_outputs(nb: Any) -> list[tuple[int, str]]:
    """Text of every output nbval would compare (cells not marked NBVAL_IGNORE_OUTPUT)."""
    rules = _sanitizers()
    result = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source.split("\n")[0]:
            continue
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for output in cell.outputs:
            if output.output_type == "stream":
                text = output.text
            elif output.output_type in ("execute_result", "display_data"):
                text = output.data.get("text/plain", "") + output.data.get("text/html", "")
            else:
                text = json.dumps(output, sort_keys=True, default=str)
            for regex, replace in rules:
                text = regex.sub(replace, text)
            result.append((i, text))
    return result


def _reproducibility_notebook() -> Path | None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    preferred = [nb for nb in notebooks if nb.name == "01_loss_functions.ipynb"]
    return (preferred or notebooks or [None])[0]


@pytest.mark.slow
def test_a_notebook_run_twice_gives_the_same_outputs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = _reproducibility_notebook()
    if notebook is None:
        pytest.skip("no notebook yet")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # as in JupyterLab: the notebook chooses
    work = tmp_path / notebook.name
    shutil.copy(notebook, work)
    runs = []
    for _ in range(2):
        nb = nbformat.read(work, as_version=4)
        nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        runs.append(_checked_outputs(nb))
    first, second = runs
    assert first, f"{notebook.name} has no checked output"
    assert [i for i, _ in first] == [i for i, _ in second]
    for (i, a), (_, b) in zip(first, second, strict=True):
        assert a == b, f"{notebook.name} cell {i} differs between two runs:\n{a}\n---\n{b}"
