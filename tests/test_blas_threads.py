"""App updates and button actions run with BLAS limited to one thread, and restore it after."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

import lecture_utils.widgets as W
from lecture_utils.widgets._threads import one_blas_thread


def blas_threads() -> set[int]:
    return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}


def test_one_blas_thread_limits_and_restores():
    before = blas_threads()
    if not before:
        pytest.skip("no BLAS library with a thread pool is loaded")
    with one_blas_thread():
        assert blas_threads() == {1}
    assert blas_threads() == before


def test_updates_and_actions_run_on_one_blas_thread(monkeypatch):
    if not blas_threads():
        pytest.skip("no BLAS library with a thread pool is loaded")
    app = W.TrainingApp(backend="agg")
    seen: list[set[int]] = []
    original = type(app).update

    def recording_update(self):
        seen.append(blas_threads())
        original(self)

    monkeypatch.setattr(type(app), "update", recording_update)
    outside = blas_threads()
    app.controls["train"].click()  # an action (training), then one update
    epochs = app.controls["epochs"]
    app.set_state(epochs=epochs.max if epochs.value != epochs.max else epochs.min)
    assert len(seen) >= 2 and all(s == {1} for s in seen)
    assert blas_threads() == outside  # the notebook's own setting is untouched
    app.close()
