"""The feedback mechanism shared by every exercise check.

A check runs the learner's function on a few inputs, compares with the library and returns a
:class:`CheckResult`: it never raises on a wrong answer (a traceback would bury the hint).
The helpers here do the parts every check needs: call the learner's code safely, notice
inputs changed in place, turn a returned value into a number or an array with a clear
message when that fails, and compare values.

Writing a new check (in a new private submodule ``_topic.py``)::

    from ._feedback import CheckResult, call_learner, changed_inputs, close, failed, passed

    def my_thing(fn):
        name = "my_thing"
        for label, args in cases:
            out = call_learner(fn, *args)
            if not out.ok:
                return failed(name, f"on {label}: {out.error}")
            ...
        return passed(name, "correct on all inputs")

then add one line to ``lecture_utils/check/__init__.py``.
"""

from __future__ import annotations

import html
import linecache
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np

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
    "as_loss_and_gradient",
    "check_zero_to_infinity",
    "per_example_loss",
    "regularization_loss_bugs",
    "diagnose_dW",
]

_HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one exercise check: shown as ✅ or ❌ with a message.

    ``bool(result)`` is True when the learner's answer passed, so tests and notebooks can
    write ``assert check.l2(my_l2)``.

    Attributes
    ----------
    name : str
        What was checked, e.g. ``"svm_loss"``.
    passed : bool
        Whether every case matched.
    message : str
        What was found: on failure, the first problem and on which input.
    hint : str
        On failure, what to look at next (may be empty).
    """

    name: str
    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    @property
    def mark(self) -> str:
        """``"✅"`` or ``"❌"``."""
        return "✅" if self.passed else "❌"

    def __str__(self) -> str:
        text = f"{self.mark} {self.name}: {self.message}"
        if self.hint:
            text += f"\n   Hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        body = (
            f'<div style="border-left: 4px solid {colour}; padding: 4px 10px; margin: 2px 0">'
            f"<b>{self.mark} {html.escape(self.name)}</b>: {html.escape(self.message)}"
        )
        if self.hint:
            body += f"<br><i>Hint:</i> {html.escape(self.hint)}"
        return body + "</div>"


def passed(name: str, message: str) -> CheckResult:
    """A passing result."""
    return CheckResult(name, True, message)


def failed(name: str, message: str, hint: str = "") -> CheckResult:
    """A failing result with what went wrong and, optionally, what to try."""
    return CheckResult(name, False, message, hint)


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

    ``NotImplementedError`` gets its own message: the exercise was not attempted yet.
    """
    if not callable(fn):
        return LearnerCall(error=f"expected a function, got {type(fn).__name__}")
    try:
        return LearnerCall(value=fn(*args, **kwargs))
    except NotImplementedError:
        return LearnerCall(
            error="raised NotImplementedError: fill in the exercise (replace the `raise`)"
        )
    except Exception as exc:  # the learner's bug, reported as feedback
        return LearnerCall(error=_describe_exception(exc))


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


def fmt(x: Any) -> str:
    """A number (or small array) rounded for messages: 4 significant digits."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    return np.array2string(arr, precision=4, suppress_small=True, separator=", ")


def check_zero_to_infinity(
    name: str,
    lowest: Any,
    highest: Any,
    *,
    not_negative: str,
    reaches_zero: str,
    unbounded: str,
    success: str,
) -> CheckResult:
    """Check an answer ``(lowest, highest)`` that should be ``(0, inf)``: a loss's range.

    ``not_negative`` and ``reaches_zero`` are the hints for a lowest value below and above
    0, ``unbounded`` the hint for a finite highest value.
    """
    try:
        low, high = float(lowest), float(highest)
    except (TypeError, ValueError):
        return failed(name, f"give two numbers, e.g. {name}(0, float('inf'))")
    if low != 0.0:
        hint = not_negative if low < 0 else reaches_zero
        return failed(name, f"the smallest possible loss is not {fmt(low)}", hint)
    if np.isfinite(high):
        return failed(name, f"the loss has no upper limit, {fmt(high)} can be exceeded", unbounded)
    return passed(name, success)


# ----------------------------------------------------------------------------------------
# Shared by the checks of a loss ``f(W, X, y, reg) -> (loss, dW)`` (and of a penalty)
# ----------------------------------------------------------------------------------------

#: Where to look when dW is wrong in no way a check can name.
GRAD_HINT = (
    "compare your dW with a numerical gradient: "
    "lecture_utils.gradients.grad_check(lambda W: f(W, X, y, reg)[0], W, f(W, X, y, reg)[1])"
)

# (the value a mistake gives, message, hint)
_Bug = tuple[Any, str, str]


def as_loss_and_gradient(
    value: Any,
    grad: Any,
    shape: tuple[int, ...],
    *,
    unsummed: tuple[tuple[int, ...], str],
    value_name: str = "the loss",
    grad_name: str = "dW",
) -> tuple[float | None, np.ndarray | None, str]:
    """The two halves of a returned ``(loss, dW)`` as a number and an array of ``shape``.

    ``unsummed`` is ``(shape, message)``: a value of that shape is one term per example (or
    per weight) that was not summed, and ``message`` says so. Returns ``(number, array, "")``
    or ``(None, None, what is wrong)``.
    """
    unsummed_shape, unsummed_message = unsummed
    if np.shape(value) == unsummed_shape:
        return None, None, unsummed_message
    number, error = as_number(value, value_name)
    if error:
        return None, None, error
    arr, error = as_array(grad, grad_name, shape)
    if error:
        return None, None, error
    return number, arr, ""


def per_example_loss(n: int) -> tuple[tuple[int], str]:
    """A loss of shape (N,) and what to say about it (``unsummed`` of as_loss_and_gradient)."""
    return (n,), (
        f"the loss has shape ({n},): one value per example; "
        "return their mean (plus the regularization term) as one number"
    )


def regularization_loss_bugs(
    data: float, reg_term: float, n: int, *, forgot_mean: str, summed: str
) -> list[_Bug]:
    """The usual mistakes with ``loss = data + reg * sum(W**2)`` (none when the term is 0).

    ``forgot_mean`` asks about the missing mean (``"did you forget to divide by N?"``);
    ``summed`` names what to divide by N (``"the summed data loss"``).
    """
    if not reg_term > 0:
        return []
    want = data + reg_term
    return [
        (
            data,
            "the loss is missing the regularization term reg * sum(W**2)",
            "add reg * np.sum(W * W) after averaging the data loss",
        ),
        (
            data + 0.5 * reg_term,
            "the regularization term is 0.5 * reg * sum(W**2); "
            "this course uses reg * sum(W**2) (with gradient 2 * reg * W)",
            "",
        ),
        (
            n * want,
            f"the loss is N = {n} times too big: {forgot_mean}",
            f"divide {summed} by N, then add reg * np.sum(W * W)",
        ),
        (
            data + reg_term / n,
            "the regularization term was divided by N too: "
            "divide only the data loss by N, then add reg * np.sum(W * W)",
            "",
        ),
    ]


def diagnose_dW(
    got: np.ndarray,
    grad_data: np.ndarray,
    W: np.ndarray,
    reg: float,
    n: int,
    topic_bugs: Callable[[np.ndarray], list[_Bug]],
) -> Problem | None:
    """None if ``got`` is ``grad_data + 2 * reg * W``, else what is wrong with it.

    Parameters
    ----------
    got : ndarray of shape (D, C)
        The learner's dW.
    grad_data : ndarray of shape (D, C)
        The right gradient of the mean data loss.
    W : ndarray of shape (D, C)
    reg : float
    n : int
        The number of examples N.
    topic_bugs : callable
        ``topic_bugs(grad_reg)`` gives the loss's own mistakes (e.g. a missing part of the
        data gradient), each with the regularization gradient ``grad_reg`` added.

    The mistakes every such loss shares are tried too: the regularization gradient missing,
    halved or divided by N, dW N times too big, the wrong sign, transposed, all zeros.
    """
    grad_reg = 2 * reg * W
    want = grad_data + grad_reg
    if close(got, want):
        return None
    bugs: list[_Bug] = []
    if reg > 0:
        bugs += [
            (
                grad_data,
                "dW is missing the regularization gradient 2 * reg * W",
                "the loss has + reg * sum(W**2), so dW needs + 2 * reg * W",
            ),
            (
                grad_data + reg * W,
                "the regularization gradient should be 2 * reg * W "
                "(the derivative of reg * sum(W**2)); yours is reg * W",
                "",
            ),
            (n * want, f"dW is N = {n} times too big: did you forget to divide dW by N?", ""),
            (
                grad_data + grad_reg / n,
                "the regularization gradient was divided by N too: add 2 * reg * W after "
                "dividing the data gradient by N",
                "",
            ),
        ]
    bugs += [
        (
            n * grad_data + grad_reg,
            f"the data part of dW is N = {n} times too big: did you forget to divide dW by N?",
            "",
        ),
        (
            -want,
            "dW has the wrong sign: the gradient points uphill, "
            "in the direction that increases the loss",
            "",
        ),
        *topic_bugs(grad_reg),
    ]
    if want.shape[0] == want.shape[1]:
        bugs.append((want.T, "dW is transposed: dW[k, j] belongs to W[k, j], shape (D, C)", ""))
    if not np.any(got) and np.any(want):
        return Problem("dW is all zeros: did you fill it in?")
    match = first_match(got, want, bugs)
    if match:
        return match
    k, j = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
    return Problem(
        f"dW differs from the true gradient; the largest difference is at dW[{k}, {j}]: "
        f"{fmt(got[k, j])} instead of {fmt(want[k, j])}",
        GRAD_HINT,
        specific=False,
    )
