"""Every notebook in a JupyterLab whose front-end has no ``jupyter-matplotlib`` (no ipympl).

This is what a learner gets where ipympl's front-end is missing or broken (a Jupyter server
installed without ipympl, VS Code without access to a widget CDN). The server runs from a venv
with jupyterlab + ipywidgets only (``make lab-without-ipympl``); the kernel is the project's.
The apps' default renderer ("auto") must notice that the canvas never answers and show each
figure through a core ``ipywidgets.Image`` instead: for every notebook, after Restart & Run
All, every app shows a picture, and a key press on its slider changes the picture and the
readout. The key press -> new image latency goes to the latency report as
``<notebook> (no ipympl)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from _apps import IMAGES_SHOWN_JS, find_image_apps, median, move_image_slider
from _support import SCREENSHOTS, Server, notebooks
from test_notebooks_in_lab import _open, _restart_and_run_all, record_key

pytestmark = pytest.mark.browser

# What the app outputs show (for the failure message).
DESCRIBE_OUTPUTS_JS = """
() => ({
  images: [...document.querySelectorAll('.jp-Notebook img.widget-image')]
    .map((i) => i.naturalWidth),
  errors: [...document.querySelectorAll('.jp-Notebook .widget-error, .jp-RenderedText')]
    .map((e) => e.textContent.slice(0, 160)).slice(0, 6),
})
"""

#: Device pixel ratios of the fallback check. `make test` checks ratio 1 (that every app falls
#: back and responds does not depend on it, and each page costs about 15 s); `make docs`
#: sets LECTURE_UTILS_BROWSER_ALL_RATIOS=1 to measure the fallback at ratio 2 too.
FALLBACK_RATIOS = [1, 2] if os.environ.get("LECTURE_UTILS_BROWSER_ALL_RATIOS") else [1]


@pytest.mark.parametrize("ratio", FALLBACK_RATIOS, ids=lambda r: f"ratio{r}")
@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: p.stem)
def test_every_app_falls_back_to_an_image_and_responds(
    notebook: Path,
    ratio: int,
    lab_server_without_ipympl: Server,
    new_page: Any,
    latency_record: dict,
) -> None:
    server = lab_server_without_ipympl
    page = new_page(ratio)
    path = f"notebooks/{notebook.name}"
    try:
        _open(page, server, path)
        state, run_all_s = _restart_and_run_all(page, path)
        expected_apps = sum(c["apps"] for c in state["cells"])
        # the renderer falls back a moment after the kernel is idle
        try:
            page.wait_for_function(IMAGES_SHOWN_JS, arg=[expected_apps, 0], timeout=30_000)
        except Exception:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{notebook.stem}-no-ipympl-failed.png"))
            seen = page.evaluate(DESCRIBE_OUTPUTS_JS)
            raise AssertionError(
                f"{path}: {expected_apps} apps, no image for each: {seen}"
            ) from None
        apps = find_image_apps(page, ".jp-Notebook")
        assert len(apps) == expected_apps, f"{path}: {expected_apps} apps, {len(apps)} images"
        assert not page.locator(".jupyter-matplotlib-canvas-div").count()  # no ipympl here
        failed = page.locator(".jp-OutputArea-output", has_text="Error displaying widget")
        assert not failed.count(), f"{path}: a widget failed to render"
        assert not page.locator(".jp-Notebook .jupyter-widgets.widget-error").count(), (
            f"{path}: an error widget is still shown in place of a canvas"
        )
        no_slider = [a["index"] for a in apps if not a["slider"]]
        assert not no_slider, f"{path}: apps {no_slider} have no slider to move"
        # no ipympl front-end: the screen's ratio is unknown, the picture is at ratio 1
        results = [move_image_slider(page, a["index"], a["label"]) for a in apps]
        latencies = [ms for r in results for ms in r.latencies_ms]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{notebook.stem}-no-ipympl{'' if ratio == 1 else f'@{ratio}x'}.png"
        if apps:
            page.locator('[data-test-image="0"]').scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
    finally:
        server.shutdown_kernels()
        page.close()
    med = median(latencies)
    latency_record[record_key(f"{notebook.name} (no ipympl)", ratio)] = {
        "notebook": notebook.name,
        "where": "JupyterLab without jupyter-matplotlib (fallback Image)",
        "device_pixel_ratio": ratio,
        "load": round(os.getloadavg()[0], 2),
        "apps": len(apps),
        "sliders": [a["label"] for a in apps],
        "latencies_ms": [round(ms, 1) for ms in latencies],
        "median_ms": None if med is None else round(med, 1),
        "run_all_s": round(run_all_s, 1),
        "screenshot": shot.name,
    }
    print(f"\n[browser, no ipympl] {notebook.name}: {len(apps)} apps, median {med} ms")
