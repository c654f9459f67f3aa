"""Time one control change + a full redraw, for every app in ``lecture_utils.widgets.__all__``.

For each control of each app, the control is moved ``--repeats`` times (sliders sweep their
range, menus cycle through their options, buttons are clicked) and each move is followed by
a full Agg render of the app's figure (``FigureCanvasAgg.draw(figure.canvas)``: every artist
drawn, what a frame costs in the kernel). Reported per control, in milliseconds:

- ``update``: the control change alone (observer, in-place artist updates, readout);
- ``frame``: change + full Agg draw (the number held to the 40 ms target);
- ``p90``: 90th percentile of ``frame``;
- ``cpu``: like ``frame`` but this process's CPU time (less disturbed by other processes);
- ``+ipympl``: change + the ipympl canvas's own ``draw()``, which also encodes the changed
  pixels as PNG for the browser (what a live notebook pays per frame in the kernel).

With ``--frame-cost`` it prints instead, per app and device pixel ratio (1 and 2), what a
live frame costs in the kernel: the Agg draw after a move of the first slider; plus the PNG
of the changed pixels that matplotlib's own ``get_diff_image`` would send (Pillow, zlib level 6,
per-row filters) and the frame the apps' canvas sends (``widgets._canvas._whole_frame``: the
whole picture, by ``widgets._png.encode_png``: unfiltered rows, zlib level 1), both from the
same render; and Agg plus the PNG of the whole frame, what the Image gets (the live path at
ratio 2, where a draft is the ratio-1 Image frame).

Run:  .venv/bin/python benchmarks/bench_widgets.py [--repeats 30] [--frame-cost] [AppName ...]
Exit status 1 if some control's median frame exceeds ``--budget`` ms (default 40).
Timings are wall-clock; the load average is printed because other processes slow them down.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

import lecture_utils.widgets as W
from lecture_utils.widgets import App
from lecture_utils.widgets._canvas import _whole_frame
from lecture_utils.widgets._controls import _selection_values, canonical_value
from lecture_utils.widgets._png import encode_png


def sweep(control: widgets.Widget, n: int) -> Iterator[Callable[[], Any]]:
    """``n`` actions that each move ``control`` to a value different from the previous one."""
    if isinstance(control, widgets.Button):
        for _ in range(n):
            yield control.click
        return
    if isinstance(control, widgets.FloatLogSlider):
        exps = np.linspace(control.min, control.max, 7)
        values = [canonical_value(control, control.base**e) for e in exps]
    elif isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        values = [canonical_value(control, v) for v in np.linspace(control.min, control.max, 7)]
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        values = [True, False]
    elif hasattr(control, "options"):
        values = _selection_values(control)
    else:
        raise TypeError(f"cannot sweep a {type(control).__name__}")
    values = list(dict.fromkeys(values))  # distinct, in order
    current = canonical_value(control, control.value)
    k = 0
    for _ in range(n):
        k = (k + 1) % len(values)
        if values[k] == current:
            k = (k + 1) % len(values)
        current = values[k]
        yield lambda v=current: setattr(control, "value", v)


def bench_control(app: App, name: str, repeats: int) -> dict[str, float]:
    control = app.controls[name]
    canvas = app.figure.canvas
    update, frame, cpu, live = [], [], [], []
    for i, action in enumerate(sweep(control, 2 * repeats)):
        if i % 2 == 0:  # change + full Agg draw
            c0, t0 = time.process_time(), time.perf_counter()
            action()
            t1 = time.perf_counter()
            FigureCanvasAgg.draw(canvas)
            t2, c2 = time.perf_counter(), time.process_time()
            update.append(t1 - t0)
            frame.append(t2 - t0)
            cpu.append(c2 - c0)
        else:  # change + the canvas's own draw (ipympl: also encodes PNG for the browser)
            t0 = time.perf_counter()
            action()
            canvas.draw()
            live.append(time.perf_counter() - t0)
        if app.last_error is not None:
            raise RuntimeError(f"{type(app).__name__}.{name}: {app.last_error!r}")
        if sum(frame) > 20:  # a very slow control (e.g. a long 'run' button): enough samples
            break
    ms = 1000.0
    return {
        "update": statistics.median(update) * ms,
        "frame": statistics.median(frame) * ms,
        "p90": float(np.percentile(frame, 90)) * ms,
        "cpu": statistics.median(cpu) * ms,
        "live": statistics.median(live) * ms if live else float("nan"),
        "n": len(frame),
    }


def frame_cost(app: App, ratio: float, repeats: int) -> dict[str, float]:
    """Median ms: Agg frame after a slider move; its diff PNG both ways; the full-frame PNG."""
    canvas = app.figure.canvas
    canvas._set_device_pixel_ratio(ratio)  # what ipympl does when the browser reports it
    control = next(c for c in app.controls.values() if not isinstance(c, widgets.Button))
    agg, mpl, ours, full, size_mpl, size_ours = [], [], [], [], [], []
    FigureCanvasAgg.draw(canvas)
    canvas._last_buff = np.asarray(canvas.get_renderer().buffer_rgba()).view(np.uint32)
    canvas._last_buff = canvas._last_buff.squeeze(2).copy()
    for i, action in enumerate(sweep(control, repeats + 2)):
        t0 = time.perf_counter()
        action()
        FigureCanvasAgg.draw(canvas)
        t1 = time.perf_counter()
        before = canvas._last_buff.copy()
        timings = {}
        for way in ("mpl", "ours") if i % 2 else ("ours", "mpl"):  # alternate the order
            canvas._last_buff, canvas._force_full, canvas._png_is_old = before, False, True
            t = time.perf_counter()
            if way == "mpl":  # matplotlib's own encoder: Pillow, level 6, row filters
                png = FigureCanvasWebAggCore.get_diff_image(canvas)
            else:
                png = _whole_frame(canvas, 1)
            timings[way] = (time.perf_counter() - t, len(png))
        t = time.perf_counter()
        encode_png(np.asarray(canvas.get_renderer().buffer_rgba()))  # the Image's whole frame
        t_full = time.perf_counter() - t
        if i >= 2:
            agg.append(t1 - t0)
            mpl.append(timings["mpl"][0])
            ours.append(timings["ours"][0])
            full.append(t_full)
            size_mpl.append(timings["mpl"][1])
            size_ours.append(timings["ours"][1])
    canvas._set_device_pixel_ratio(1)
    w, h = canvas.get_renderer().get_canvas_width_height()
    med = statistics.median
    return {
        "pixels": w * h,
        "agg": med(agg) * 1000,
        "mpl": med(mpl) * 1000,
        "ours": med(ours) * 1000,
        "full": med(full) * 1000,
        "kb_mpl": med(size_mpl) / 1024,
        "kb_ours": med(size_ours) / 1024,
    }


def print_frame_costs(names: list[str], repeats: int) -> None:
    header = (
        f"{'app':22} {'ratio':>5} {'Agg':>6} {'+mplPNG':>8} {'+ourPNG':>8} {'Image':>7} "
        f"{'kBmpl':>6} {'kBours':>6}"
    )
    print(
        header + "   (median ms; +mplPNG: Agg + matplotlib's diff PNG; +ourPNG: Agg + the "
        "apps' canvas frame, the whole picture; Image: Agg + PNG of the whole frame)"
    )
    print("-" * len(header))
    totals: dict[tuple[float, str], list[float]] = {}
    for name in names:
        app = getattr(W, name)()
        for ratio in (1, 2):
            r = frame_cost(app, ratio, repeats)
            row = {"mpl": r["agg"] + r["mpl"], "ours": r["agg"] + r["ours"]}
            row["image"] = r["agg"] + r["full"]
            for way, value in row.items():
                totals.setdefault((ratio, way), []).append(value)
            print(
                f"{name:22} {ratio:5g} {r['agg']:6.1f} {row['mpl']:8.1f} {row['ours']:8.1f} "
                f"{row['image']:7.1f} {r['kb_mpl']:6.0f} {r['kb_ours']:6.0f}"
            )
        app.close()
    for ratio in (1, 2):
        print(
            f"median over apps, ratio {ratio}: canvas frame with matplotlib's PNG "
            f"{statistics.median(totals[ratio, 'mpl']):.1f} ms, with ours "
            f"{statistics.median(totals[ratio, 'ours']):.1f} ms; Image frame "
            f"{statistics.median(totals[ratio, 'image']):.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", help="app names (default: all of widgets.__all__)")
    parser.add_argument("--repeats", type=int, default=30, help="changes per control (30)")
    parser.add_argument("--budget", type=float, default=40.0, help="target median frame, ms")
    parser.add_argument(
        "--frame-cost", action="store_true", help="Agg + PNG encoding per frame, ratios 1 and 2"
    )
    args = parser.parse_args(argv)
    names = args.apps or list(W.__all__)
    unknown = [n for n in names if n not in W.__all__]
    if unknown:
        parser.error(f"unknown app(s) {unknown}; choose from {W.__all__}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} cores, load average {load:.2f}; {args.repeats} changes per control")
    if args.frame_cost:
        print_frame_costs(names, args.repeats)
        return 0
    header = (
        f"{'app':22} {'control':16} {'update':>8} {'frame':>8} {'p90':>8} {'cpu':>8} {'+ipympl':>8}"
    )
    print(header + "   (median ms unless noted)")
    print("-" * len(header))
    over: list[str] = []
    summary = []
    for name in names:
        t0 = time.perf_counter()
        app = getattr(W, name)()
        build = (time.perf_counter() - t0) * 1000
        FigureCanvasAgg.draw(app.figure.canvas)  # first draw renders the static layer
        frames = []
        for control_name in app.controls:
            r = bench_control(app, control_name, args.repeats)
            frames.append(r["frame"])
            flag = "  > budget" if r["frame"] > args.budget else ""
            if flag:
                over.append(f"{name}.{control_name}")
            print(
                f"{name:22} {control_name:16} {r['update']:8.1f} {r['frame']:8.1f} "
                f"{r['p90']:8.1f} {r['cpu']:8.1f} {r['live']:8.1f}{flag}"
            )
        summary.append((name, build, statistics.median(frames), max(frames)))
    print()
    print(f"{'app':22} {'build ms':>9} {'median frame':>13} {'worst control':>14}")
    for name, build, med, worst in summary:
        print(f"{name:22} {build:9.0f} {med:13.1f} {worst:14.1f}")
    if over:
        print(f"\nover the {args.budget:g} ms budget: {', '.join(over)}")
        return 1
    print(f"\nevery control's median frame is within {args.budget:g} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
