"""The check of ``sample_minibatch`` (notebook 07): a random batch of distinct examples.

Its answer is random, so it is not compared with one reference value like the exercises of
``_exercise.py``: it is judged by statistics over 400 seeded calls (distinct rows, labels that
go with them, the same batch for the same seed, every example drawn about equally often).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._feedback import as_array, as_pair, call_learner, call_watching
from ._result import CheckResult, failed, graded, passed

__all__ = ["sample_minibatch"]


# ----------------------------------------------------------------------------------------
# sample_minibatch(X, y, batch_size, rng) -> (X_batch, y_batch)
# ----------------------------------------------------------------------------------------


@graded
def sample_minibatch(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(X, y, batch_size, rng) -> (X_batch, y_batch)``.

    The batch must hold ``batch_size`` *distinct* examples drawn at random with ``rng`` (a
    ``numpy.random.Generator``), each row of ``X_batch`` with its own label; the same seed
    must give the same batch, and over many calls every example must be drawn about equally
    often.

    Returns
    -------
    CheckResult
    """
    name = "sample_minibatch"
    n, d, b = 20, 3, 5
    X = np.arange(n * d, dtype=float).reshape(n, d)  # row i is identifiable by X[i, 0] / d
    y = (np.arange(n) * 7) % 4
    counts = np.zeros(n)
    batches = []
    for call in range(400):
        watch = dict(X=X, y=y) if call == 0 else {}  # once is enough
        value, problem = call_watching(fn, (X, y, b, np.random.default_rng(call)), watch)
        if problem:
            return failed(name, problem.message)
        Xb, yb, error = as_pair(value, "X_batch", "y_batch")
        if error:
            return failed(name, error)
        Xb, error = as_array(Xb, "X_batch", (b, d))
        if error:
            return failed(name, f"with N = {n}, D = {d}, batch_size = {b}: {error}")
        yb = np.asarray(yb)
        if yb.shape != (b,):
            return failed(name, f"y_batch has shape {yb.shape} but should have shape ({b},)")
        rows = Xb[:, 0] / d
        if not np.allclose(Xb, X[np.clip(np.round(rows).astype(int), 0, n - 1)]):
            return failed(name, "the rows of X_batch are not rows of X")
        idx = np.round(rows).astype(int)
        if not np.array_equal(yb, y[idx]):
            return failed(
                name,
                "y_batch does not match X_batch: use the same indices for both (X[idx], y[idx])",
            )
        if len(set(idx.tolist())) < b:
            return failed(
                name,
                "the batch holds the same example twice",
                "draw without replacement: rng.choice(N, size=batch_size, replace=False)",
            )
        counts[idx] += 1
        batches.append(tuple(idx))
    again = call_learner(fn, X, y, b, np.random.default_rng(0))
    if again.ok and not np.array_equal(np.asarray(again.value[0]), X[list(batches[0])]):
        return failed(
            name,
            "the same seed gave a different batch: draw with the rng you are given",
            "use rng.choice(...) or rng.permutation(...), not np.random",
        )
    if len(set(batches)) < 300:
        return failed(name, "the batches hardly change from seed to seed: they are not random")
    expected = 400 * b / n
    if counts.min() < 0.5 * expected or counts.max() > 1.5 * expected:
        return failed(
            name,
            f"over 400 batches some examples were drawn {int(counts.min())} times and others "
            f"{int(counts.max())} times (about {expected:.0f} each expected)",
            "every example should be equally likely: rng.choice(N, size=batch_size, replace=False)",
        )
    return passed(
        name,
        f"distinct, random, reproducible batches; over 400 batches each "
        f"example was drawn {int(counts.min())} to {int(counts.max())} times",
    )
