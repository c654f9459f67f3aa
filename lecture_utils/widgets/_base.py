"""The one pattern behind every live view ("app") of :mod:`lecture_utils.widgets`.

An app is a model (its control values, :meth:`App.state`), a view (one matplotlib
``Figure`` whose artists are created once) and the wiring (ipywidgets observers that call
one :meth:`App.update` method, which changes the artists in place). See the package
docstring of :mod:`lecture_utils.widgets` for how to write a new app.

Float-noise echoes
------------------
A FloatSlider rendered by ipywidgets 8 sends its value back with float noise
(0.05 -> 0.04999999999999999), and re-sends after every value the kernel pushes to it. So:

- every control value is *canonicalised*: snapped to the control's step grid (for a
  ``FloatLogSlider``, the exponent's grid) and rounded; the app keeps only canonical values;
- an incoming value whose canonical form equals the current one does nothing (no update,
  no redraw): updates are idempotent;
- the app never writes a rounded value back into a control;
- a *stale echo* is ignored: if the kernel set a control (a later cell, :meth:`App.set_state`)
  and the first message that then arrives from the browser carries the control's *previous*
  value, it is the browser echoing what it rendered before the new value reached it. The app
  keeps the kernel's value and pushes it to the browser again, instead of letting the echo
  overwrite it. (Only that one message is treated so: a deliberate move back to the old
  value afterwards is accepted.)
"""

from __future__ import annotations

import base64
import io
import itertools
import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from .._validation import check_finite_number

__all__ = ["App", "StaticLayer", "new_figure", "canonical_value"]

_figure_numbers = itertools.count(1)
# How many superseded values per control are remembered as possible stale echoes.
_MAX_STALE = 8


# ---------------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------------


def _import_ipympl_backend() -> Any:
    """Import ``ipympl.backend_nbagg`` without changing the notebook's pyplot backend.

    Importing ipympl after matplotlib calls ``matplotlib.use("module://ipympl...")``: every
    later ``plt.subplots`` of a ``%matplotlib inline`` notebook would become a live widget
    instead of a PNG. Put the backend the notebook chose back.
    """
    import matplotlib

    before = matplotlib.rcParams._get_backend_or_none()
    import ipympl.backend_nbagg as nbagg

    if before is not None and matplotlib.rcParams._get_backend_or_none() != before:
        matplotlib.use(before)
    return nbagg


def _attach_ipympl(fig: Figure) -> None:
    """Give ``fig`` an ipympl canvas and manager, independent of the pyplot backend."""
    nbagg = _import_ipympl_backend()
    Canvas, FigureManager = nbagg.Canvas, nbagg.FigureManager

    canvas = Canvas(fig)
    with warnings.catch_warnings():
        # ipympl's Toolbar passes an argument traitlets deprecates; nothing for us to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        FigureManager(canvas, next(_figure_numbers))  # draw() needs a manager; not pyplot's
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False


def new_figure(figsize: tuple[float, float], dpi: float = 100, backend: str = "ipympl") -> Figure:
    """Return a new ``Figure`` drawn by an ipympl canvas, without pyplot.

    The figure is not registered with pyplot (``plt.get_fignums()`` does not see it), so it
    works whatever backend the notebook selected and never opens a second window or output.

    Parameters
    ----------
    figsize : (float, float)
        Width and height in inches.
    dpi : float, default 100
    backend : {"ipympl", "agg"}, default "ipympl"
        "agg" gives a plain Agg canvas (no widget). If ipympl cannot be attached (not
        installed, no IPython), the Agg canvas is used as a fallback.

    Returns
    -------
    Figure
        ``figure.canvas`` is an ``ipympl.backend_nbagg.Canvas`` (a DOM widget) or a
        ``FigureCanvasAgg``; both render headless with ``canvas.draw()``.
    """
    if backend not in ("ipympl", "agg"):
        raise ValueError(f"backend must be 'ipympl' or 'agg', got {backend!r}")
    fig = Figure(figsize=figsize, dpi=dpi)
    if backend == "ipympl":
        try:
            _attach_ipympl(fig)
        except Exception:  # ipympl missing or broken: still drawable, just not live
            FigureCanvasAgg(fig)
    else:
        FigureCanvasAgg(fig)
    return fig


class StaticLayer(Artist):
    """Artists that never change, rendered once and pasted as pixels on every draw.

    Text is the slowest thing matplotlib draws (each glyph is rasterized again on every
    draw: about 0.15 ms a glyph here), and tick labels are text. The artists given here
    (axes give their background patch and both axes' ticks and labels) are hidden from the
    normal draw; this layer, drawn first (above the figure's background only), renders them
    once into a private Agg buffer of the renderer's size and dpi and pastes that buffer on
    each draw. The buffer is re-rendered when the size or dpi changes (HiDPI screens,
    ``savefig(dpi=...)``) or when one of the artists changed (``stale``). On non-Agg
    renderers (PDF, SVG) the artists are drawn normally.

    Everything in the layer ends up *below* every other artist, so give it only what lies
    underneath the changing artists: axes backgrounds, tick labels, fixed texts and
    reference lines, fixed data points under nothing.
    """

    def __init__(self, figure: Figure, items: list[Artist | Axes]) -> None:
        super().__init__()
        self.set_figure(figure)
        self.set_zorder(-1e9)
        self.members: list[Artist] = []
        self._owner: dict[int, Axes | None] = {}  # the axes each member is drawn with
        for item in items:
            if isinstance(item, Axes):
                for m in (item.patch, item.xaxis, item.yaxis):
                    self.members.append(m)
                    self._owner[id(m)] = item
            else:
                self.members.append(item)
                # an axes' background patch does not know its axes (its .axes is None)
                owner = item.axes or next((ax for ax in figure.axes if ax.patch is item), None)
                self._owner[id(item)] = owner
        owners = set(map(id, self._owner.values()))
        self.axes_order = [ax for ax in figure.axes if id(ax) in owners]
        self._shown = [m.get_visible() for m in self.members]
        for m in self.members:
            m.set_visible(False)
            m.stale = False
        self._key: tuple[float, float, float] | None = None
        self._pixels: np.ndarray | None = None

    def _in_drawing_order(self) -> list[Artist]:
        def order(m: Artist) -> tuple[int, int, float]:
            ax = self._owner[id(m)]
            if ax is None:  # figure-level artists come after the axes
                return (len(self.axes_order), 1, m.get_zorder())
            return (self.axes_order.index(ax), 0 if m is ax.patch else 1, m.get_zorder())

        shown = [m for m, v in zip(self.members, self._shown, strict=True) if v]
        return sorted(shown, key=order)

    def _draw_members(self, renderer: Any) -> None:
        for m in self._in_drawing_order():
            m.set_visible(True)
            try:
                m.draw(renderer)
            finally:
                m.set_visible(False)
                m.stale = False

    def invalidate(self) -> None:
        """Render the layer again at the next draw (after changing one of its artists)."""
        self._key = None

    def draw(self, renderer: Any) -> None:
        if not isinstance(renderer, RendererAgg):
            self._draw_members(renderer)
            return
        for ax in self.axes_order:  # settle pending autoscaling first, as Axes.draw would
            ax.viewLim  # noqa: B018 (the property brings the view limits up to date)
            ax.apply_aspect()
        key = (renderer.width, renderer.height, renderer.dpi)
        if key != self._key or any(m.stale for m in self.members):
            private = RendererAgg(renderer.width, renderer.height, renderer.dpi)
            self.figure.patch.draw(private)  # opaque background: pasted pixels are exact
            self._draw_members(private)
            self._pixels = np.asarray(private.buffer_rgba()).copy()
            self._key = key
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self._pixels[::-1])
        gc.restore()
        self.stale = False


# ---------------------------------------------------------------------------------------------
# Control values
# ---------------------------------------------------------------------------------------------

_FLOAT_CONTROLS = (widgets.FloatSlider, widgets.BoundedFloatText, widgets.FloatText)
_INT_CONTROLS = (widgets.IntSlider, widgets.BoundedIntText, widgets.IntText)
_SELECTION_CONTROLS = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)
_BOOL_CONTROLS = (widgets.Checkbox, widgets.ToggleButton)


def _round_sig(x: float, digits: int = 12) -> float:
    """Round to ``digits`` significant digits (removes float noise; keeps tiny values)."""
    if x == 0 or not math.isfinite(x):
        return 0.0 if x == 0 else x
    return float(f"{x:.{digits}g}")


def _decimals(step: float) -> int:
    # enough decimals to represent every point of a grid of this step, plus a margin
    return max(0, -math.floor(math.log10(step))) + 3


def canonical_value(control: widgets.Widget, value: Any) -> Any:
    """The value ``control`` stands for, with float noise removed.

    Float sliders snap to ``min + k * step`` and round; log sliders snap the exponent to its
    grid; ints become ``int``; selections and checkboxes are returned as they are.
    """
    if isinstance(control, widgets.FloatLogSlider):
        base = float(control.base)
        v = max(float(value), np.finfo(float).tiny)
        exponent = math.log(v, base)
        step = float(control.step or 0)
        if step > 0:
            k = round((exponent - control.min) / step)
            exponent = round(control.min + k * step, _decimals(step))
        exponent = min(max(exponent, control.min), control.max)
        return _round_sig(base**exponent)
    if isinstance(control, _FLOAT_CONTROLS):
        v = float(value)
        step = float(getattr(control, "step", 0) or 0)
        lo = getattr(control, "min", None)
        hi = getattr(control, "max", None)
        if step > 0:
            origin = float(lo) if lo is not None else 0.0
            v = round(origin + round((v - origin) / step) * step, _decimals(step))
            if lo is not None:
                v = min(max(v, float(lo)), float(hi))
        return _round_sig(v) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(control, _INT_CONTROLS):
        return int(value)
    if isinstance(control, _BOOL_CONTROLS):
        return bool(value)
    return value


def _selection_values(control: widgets.Widget) -> list[Any]:
    options = control.options
    if isinstance(options, Mapping):
        return list(options.values())
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]


def _has_value(control: widgets.Widget) -> bool:
    return not isinstance(control, widgets.Button) and hasattr(control, "value")


def _check_control_value(name: str, control: widgets.Widget, value: Any) -> Any:
    """Validate a value for ``control`` (as ``set_state`` and constructors receive it)."""
    if isinstance(control, widgets.FloatLogSlider):
        v = check_finite_number(value, name)
        lo, hi = control.base**control.min, control.base**control.max
        if not lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9):
            raise ValueError(f"{name} must be in [{lo:g}, {hi:g}], got {v:g}")
        return v
    if isinstance(control, _FLOAT_CONTROLS):
        v = check_finite_number(value, name)
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
        if lo is not None and not lo - 1e-9 <= v <= hi + 1e-9:
            raise ValueError(f"{name} must be in [{lo:g}, {hi:g}], got {v:g}")
        return v
    if isinstance(control, _INT_CONTROLS):
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
        if lo is not None and not lo <= int(value) <= hi:
            raise ValueError(f"{name} must be in [{lo}, {hi}], got {int(value)}")
        return int(value)
    if isinstance(control, _BOOL_CONTROLS):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
        return bool(value)
    if isinstance(control, _SELECTION_CONTROLS) or hasattr(control, "options"):
        allowed = _selection_values(control)
        if not any(value == a for a in allowed):
            raise ValueError(f"{name} must be one of {allowed!r}, got {value!r}")
        return value
    return value


# ---------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------


class App:
    """Base class of a live view: controls, one figure, one in-place ``update``.

    Subclasses set up their data, then call ``super().__init__(values)``, and implement

    - :meth:`_make_controls` -> dict name -> ipywidget (sliders, dropdowns, ...; buttons made
      with :meth:`_button`);
    - :meth:`_make_artists`: create every artist once on ``self.figure`` (and precompute);
    - :meth:`update`: read ``self.values`` and change the artists and ``self.readout`` in
      place. It does not draw: the base calls ``figure.canvas.draw_idle()`` after it.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
        The controls by name; ``set_state(name=value)`` uses the same names.
    figure : matplotlib.figure.Figure
        The one figure the app draws on (ipympl canvas; Agg as fallback).
    widget : ipywidgets.Widget
        What a notebook cell displays (controls, canvas, readout, error output).
    readout : ipywidgets.HTML
        Numbers that go with the picture.
    output : ipywidgets.Output
        Errors raised while updating are shown here (and kept in ``last_error``).
    n_updates : int
        How many times :meth:`update` ran (for tests of idempotence).
    """

    #: Figure size in inches and dots per inch; subclasses choose theirs.
    figsize: tuple[float, float] = (8.0, 3.6)
    dpi: float = 100
    #: Whether :meth:`_bake` pre-renders fixed artists (False: draw everything every time).
    bake_static: bool = True

    def __init__(self, values: Mapping[str, Any] | None = None, *, backend: str = "ipympl"):
        self.figure = new_figure(self.figsize, self.dpi, backend)
        try:
            self._build(values)
        except BaseException:
            # a bad starting value (or a failing subclass) must not leave open widgets behind:
            # ipywidgets would keep them, and the figure with them, alive for the session
            self.close()
            raise

    def _build(self, values: Mapping[str, Any] | None) -> None:
        """Controls, artists, layout and the first picture (the rest of ``__init__``)."""
        self.static_layer: StaticLayer | None = None
        self._actions: dict[int, Callable[[], Any]] = {}
        self.controls: dict[str, widgets.Widget] = dict(self._make_controls())
        self._names = {id(c): n for n, c in self.controls.items()}
        self.readout = widgets.HTML(layout=widgets.Layout(margin="0 0 0 8px"))
        self.output = widgets.Output()
        self.last_error: BaseException | None = None
        self.n_updates = 0
        self._hold = 0
        self._dirty = False
        self._writing = False
        self._stale: dict[str, list[Any]] = {}

        # starting values: checked, then written into the controls before any observer exists
        if values:
            for name, value in self._check_values(values).items():
                self.controls[name].value = value
        self._values: dict[str, Any] = {
            n: canonical_value(c, c.value) for n, c in self.controls.items() if _has_value(c)
        }

        self._make_artists()
        self.widget = self._make_widget()
        for control in self.controls.values():
            if isinstance(control, widgets.Button):
                control.on_click(self._on_click)
            elif _has_value(control):
                control.observe(self._on_change, names="value")
        self.refresh(raise_errors=True)

    # -- to implement in subclasses --------------------------------------------------------

    def _make_controls(self) -> dict[str, widgets.Widget]:
        """Return the controls by name."""
        raise NotImplementedError

    def _make_artists(self) -> None:
        """Create every artist once on ``self.figure``."""
        raise NotImplementedError

    def update(self) -> None:
        """Change the artists (and ``self.readout``) in place from ``self.values``."""
        raise NotImplementedError

    def _make_widget(self) -> widgets.Widget:
        """Lay out controls, canvas, readout and error output (override to rearrange)."""
        return widgets.VBox(
            [self._controls_box(), self._canvas_widget(), self.readout, self.output]
        )

    # -- helpers for subclasses ------------------------------------------------------------

    def _controls_box(self) -> widgets.Widget:
        """Default layout of the controls: one row that wraps."""
        return widgets.HBox(
            list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")
        )

    def _canvas_widget(self) -> widgets.Widget:
        canvas = self.figure.canvas
        return canvas if isinstance(canvas, widgets.Widget) else widgets.HTML("")

    def _bake(self, *items: Artist | Axes) -> None:
        """Render ``items`` once and paste their pixels on every draw (see :class:`StaticLayer`).

        Call at the end of ``_make_artists`` with the axes whose ticks and background never
        change and the artists (fixed texts, reference lines) that never change and lie below
        every changing artist. Text is slow to draw: this is usually what gets an app's frame
        under the 40 ms budget. Call ``self.static_layer.invalidate()`` after changing one.
        """
        if not self.bake_static or not items:
            return
        if self.static_layer is not None:
            raise RuntimeError("_bake can be called once per app")
        self.static_layer = StaticLayer(self.figure, list(items))
        self.figure.add_artist(self.static_layer)

    def _button(self, description: str, action: Callable[[], Any], **kwargs: Any) -> widgets.Button:
        """A Button that runs ``action()`` and then redraws (errors go to ``output``)."""
        button = widgets.Button(description=description, **kwargs)
        self._actions[id(button)] = action
        return button

    # -- state -----------------------------------------------------------------------------

    @property
    def values(self) -> Mapping[str, Any]:
        """The canonical control values (read-only) that the picture shows."""
        return MappingProxyType(self._values)

    def state(self) -> dict[str, Any]:
        """A copy of the control values; ``set_state(**app.state())`` reproduces the picture."""
        return dict(self._values)

    def set_state(self, **values: Any) -> None:
        """Set several controls at once and redraw once.

        Raises
        ------
        ValueError, TypeError
            For an unknown name or a value its control cannot take (nothing is changed then).
        """
        checked = self._check_values(values)
        with self.hold_updates(raise_errors=True):
            for name, value in checked.items():
                self.controls[name].value = canonical_value(self.controls[name], value)

    def _check_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        settable = {n for n, c in self.controls.items() if _has_value(c)}
        unknown = sorted(set(values) - settable)
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has no control named {', '.join(map(repr, unknown))}; "
                f"its controls are {sorted(settable)}"
            )
        return {n: _check_control_value(n, self.controls[n], v) for n, v in values.items()}

    @contextmanager
    def hold_updates(self, raise_errors: bool = False) -> Iterator[None]:
        """Collect control changes and run ``update`` once at the end (if anything changed)."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if self._hold == 0 and self._dirty:
                self.refresh(raise_errors=raise_errors)

    # -- wiring ------------------------------------------------------------------------------

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if self._writing:
            return
        control = change["owner"]
        name = self._names[id(control)]
        new = canonical_value(control, change["new"])
        current = self._values[name]
        # a change with the property lock held came from the browser (ipywidgets' set_state)
        from_browser = bool(getattr(control, "_property_lock", None))
        if from_browser:
            stale = self._stale.pop(name, [])
            if new != current and any(new == s for s in stale):
                self._reassert(name)  # the browser echoed a value the kernel replaced since
                return
        elif new != current:
            stale = self._stale.setdefault(name, [])
            stale.append(current)
            del stale[:-_MAX_STALE]
        if new == current:
            return
        self._values[name] = new
        self._dirty = True
        if self._hold == 0:
            self.refresh()

    def _reassert(self, name: str) -> None:
        self._writing = True
        try:
            self.controls[name].value = self._values[name]
        finally:
            self._writing = False

    def _on_click(self, button: widgets.Button) -> None:
        action = self._actions[id(button)]
        before = self.n_updates
        try:
            with self.hold_updates():
                action()
        except Exception as exc:
            self._report(exc)
            return
        if self.n_updates == before:  # the action changed internal state only
            self.refresh()

    def refresh(self, raise_errors: bool = False) -> None:
        """Run :meth:`update` and schedule a redraw; errors go to ``output``."""
        self._dirty = False
        self.n_updates += 1
        try:
            self.update()
        except Exception as exc:
            self._report(exc)
            if raise_errors:
                raise
            return
        if self.last_error is not None:
            self.last_error = None
            self.output.outputs = ()
        self.figure.canvas.draw_idle()

    def _canvas_is_shown(self) -> bool:
        """Whether a browser shows the canvas now (so a frame drawn now is seen).

        ipympl sets ``syncing_data_url`` to False when the front-end reports that it is
        ready. Without one (plain Agg, tests, nbconvert) it stays True or does not exist.
        """
        return getattr(self.figure.canvas, "syncing_data_url", True) is False

    def _draw_frame(self) -> bool:
        """Render now, if a browser shows the canvas; return whether a frame was drawn.

        For actions that take many steps (a training run, a gradient-descent run): between
        steps, change the artists and call this; an ipympl canvas sends the frame to the
        browser at once, while the action still runs. Without a browser nobody would see the
        frame, so none is drawn. The action must still end in one :meth:`update` (control
        values), so that the final picture is the one those values always give.
        """
        if not self._canvas_is_shown():
            return False
        self.figure.canvas.draw()
        return True

    def _report(self, exc: BaseException) -> None:
        self.last_error = exc
        self.output.outputs = (
            {
                "output_type": "stream",
                "name": "stderr",
                "text": f"{type(self).__name__}: {type(exc).__name__}: {exc}\n",
            },
        )

    # -- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close every widget of the app (controls, canvas, readout, layout boxes, labels).

        ipywidgets keeps every open widget alive (and with it the app and its figure) until
        it is closed; call this when an app is no longer needed, e.g. in tests or before
        building many apps in one kernel. A closed app cannot be shown again.
        """
        seen: set[int] = set()
        # every widget the app holds: the layout, readout, output, the controls and any
        # widget (or dict of widgets) a subclass keeps, such as labels beside the sliders;
        # attributes, not a fixed list, so this also cleans up after a half-built app
        stack: list[Any] = []
        for value in vars(self).values():
            stack += value.values() if isinstance(value, dict) else [value]
        canvas = self.figure.canvas
        if isinstance(canvas, widgets.Widget):
            stack += [canvas, getattr(canvas, "toolbar", None)]
            manager = getattr(canvas, "manager", None)
            stack.append(getattr(manager, "toolbar", None))
        while stack:
            w = stack.pop()
            if not isinstance(w, widgets.Widget) or id(w) in seen:
                continue
            seen.add(id(w))
            stack.extend(getattr(w, "children", ()))
            for key in ("layout", "style"):
                stack.append(getattr(w, key, None))
            w.close()

    # -- display -----------------------------------------------------------------------------

    def to_png(self) -> bytes:
        """The current picture as PNG bytes (rendered with Agg, without touching the canvas)."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=self.figure.dpi)
        return buf.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any):
        """The live widget, plus a PNG of the figure for viewers without a kernel."""
        data = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        data["text/plain"] = (
            f"{type(self).__name__}: a live view; run the notebook to move its controls"
        )
        data["image/png"] = base64.b64encode(self.to_png()).decode("ascii")
        width, height = self.figure.get_size_inches() * self.figure.dpi
        metadata = {"image/png": {"width": int(round(width)), "height": int(round(height))}}
        return data, metadata

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"
