"""App update latency with the other core busy: BLAS on all threads vs one (threadpoolctl).

Every app update and button action runs inside ``lecture_utils.widgets._threads.
one_blas_thread()``. This script measures what that buys when the machine is busy: a busy
loop runs in another process (one core taken, as on a shared JupyterHub or a busy laptop),
and each app's first slider is moved ``--repeats`` times, alternating between the limit
switched off (BLAS uses its default thread count) and on, so both see the same load. A
move is measured from setting the control to the end of the full Agg frame (headless
``backend="agg"`` draws synchronously inside the update). Also run without the busy loop.

Run:  .venv/bin/python benchmarks/bench_blas_threads.py [--repeats 15] [AppName ...]
Timings are wall-clock medians in ms; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import statistics
import sys
import time

import ipywidgets as widgets
from threadpoolctl import threadpool_info

import lecture_utils.widgets as W
import lecture_utils.widgets._app as app_module
from lecture_utils.widgets._controls import canonical_value


def _busy(stop: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1


def _first_slider(app: W.App) -> widgets.Widget:
    for control in app.controls.values():
        if isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)):
            return control
    raise ValueError(f"{type(app).__name__} has no slider")


def _actions(app: W.App) -> list[tuple[str, object]]:
    """(label, action) pairs: the first slider moved back and forth, each button clicked."""
    control = _first_slider(app)
    values = [canonical_value(control, control.value)]
    for end in (control.min, control.max):
        v = canonical_value(control, control.base**end if hasattr(control, "base") else end)
        if v != values[0]:
            values.append(v)
            break
    state = {"i": 0}

    def move() -> None:
        state["i"] += 1
        control.value = values[state["i"] % 2]  # every move changes the value

    out: list[tuple[str, object]] = [(f"slider {control.description or ''}".strip(), move)]
    out += [
        (f"button {c.description}", c.click)
        for c in app.controls.values()
        if isinstance(c, widgets.Button)
    ]
    return out


def measure(app: W.App, action, repeats: int) -> tuple[float, float]:
    """Median ms of ``action`` + frame: (BLAS default threads, BLAS one thread)."""
    times: dict[bool, list[float]] = {False: [], True: []}
    one = app_module.one_blas_thread
    for i in range(2 * repeats + 4):
        # off, on, on, off, ...: each setting moves the slider both ways equally often
        limited = i % 4 in (1, 2)
        app_module.one_blas_thread = one if limited else contextlib.nullcontext
        t0 = time.perf_counter()
        action()
        dt = time.perf_counter() - t0
        if i >= 4:  # the first round warms up
            times[limited].append(dt * 1000)
    app_module.one_blas_thread = one
    return statistics.median(times[False]), statistics.median(times[True])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", help="app names (default: all of widgets.__all__)")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    names = args.apps or list(W.__all__)
    blas = [
        (i["internal_api"], i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"
    ]
    print(
        f"{os.cpu_count()} cores; BLAS {blas}; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}"
    )
    for busy in (False, True):
        stop = multiprocessing.Event()
        proc = multiprocessing.Process(target=_busy, args=(stop,)) if busy else None
        if proc:
            proc.start()
            time.sleep(1.0)
        print(
            f"\n{'busy loop in another process' if busy else 'no busy loop'}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        print(f"{'app':22} {'action':22} {'all threads':>12} {'one thread':>11} {'ratio':>6}")
        for name in names:
            app = getattr(W, name)(backend="agg")
            for label, action in _actions(app):
                many, one = measure(app, action, args.repeats)
                print(f"{name:22} {label[:22]:22} {many:12.1f} {one:11.1f} {one / many:6.2f}")
            app.close()
        if proc:
            stop.set()
            proc.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
