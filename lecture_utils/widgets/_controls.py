"""Controls: their canonical values, and small helpers that build them with the project's defaults.

Why this is its own concern: an app keeps, for each control, the value the control *stands
for*, never the raw number the browser sends. A FloatSlider rendered by ipywidgets 8 sends its
value back with float noise (0.05 -> 0.04999999999999999), so every control value is
*canonicalised* (:func:`canonical_value`): snapped to the control's step grid (for a
``FloatLogSlider``, the exponent's grid) and rounded. Two values with the same canonical form are
the same picture, which is what makes an app's updates idempotent. Values given from code
(``App.set_state``, an app's constructor) are checked here too, with errors that name the control
and the range or the options it takes.

The helpers (:func:`float_slider`, :func:`log_slider`, :func:`int_slider`, :func:`dropdown`,
:func:`toggle_buttons`, :func:`selection_slider`) return ipywidgets configured the way every app
wants them: sliders update while dragged (``continuous_update``), a float slider shows as many
decimals as its step has, a ``width`` becomes the widget's layout width. An app's
``_make_controls`` then reads like a list of its sliders. Any other ipywidget with a ``value``
(a ``Checkbox``, a ``BoundedFloatText``) works as a control as well.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._validation import check_finite_number

__all__ = [
    "canonical_value",
    "dropdown",
    "float_slider",
    "int_slider",
    "labelled",
    "log_slider",
    "selection_slider",
    "toggle_buttons",
]

# ---------------------------------------------------------------------------------------------
# Canonical values
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

    Parameters
    ----------
    control : ipywidgets.Widget
        The control whose grid (``min``, ``step``; ``base`` of a log slider) applies.
    value : Any
        A value as the control holds it (the browser's, with float noise).

    Returns
    -------
    Any
        The canonical value: equal for every value that stands for the same grid point.

    Examples
    --------
    >>> s = float_slider("Δ", 0.0, 1.0, 0.05)
    >>> canonical_value(s, 0.04999999999999999)
    0.05
    >>> canonical_value(log_slider("λ", -3, 0, 0.25), 0.0031622776601683794)
    0.00316227766017
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
# Helpers that build controls
# ---------------------------------------------------------------------------------------------


def _step_format(step: float) -> str:
    """``".{n}f"`` with n the decimals of ``step`` (0.1 -> ".1f", 0.05 -> ".2f", 1 -> ".0f")."""
    decimals = f"{float(step):.10f}".rstrip("0").split(".")[1]
    return f".{len(decimals)}f"


def _options(
    width: str | None, tooltip: str | None, kwargs: dict[str, Any], **given: Any
) -> dict[str, Any]:
    """The keyword arguments of a widget: ``given``, then the optional ones that were set."""
    if width is not None:
        given["layout"] = widgets.Layout(width=width)
    if tooltip is not None:
        given["tooltip"] = tooltip
    return {k: v for k, v in given.items() if v is not None} | kwargs


def float_slider(
    description: str,
    min: float,
    max: float,
    step: float,
    value: float | None = None,
    *,
    fmt: str | None = None,
    width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.FloatSlider:
    """A ``FloatSlider`` from ``min`` to ``max`` in steps of ``step``, updating while dragged.

    Parameters
    ----------
    description : str
        The label left of the slider ("" for none).
    min, max, step : float
        The range and the grid of values the slider takes.
    value : float, optional
        Starting value (default: ipywidgets', 0 clipped into the range; an app's constructor
        usually sets it through ``App.__init__(values)``).
    fmt : str, optional
        ``readout_format``; default: as many decimals as ``step`` has (0.05 -> ".2f").
    width : str, optional
        CSS width of the widget, e.g. "230px".
    tooltip : str, optional
    **kwargs
        Any other ``FloatSlider`` trait (``style``, ...).

    Examples
    --------
    >>> s = float_slider("Δ", 0.0, 5.0, 0.05, value=1.0, width="250px")
    >>> s.readout_format, s.continuous_update, s.layout.width
    ('.2f', True, '250px')
    """
    return widgets.FloatSlider(
        **_options(
            width,
            tooltip,
            kwargs,
            value=value,
            min=min,
            max=max,
            step=step,
            readout_format=_step_format(step) if fmt is None else fmt,
            description=description,
            continuous_update=True,
        )
    )


def log_slider(
    description: str,
    min: float,
    max: float,
    step: float,
    value: float | None = None,
    *,
    base: float = 10,
    fmt: str = ".3g",
    width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.FloatLogSlider:
    """A ``FloatLogSlider`` over ``base**min`` to ``base**max``, updating while dragged.

    Parameters
    ----------
    description : str
    min, max, step : float
        The *exponents*: the slider takes the values ``base**(min + k * step)``.
    value : float, optional
        Starting value (not its exponent).
    base : float, default 10
    fmt : str, default ".3g"
        ``readout_format`` of the value.
    width : str, optional
        CSS width of the widget.
    tooltip : str, optional
    **kwargs
        Any other ``FloatLogSlider`` trait.

    Examples
    --------
    >>> s = log_slider("λ", -3, 0, 0.25, value=0.1)
    >>> s.value, s.base**s.min, s.readout_format
    (0.1, 0.001, '.3g')
    """
    return widgets.FloatLogSlider(
        **_options(
            width,
            tooltip,
            kwargs,
            value=value,
            base=base,
            min=min,
            max=max,
            step=step,
            readout_format=fmt,
            description=description,
            continuous_update=True,
        )
    )


def int_slider(
    description: str,
    min: int,
    max: int,
    step: int = 1,
    value: int | None = None,
    *,
    width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.IntSlider:
    """An ``IntSlider`` from ``min`` to ``max`` in steps of ``step``, updating while dragged.

    Parameters
    ----------
    description : str
    min, max, step : int
    value : int, optional
    width : str, optional
        CSS width of the widget.
    tooltip : str, optional
    **kwargs
        Any other ``IntSlider`` trait.

    Examples
    --------
    >>> s = int_slider("steps", 1, 100, value=30)
    >>> s.value, s.step, s.continuous_update
    (30, 1, True)
    """
    return widgets.IntSlider(
        **_options(
            width,
            tooltip,
            kwargs,
            value=value,
            min=min,
            max=max,
            step=step,
            description=description,
            continuous_update=True,
        )
    )


def labelled(values: Sequence[Any], labels: Sequence[str]) -> list[Any]:
    """Options of a menu that shows ``labels`` and stands for ``values`` (language-independent).

    Where every label is its value (the English menus), the plain values: the widget is then
    exactly what it was before menus were translated.

    Examples
    --------
    >>> labelled(["steps", "examples"], ["steps", "examples"])
    ['steps', 'examples']
    >>> labelled(["steps", "examples"], ["스텝", "샘플"])
    [('스텝', 'steps'), ('샘플', 'examples')]
    """
    values, labels = list(values), list(labels)
    if labels == [str(v) for v in values]:
        return values
    return list(zip(labels, values, strict=True))


def dropdown(
    description: str,
    options: Sequence[Any],
    value: Any = None,
    *,
    width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.Dropdown:
    """A ``Dropdown`` menu of ``options`` (values, or ``(label, value)`` pairs).

    Parameters
    ----------
    description : str
    options : sequence
        The entries; a ``(label, value)`` pair shows ``label`` and stands for ``value``.
    value : optional
        The selected value (default: the first option's).
    width : str, optional
        CSS width of the widget.
    tooltip : str, optional
    **kwargs
        Any other ``Dropdown`` trait (``style``, ...).

    Examples
    --------
    >>> menu = dropdown("R(W)", [("L2", "l2"), ("L1", "l1")], value="l1")
    >>> menu.value, menu.label
    ('l1', 'L1')
    """
    return widgets.Dropdown(
        **_options(
            width, tooltip, kwargs, options=list(options), value=value, description=description
        )
    )


def toggle_buttons(
    description: str,
    options: Sequence[Any],
    value: Any = None,
    *,
    button_width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.ToggleButtons:
    """A row of ``ToggleButtons``, one per option, exactly one pressed.

    Parameters
    ----------
    description : str
    options : sequence
        The entries (values, or ``(label, value)`` pairs).
    value : optional
        The pressed option's value (default: the first).
    button_width : str, optional
        CSS width of each button, e.g. "80px".
    tooltip : str, optional
    **kwargs
        Any other ``ToggleButtons`` trait.

    Examples
    --------
    >>> t = toggle_buttons("differences", ["forward", "centered"], "centered", button_width="80px")
    >>> t.value, t.style.button_width
    ('centered', '80px')
    """
    if button_width is not None:
        kwargs = {"style": {"button_width": button_width}} | kwargs
    return widgets.ToggleButtons(
        **_options(
            None, tooltip, kwargs, options=list(options), value=value, description=description
        )
    )


def selection_slider(
    description: str,
    options: Sequence[Any],
    value: Any = None,
    *,
    width: str | None = None,
    tooltip: str | None = None,
    **kwargs: Any,
) -> widgets.SelectionSlider:
    """A ``SelectionSlider`` over a fixed list of values, updating while dragged.

    For values that are not a grid (step sizes 1e-3, 3e-3, 1e-2, ...; batch sizes).

    Parameters
    ----------
    description : str
    options : sequence
        The values in slider order (or ``(label, value)`` pairs).
    value : optional
        The selected value (default: the first).
    width : str, optional
        CSS width of the widget.
    tooltip : str, optional
    **kwargs
        Any other ``SelectionSlider`` trait.

    Examples
    --------
    >>> s = selection_slider("batch size B", [1, 8, 64], 8)
    >>> s.value, s.index
    (8, 1)
    """
    return widgets.SelectionSlider(
        **_options(
            width,
            tooltip,
            kwargs,
            options=list(options),
            value=value,
            description=description,
            continuous_update=True,
        )
    )
