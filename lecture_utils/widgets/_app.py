"""The life of an app: build it, update it when a control moves, draw, and close it.

An app is a model (its control values, :meth:`App.state`), a view (one matplotlib ``Figure``
whose artists are created once) and the wiring (ipywidgets observers that call one
:meth:`App.update` method, which changes the artists in place). This module holds that wiring,
which every app shares; the figure comes from :mod:`._canvas`, the pre-rendered pixels of what
never changes from :mod:`._static`, and what a control's value *is* from :mod:`._controls`. See
the package docstring of :mod:`lecture_utils.widgets` for how to write a new app, and
:mod:`._example` for the smallest complete one.

Why the wiring is careful: the browser and the kernel both change control values.

- the app keeps only canonical control values (:func:`._controls.canonical_value`); an incoming
  value whose canonical form equals the current one does nothing (no update, no redraw):
  updates are idempotent;
- the app never writes a rounded value back into a control;
- a *stale echo* is ignored: if the kernel set a control (a later cell, :meth:`App.set_state`)
  and the first message that then arrives from the browser carries the control's *previous*
  value, it is the browser echoing what it rendered before the new value reached it. The app
  keeps the kernel's value and pushes it to the browser again, instead of letting the echo
  overwrite it. (Only that one message is treated so: a deliberate move back to the old
  value afterwards is accepted.)
- ``set_state`` and button actions are batched into one update (:meth:`App.hold_updates`);
  an error raised while updating is shown under the figure instead of breaking the widget.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from ..language import resolve_language
from ..plotting._fonts import font_context
from ._canvas import new_figure
from ._controls import _check_control_value, _has_value, canonical_value
from ._renderer import FigureView, resolve
from ._static import StaticLayer
from ._strings import Catalogue, Strings
from ._threads import one_blas_thread

__all__ = ["App"]

# How many superseded values per control are remembered as possible stale echoes.
_MAX_STALE = 8


def serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``method`` holding the app's lock (:attr:`FigureView.lock`).

    Widget messages can be handled on two threads (ipykernel >= 7 hands those JupyterLab sends
    on a kernel subshell to that subshell's thread), and a notebook cell runs on the main one.
    So whatever changes the artists or renders them holds the lock: a frame never shows a
    half-made change, and two frames are never encoded at once.
    """

    @functools.wraps(method)
    def holding_the_lock(self: App, *args: Any, **kwargs: Any) -> Any:
        with self.view.lock:
            return method(self, *args, **kwargs)

    return holding_the_lock


class App:
    """Base class of a live view: controls, one figure, one in-place ``update``.

    Subclasses set up their data, then call ``super().__init__(values)``, and implement

    - :meth:`_make_controls` -> dict name -> ipywidget (sliders, dropdowns, ...; buttons made
      with :meth:`_button`);
    - :meth:`_make_artists`: create every artist once on ``self.figure`` (and precompute);
    - :meth:`update`: read ``self.values`` and change the artists and ``self.readout`` in
      place. It does not draw: the base schedules one redraw after it (``self.view``).

    Attributes
    ----------
    language : str
        "en" or "ko": the language of the app's texts (``language=`` of the app, else
        :func:`lecture_utils.get_language`).
    text : lecture_utils.widgets._strings.Strings
        The app's texts in that language (``self.text(key, **fields)``), from the catalogue
        named by the class attribute ``strings``.
    controls : dict of str -> ipywidgets.Widget
        The controls by name; ``set_state(name=value)`` uses the same names.
    figure : matplotlib.figure.Figure
        The one figure the app draws on (ipympl canvas; Agg as fallback).
    view : lecture_utils.widgets._renderer.FigureView
        What shows the figure in the browser: the ipympl canvas or an ``ipywidgets.Image``
        (chosen by :func:`lecture_utils.widgets.use_renderer`).
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
    #: The app's texts: language -> key -> text (a module of ``._strings``).
    strings: Catalogue = {"en": {}}

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        backend: str = "ipympl",
        language: str | None = None,
    ):
        self.language = resolve_language(language)
        self.text = Strings(self.strings, self.language)
        # the renderer (use_renderer / $LECTURE_UTILS_RENDERER) applies to live apps only
        view = resolve(backend) if backend == "ipympl" else backend
        self.figure = new_figure(self.figsize, self.dpi, "agg" if view == "image" else backend)
        self.view = FigureView(self.figure, view)
        try:
            # Korean: the text artists are made with a family list that ends in NanumGothic
            with font_context(self.language):
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
        """What shows the figure: the ipympl canvas or the fallback Image (see ``._renderer``)."""
        return self.view.widget

    def _bake(self, *items: Artist | Axes, volatile: tuple[Artist, ...] = ()) -> None:
        """Render ``items`` once and paste their pixels on every draw (see :class:`StaticLayer`).

        Call at the end of ``_make_artists`` with the axes whose ticks and background never
        change and the artists (fixed texts, reference lines) that never change and lie below
        every changing artist. Text is slow to draw: this is usually what gets an app's frame
        under the 40 ms budget. A changed member is noticed (matplotlib marks it stale) and
        the layer rendered again; an artist that changes with one control (an axis whose
        limit follows a slider) goes in ``volatile``, so that only it is rendered again.
        """
        if not self.bake_static or not items:
            return
        if self.static_layer is not None:
            raise RuntimeError("_bake can be called once per app")
        self.static_layer = StaticLayer(self.figure, list(items), list(volatile))
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

    @serialized
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

    @serialized
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
            self.view.browser_message()
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

    @serialized
    def _on_click(self, button: widgets.Button) -> None:
        action = self._actions[id(button)]
        before = self.n_updates
        try:
            with one_blas_thread(), self.hold_updates():
                action()
        except Exception as exc:
            self._report(exc)
            return
        if self.n_updates == before:  # the action changed internal state only
            self.refresh()

    @serialized
    def refresh(self, raise_errors: bool = False) -> None:
        """Run :meth:`update` (BLAS on one thread) and schedule a redraw; errors to ``output``."""
        self._dirty = False
        self.n_updates += 1
        with one_blas_thread():  # small products: extra BLAS threads only wait for cores
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
            self.view.draw_idle()

    def _canvas_is_shown(self) -> bool:
        """Whether a browser shows the figure now (so a frame drawn now is seen).

        The Image counts as shown once a front-end rendered the app or a control moved in a
        browser; the canvas (renderer "ipympl") once ipympl sets ``syncing_data_url`` to
        False, when its front-end reports that it is ready. Without a front-end (plain Agg,
        tests, nbconvert) neither.
        """
        return self.view.is_shown()

    def _draw_frame(self) -> bool:
        """Render now, if a browser shows the canvas; return whether a frame was drawn.

        For actions that take many steps (a training run, a gradient-descent run): between
        steps, change the artists and call this; the frame goes to the browser at once (the
        Image's new value, or the canvas's frame), while the action still runs. Without a
        browser nobody would see the frame, so none is drawn. The action must still end in one
        :meth:`update` (control values), so that the final picture is the one those values
        always give.
        """
        if not self._canvas_is_shown():
            return False
        self.view.draw_now()
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
        view = getattr(self, "view", None)
        if view is not None:
            stack += [view.widget, view.image, view.heartbeat]
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
        with self.view.lock:  # not while a widget message on another thread renders
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
