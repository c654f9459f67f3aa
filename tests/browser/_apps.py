"""Finding the live apps on a page (JupyterLab or Voilà) and moving their sliders by keyboard.

An *app* on the page is an ipympl canvas (``.jupyter-matplotlib-canvas-div``) together with
the sliders of the same displayed widget: from the canvas we walk up to the nearest element
that also holds a ``.widget-slider``, without leaving the cell's output.

Latency is measured inside the page, with ``performance.now()``: from the ``keydown`` event
on the slider handle to the first moment the canvas pixels differ from before the key press.
The pixels are compared right after every ``drawImage`` onto the canvas (how ipympl paints a
new frame) and, as a fallback, on every animation frame.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

# Marks every app's canvas, box and first slider with data-test-* attributes; returns a list.
FIND_APPS_JS = """
(scopeSelector) => {
  const scope = document.querySelector(scopeSelector) || document;
  const apps = [];
  scope.querySelectorAll('.jupyter-matplotlib-canvas-div').forEach((div) => {
    const i = apps.length;
    let box = div.parentElement, slider = null;
    while (box && box !== scope) {
      // visible sliders only (apps hold a hidden heartbeat slider: see widgets._renderer)
      slider = [...box.querySelectorAll('.widget-slider')]
        .find((s) => s.offsetParent !== null) || null;
      if (slider || box.classList.contains('jp-OutputArea-output')) break;
      box = box.parentElement;
    }
    div.dataset.testApp = i;
    if (box) box.dataset.testAppBox = i;
    const cell = div.closest('.jp-Cell, .jp-OutputArea-output');
    if (cell) cell.dataset.testAppCell = i;
    let label = '';
    if (slider) {
      slider.dataset.testSlider = i;
      const text = slider.querySelector('.widget-label');
      const title = text && text.title !== 'null' ? text.title : '';
      label = (text && text.textContent.trim()) || title;
    }
    apps.push({index: i, slider: !!slider, label});
  });
  return apps;
}
"""

# True when every marked canvas shows a drawn frame (some pixel neither transparent nor white).
CANVASES_DRAWN_JS = """
(n) => {
  const selector = '.jupyter-matplotlib-canvas-div canvas:first-child';
  const canvases = [...document.querySelectorAll(selector)];
  if (canvases.length < n) return false;
  return canvases.every((c) => {
    if (!c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let k = 0; k < d.length; k += 4) {
      if (d[k + 3] !== 0 && (d[k] !== 255 || d[k + 1] !== 255 || d[k + 2] !== 255)) return true;
    }
    return false;
  });
}
"""

# Arms the probe: remembers the pixels, listens for keydown, resolves on the first change.
ARM_PROBE_JS = """
([handle, canvas, timeoutMs]) => {
  const ctx = canvas.getContext('2d');
  const grab = () => {
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return new Uint32Array(image.data.buffer);
  };
  const before = {w: canvas.width, h: canvas.height, d: grab()};
  const differs = () => {
    if (canvas.width !== before.w || canvas.height !== before.h) return true;
    const d = grab();
    for (let k = 0; k < d.length; k++) if (d[k] !== before.d[k]) return true;
    return false;
  };
  const state = {t0: null, t1: null, via: null, timeout: false};
  let resolve, raf, timer;
  const done = new Promise((r) => { resolve = r; });
  const onKey = (e) => {
    if (state.t0 === null) state.t0 = Math.min(e.timeStamp, performance.now());
  };
  const cleanup = () => {
    clearTimeout(raf);
    clearTimeout(timer);
    handle.removeEventListener('keydown', onKey, true);
    delete ctx.drawImage;
  };
  const finish = (via) => {
    if (state.t1 !== null) return;
    state.t1 = performance.now();
    state.via = via;
    cleanup();
    resolve(state);
  };
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  ctx.drawImage = function (...args) {
    const result = draw.apply(this, args);
    if (state.t0 !== null && differs()) finish('drawImage');
    return result;
  };
  // fallback for paints that bypass drawImage: a cheap poll, every 50 ms
  const poll = () => {
    if (state.t1 !== null) return;
    if (state.t0 !== null && differs()) { finish('poll'); return; }
    raf = setTimeout(poll, 50);
  };
  raf = setTimeout(poll, 50);
  timer = setTimeout(() => { state.timeout = true; cleanup(); resolve(state); }, timeoutMs);
  handle.addEventListener('keydown', onKey, true);
  window.__latencyProbe = done;
}
"""

# Resolves once the canvas has not changed for quietMs (or after maxMs): the frame settled.
SETTLE_JS = """
async ([canvas, quietMs, maxMs]) => {
  const ctx = canvas.getContext('2d');
  const grab = () => {
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return new Uint32Array(image.data.buffer);
  };
  const same = (a, b) => {
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  };
  const start = performance.now();
  let last = grab(), since = start;
  while (performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 40));
    const now = grab();
    if (!same(now, last)) { last = now; since = performance.now(); }
    else if (performance.now() - since >= quietMs) return true;
  }
  return false;
}
"""

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_number(text: str) -> float | None:
    match = _NUMBER.search(text.replace("\u2212", "-"))
    return float(match.group(0)) if match else None


@dataclass
class AppResult:
    """What moving one app's slider showed."""

    label: str
    latencies_ms: list[float] = field(default_factory=list)
    readouts: list[str] = field(default_factory=list)


def find_apps(page: Any, scope: str) -> list[dict[str, Any]]:
    return page.evaluate(FIND_APPS_JS, scope)


def _no_app_error(page: Any, index: int, label: str) -> None:
    """The app's error output (an ipywidgets Output holding stderr) must stay empty."""
    errors = page.locator(
        f'[data-test-app-box="{index}"] [data-mime-type="application/vnd.jupyter.stderr"]'
    )
    if errors.count():
        raise AssertionError(f"app {index} ({label}) shows an error: {errors.first.inner_text()}")


def move_slider(
    page: Any, index: int, label: str = "", presses: int = 6, timeout_ms: int = 5000
) -> AppResult:
    """Press ArrowRight/ArrowLeft on app ``index``'s first slider; check pixels and readout.

    Each press must change the canvas pixels within ``timeout_ms``; the slider's readout must
    change the way the key points, and show the same text again when the handle is back where
    it was two presses before; the app must show no error. Directions alternate, starting
    away from the end of the range, so the app ends in the state the notebook left it in.
    """
    slider = page.locator(f'[data-test-slider="{index}"]')
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    canvas = page.locator(f'[data-test-app="{index}"] canvas').first
    name = f"app {index} ({label or 'slider'})"
    result = AppResult(label=label or "slider")
    handle.scroll_into_view_if_needed()
    result.readouts.append(readout.inner_text().strip())
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if at_max else "ArrowRight"
    for _ in range(presses):
        before = readout.inner_text().strip()
        page.evaluate(ARM_PROBE_JS, [handle.element_handle(), canvas.element_handle(), timeout_ms])
        handle.press(key)
        probe = page.evaluate("() => window.__latencyProbe")
        _no_app_error(page, index, label)
        assert probe["t0"] is not None, f"{name}: the slider handle never got the key press"
        assert not probe["timeout"], f"{name}: {key} changed no canvas pixel in {timeout_ms} ms"

        after = readout.inner_text().strip()
        assert after != before, f"{name}: readout stayed {before!r} after {key}"
        old, new = parse_number(before), parse_number(after)
        if old is not None and new is not None:
            assert (new > old) == (key == "ArrowRight"), f"{name}: {before!r} -> {after!r} on {key}"
        if len(result.readouts) >= 2:  # back where it was two presses ago: the same readout
            assert after == result.readouts[-2], (
                f"{name}: readout {after!r} after moving back to {result.readouts[-2]!r}"
            )

        result.latencies_ms.append(probe["t1"] - probe["t0"])
        result.readouts.append(after)
        page.evaluate(SETTLE_JS, [canvas.element_handle(), 250, 3000])
        key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    _no_app_error(page, index, label)
    return result


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
