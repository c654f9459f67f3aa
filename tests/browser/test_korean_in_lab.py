"""The Korean edition in a real JupyterLab, in headless Chromium: its apps speak Korean.

Opens ``notebooks/ko/01_loss_functions.ipynb`` (its language cell calls
``lecture_utils.set_language("ko")``), restarts the kernel and runs all cells as a learner
would, then checks that

1. no cell has an error output and no output shows a "Glyph ... missing" font warning (the
   figures' Korean text is drawn with the font the package brings);
2. the first app responds to key presses (its picture and readout change);
3. its labels in the page (HTML text of the app, drawn by the browser) hold Korean, and the
   Korean *renders*: an element screenshot of a label differs from the same label with other
   Hangul syllables in it. Without a Korean font Chromium draws every syllable as the same
   empty box, so both screenshots would be equal.

Chromium needs a CJK font from the system for (3): ``fc-list :lang=ko`` must list one. Debian's
``fonts-nanum`` (NanumGothic, the face the figures use) is what ``.ci/run`` installs. Without
one the test skips on a learner's machine and fails under ``CI=true``, like a missing browser.
The screenshot of the app goes to ``build/browser-report/screenshots/ko_01_loss_functions.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from _apps import IMAGES_SHOWN_JS, find_image_apps, move_image_slider
from _support import SCREENSHOTS, Server, missing
from test_notebooks_in_lab import VISIBLE_PART_JS, _open, _restart_and_run_all

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/ko/01_loss_functions.ipynb"

# Two spans of different Hangul syllables in the page's font; their screenshots are equal when
# Chromium has no Korean font (every syllable the same .notdef box).
FONT_PROBE_JS = """
() => {
  for (const [id, text] of [['ko-probe-a', '가나다라'], ['ko-probe-b', '힣뷁쀍똠']]) {
    const span = document.createElement('span');
    span.id = id;
    span.textContent = text;
    span.style.cssText = 'position:fixed;top:0;left:0;z-index:99999;background:#fff;'
      + 'font:24px var(--jp-ui-font-family, sans-serif);color:#000';
    if (id === 'ko-probe-b') span.style.top = '40px';
    document.body.appendChild(span);
  }
}
"""

# The app's smallest elements whose own text holds Hangul: [{index, text}], each marked.
HANGUL_LABELS_JS = r"""
(box) => {
  const root = document.querySelector(`[data-test-image-box="${box}"]`);
  if (!root) return [];
  const found = [];
  root.querySelectorAll('*').forEach((el) => {
    const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join('');
    if (/[\uac00-\ud7a3]/.test(own) && el.offsetParent !== null) {
      el.dataset.testKoLabel = found.length;
      found.push({index: found.length, text: own.trim()});
    }
  });
  return found;
}
"""

# Two copies of label i's own text after it (same element, same style): "same" as it is,
# "shifted" with each Hangul syllable replaced by another one.
COPIES_JS = r"""
(i) => {
  const el = document.querySelector(`[data-test-ko-label="${i}"]`);
  const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent).join('').trim();
  const shift = (c) => String.fromCharCode(0xac00 + ((c.charCodeAt(0) - 0xac00 + 4321) % 11172));
  for (const [name, text] of [['shifted', own.replace(/[\uac00-\ud7a3]/g, shift)], ['same', own]]) {
    const copy = el.cloneNode(false);
    copy.dataset.testKoLabel = name;
    copy.textContent = text;
    el.after(copy);
  }
}
"""

GLYPH_WARNINGS_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const bad = [];
  w.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const text = JSON.stringify(cell.model.outputs.toJSON());
    if (/Glyph.{0,200}missing/.test(text)) bad.push(i);
  });
  return bad;
}
"""


def _chromium_has_a_korean_font(page: Any) -> bool:
    page.evaluate(FONT_PROBE_JS)
    a = page.locator("#ko-probe-a").screenshot()
    b = page.locator("#ko-probe-b").screenshot()
    page.evaluate("() => document.querySelectorAll('[id^=ko-probe-]').forEach((e) => e.remove())")
    return a != b


def test_a_korean_notebook_runs_and_its_app_speaks_korean(lab_server: Server, new_page: Any):
    page = new_page()
    try:
        _open(page, lab_server, NOTEBOOK)
        if not _chromium_has_a_korean_font(page):
            missing(
                "Chromium has no Korean font (fc-list :lang=ko lists none): Hangul renders as "
                "empty boxes; install Debian's fonts-nanum (.ci/run does)"
            )
        state, _ = _restart_and_run_all(page, NOTEBOOK)
        warned = page.evaluate(GLYPH_WARNINGS_JS)
        assert not warned, f"{NOTEBOOK}: 'Glyph ... missing' in the outputs of cells {warned}"

        expected_apps = sum(c["apps"] for c in state["cells"])
        assert expected_apps, f"{NOTEBOOK}: no app displayed"
        page.wait_for_function(IMAGES_SHOWN_JS, arg=[expected_apps, 1], timeout=30_000)
        apps = find_image_apps(page, ".jp-Notebook")
        assert apps and apps[0]["slider"], f"{NOTEBOOK}: the first app has no slider"
        move_image_slider(page, 0, apps[0]["label"])

        labels = page.evaluate(HANGUL_LABELS_JS, 0)
        assert labels, f"{NOTEBOOK}: the first app shows no Korean text (set_language('ko')?)"
        label = page.locator('[data-test-ko-label="0"]')
        label.scroll_into_view_if_needed()
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        clip = page.locator('[data-test-image-cell="0"]').evaluate(VISIBLE_PART_JS)
        page.screenshot(path=str(SCREENSHOTS / "ko_01_loss_functions.png"), clip=clip)

        page.evaluate(COPIES_JS, 0)
        original = page.locator('[data-test-ko-label="same"]').screenshot()
        shifted = page.locator('[data-test-ko-label="shifted"]').screenshot()
        assert original != shifted, (
            f"{NOTEBOOK}: the Korean label {labels[0]['text']!r} renders as the same boxes "
            "as other Hangul: no Korean glyphs"
        )
    finally:
        lab_server.shutdown_kernels()
        page.close()
