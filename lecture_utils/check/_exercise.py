"""The exercise model: one declarative description of an exercise, one runner.

An :class:`Exercise` says everything a check needs to know:

- ``cases``: the inputs, as :class:`Case` (the lecture's example first, then seeded random ones);
  each holds the learner's arguments by name, in order;
- ``returns``: what the learner's function returns, as a tuple of :class:`Output` (a number,
  an array of a given shape, ...), with the messages for a wrong type or shape;
- ``reference``: the right answer, computed by ``lecture_utils`` itself (never a copy);
- ``mistakes``: the table of named mistakes, :class:`Mistake` — either the value a buggy
  variant returns on the case (``gives``), or a predicate on what the learner returned
  (``when``) — each with its message and hint.

:func:`run` calls the learner's function on every case (watching its inputs for in-place
changes), reads what it returned, compares each output with the reference, names the mistake
and builds the :class:`CheckResult`. A named mistake fails the check at once; a plain
"expected X, got Y" is reported only when no other case names the mistake.

Examples
--------
>>> import numpy as np
>>> doubling = Exercise(
...     name="double",
...     cases=lambda: [Case("x = [1, 2]", {"x": np.array([1.0, 2.0])})],
...     returns=(Output("the result", array("the result", lambda case: (2,))),),
...     reference=lambda x: (2 * x,),
...     mistakes=(Mistake("you returned x itself", gives=lambda case: case.args["x"]),),
...     success="correct",
... )
>>> run(doubling, lambda x: x + x)
✅ double: correct
>>> run(doubling, lambda x: x.copy())
❌ double: on x = [1, 2]: you returned x itself
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._feedback import (
    Problem,
    as_array,
    as_number,
    call_watching,
    check_each,
    close,
    first_match,
    fmt,
)
from ._result import CheckResult, failed, passed

__all__ = [
    "Case",
    "Lazy",
    "Fresh",
    "Output",
    "Mistake",
    "Exercise",
    "run",
    "examine",
    "diagnose",
    "number",
    "array",
    "Reader",
]

#: ``(value, case) -> (read value, error)``: turns one returned value into a number or an
#: array, or says what is wrong with it (a message, or a Problem to give a hint too).
Reader = Callable[[Any, "Case"], tuple[Any, "str | Problem"]]


class Lazy:
    """A fact computed from its case the first time it is read (then kept).

    Facts that only the mistakes need (a data loss, a gradient) cost nothing while the
    learner's answers are right.
    """

    def __init__(self, make: Callable[[Case], Any]) -> None:
        self.make = make


@dataclass(frozen=True)
class Case:
    """One input of an exercise.

    Attributes
    ----------
    label : str
        Names the input in messages (``"on <label>: ..."``).
    args : dict
        The learner's positional arguments by name, in order; arrays among them are watched
        for in-place changes.
    kwargs : dict
        Arguments passed by keyword (e.g. ``delta`` when it is not the default).
    facts : dict
        Numbers the mistakes' messages may quote, as ``{name}`` fields (e.g. ``n``).
    """

    label: str
    args: dict[str, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def all_args(self) -> dict[str, Any]:
        """Positional and keyword arguments together (what the reference gets)."""
        return {**self.args, **self.kwargs}

    def __getattr__(self, name: str) -> Any:
        """``case.W`` for an argument or a fact, so declarations read like the formulas."""
        for where in ("args", "kwargs", "facts"):
            values = self.__dict__.get(where, {})
            if name in values:
                if isinstance(values[name], Lazy):
                    values[name] = values[name].make(self)
                return values[name]
        raise AttributeError(name)

    def with_facts(self, **facts: Any) -> Case:
        """The same case with more facts."""
        return Case(self.label, self.args, self.kwargs, {**self.facts, **facts})


@dataclass(frozen=True)
class Fresh:
    """An argument made anew for every call, e.g. a seeded random generator.

    The learner's function and the reference each get their own, so the reference draws the
    same random numbers as the learner did.
    """

    make: Callable[[], Any]


def _made(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v.make() if isinstance(v, Fresh) else v for k, v in args.items()}


@dataclass(frozen=True)
class Output:
    """One of the values the learner's function returns.

    Attributes
    ----------
    name : str
        How messages call it (``"the loss"``, ``"dW"``).
    read : Reader
        Turns the returned value into a number or array, or says what is wrong.
    equal : callable, optional
        ``(got, want, case) -> bool``; by default :func:`close` (relative 1e-6, absolute 1e-9).
    unnamed : callable, optional
        ``(got, want, case) -> Problem``: what to say about a wrong value no mistake explains.
    """

    name: str
    read: Reader
    equal: Callable[[Any, Any, Case], bool] | None = None
    unnamed: Callable[[Any, Any, Case], Problem] | None = None


@dataclass(frozen=True)
class Mistake:
    """A named mistake: what it gives, or how to recognise it, and what to tell the learner.

    Exactly one of ``gives`` and ``when`` is set.

    Attributes
    ----------
    message, hint : str
        What is wrong and what to try; ``{name}`` fields are filled from ``case.facts``,
        ``{got}`` with the learner's value (rounded).
    gives : callable, optional
        ``case -> value``: what the buggy variant returns for ``output`` on this case (None
        when the mistake cannot be told apart on it). A wrong answer equal to exactly one
        such value is named.
    when : callable, optional
        ``(got, case) -> bool``: a predicate on the learner's value of ``output``, or, with
        ``output=None``, on the raw returned value before it is read (e.g. a wrong shape that
        tells a story, or inf/nan on large scores).
    output : int, None or "all"
        Which output the mistake concerns (index into ``Exercise.returns``); None for the
        raw returned value (``when`` only); ``"all"`` when ``gives`` returns every output
        (a tuple), compared as a whole: several outputs together tell the mistake apart.
    """

    message: str
    hint: str = ""
    gives: Callable[[Case], Any] | None = None
    when: Callable[[Any, Case], bool] | None = None
    output: int | str | None = 0

    def problem(self, case: Case, got: Any = None) -> Problem:
        """This mistake's message and hint for ``case`` (and the learner's value ``got``)."""
        words = _Words(case, got)
        return Problem(self.message.format_map(words), self.hint.format_map(words))


class _Words(dict):  # type: ignore[type-arg]
    """The fields of a message: the case's facts (computed if lazy) and ``got``."""

    def __init__(self, case: Case, got: Any) -> None:
        super().__init__()
        self.case, self.got = case, got

    def __missing__(self, key: str) -> Any:
        return fmt(self.got) if key == "got" else getattr(self.case, key)


@dataclass(frozen=True)
class Exercise:
    """The declarative description of an exercise; :func:`run` checks a learner's function.

    Attributes
    ----------
    name : str
        The check's name (``"svm_dscores"``).
    cases : callable
        ``() -> list of Case``: built when the check runs.
    returns : tuple of Output
        What the function returns; one Output is a single value, several a tuple.
    reference : callable
        ``(**case.all_args) -> tuple``: one right value per output, from ``lecture_utils``.
    mistakes : tuple of Mistake
        The named mistakes, tried in order.
    success : str or callable
        The message when every case is right (or ``cases -> message``, called after the
        run, e.g. to report how often the learner's code called a function).
    quiet : bool
        Silence numpy's floating-point warnings during the learner's call.
    in_place, in_place_hint : str
        What to say when an input was changed in place (default: a generic message).
    returns_as : str
        How to ask for several outputs: ``"return the <returns_as> (a, b)"``; by default
        "pair" or "tuple".
    error_hint : callable, optional
        ``message -> hint`` for an exception the learner's function raised (e.g. numpy's
        "shapes not aligned" suggests a transposed matrix).
    after : callable, optional
        ``fn -> Problem | None``: one more test once every case passed (e.g. a 40-step run).
    """

    name: str
    cases: Callable[[], Sequence[Case]]
    returns: tuple[Output, ...]
    reference: Callable[..., tuple[Any, ...]]
    mistakes: tuple[Mistake, ...] = ()
    success: str | Callable[[Sequence[Case]], str] = "correct on all inputs"
    quiet: bool = False
    in_place: str = ""
    in_place_hint: str = ""
    returns_as: str = ""
    error_hint: Callable[[str], str] | None = None
    after: Callable[[Callable[..., Any]], Problem | None] | None = None


def _split(value: Any, exercise: Exercise) -> tuple[tuple[Any, ...] | None, str]:
    """The returned value as one item per output, or what is wrong with its structure."""
    outputs = exercise.returns
    if len(outputs) == 1:
        return (value,), ""
    names = ", ".join(o.name.removeprefix("the ") for o in outputs)
    words = exercise.returns_as or ("pair" if len(outputs) == 2 else "tuple")
    expected = f"return the {words} ({names})"
    if value is None:
        return None, f"returned None: did you forget the `return`? {expected}"
    if isinstance(value, (tuple, list)) and len(value) == len(outputs):
        return tuple(value), ""
    if isinstance(value, (tuple, list)):
        return None, f"returned {len(value)} values; {expected}"
    number, error = as_number(value, "the result")
    if not error:
        return None, f"returned only a number ({fmt(number)}); {expected}"
    return None, f"returned a {type(value).__name__}; {expected}"


def diagnose(
    output: Output, mistakes: Sequence[Mistake], got: Any, want: Any, case: Case
) -> Problem | None:
    """None if ``got`` is right for ``output``, else the named mistake or a plain difference.

    Predicates (``when``) are tried first, then the values the mistakes give: a value that
    exactly one mistake gives is named (:func:`first_match`).
    """
    equal = output.equal or (lambda a, b, _case: close(a, b))
    if equal(got, want, case):
        return None
    mine = list(mistakes)
    for mistake in mine:
        if mistake.when is not None and mistake.when(got, case):
            return mistake.problem(case, got)
    match = _named(mine, got, want, case)
    if match:
        return match
    if output.unnamed is not None:
        return output.unnamed(got, want, case)
    return Problem(f"{output.name} is {fmt(got)} but should be {fmt(want)}", specific=False)


def _named(mistakes: Sequence[Mistake], got: Any, want: Any, case: Case) -> Problem | None:
    """The mistake whose ``gives`` equals ``got``, if exactly one does (see first_match)."""
    values = []
    for mistake in mistakes:
        if mistake.gives is not None:
            value = mistake.gives(case)
            if value is not None:
                problem = mistake.problem(case, got)
                values.append((value, problem.message, problem.hint))
    return first_match(got, want, values)


def _flat(values: Sequence[Any]) -> np.ndarray:
    return np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values])


def examine(exercise: Exercise, fn: Callable[..., Any], case: Case) -> Problem | None:
    """Run the learner's ``fn`` on one case: None when right, else the problem found."""
    arrays = {k: v for k, v in case.all_args.items() if isinstance(v, np.ndarray)}
    value, problem = call_watching(
        fn,
        tuple(_made(case.args).values()),
        arrays,
        kwargs=case.kwargs,
        quiet=exercise.quiet,
        in_place=exercise.in_place,
        in_place_hint=exercise.in_place_hint,
    )
    if problem:
        if exercise.error_hint and not problem.hint:
            return Problem(problem.message, exercise.error_hint(problem.message))
        return problem
    for mistake in exercise.mistakes:
        if mistake.output is None and mistake.when is not None and mistake.when(value, case):
            return mistake.problem(case, value)
    items, error = _split(value, exercise)
    if error:
        return Problem(error)
    got = []
    for output, item in zip(exercise.returns, items, strict=True):
        read, error = output.read(item, case)
        if error:
            return error if isinstance(error, Problem) else Problem(error)
        got.append(read)
    want = exercise.reference(**_made(case.all_args))
    whole = [m for m in exercise.mistakes if m.output == "all"]
    if whole and not close(_flat(got), _flat(want)):
        flat = [
            Mistake(m.message, m.hint, gives=lambda c, m=m: _flat(m.gives(c)))  # type: ignore[misc]
            for m in whole
        ]
        match = _named(flat, _flat(got), _flat(want), case)
        if match:
            return match
    for k in range(len(exercise.returns)):
        mine = [m for m in exercise.mistakes if m.output == k]
        problem = diagnose(exercise.returns[k], mine, got[k], want[k], case)
        if problem:
            return problem
    return None


def run(exercise: Exercise, fn: Callable[..., Any]) -> CheckResult:
    """Check the learner's ``fn`` against ``exercise`` on every case; one :class:`CheckResult`."""
    cases = exercise.cases()
    result = check_each(exercise.name, cases, lambda case: examine(exercise, fn, case), "")
    if not result:
        return result
    if exercise.after is not None:
        problem = exercise.after(fn)
        if problem:
            return failed(exercise.name, problem.message, problem.hint)
    success = exercise.success
    return passed(exercise.name, success(cases) if callable(success) else success)


# ----------------------------------------------------------------------------------------
# Readers for Output.read
# ----------------------------------------------------------------------------------------


def number(what: str) -> Reader:
    """A reader for one real number; ``what`` names it in messages (``"the loss"``)."""

    def read(value: Any, case: Case) -> tuple[Any, str]:
        return as_number(value, what)

    return read


def array(what: str, shape: Callable[[Case], tuple[int, ...]]) -> Reader:
    """A reader for a finite array of ``shape(case)`` (a transposed one is said so)."""

    def read(value: Any, case: Case) -> tuple[Any, str]:
        return as_array(value, what, shape(case))

    return read
