"""Finding the live apps on a page (JupyterLab or Voilà) and moving their sliders by keyboard.

An *app* on the page is an ipympl canvas (``.jupyter-matplotlib-canvas-div``) together with
the sliders of the same displayed widget: from the canvas we walk up to the nearest element
that also holds a ``.widget-slider``, without leaving the cell's output. Where the app draws
into a core ipywidgets Image instead (a front-end without ipympl; a high-density screen, where
the Image is the live path: see ``lecture_utils.widgets._renderer``) the same walk starts from
the ``img.widget-image``; a new frame is a new ``src``, timed when the browser has decoded it.

Latency is measured inside the page, with ``performance.now()``: from the ``keydown`` event
on the slider handle to the first moment the canvas pixels differ from before the key press.
The pixels are compared right after every ``drawImage`` onto the canvas (how ipympl paints a
new frame) and, as a fallback, on every animation frame. Each press waits until the page is
idle: no long task on the browser's main thread for 300 ms and the kernel idle (after Run All
JupyterLab typesets math and lays out outputs for seconds; a learner moves a slider on a page
that has settled, and a press made during that work measures the work, not the app). Before
the first press the handle gets the keyboard focus, as a learner's click on it gives it: the
focus makes JupyterLab activate the app's cell, 30-40 ms of work on the page that happens once,
on that click, not on a key press (measured: the first press after a focus on an idle page
took as long as the later ones; without it, it took 90-110 ms).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

# Marks every app's picture (its ipympl canvas, or its Image), box, cell and first visible
# slider with data-test-* attributes (data-test-app... / data-test-image...); returns a list.
FIND_APPS_JS = """
([scopeSelector, kind]) => {
  const scope = document.querySelector(scopeSelector) || document;
  const image = kind === 'image';
  const names = image
    ? {item: 'testImage', box: 'testImageBox', cell: 'testImageCell', slider: 'testImageSlider'}
    : {item: 'testApp', box: 'testAppBox', cell: 'testAppCell', slider: 'testSlider'};
  const apps = [];
  scope.querySelectorAll(image ? 'img.widget-image' : '.jupyter-matplotlib-canvas-div')
    .forEach((el) => {
      const i = apps.length;
      let box = el.parentElement, slider = null;
      while (box && box !== scope) {
        // visible sliders only (apps hold a hidden heartbeat slider: see widgets._renderer)
        slider = [...box.querySelectorAll('.widget-slider')]
          .find((s) => s.offsetParent !== null) || null;
        if (slider || box.classList.contains('jp-OutputArea-output')) break;
        box = box.parentElement;
      }
      el.dataset[names.item] = i;
      if (box) box.dataset[names.box] = i;
      const cell = el.closest('.jp-Cell, .jp-OutputArea-output');
      if (cell) cell.dataset[names.cell] = i;
      let label = '';
      if (slider) {
        slider.dataset[names.slider] = i;
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

# Resolves once the page has had no long task (>= 50 ms on the main thread) for quietMs and
# JupyterLab's kernel (if any) is idle, or after maxMs: a learner moves a slider on a page that
# has finished rendering (Run All leaves seconds of layout and math typesetting behind it).
PAGE_IDLE_JS = """
async ([quietMs, maxMs]) => {
  const start = performance.now();
  let last = start;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) last = Math.max(last, e.startTime + e.duration);
  });
  observer.observe({type: 'longtask', buffered: false});
  const kernelIdle = () => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = w && w.sessionContext && w.sessionContext.session?.kernel;
    return !kernel || kernel.status === 'idle';
  };
  try {
    while (performance.now() - start < maxMs) {
      await new Promise((r) => setTimeout(r, 50));
      if (!kernelIdle()) last = performance.now();
      else if (performance.now() - last >= quietMs) return true;
    }
    return false;
  } finally {
    observer.disconnect();
  }
}
"""


def wait_page_idle(page: Any, quiet_ms: int = 300, max_ms: int = 5000) -> bool:
    """Wait until the page is idle (see ``PAGE_IDLE_JS``); False if it never was in max_ms."""
    return page.evaluate(PAGE_IDLE_JS, [quiet_ms, max_ms])


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_number(text: str) -> float | None:
    match = _NUMBER.search(text.replace("\u2212", "-"))
    return float(match.group(0)) if match else None


@dataclass
class AppResult:
    """What moving one app's slider showed."""

    label: str
    latencies_ms: list[float] = field(default_factory=list)  # key -> first changed pixels
    readouts: list[str] = field(default_factory=list)
    sharp_ms: list[float] = field(default_factory=list)  # key -> full-resolution frame (images)


def find_apps(page: Any, scope: str) -> list[dict[str, Any]]:
    """The apps in ``scope`` that draw on an ipympl canvas (marked data-test-app...)."""
    return page.evaluate(FIND_APPS_JS, [scope, "canvas"])


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
    handle.focus()  # what a learner's click on the handle does first (module docstring)
    result.readouts.append(readout.inner_text().strip())
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if at_max else "ArrowRight"
    for _ in range(presses):
        wait_page_idle(page)
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


# True when n app images show a decoded picture, each at least minRatio x its CSS width
# (JupyterLab or Voilà: the apps' Images are the page's only ipywidgets Images).
IMAGES_SHOWN_JS = """
([n, minRatio]) => {
  const imgs = [...document.querySelectorAll('img.widget-image')];
  return imgs.length >= n && imgs.every((img) => img.complete && img.naturalWidth > 0
    && img.naturalWidth >= Math.round(img.width * minRatio) - 1);
}
"""

# Arms the image probe: listens for keydown; resolves at the first decoded new src (first
# pixels) or, with sharpWidth, once a decoded frame is that wide (the full-resolution frame).
ARM_IMAGE_PROBE_JS = """
([handle, img, timeoutMs, sharpWidth]) => {
  const state = {t0: null, t1: null, tsharp: null, frames: 0, timeout: false};
  let resolve, timer, last = img.src;
  const done = new Promise((r) => { resolve = r; });
  const onKey = (e) => {
    if (state.t0 === null) state.t0 = Math.min(e.timeStamp, performance.now());
  };
  const finish = () => {
    observer.disconnect();
    clearTimeout(timer);
    handle.removeEventListener('keydown', onKey, true);
    resolve(state);
  };
  const observer = new MutationObserver(() => {
    if (state.t0 === null || img.src === last) return;
    const src = (last = img.src);
    img.decode().catch(() => {}).then(() => {
      if (img.src !== src || state.timeout) return;
      const now = performance.now();
      state.frames += 1;
      if (state.t1 === null) state.t1 = now;
      if (!sharpWidth) { finish(); return; }
      if (state.tsharp === null && img.naturalWidth >= sharpWidth - 1) {
        state.tsharp = now;
        finish();
      }
    });
  });
  observer.observe(img, {attributes: true, attributeFilter: ['src']});
  timer = setTimeout(() => { state.timeout = true; finish(); }, timeoutMs);
  handle.addEventListener('keydown', onKey, true);
  window.__imageProbe = done;
}
"""


def find_image_apps(page: Any, scope: str) -> list[dict[str, Any]]:
    """The apps in ``scope`` that draw into an Image (marked data-test-image...)."""
    return page.evaluate(FIND_APPS_JS, [scope, "image"])


def move_image_slider(
    page: Any,
    index: int,
    label: str = "",
    presses: int = 4,
    ratio: float | None = None,
    timeout_ms: int = 5000,
) -> AppResult:
    """Like :func:`move_slider`, for an app that draws into an Image (``find_image_apps``).

    Each press must bring a new picture within ``timeout_ms`` (its first pixels are timed when
    decoded) and the readout must move the way the key points. With ``ratio`` (a high-density
    screen, where the app sends drafts while the slider moves) the press must also bring the
    full-resolution frame, ``ratio`` x the image's CSS width, and that time is recorded too;
    the next press waits for it.
    """
    slider = page.locator(f'[data-test-image-slider="{index}"]')
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    img = page.locator(f'[data-test-image="{index}"]')
    name = f"image app {index} ({label or 'slider'})"
    result = AppResult(label=label or "slider")
    handle.scroll_into_view_if_needed()
    handle.focus()  # what a learner's click on the handle does first (module docstring)
    sharp_width = round(img.evaluate("(i) => i.width") * ratio) if ratio else 0
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if at_max else "ArrowRight"
    for _ in range(presses):
        wait_page_idle(page)
        before = readout.inner_text().strip()
        args = [handle.element_handle(), img.element_handle(), timeout_ms, sharp_width]
        page.evaluate(ARM_IMAGE_PROBE_JS, args)
        handle.press(key)
        probe = page.evaluate("() => window.__imageProbe")
        assert probe["t0"] is not None, f"{name}: the slider handle never got the key press"
        assert probe["t1"] is not None, f"{name}: {key} did not change the image in {timeout_ms} ms"
        assert not probe["timeout"], (
            f"{name}: {key} brought no frame {sharp_width} px wide in {timeout_ms} ms "
            f"({probe['frames']} narrower frames)"
        )
        after = readout.inner_text().strip()
        old, new = parse_number(before), parse_number(after)
        assert after != before, f"{name}: readout stayed {before!r} after {key}"
        if old is not None and new is not None:
            assert (new > old) == (key == "ArrowRight"), f"{name}: {before!r} -> {after!r}"
        result.latencies_ms.append(probe["t1"] - probe["t0"])
        if probe["tsharp"] is not None:
            result.sharp_ms.append(probe["tsharp"] - probe["t0"])
        result.readouts.append(after)
        page.wait_for_timeout(300)  # let a trailing frame land before the next press
        key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    return result


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# Why some canvas shows no frame: each ipympl canvas on the page, as the browser has it.
CANVASES_STATE_JS = """
() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div')].map((div, i) => {
  const c = div.querySelector('canvas');
  let drawn = false;
  if (c && c.width && c.height) {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let k = 0; k < d.length && !drawn; k += 4) {
      drawn = d[k + 3] !== 0 && (d[k] !== 255 || d[k + 1] !== 255 || d[k + 2] !== 255);
    }
  }
  const cell = div.closest('.jp-Cell');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {canvas: i, cell: cells.indexOf(cell), width: c ? c.width : null,
    height: c ? c.height : null, drawn, visible: div.offsetParent !== null,
    images: cell ? cell.querySelectorAll('img.widget-image').length : 0};
})
"""

# Runs code in the notebook's kernel; resolves with its printed text (or why it could not).
KERNEL_PRINT_JS = """
async ([code, timeoutMs]) => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext.session?.kernel;
  if (!kernel) return 'no kernel';
  let out = '';
  const future = kernel.requestExecute({code, store_history: false});
  future.onIOPub = (msg) => {
    const c = msg.content;
    if (msg.header.msg_type === 'stream') out += c.text;
    if (msg.header.msg_type === 'error') out += `${c.ename}: ${c.evalue}`;
  };
  const late = new Promise((r) => setTimeout(() => r('timeout'), timeoutMs));
  const how = await Promise.race([future.done.then(() => 'done'), late]);
  if (how === 'done') return out;
  return `kernel did not answer in ${timeoutMs} ms (${kernel.status}): ${out}`;
}
"""

# What the kernel's apps think they show (lecture_utils.widgets._renderer.FigureView).
_VIEWS_STATE_PY = """
import gc, threading, sys
_r = sys.modules.get('lecture_utils.widgets._renderer')
for _v in ([] if _r is None else [o for o in gc.get_objects() if isinstance(o, _r.FigureView)]):
    _c = _v.figure.canvas
    print(type(_c).__name__, 'active', _v.active, 'heard', _v.canvas_heard, 'seen',
          _v.browser_seen, 'ratio', _v.pixel_ratio,
          'syncing', getattr(_c, 'syncing_data_url', None),
          'display', getattr(getattr(_c, 'layout', None), 'display', None),
          'scheduled', _v._scheduled is not None)
print('threads:', [t.name for t in threading.enumerate()])
"""


def canvases_diagnosis(page: Any) -> str:
    """The browser's canvases and the kernel's apps, for a failure message."""
    canvases = page.evaluate(CANVASES_STATE_JS)
    kernel = page.evaluate(KERNEL_PRINT_JS, [_VIEWS_STATE_PY, 10_000])
    lines = [f"  browser: {c}" for c in canvases] + [f"  kernel: {k}" for k in kernel.splitlines()]
    return "\n".join(lines)


def wait_canvases_drawn(page: Any, expected: int, timeout_ms: int = 30_000) -> None:
    """Wait until ``expected`` ipympl canvases show a frame; else fail, saying which and why."""
    try:
        page.wait_for_function(CANVASES_DRAWN_JS, arg=expected, timeout=timeout_ms)
    except Exception as error:  # Playwright's TimeoutError
        raise AssertionError(
            f"{expected} canvases expected to show a frame within {timeout_ms / 1000:.0f} s "
            f"({type(error).__name__}):\n{canvases_diagnosis(page)}"
        ) from None
