r"""Checks for the training exercises of notebook 08 (a linear classifier, minibatch SGD).

- ``accuracy(W, X, y)``: the fraction of rows of X whose highest score :math:`X W` is the
  label.
- ``sgd_epoch(W, X, y, step_size, reg, batch_size, rng)``: one epoch of minibatch SGD on
  the softmax loss, visiting the examples in the order ``rng.permutation(N)``; each step is
  :math:`W \leftarrow W - \eta\, dW` with :math:`\eta` the step size. The expected W comes
  from :func:`lecture_utils.losses.softmax_loss` and :class:`lecture_utils.optim.SGD`.

Both are :class:`~._exercise.Exercise` declarations checked by the one runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import losses, optim
from ._exercise import Case, Exercise, Fresh, Mistake, Output, array, number, run
from ._feedback import Problem, fmt
from ._result import CheckResult, graded

__all__ = ["accuracy", "sgd_epoch"]


# ----------------------------------------------------------------------------------------
# accuracy(W, X, y) -> float
# ----------------------------------------------------------------------------------------


def _accuracy_cases() -> list[Case]:
    rng = np.random.default_rng(21)
    cases = []
    for label, (n, d, c) in (
        ("20 examples, D = 5, C = 3", (20, 5, 3)),
        ("7 examples, D = 4, C = 7", (7, 4, 7)),
    ):
        W = rng.normal(size=(d, c))
        X = rng.normal(size=(n, d))
        y = rng.integers(0, c, size=n)
        y[: n // 2] = (X @ W)[: n // 2].argmax(axis=1)  # about half right
        right = (X @ W).argmax(axis=1) == y
        facts = {"n_right": int(right.sum()), "n": n, "accuracy": float(right.mean())}
        cases.append(Case(label, {"W": W, "X": X, "y": y}, facts=facts))
    return cases


ACCURACY = Exercise(
    name="accuracy",
    cases=_accuracy_cases,
    returns=(
        Output(
            "the result",
            number("the result"),
            unnamed=lambda got, want, c: Problem(
                f"got {fmt(got)}, expected {fmt(want)} ({c.n_right} of {c.n} right)",
                "predictions = scores.argmax(axis=1): the best class of each row (axis=1)",
            ),
        ),
    ),
    reference=lambda W, X, y: (float(np.mean((X @ W).argmax(axis=1) == y)),),
    mistakes=(
        Mistake(
            "you returned a percentage ({got}); return a fraction", gives=lambda c: 100 * c.accuracy
        ),
        Mistake(
            "you returned the number of correct rows ({n_right}); divide by N",
            gives=lambda c: c.n_right,
        ),
        Mistake(
            "you returned the error rate ({got}), 1 - accuracy",
            "count the rows where the prediction equals the label",
            gives=lambda c: 1 - c.accuracy,
        ),
    ),  # fmt: skip
    success="correct on 2 inputs",
)


@graded
def accuracy(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X, y) -> float``: the fraction of rows whose top score is the label.

    Scores are ``X @ W`` of shape (N, C); the prediction of row i is the column of its
    highest score.

    Returns
    -------
    CheckResult
    """
    return run(ACCURACY, fn)


# ----------------------------------------------------------------------------------------
# sgd_epoch(W, X, y, step_size, reg, batch_size, rng) -> (W_new, batch_losses)
# ----------------------------------------------------------------------------------------


def _sgd_epoch_reference(W, X, y, step_size, reg, batch_size, rng, *, variant=""):
    rule = optim.SGD(step_size)  # the library's W <- W - step_size * dW
    n = X.shape[0]
    order = np.arange(n) if variant == "no_shuffle" else rng.permutation(n)
    stop = n - n % batch_size if variant == "drop_last" else n
    batch_losses = []
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        loss, dW = losses.softmax_loss(W, X[idx], y[idx], reg)
        step = dW if variant != "plus" else -dW
        W = rule.step(W, step)
        batch_losses.append(loss)
    return W, np.array(batch_losses)


def _epoch_cases() -> list[Case]:
    data = np.random.default_rng(22)
    cases = []
    for seed, (label, (n, d, c, b), lr, reg) in enumerate(
        (
            ("N = 23 examples, D = 4, C = 3, batch_size 5", (23, 4, 3, 5), 0.5, 1e-3),
            ("N = 40, D = 6, C = 5, batch_size 8", (40, 6, 5, 8), 0.1, 0.05),
        )
    ):
        W = 0.01 * data.normal(size=(d, c))
        X = data.normal(size=(n, d))
        y = data.integers(0, c, size=n)
        rng = Fresh(lambda seed=seed: np.random.default_rng(seed))
        args = {"W": W, "X": X, "y": y, "step_size": lr, "reg": reg, "batch_size": b, "rng": rng}
        facts = {"n_batches": -(-n // b), "left_over": n % b}  # n_batches: for messages
        cases.append(Case(label, args, facts=facts))
    return cases


def _variant(c: Case, variant: str) -> np.ndarray:
    """W after the epoch of a buggy recipe (same seed)."""
    args = {**c.args, "rng": c.rng.make()}
    return _sgd_epoch_reference(**args, variant=variant)[0]


def _read_batch_losses(value: Any, case: Case) -> tuple[Any, str]:
    try:
        return np.asarray(value, dtype=float).ravel(), ""
    except (TypeError, ValueError):
        return None, f"batch_losses should be a list of numbers, got {type(value).__name__}"


def _wrong_losses(got: np.ndarray, want: np.ndarray, case: Case) -> Problem:
    if got.shape != want.shape:
        return Problem(
            f"batch_losses has {got.size} entries; expected one per batch ({case.n_batches})"
        )
    return Problem(
        f"W is right but batch_losses is {fmt(got)}, expected {fmt(want)}",
        "append each batch's loss before stepping W",
    )


SGD_EPOCH = Exercise(
    name="sgd_epoch",
    cases=_epoch_cases,
    returns=(
        Output(
            "W_new",
            array("the returned W", lambda c: c.W.shape),
            unnamed=lambda got, want, c: Problem(
                "W after the epoch differs from the recipe's (largest difference "
                f"{fmt(np.abs(got - want).max())})",
                "one rng.permutation(N) per epoch, batches order[start:start + batch_size], "
                "losses.softmax_loss(W, X[idx], y[idx], reg), W = W - step_size * dW",
            ),
        ),
        Output("batch_losses", _read_batch_losses, unnamed=_wrong_losses),
    ),
    reference=_sgd_epoch_reference,
    mistakes=(
        Mistake(
            "W matches an epoch over the examples in their stored order",
            "visit them in the order rng.permutation(N)",
            gives=lambda c: _variant(c, "no_shuffle"),
        ),
        Mistake(
            "W matches an epoch that skips the last, smaller batch ({left_over} examples)",
            "range(0, N, batch_size) also gives the last partial batch",
            gives=lambda c: _variant(c, "drop_last"),
        ),
        Mistake(
            "W goes uphill: subtract step_size * dW",
            "W = W - step_size * dW",
            gives=lambda c: _variant(c, "plus"),
        ),
    ),  # fmt: skip
    success="correct on 2 epochs (same batches, same W, same losses)",
)


@graded
def sgd_epoch(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X, y, step_size, reg, batch_size, rng) -> (W_new, batch_losses)``.

    One epoch of minibatch SGD on the softmax loss: ``order = rng.permutation(N)``, then for
    each run of ``batch_size`` consecutive indices of ``order`` (the last batch may be
    smaller): ``loss, dW = lecture_utils.losses.softmax_loss(W, X[idx], y[idx], reg)`` and
    ``W = W - step_size * dW``. ``batch_losses`` holds each batch's loss, in order.

    Returns
    -------
    CheckResult
    """
    return run(SGD_EPOCH, fn)
