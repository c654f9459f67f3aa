r"""What the update-rule checks share (notebook 09): single steps, then a 40-step run.

:func:`check_rule` calls the learner's rule on a few single-step cases (:class:`StepCase`),
compares each result with the reference (the library's rule, stepped from the same state),
names a wrong one by the usual mistakes (:data:`Bug`), and finally runs the rule for 40 steps
on :data:`VALLEY` next to :func:`lecture_utils.optim.optimize` (:func:`path_problem`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import optim
from ..landscape import Valley
from ._feedback import (
    CheckResult,
    as_array,
    call_learner,
    call_watching,
    close,
    failed,
    first_match,
    fmt,
    passed,
)

__all__ = ["Bug", "StepCase", "VALLEY", "check_rule", "path_problem", "random_arrays"]

#: A usual mistake: (the outputs it gives, message, hint).
Bug = tuple[tuple[np.ndarray, ...], str, str]


#: The valley the 40-step runs descend: :math:`L(w) = \tfrac12 w^\top A w` with
#: A = [[0.5, 0.6], [0.6, 3.7]], about 10 times steeper across than along, tilted by -10°.
VALLEY = Valley.from_hessian([[0.5, 0.6], [0.6, 3.7]])


@dataclass(frozen=True)
class StepCase:
    """One single-step case: its description and the arguments, in the learner's order."""

    label: str
    args: dict[str, Any]  # in the learner's argument order


def as_outputs(
    value: Any, names: tuple[str, ...], shape: tuple[int, ...]
) -> tuple[tuple[np.ndarray, ...] | None, str]:
    """The learner's returned tuple as arrays of ``shape``, or what is wrong with it."""
    expected = f"return the tuple ({', '.join(names)})"
    if value is None:
        return None, f"returned None: did you forget the `return`? {expected}"
    if not isinstance(value, (tuple, list)):
        return None, f"returned a single {type(value).__name__}; {expected}"
    if len(value) != len(names):
        return None, f"returned {len(value)} values; {expected}"
    arrays = []
    for name, item in zip(names, value, strict=True):
        arr, error = as_array(item, f"the returned {name}", shape)
        if error:
            return None, error
        arrays.append(arr)
    return tuple(arrays), ""


def _flat(outputs: tuple[np.ndarray, ...]) -> np.ndarray:
    return np.concatenate([np.ravel(o) for o in outputs])


def check_rule(
    name: str,
    fn: Callable[..., Any],
    cases: list[StepCase],
    reference: Callable[..., tuple[np.ndarray, ...]],
    bugs: Callable[[dict[str, Any]], list[Bug]],
    outputs: tuple[str, ...],
    path: Callable[[Callable[..., Any]], str],
) -> CheckResult:
    """Single steps on every case, then a many-step run; the first problem is reported."""
    for case in cases:
        args = case.args
        arrays = {k: v for k, v in args.items() if isinstance(v, np.ndarray)}
        value, problem = call_watching(fn, tuple(args.values()), arrays)
        if problem:
            return failed(name, f"on {case.label}: {problem.message}", problem.hint)
        got, error = as_outputs(value, outputs, args["w"].shape)
        if error:
            return failed(name, f"on {case.label}: {error}")
        want = reference(*args.values())
        if close(_flat(got), _flat(want)):
            continue
        flat_bugs = [(_flat(b), message, hint) for b, message, hint in bugs(args)]
        problem = first_match(_flat(got), _flat(want), flat_bugs)
        if problem is not None:
            return failed(name, f"on {case.label}: {problem.message}", problem.hint)
        for k, (g, w_) in enumerate(zip(got, want, strict=True)):
            if not close(g, w_):
                return failed(
                    name,
                    f"on {case.label}: the returned {outputs[k]} is {fmt(g)}, expected {fmt(w_)}",
                    "write the formula step by step, one line per symbol, and compare",
                )
    problem = path(fn)
    if problem:
        return failed(name, problem, "each call must return the new state; feed it back in")
    return passed(
        name, f"correct on {len(cases)} single steps and on a 40-step run next to the library"
    )


def path_problem(
    fn: Callable[..., Any],
    optimizer: optim.Optimizer,
    n_state: int,
    call: Callable[[Any, np.ndarray, np.ndarray, list[np.ndarray], int], Any],
    outputs: tuple[str, ...],
) -> str:
    """Run the learner's rule 40 steps on the valley; '' if it follows ``optimize`` exactly."""
    n_steps = 40
    w0 = np.array([-3.0, 1.5])
    want = optim.optimize(VALLEY.loss_and_grad, w0, optimizer, n_steps).params
    w, state = w0.copy(), [np.zeros(2) for _ in range(n_state)]
    for t in range(1, n_steps + 1):
        _, dw = VALLEY.loss_and_grad(w)
        out = call_learner(call, fn, w, dw, state, t)
        if not out.ok:
            return f"on step {t} of a 40-step run: your function {out.error}"
        got, error = as_outputs(out.value, outputs, (2,))
        if error:
            return f"on step {t} of a 40-step run: {error}"
        w, state = got[0], list(got[1:])
        if not close(w, want[t], rtol=1e-6, atol=1e-9):
            return (
                f"single steps are right, but after {t} steps of a 40-step run w = {fmt(w)}, "
                f"while lecture_utils.optim gives {fmt(want[t])}"
            )
    return ""


def random_arrays(seed: int, shape: tuple[int, ...], n: int) -> list[np.ndarray]:
    """``n`` seeded standard-normal arrays of ``shape``, rounded to 3 decimals (readable)."""
    rng = np.random.default_rng(seed)
    return [np.round(rng.normal(size=shape), 3) for _ in range(n)]
