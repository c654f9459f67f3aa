"""The apps on the ipympl canvas (renderer "ipympl"), in a real JupyterLab, at ratio 1.

By default the apps draw into a core ipywidgets Image wherever a browser shows them (see
``lecture_utils.widgets._renderer``); ``use_renderer("ipympl")`` or
``LECTURE_UTILS_RENDERER=ipympl`` keeps ipympl's canvas. This runs the two notebooks with the
heaviest frames (05: the classifier playground; 07: two apps) with that setting: after Restart
& Run All every canvas shows a drawn frame, and a key press on each app's slider changes the
canvas pixels and the readout. The latency goes to the report as ``<notebook> (ipympl
canvas)``, beside the Image's in the same run.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from _apps import find_apps, median, move_slider, wait_canvases_drawn
from _support import NOTEBOOK_DIR, Server
from test_notebooks_in_lab import _open, _restart_and_run_all

pytestmark = pytest.mark.browser

CANVAS_NOTEBOOKS = ["05_classifier_playground.ipynb", "07_gradient_descent_and_sgd.ipynb"]


@pytest.mark.parametrize("name", CANVAS_NOTEBOOKS, ids=lambda n: n.split(".")[0])
def test_the_apps_draw_on_the_ipympl_canvas_and_respond(
    name: str, lab_server_ipympl_canvas: Server, new_page: Any, latency_record: dict
) -> None:
    if not (NOTEBOOK_DIR / name).exists():
        pytest.skip(f"{name} does not exist")
    server = lab_server_ipympl_canvas
    page = new_page(1)
    path = f"notebooks/{name}"
    try:
        _open(page, server, path)
        state, run_all_s = _restart_and_run_all(page, path)
        expected_apps = sum(c["apps"] for c in state["cells"])
        wait_canvases_drawn(page, expected_apps)
        assert not page.locator("img.widget-image").count(), f"{path}: an Image, not the canvas"
        apps = find_apps(page, ".jp-Notebook")
        assert len(apps) == expected_apps, f"{path}: {expected_apps} apps, {len(apps)} canvases"
        results = [move_slider(page, a["index"], a["label"]) for a in apps]
    finally:
        server.shutdown_kernels()
        page.close()
    latencies = [ms for r in results for ms in r.latencies_ms]
    med = median(latencies)
    latency_record[f"{name} (ipympl canvas)"] = {
        "notebook": name,
        "where": "JupyterLab, renderer ipympl (canvas)",
        "device_pixel_ratio": 1,
        "load": round(os.getloadavg()[0], 2),
        "apps": len(apps),
        "sliders": [r.label for r in results],
        "latencies_ms": [round(ms, 1) for ms in latencies],
        "median_ms": None if med is None else round(med, 1),
        "run_all_s": round(run_all_s, 1),
        "screenshot": None,
    }
    print(f"\n[browser, ipympl canvas] {name}: {len(apps)} apps, median {med:.0f} ms")
