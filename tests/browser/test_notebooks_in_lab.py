"""Every notebook in a real JupyterLab, in headless Chromium, as a learner runs it.

For each ``notebooks/*.ipynb`` (found when the tests are collected):

1. open ``/lab/tree/notebooks/<name>?reset`` (a fresh layout, no restored tabs);
2. clear the outputs, then Run -> "Restart Kernel and Run All Cells" and wait until every
   non-empty code cell has run and the kernel is idle;
3. assert no cell has an error output (read from the notebook model through
   ``window.jupyterapp``: warnings on stderr are not errors) and no widget failed to render;
4. every app must have switched to its live path, an ipywidgets Image at the screen's device
   pixel ratio (``lecture_utils.widgets._renderer``), with no ipympl canvas left shown; for
   every app, press ArrowRight/ArrowLeft on a slider handle: the picture must change, the
   slider's readout must show the new value and the app must show no error; the key press ->
   new picture latency is recorded. At ratio 2 each press must bring a first picture (a
   draft at ratio 1) and then the full-resolution one; both times are recorded. At ratio 1
   an arrow key is also held on each app's slider (``_held_key.py``): the last picture must be
   that of the slider's final value, and the time from the last key event to it is recorded.
   (The ipympl canvas, renderer "ipympl", is tested in ``test_ipympl_canvas.py``);
5. save a screenshot of the first app's cell (or of the page) to
   ``build/browser-report/screenshots/`` (``make docs`` copies it to ``docs/``).

The medians go to the test output and to ``build/browser-report/browser-latency.md``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from _apps import IMAGES_SHOWN_JS, find_image_apps, median, move_image_slider
from _held_key import hold_image_slider
from _support import LATENCY_TARGET_MS, LATENCY_TARGETS_MS, SCREENSHOTS, Server, notebooks

pytestmark = pytest.mark.browser

RUN_ALL_TIMEOUT = 150.0
#: A notebook whose median latency exceeds this fails. The target is LATENCY_TARGET_MS
#: (150 ms, met on an idle 2-core machine); the default limit is twice that, so that a busy
#: CI machine does not make the test flaky while a real regression (a redraw that got much
#: slower, a debounce, a lost update) still fails. LATENCY_LIMIT_MS=150 makes it strict.
LATENCY_LIMIT_MS = float(os.environ.get("LATENCY_LIMIT_MS", 2 * LATENCY_TARGET_MS))

PANEL_READY_JS = """
(path) => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.sessionContext) return false;
  const kernel = w.sessionContext.session?.kernel;
  return w.context.isReady && w.sessionContext.isReady && !!kernel
    && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
}
"""

# How many ipympl canvases are visible on the page.
VISIBLE_CANVASES_JS = """
() => [...document.querySelectorAll('.jp-Notebook .jupyter-matplotlib-canvas-div')]
  .filter((div) => div.offsetParent !== null && div.getBoundingClientRect().width > 0).length
"""

RUN_STATE_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session?.kernel;
  const cells = [];
  w.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const source = cell.model.sharedModel.getSource();
    const outputs = cell.model.outputs.toJSON();
    cells.push({
      index: i,
      empty: !source.trim(),
      count: cell.model.executionCount,
      head: source.split('\\n')[0].slice(0, 80),
      errors: outputs.filter((o) => o.output_type === 'error')
        .map((o) => `${o.ename}: ${o.evalue}`),
      apps: outputs.filter((o) => o.data && o.data['image/png']
        && o.data['application/vnd.jupyter.widget-view+json']).length,
    });
  });
  return {status: kernel ? kernel.status : 'none', cells};
}
"""


# Scrolls the element to the top of the notebook; returns the part of it the notebook shows.
VISIBLE_PART_JS = """
(element) => {
  element.scrollIntoView({block: 'start'});
  let scroller = element.closest('.jp-Notebook');
  while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) {
    scroller = scroller.parentElement;
  }
  scroller = scroller || element.closest('.jp-Notebook');
  const e = element.getBoundingClientRect();
  const v = scroller ? scroller.getBoundingClientRect() : {top: 0, left: 0,
    bottom: window.innerHeight, right: window.innerWidth};
  const x = Math.max(e.left, v.left), y = Math.max(e.top, v.top);
  return {x, y, width: Math.min(e.right, v.right) - x, height: Math.min(e.bottom, v.bottom) - y};
}
"""


def _accept_dialog(page: Any, timeout: float) -> bool:
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    try:
        dialog.first.wait_for(state="visible", timeout=timeout * 1000)
    except Exception:
        return False
    dialog.first.click()
    return True


def _open(page: Any, server: Server, path: str) -> None:
    page.goto(f"{server.url}/lab/tree/{path}?reset", wait_until="domcontentloaded")
    deadline = time.monotonic() + 90
    while not page.evaluate(PANEL_READY_JS, path):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path}: JupyterLab did not open the notebook with a kernel")
        # a notebook whose stored kernel is unknown asks which kernel to use: take the default
        if page.locator(".jp-Dialog").count():
            _accept_dialog(page, 1)
        time.sleep(0.2)


def _restart_and_run_all(page: Any, path: str) -> tuple[dict[str, Any], float]:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    assert _accept_dialog(page, 10), f"{path}: no 'Restart Kernel?' dialog to confirm"
    start = time.monotonic()
    while True:
        state = page.evaluate(RUN_STATE_JS)
        errors = [c for c in state["cells"] if c["errors"]]
        if errors:
            lines = [f"cell {c['index']} ({c['head']!r}): {'; '.join(c['errors'])}" for c in errors]
            raise AssertionError(f"{path}: error output after Run All:\n" + "\n".join(lines))
        pending = [c for c in state["cells"] if not c["empty"] and c["count"] is None]
        if not pending and state["status"] == "idle":
            return state, time.monotonic() - start
        if time.monotonic() - start > RUN_ALL_TIMEOUT:
            heads = ", ".join(f"{c['index']} ({c['head']!r})" for c in pending[:5])
            raise AssertionError(
                f"{path}: Run All not done after {RUN_ALL_TIMEOUT:.0f} s; kernel "
                f"{state['status']}, cells not run: {heads}"
            )
        time.sleep(0.25)


def record_key(name: str, ratio: float) -> str:
    """The report's key of a page: its name, with the device pixel ratio unless it is 1."""
    return name if ratio == 1 else f"{name} @{ratio:g}x"


@pytest.mark.parametrize("ratio", [1, 2], ids=lambda r: f"ratio{r}")
@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_and_every_app_responds(
    notebook: Path, ratio: int, lab_server: Server, new_page: Any, latency_record: dict
) -> None:
    page = new_page(ratio)
    path = f"notebooks/{notebook.name}"
    try:
        _open(page, lab_server, path)
        state, run_all_s = _restart_and_run_all(page, path)

        # every app displayed by the notebook shows a first frame at the screen's ratio
        expected_apps = sum(c["apps"] for c in state["cells"])
        page.wait_for_function(IMAGES_SHOWN_JS, arg=[expected_apps, ratio], timeout=30_000)
        failed = page.locator(".jp-OutputArea-output", has_text="Error displaying widget")
        assert not failed.count(), f"{path}: a widget failed to render"

        apps = find_image_apps(page, ".jp-Notebook")
        # the canvas the Image replaced must not stay on the page, stale
        shown = page.evaluate(VISIBLE_CANVASES_JS)
        assert not shown, f"{path}: {shown} ipympl canvases still shown next to the images"
        assert len(apps) >= expected_apps, f"{path}: {expected_apps} apps stored, {len(apps)} live"
        no_slider = [a["index"] for a in apps if not a["slider"]]
        assert not no_slider, f"{path}: apps {no_slider} have no slider to move"
        sharp = ratio if ratio > 1 else None  # drafts, then a sharp frame, at ratio > 1 only
        results = [
            move_image_slider(page, a["index"], a["label"], presses=6, ratio=sharp) for a in apps
        ]
        # a held arrow key (at ratio 1: the drafts of ratio 2 end in a sharp frame anyway)
        held = [hold_image_slider(page, a["index"], a["label"]) for a in apps] if ratio == 1 else []

        # the screenshot: the first app's cell, else the top of the notebook
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{notebook.stem}{'' if ratio == 1 else f'@{ratio}x'}.png"
        if apps:
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            clip = page.locator('[data-test-image-cell="0"]').evaluate(VISIBLE_PART_JS)
            page.screenshot(path=str(shot), clip=clip)
        else:
            page.screenshot(path=str(shot))
    finally:
        lab_server.shutdown_kernels()
        page.close()

    latencies = [ms for r in results for ms in r.latencies_ms]
    sharp = [ms for r in results for ms in r.sharp_ms]
    med = median(latencies)
    latency_record[record_key(notebook.name, ratio)] = {
        "notebook": notebook.name,
        "where": "JupyterLab (Image)" if ratio == 1 else "JupyterLab (Image: drafts, then sharp)",
        "device_pixel_ratio": ratio,
        "load": round(os.getloadavg()[0], 2),
        "apps": len(apps),
        "sliders": [r.label for r in results],
        "latencies_ms": [round(ms, 1) for ms in latencies],
        "median_ms": None if med is None else round(med, 1),
        "sharp_ms": [round(ms, 1) for ms in sharp],
        "sharp_median_ms": None if not sharp else round(median(sharp), 1),
        "run_all_s": round(run_all_s, 1),
        "screenshot": shot.name,
        "held_key": [
            {"keys": h.keys, "pictures": h.pictures, "end_ms": round(h.end_ms, 1)} for h in held
        ],
    }
    summary = (
        "no app"
        if med is None
        else (
            f"median {med:.0f} ms over {len(latencies)} presses "
            f"at ratio {ratio} ({'meets' if med <= LATENCY_TARGETS_MS[ratio] else 'misses'} "
            f"the {LATENCY_TARGETS_MS[ratio]:.0f} ms target)"
        )
    )
    print(f"\n[browser] {notebook.name}: run all {run_all_s:.1f} s, {len(apps)} apps, {summary}")
    if med is not None:
        assert med <= LATENCY_LIMIT_MS, (
            f"{path}: median key press -> pixels {med:.0f} ms > {LATENCY_LIMIT_MS:.0f} ms "
            f"(all: {[round(v) for v in latencies]})"
        )
