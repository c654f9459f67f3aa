"""A held arrow key on an app's slider, in the browser: the picture must end where the slider does.

A learner who holds ArrowRight on a slider handle sends a key event every few tens of ms (the
keyboard's repeat), faster than a picture can come back. The app must not queue a frame per
event: ipywidgets' front-end merges the value changes it has not sent yet while the kernel is
busy, and the app draws once per burst of messages, the newest state
(``lecture_utils.widgets._renderer.FigureView.draw_idle``). Here, on an app that draws into its
Image:

- *measured*: from the last key event to the last new picture decoded (the picture of where
  the slider stopped), and how many pictures came for how many key events;
- *checked*: that last picture is the one of the slider's final value. One press away and one
  back (each waiting for its picture) return to that value, and the picture must have the same
  pixels. A stale frame drawn last would differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from _apps import move_image_slider, wait_page_idle

# Records the key events that moved the slider (its readout changed; a key at the end of the
# range does not move it) and the times of the Image's decoded new pictures.
ARM_HELD_KEY_JS = """
([readout, img]) => {
  const state = {keys: [], events: 0, frames: []};
  let value = readout.textContent;
  const onKey = (e) => {
    state.events += 1;
    const t = Math.min(e.timeStamp, performance.now());
    // after the slider's own handler (this runs in the bubbling phase, on the document)
    setTimeout(() => {
      const now = readout.textContent;
      if (now !== value) { value = now; state.keys.push(t); }
    }, 0);
  };
  document.addEventListener('keydown', onKey, false);
  const observer = new MutationObserver(() => {
    const src = img.src;
    img.decode().catch(() => {}).then(() => {
      if (img.src === src) state.frames.push(performance.now());
    });
  });
  observer.observe(img, {attributes: true, attributeFilter: ['src']});
  window.__heldKey = {state, stop: () => {
    observer.disconnect();
    document.removeEventListener('keydown', onKey, false);
    return state;
  }};
}
"""

# Resolves once no new picture has been decoded for quietMs (or after maxMs).
SETTLED_JS = """
async ([quietMs, maxMs]) => {
  const start = performance.now();
  const frames = window.__heldKey.state.frames;
  while (performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    const last = frames.length ? frames[frames.length - 1] : start;
    if (performance.now() - Math.max(last, start) >= quietMs) return true;
  }
  return false;
}
"""

# A fingerprint of the picture the Image shows: its decoded pixels, hashed (FNV-1a over RGBA).
PICTURE_JS = """
async (img) => {
  await img.decode().catch(() => {});
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
  let h = 0x811c9dc5;
  for (let k = 0; k < data.length; k++) h = Math.imul(h ^ data[k], 0x01000193) >>> 0;
  return `${canvas.width}x${canvas.height}:${h.toString(16)}`;
}
"""


@dataclass
class HeldKey:
    """What holding an arrow key on one app's slider showed."""

    keys: int  # key events that moved the slider (of the ones sent)
    pictures: int  # new pictures decoded from the first key until the page settled
    end_ms: float  # the last key event that moved the slider -> last new picture decoded


def hold_image_slider(
    page: Any, index: int, label: str = "", events: int = 10, interval_ms: int = 35
) -> HeldKey:
    """Hold an arrow key on app ``index``'s first slider for ``events`` key events.

    The key points away from the end of the range the handle is nearer to; a slider with few
    positions reaches its end sooner, and only the events that moved the slider count. Then one
    press away and one back must bring the same picture again (module docstring).
    """
    name = f"image app {index} ({label or 'slider'})"
    slider = page.locator(f'[data-test-image-slider="{index}"]')
    handle = slider.locator(".noUi-handle").first
    img = page.locator(f'[data-test-image="{index}"]')
    handle.scroll_into_view_if_needed()
    handle.focus()
    low, high, now = (
        float(handle.get_attribute(a) or 0)
        for a in ("aria-valuemin", "aria-valuemax", "aria-valuenow")
    )
    key = "ArrowRight" if now - low <= high - now else "ArrowLeft"
    wait_page_idle(page)
    readout = slider.locator(".widget-readout").first
    page.evaluate(ARM_HELD_KEY_JS, [readout.element_handle(), img.element_handle()])
    for _ in range(events):  # keydown again and again: a held key (repeat=true after the first)
        page.keyboard.down(key)
        page.wait_for_timeout(interval_ms)
    page.keyboard.up(key)
    settled = page.evaluate(SETTLED_JS, [600, 10_000])
    state = page.evaluate("() => window.__heldKey.stop()")
    assert settled, f"{name}: pictures kept coming 10 s after the key was released"
    assert state["events"] == events, f"{name}: {state['events']} of {events} key events"
    assert state["keys"], f"{name}: holding {key} did not move the slider"
    assert state["frames"], f"{name}: holding {key} brought no new picture"
    end_ms = state["frames"][-1] - state["keys"][-1]
    assert end_ms > 0, f"{name}: the last picture came before the last key that moved the slider"

    final = page.evaluate(PICTURE_JS, img.element_handle())
    move_image_slider(page, index, label, presses=2)  # one press away, one back
    again = page.evaluate(PICTURE_JS, img.element_handle())
    assert again == final, (
        f"{name}: after holding {key}, the picture differs from the one of the same slider "
        f"value drawn again ({final} != {again}): a stale frame was drawn last"
    )
    return HeldKey(keys=len(state["keys"]), pictures=len(state["frames"]), end_ms=end_ms)
