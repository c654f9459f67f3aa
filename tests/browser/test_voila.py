"""Classroom mode: one notebook served by Voilà (as ``make classroom`` does) is a live app.

The page shows no code, no cell errors, and its widgets are live: a key press on a slider
handle changes the plot (the app's Image, as in JupyterLab) and the slider's readout. The
latency is recorded with the notebooks' (``build/browser-report/``) and a screenshot saved
next to theirs.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from _apps import IMAGES_SHOWN_JS, find_image_apps, median, move_image_slider
from _support import SCREENSHOTS, notebooks

pytestmark = pytest.mark.browser

#: The notebook shown in class first (the README's `make classroom` example).
PREFERRED = "01_loss_functions.ipynb"


def stored_apps(notebook: Path) -> int:
    """How many apps the notebook's stored outputs display (live widget + PNG bundles)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        1
        for cell in cells
        for output in cell.get("outputs", [])
        if {"image/png", "application/vnd.jupyter.widget-view+json"} <= set(output.get("data", {}))
    )


def classroom_notebook() -> Path | None:
    with_apps = [nb for nb in notebooks() if stored_apps(nb)]
    preferred = [nb for nb in with_apps if nb.name == PREFERRED]
    return (preferred or with_apps or [None])[0]


def test_voila_shows_a_notebook_as_a_live_app(
    start_voila: Any, new_page: Any, latency_record: dict
) -> None:
    notebook = classroom_notebook()
    if notebook is None:
        pytest.skip("no notebook displays an app yet")
    server = start_voila(notebook)
    page = new_page()
    start = time.monotonic()
    page.goto(server.url + "/", wait_until="domcontentloaded", timeout=90_000)
    expected = stored_apps(notebook)
    page.wait_for_function(IMAGES_SHOWN_JS, arg=[expected, 1], timeout=90_000)
    render_s = time.monotonic() - start

    # a clean app: no code, no failed cell, every widget rendered
    body = page.locator("body").inner_text()
    assert "There was an error when executing cell" not in body, body[-2000:]
    assert "Error displaying widget" not in body
    code_cells = page.locator(".jp-CodeCell")
    assert code_cells.count() > 0, "Voilà rendered no code cell outputs"
    assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count() == 0, "code is shown"
    assert code_cells.count() == page.locator(".jp-CodeCell.jp-mod-noInput").count()

    apps = find_image_apps(page, "body")
    assert len(apps) >= expected, f"{expected} apps in the notebook, {len(apps)} live in Voilà"
    sliders = [a for a in apps if a["slider"]]
    results = [move_image_slider(page, a["index"], a["label"], presses=6) for a in sliders]
    assert results, "no app with a slider on the Voilà page"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"voila_{notebook.stem}.png"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.locator('[data-test-image-cell="0"]').screenshot(path=str(shot))

    latencies = [ms for r in results for ms in r.latencies_ms]
    med = median(latencies)
    latency_record[f"{notebook.name} (Voilà)"] = {
        "notebook": notebook.name,
        "where": "Voilà",
        "apps": len(apps),
        "sliders": [r.label for r in results],
        "latencies_ms": [round(ms, 1) for ms in latencies],
        "median_ms": round(med, 1),
        "run_all_s": round(render_s, 1),
        "screenshot": shot.name,
    }
    print(f"\n[voila] {notebook.name}: rendered in {render_s:.1f} s, median {med:.0f} ms")
