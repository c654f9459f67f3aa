"""The app's lock: whatever changes an app's artists or renders them holds it.

Widget messages can be handled on two threads (ipykernel >= 7 hands those JupyterLab sends on a
kernel subshell to that subshell's thread) while a notebook cell runs on the main one; ipympl's
own message handler renders the figure too. See :func:`lecture_utils.widgets._app.serialized`
and :attr:`lecture_utils.widgets._renderer.FigureView.lock`.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from _app_driving import (
    close_apps_after_each_test,  # noqa: F401 (autouse fixture)
    move_like_browser,
    pixels,
    render,
    start_from_the_default_renderer,  # noqa: F401 (autouse fixture)
)

import lecture_utils.widgets as W
from lecture_utils.widgets import App, use_renderer


def test_updates_from_two_threads_never_change_artists_mid_frame():
    """ipykernel >= 7 can hand widget messages to a subshell thread: the app serializes them."""
    use_renderer("image")
    app = W.MarginsApp()
    reference = W.MarginsApp(backend="agg")
    app.view.heartbeat.set_state({"value": 1.0})  # a front-end rendered the app
    control = app.controls["delta"]
    grid = [control.min + k * control.step for k in range(0, 40, 3)]
    errors: list[BaseException] = []

    def mover() -> None:
        try:
            for v in grid * 3:
                move_like_browser(control, v)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    thread = threading.Thread(target=mover)
    thread.start()
    while thread.is_alive():
        app.view.draw_now()  # frames on this thread while the other one updates
    thread.join()
    assert not errors and app.last_error is None
    app.view.draw_now()
    reference.set_state(delta=app.values["delta"])
    assert np.array_equal(pixels(app.view.image.value), render(reference))


@pytest.mark.parametrize("renderer", ["auto", "ipympl"])
def test_ipympl_handles_its_front_ends_messages_once_under_the_apps_lock(renderer):
    """A "draw" or "refresh" from ipympl's front-end renders the figure: on the thread the
    message arrives on, so under the same lock as the app's own updates and frames."""
    use_renderer(renderer)
    app = W.MarginsApp()
    canvas = app.figure.canvas
    seen: list[tuple[str, bool]] = []
    canvas.manager.handle_json = lambda content: seen.append(
        (content["type"], app.view.lock._is_owned())
    )
    for kind in ("refresh", "draw", "send_image_mode"):
        canvas._handle_custom_msg({"type": kind}, [])
    assert seen == [("refresh", True), ("draw", True), ("send_image_mode", True)]
    canvas._handle_custom_msg({"type": "initialized"}, [])  # ipympl's own handling still runs
    assert canvas.syncing_data_url is False
    assert app.view.active == ("image" if renderer == "auto" else "canvas")


def test_what_a_cell_calls_changes_the_artists_holding_the_apps_lock():
    """A cell runs on the main thread while ipympl's messages may be handled on another."""
    playground, training = W.ClassifierPlayground(), W.TrainingApp()
    owned: list[tuple[str, bool]] = []

    def recording(app: App, name: str) -> None:
        original = getattr(app, name)

        def record(*args: object) -> object:
            owned.append((name, app.view.lock._is_owned()))
            return original(*args)

        setattr(app, name, record)

    for app, frame in ((playground, "_show_run_step"), (training, "_show_losses")):
        app.figure.canvas._handle_custom_msg({"type": "initialized"}, [])  # a browser shows it
        recording(app, "update")  # every change of the artists, and every animation frame
        recording(app, frame)
    playground.set_state(b_0=0.5)
    playground.set_parameters([[1.0, 2.0, 3.0], [2.0, -4.0, -1.0]], [0.0, 0.5, -0.5])
    playground.run()  # animated: a browser shows it
    training.train(epochs=1)
    names = {name for name, _ in owned}
    assert names == {"update", "_show_run_step", "_show_losses"}
    assert all(held for _, held in owned), [name for name, held in owned if not held]
