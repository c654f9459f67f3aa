r"""Checks for the training exercises of notebook 08 (a linear classifier, minibatch SGD).

- ``accuracy(W, X, y)``: the fraction of rows of X whose highest score :math:`X W` is the
  label.
- ``sgd_epoch(W, X, y, step_size, reg, batch_size, rng)``: one epoch of minibatch SGD on
  the softmax loss, visiting the examples in the order ``rng.permutation(N)``; each step is
  :math:`W \leftarrow W - \eta\, dW` with :math:`\eta` the step size. The expected W comes
  from :func:`lecture_utils.losses.softmax_loss` and :class:`lecture_utils.optim.SGD`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import losses, optim
from ._feedback import CheckResult, as_array, as_number, call_watching, close, failed, fmt, passed
from ._result import graded

__all__ = ["accuracy", "sgd_epoch"]


# ----------------------------------------------------------------------------------------
# Notebook 08: accuracy(W, X, y) and sgd_epoch(W, X, y, step_size, reg, batch_size, rng)
# ----------------------------------------------------------------------------------------


@graded
def accuracy(fn: Callable[..., Any]) -> CheckResult:
    """Check ``fn(W, X, y) -> float``: the fraction of rows whose top score is the label.

    Scores are ``X @ W`` of shape (N, C); the prediction of row i is the column of its
    highest score.

    Returns
    -------
    CheckResult
    """
    name = "accuracy"
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
        cases.append((label, W, X, y))
    for label, W, X, y in cases:
        value, problem = call_watching(fn, (W, X, y), dict(W=W, X=X, y=y))
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        got, error = as_number(value, "the result")
        if error:
            return failed(name, f"on {label}: {error}")
        scores = X @ W
        want = float(np.mean(scores.argmax(axis=1) == y))
        if close(got, want):
            continue
        n_right = int(np.sum(scores.argmax(axis=1) == y))
        if close(got, 100 * want):
            return failed(
                name, f"on {label}: you returned a percentage ({fmt(got)}); return a fraction"
            )
        if close(got, n_right):
            return failed(
                name,
                f"on {label}: you returned the number of correct rows ({n_right}); divide by N",
            )
        if close(got, 1 - want):
            return failed(
                name,
                f"on {label}: you returned the error rate ({fmt(got)}), 1 - accuracy",
                "count the rows where the prediction equals the label",
            )
        return failed(
            name,
            f"on {label}: got {fmt(got)}, expected {fmt(want)} ({n_right} of {len(y)} right)",
            "predictions = scores.argmax(axis=1): the best class of each row (axis=1)",
        )
    return passed(name, f"correct on {len(cases)} inputs")


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
    name = "sgd_epoch"
    data = np.random.default_rng(22)
    cases = []
    for label, (n, d, c, b), lr, reg in (
        ("N = 23 examples, D = 4, C = 3, batch_size 5", (23, 4, 3, 5), 0.5, 1e-3),
        ("N = 40, D = 6, C = 5, batch_size 8", (40, 6, 5, 8), 0.1, 0.05),
    ):
        W = 0.01 * data.normal(size=(d, c))
        X = data.normal(size=(n, d))
        y = data.integers(0, c, size=n)
        cases.append((label, W, X, y, lr, reg, b))
    for seed, (label, W, X, y, lr, reg, b) in enumerate(cases):
        value, problem = call_watching(
            fn, (W, X, y, lr, reg, b, np.random.default_rng(seed)), dict(W=W, X=X, y=y)
        )
        if problem:
            return failed(name, f"on {label}: {problem.message}", problem.hint)
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            return failed(
                name,
                f"on {label}: return the pair (W_new, batch_losses), got {type(value).__name__}",
            )
        got_W, error = as_array(value[0], "the returned W", W.shape)
        if error:
            return failed(name, f"on {label}: {error}")
        n_batches = -(-X.shape[0] // b)
        got_losses = np.asarray(value[1], dtype=float).ravel()

        def reference(variant: str = "", seed=seed, args=(W, X, y, lr, reg, b)):
            rng = np.random.default_rng(seed)
            return _sgd_epoch_reference(*args, rng, variant=variant)

        want_W, want_losses = reference()
        if close(got_W, want_W) and close(got_losses, want_losses):
            continue
        for variant, message, hint in (
            (
                "no_shuffle",
                "W matches an epoch over the examples in their stored order",
                "visit them in the order rng.permutation(N)",
            ),
            (
                "drop_last",
                f"W matches an epoch that skips the last, smaller batch "
                f"({X.shape[0] % b} examples)",
                "range(0, N, batch_size) also gives the last partial batch",
            ),
            ("plus", "W goes uphill: subtract step_size * dW", "W = W - step_size * dW"),
        ):
            if close(got_W, reference(variant)[0]):
                return failed(name, f"on {label}: {message}", hint)
        if not close(got_W, want_W):
            return failed(
                name,
                f"on {label}: W after the epoch differs from the recipe's (largest difference "
                f"{fmt(np.abs(got_W - want_W).max())})",
                "one rng.permutation(N) per epoch, batches order[start:start + batch_size], "
                "losses.softmax_loss(W, X[idx], y[idx], reg), W = W - step_size * dW",
            )
        if got_losses.shape != (n_batches,):
            return failed(
                name,
                f"on {label}: batch_losses has {got_losses.size} entries; expected one per batch "
                f"({n_batches})",
            )
        return failed(
            name,
            f"on {label}: W is right but batch_losses is {fmt(got_losses)}, expected "
            f"{fmt(want_losses)}",
            "append each batch's loss before stepping W",
        )
    return passed(name, f"correct on {len(cases)} epochs (same batches, same W, same losses)")
