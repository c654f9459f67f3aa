"""The canvas an app draws on: it keeps the notebook's pyplot backend, and sends frames alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from lecture_utils.widgets import HingeTableApp


def test_building_an_app_keeps_the_notebooks_backend():
    # A fresh interpreter: ipympl may already be imported in this one.
    code = textwrap.dedent(
        """
        import matplotlib
        matplotlib.use("module://matplotlib_inline.backend_inline")  # as %matplotlib inline
        import matplotlib.pyplot as plt
        from lecture_utils.widgets import HingeTableApp

        app = HingeTableApp()
        print(matplotlib.get_backend())
        print(type(app.figure.canvas).__module__)
        fig, ax = plt.subplots()
        print(type(fig.canvas).__module__)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "module://matplotlib_inline.backend_inline"
    assert out[1] == "ipympl.backend_nbagg"  # the app still draws live
    assert out[2] != "ipympl.backend_nbagg"  # later static figures stay PNGs


def test_a_frame_after_a_pause_is_the_only_message_the_canvas_sends():
    # matplotlib's toolbar sets a "wait" cursor around a draw that follows a pause of over a
    # second: two extra widget messages, the first before the frame is rendered
    app = HingeTableApp()
    canvas = app.figure.canvas
    if canvas.toolbar is None:
        pytest.skip("ipympl is not installed: the app has a plain Agg canvas")
    sent: list[str] = []
    send_state = canvas.send_state
    canvas.send_state = lambda key=None: (sent.append(key), send_state(key))
    try:
        for _ in range(2):
            canvas.toolbar._draw_time = 0.0  # the last draw was long ago (time.time() = 0)
            canvas.draw()
        assert "_cursor" not in sent, sent
        assert canvas._cursor != "wait"
    finally:
        app.close()
