"""Driving the live apps headless, as the browser does, for the app tests.

Provides the list of exported apps (``APP_NAMES``) and a cache of their default instances
(``default_app``); two autouse fixtures, each used by a test module that imports it: one closes
the apps a test built (``close_apps_after_each_test``), one starts a test from the default
renderer (``start_from_the_default_renderer``); Agg rendering of an app's figure (``render``)
and the pixels of a PNG the app sent (``pixels``), the count of live figures (``n_figures``),
and moving a control the way the browser moves it (``value_controls``, ``other_value``,
``move_like_browser``; every control once: ``each_control_moved``). Used by
``tests/test_app_contract.py``, ``tests/test_app_base.py``, ``tests/test_hinge_apps.py``,
``tests/test_regularization_app.py``, ``tests/test_renderer.py`` and ``tests/test_app_lock.py``.
"""

from __future__ import annotations

import gc
import io
import math
import weakref
from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import lecture_utils.widgets as W
import lecture_utils.widgets._renderer as R
from lecture_utils.widgets import App
from lecture_utils.widgets._controls import _selection_values, canonical_value

APP_NAMES = list(W.__all__)

# Cache of default apps, one per class (building is the slow part; tests that change an app's
# state build their own).
_DEFAULT: dict[str, App] = {}


def default_app(name: str) -> App:
    if name not in _DEFAULT:
        _DEFAULT[name] = getattr(W, name)()
    return _DEFAULT[name]


@pytest.fixture(autouse=True)
def close_apps_after_each_test(monkeypatch):
    """Close the apps a test built (ipywidgets would keep them, and their figures, alive)."""
    built: list[weakref.ref[App]] = []  # weak: an app the test closed itself can go
    original = App.__init__

    def recording_init(self, *args, **kwargs):
        built.append(weakref.ref(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(App, "__init__", recording_init)
    yield
    cached = {id(app) for app in _DEFAULT.values()}
    for ref in built:
        app = ref()
        if app is not None and hasattr(app, "widget") and id(app) not in cached:
            app.close()


@pytest.fixture(autouse=True)
def start_from_the_default_renderer(monkeypatch):
    """Each test starts from the default renderer: no use_renderer() choice, no environment."""
    monkeypatch.setattr(R, "_chosen", None)
    monkeypatch.delenv(R.ENV_VAR, raising=False)


def pixels(png: bytes) -> np.ndarray:
    """The RGBA pixels of ``png`` (a frame the app sent to its Image), decoded by Pillow."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def render(app: App) -> np.ndarray:
    """Render the app's figure on its own canvas with Agg and return a copy of the pixels.

    (The ipympl canvas's own ``draw()`` renders the same way and then also encodes a PNG
    for the browser; the build test runs it once.)
    """
    FigureCanvasAgg.draw(app.figure.canvas)
    return np.asarray(app.figure.canvas.buffer_rgba()).copy()


def n_figures() -> int:
    gc.collect()
    return sum(isinstance(o, Figure) for o in gc.get_objects())


def value_controls(app: App) -> list[str]:
    return [n for n, c in app.controls.items() if not isinstance(c, widgets.Button)]


def other_value(control: widgets.Widget):
    """A different valid value for ``control``, far enough from the current one to show."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.min, control.max
        exponent = math.log(control.value, control.base)
        target = (
            exponent + 0.4 * (hi - lo)
            if exponent - lo < hi - exponent
            else exponent - 0.4 * (hi - lo)
        )
        return canonical_value(control, control.base**target)
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        lo, hi, v = control.min, control.max, control.value
        target = v + 0.3 * (hi - lo) if v - lo < hi - v else v - 0.3 * (hi - lo)
        return canonical_value(control, target)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return not control.value
    if hasattr(control, "options"):
        values = _selection_values(control)
        return values[(control.index + 1) % len(values)]
    raise NotImplementedError(f"test does not know how to move a {type(control).__name__}")


def move_like_browser(control: widgets.Widget, value) -> None:
    """Send ``value`` as the browser does: through the widget's ``set_state``, with float noise."""
    if hasattr(control, "options"):
        control.set_state({"index": _selection_values(control).index(value)})
    elif isinstance(value, float):
        control.set_state({"value": value * (1 + 1e-16) + 1e-17})  # noise as the front-end's
    else:
        control.set_state({"value": value})


def each_control_moved(app: App) -> Iterator[tuple[str, int, np.ndarray, np.ndarray]]:
    """Move every control of ``app`` once, as a browser does (a button: one click).

    Yields, per control: its name, how many updates the move ran, and the Agg pictures before
    and after it (the picture after one control is the picture before the next).
    """
    before = render(app)
    for name, control in app.controls.items():
        updates = app.n_updates
        if isinstance(control, widgets.Button):
            control.click()
        else:
            move_like_browser(control, other_value(control))
        after = render(app)
        yield name, app.n_updates - updates, before, after
        before = after
