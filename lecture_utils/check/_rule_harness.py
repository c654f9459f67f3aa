r"""What the update-rule exercises share (notebook 09): single steps, then a 40-step run.

:func:`rule_exercise` declares an update rule as an :class:`~._exercise.Exercise`: a few
single-step cases, the reference (the library's rule, stepped from the same state), the
usual mistakes (each gives every output of the step, so together they tell the mistake
apart), and, once every single step is right, a 40-step run on :data:`VALLEY` next to
:func:`lecture_utils.optim.optimize` (:func:`path_problem`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from .. import optim
from ..landscape import Valley
from ._exercise import Case, Exercise, Mistake, Output, array
from ._feedback import Problem, as_array, call_learner, close, fmt

__all__ = ["VALLEY", "rule_exercise", "path_problem", "random_arrays", "as_outputs"]

#: The valley the 40-step runs descend: :math:`L(w) = \tfrac12 w^\top A w` with
#: A = [[0.5, 0.6], [0.6, 3.7]], about 10 times steeper across than along, tilted by -10°.
VALLEY = Valley.from_hessian([[0.5, 0.6], [0.6, 3.7]])


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


def rule_exercise(
    name: str,
    cases: Callable[[], list[Case]],
    reference: Callable[..., tuple[np.ndarray, ...]],
    mistakes: tuple[Mistake, ...],
    outputs: tuple[str, ...],
    path: Callable[[Callable[..., Any]], str],
) -> Exercise:
    """An update rule: single steps on every case, then a 40-step run (``path``).

    ``mistakes`` give every output of the step at once (a tuple); a wrong output that no
    mistake explains is reported as "the returned w is ..., expected ...".
    """

    def unnamed(k: int) -> Callable[[Any, Any, Case], Problem]:
        return lambda got, want, case: Problem(
            f"the returned {outputs[k]} is {fmt(got)}, expected {fmt(want)}",
            "write the formula step by step, one line per symbol, and compare",
        )

    def last_test(fn: Callable[..., Any]) -> Problem | None:
        problem = path(fn)
        return (
            Problem(problem, "each call must return the new state; feed it back in")
            if (problem)
            else None
        )

    return Exercise(
        name=name,
        cases=cases,
        returns=tuple(
            Output(o, array(f"the returned {o}", lambda case: case.w.shape), unnamed=unnamed(k))
            for k, o in enumerate(outputs)
        ),
        reference=reference,
        mistakes=tuple(replace(m, output="all") for m in mistakes),
        success=lambda cases: (
            f"correct on {len(cases)} single steps and on a 40-step run next to the library"
        ),
        returns_as="tuple",
        after=last_test,
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
