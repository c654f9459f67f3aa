"""The smallest complete app: a template to copy when adding one (see the developer guide).

The developer guide in :mod:`lecture_utils.widgets` ("Adding an app") lists the steps; this
module is them, in code. ``TinyApp`` draws one bar whose height, colour and outline follow its
controls, a line at ``1 + λ``, and counts button clicks. It is not exported (it teaches no
lecture idea), but ``tests/test_app_base.py`` runs the whole app contract on it, so this example
keeps working.

Examples
--------
Headless (``backend="agg"``: no browser needed), the app still builds, updates and draws:

>>> app = TinyApp(start=0.3, backend="agg")
>>> app.state()
{'height': 0.3, 'color': 'C0', 'outline': False, 'lam': 0.1}
>>> app.set_state(height=0.9, outline=True)   # two controls, one update
>>> app.bar.get_height(), app.n_updates
(0.9, 2)
>>> app.controls["more"].click()               # a button: the action, then one redraw
>>> app.count.get_text()
'1 clicks'
>>> app.set_state(height=2.0)
Traceback (most recent call last):
    ...
ValueError: height must be in [0, 1], got 2
>>> app.close()
"""

from __future__ import annotations

import ipywidgets as widgets

from ._app import App
from ._controls import dropdown, float_slider, log_slider
from ._strings.example import STRINGS

__all__ = ["TinyApp"]


class TinyApp(App):
    """The smallest complete app: one bar, four controls and a button.

    Parameters
    ----------
    start : float, default 0.5
        Starting height of the bar, in [0, 1] (checked like ``set_state``).
    backend : {"ipympl", "agg"}, default "ipympl"
        "agg" draws headless (tests, doctests).
    language : {"en", "ko"}, optional
        The language of its texts (default: :func:`lecture_utils.get_language`). The texts
        live in one catalogue per app (``strings``, a module of ``._strings``).

    Controls
    --------
    ``height`` (FloatSlider) : the bar's height. ``color`` (Dropdown) : its colour.
    ``outline`` (Checkbox) : a black outline. ``lam`` (FloatLogSlider) : the line at 1 + λ.
    ``more`` (Button) : counts a click (raises the bar by 0.1 a click).
    """

    # 1. the figure's size in inches (at 100 dpi)
    figsize = (3.0, 2.0)
    # the app's texts in every language, read with self.text(key, **fields)
    strings = STRINGS

    # 2. the data the controls do not change, then App.__init__ with the starting values
    def __init__(
        self, *, start: float = 0.5, backend: str = "ipympl", language: str | None = None
    ) -> None:
        self.clicks = 0
        super().__init__({"height": start}, backend=backend, language=language)

    # 3. the controls by name (the names are set_state's keywords)
    def _make_controls(self) -> dict[str, widgets.Widget]:
        t = self.text
        return {
            "height": float_slider(t("height"), 0.0, 1.0, step=0.05, value=0.5),
            "color": dropdown(t("color"), [(t("blue"), "C0"), (t("orange"), "C1")], "C0"),
            "outline": widgets.Checkbox(value=False, description=t("outline")),
            "lam": log_slider("λ", -3, 1, step=0.25, value=0.1),
            "more": self._button(t("more"), self.more),
        }

    def more(self) -> None:
        """What the "more" button does: change state; the base redraws afterwards."""
        self.clicks += 1

    # 4. every artist, once; fixed limits; bake what never changes
    def _make_artists(self) -> None:
        ax = self.figure.add_axes((0.2, 0.2, 0.7, 0.7))
        ax.set_ylim(0, 2)
        ax.set_xlim(-1, 5)
        (self.bar,) = ax.bar([0], [0.5])
        self.count = ax.text(2, 1.5, "")
        self.lam_line = ax.axhline(0.1, color="k")
        label = ax.text(3, 0.1, self.text("fixed"), zorder=0)
        # the background, the y axis and a fixed text are rendered once and pasted as pixels
        # (an axes' patch and axis can be given on their own, or the whole axes)
        self._bake(ax.patch, ax.yaxis, label)

    # 5. change the artists in place from the control values (no drawing here)
    def update(self) -> None:
        v = self.values
        self.bar.set_height(v["height"] + 0.1 * self.clicks)
        self.bar.set_color(v["color"])
        self.bar.set_edgecolor("k" if v["outline"] else v["color"])
        self.bar.set_linewidth(3)
        self.count.set_text(self.text("clicks", n=self.clicks))
        self.lam_line.set_ydata([1 + v["lam"]] * 2)
