"""The feedback helpers every exercise check shares.

A check never raises on a wrong answer (a traceback would bury the hint). The helpers here do
the parts the runner of ``_exercise.py`` (and the few checks that need their own loop, such as
``sample_minibatch``) is made of: call the learner's code safely and notice inputs changed in
place (:func:`call_watching`), report the first named mistake over several inputs
(:func:`check_each`), name the mistake a value matches (:func:`first_match`), turn a returned
value into a number or an array with a clear message when that fails, and compare values.
:class:`CheckResult` lives in ``_result.py`` (re-exported here).
"""

from __future__ import annotations

import linecache
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np

from ._result import CheckResult, NotImplementedYet, failed, passed

__all__ = [
    "CheckResult",
    "LearnerCall",
    "passed",
    "failed",
    "call_learner",
    "call_watching",
    "check_each",
    "snapshot",
    "changed_inputs",
    "in_place_message",
    "as_pair",
    "Problem",
    "first_match",
    "as_number",
    "as_array",
    "close",
    "fmt",
]

_HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class LearnerCall:
    """What calling the learner's function gave: a value, or a description of the error."""

    value: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _describe_exception(exc: BaseException) -> str:
    """``"raised ValueError: message (at line `...` of your code)"``."""
    text = f"raised {type(exc).__name__}: {exc}".rstrip(": ")
    # the innermost frame outside this package and outside numpy is the learner's line
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not os.path.abspath(f.filename).startswith(_HERE) and "numpy" not in f.filename
    ]
    if frames:
        frame = frames[-1]
        line = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
        if line:
            text += f" (at `{line}` in {frame.name})"
    return text


def call_learner(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> LearnerCall:
    """Call ``fn(*args, **kwargs)``; catch any exception and describe it.

    ``NotImplementedError`` (the exercise not attempted yet) is raised on as
    :class:`NotImplementedYet`, which the public check turns into its one ⏳ line.
    """
    if not callable(fn):
        return LearnerCall(error=f"expected a function, got {type(fn).__name__}")
    try:
        return LearnerCall(value=fn(*args, **kwargs))
    except NotImplementedError as exc:  # a stub: the check reports it in one line (⏳)
        raise NotImplementedYet(_learner_function_name(exc, fn)) from None
    except Exception as exc:  # the learner's bug, reported as feedback
        return LearnerCall(error=_describe_exception(exc))


def _learner_function_name(exc: BaseException, fn: Callable[..., Any]) -> str:
    """The name of the learner's function that raised: the first frame outside this package."""
    for frame in traceback.extract_tb(exc.__traceback__):
        if not os.path.abspath(frame.filename).startswith(_HERE):
            return frame.name
    return getattr(fn, "__name__", "your function")


def snapshot(**arrays: Any) -> dict[str, np.ndarray]:
    """Copies of the inputs, to compare with after the learner's call."""
    return {name: np.array(a, copy=True) for name, a in arrays.items()}


def changed_inputs(before: dict[str, np.ndarray], **after: Any) -> list[str]:
    """Names of the inputs whose contents differ from their snapshot."""
    return [
        name
        for name, a in after.items()
        if not np.array_equal(np.asarray(a), before[name], equal_nan=True)
    ]


def call_watching(
    fn: Callable[..., Any],
    args: Sequence[Any],
    watch: dict[str, Any],
    *,
    kwargs: dict[str, Any] | None = None,
    quiet: bool = False,
    in_place: str = "",
    in_place_hint: str = "",
) -> tuple[Any, Problem | None]:
    """Call ``fn(*args, **kwargs)`` and watch the inputs in ``watch`` for in-place changes.

    Parameters
    ----------
    fn : callable
        The learner's function.
    args : sequence
        Its positional arguments.
    watch : dict
        The inputs (by the name the messages use) that must not change.
    kwargs : dict, optional
        Its keyword arguments.
    quiet : bool
        Silence numpy's floating-point warnings during the call (the check explains them).
    in_place, in_place_hint : str
        What to say when an input changed, instead of :func:`in_place_message`, and a hint.

    Returns
    -------
    (value, None)
        When the call returned and left its inputs alone.
    (None, Problem)
        ``"your function raised ..."`` or the inputs it changed in place.
    """
    before = snapshot(**watch)
    if quiet:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out = call_learner(fn, *args, **(kwargs or {}))
    else:
        out = call_learner(fn, *args, **(kwargs or {}))
    if not out.ok:
        return None, Problem(f"your function {out.error}")
    changed = changed_inputs(before, **watch)
    if changed:
        return None, Problem(in_place or in_place_message(changed), in_place_hint)
    return out.value, None


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


_CaseT = TypeVar("_CaseT", bound=_Labelled)


def check_each(
    name: str,
    cases: Sequence[_CaseT],
    examine: Callable[[_CaseT], Problem | None],
    success: str,
) -> CheckResult:
    """Run ``examine`` on every case and turn what it finds into one :class:`CheckResult`.

    A specific :class:`Problem` fails the check at once (``"on <case label>: <message>"``);
    an unspecific one ("expected X, got Y") is reported only when no later case names the
    mistake. When no case finds a problem the check passes with ``success``.
    """
    unnamed: tuple[str, Problem] | None = None  # first wrong value whose cause is unclear
    for case in cases:
        problem = examine(case)
        if problem and problem.specific:
            return failed(name, f"on {case.label}: {problem.message}", problem.hint)
        if problem and unnamed is None:
            unnamed = (case.label, problem)
    if unnamed:
        return failed(name, f"on {unnamed[0]}: {unnamed[1].message}", unnamed[1].hint)
    return passed(name, success)


@dataclass(frozen=True)
class Problem:
    """What a check found wrong with one value.

    ``specific`` is False for a plain "expected X, got Y": a check then looks at its other
    inputs for a case where the mistake can be named, and reports this one only if none is.
    """

    message: str
    hint: str = ""
    specific: bool = True


def first_match(got: Any, want: Any, bugs: list[tuple[Any, str, str]]) -> Problem | None:
    """The named mistake whose value ``got`` equals, if exactly one does.

    ``bugs`` holds ``(value the mistake gives, message, hint)``. Mistakes that give the right
    answer on this input are skipped; when several different mistakes give ``got`` (e.g. W,
    W**2 and sign(W) agree on [1, 0, 0, 0]) this input cannot tell them apart: None.
    """
    matches = {
        message: Problem(message, hint)
        for alternative, message, hint in bugs
        if not close(alternative, want) and close(got, alternative)
    }
    return next(iter(matches.values())) if len(matches) == 1 else None


def in_place_message(names: list[str]) -> str:
    """Message for inputs modified in place."""
    what = " and ".join(names)
    verb = "was" if len(names) == 1 else "were"
    return (
        f"your function changed its input in place: {what} {verb} modified "
        "(work on a copy, e.g. `W = W.copy()`, or build new arrays)"
    )


def as_pair(value: Any, first: str, second: str) -> tuple[Any, Any, str]:
    """Split a returned ``(first, second)`` pair; on anything else, say what was expected."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1], ""
    expected = f"return the pair ({first}, {second})"
    if value is None:
        return None, None, f"returned None: did you forget the `return`? {expected}"
    number, error = as_number(value, "the result")
    if not error:
        return None, None, f"returned only a number ({fmt(number)}); {expected}"
    if isinstance(value, (tuple, list)):
        return None, None, f"returned {len(value)} values; {expected}"
    return None, None, f"returned a {type(value).__name__}; {expected}"


def as_number(value: Any, what: str) -> tuple[float | None, str]:
    """``(float(value), "")`` for a real number (or 0-d / 1-element array), else an error."""
    if isinstance(value, (bool, np.bool_)):
        return None, f"{what} should be a number, got a bool ({value})"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, f"{what} should be a number, got {type(value).__name__}"
    if arr.ndim != 0:
        return None, f"{what} should be a single number, got an array of shape {arr.shape}"
    number = float(arr)
    if not np.isfinite(number):
        return None, f"{what} is {number}: expected a finite number"
    return number, ""


def as_array(value: Any, what: str, shape: tuple[int, ...]) -> tuple[np.ndarray | None, str]:
    """``(array, "")`` if ``value`` is a numeric array of ``shape``, else an error message."""
    if value is None:
        return None, f"{what} is None: did you forget to `return` it?"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, f"{what} should be a numpy array, got {type(value).__name__}"
    if arr.shape != shape:
        if len(shape) == 2 and arr.shape == shape[::-1] and shape[0] != shape[1]:
            return None, (
                f"{what} has shape {arr.shape} but should have shape {shape}: "
                "it looks transposed (rows and columns swapped)"
            )
        return None, f"{what} has shape {arr.shape} but should have shape {shape}"
    if not np.isfinite(arr).all():
        return None, f"{what} contains NaN or Inf"
    return arr, ""


def close(a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether two numbers or same-shape arrays agree to a relative tolerance."""
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a_arr.shape != b_arr.shape:
        return False
    return bool(np.allclose(a_arr, b_arr, rtol=rtol, atol=atol))


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of what a learner returned, or None if it is not an array of numbers.

    ``np.shape`` raises on ragged input such as ``(1.0, array)`` and calls a string a scalar;
    checks must describe such a return value, not crash on it.
    """
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        return np.asarray(value, dtype=float).shape
    except (TypeError, ValueError):
        return None


def fmt(x: Any) -> str:
    """A number (or small array) rounded for messages: 4 significant digits."""
    if shape_of(x) is None:  # not numbers: show what it is, shortened
        text = repr(x)
        return text if len(text) <= 60 else text[:57] + "..."
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    return np.array2string(arr, precision=4, suppress_small=True, separator=", ")
