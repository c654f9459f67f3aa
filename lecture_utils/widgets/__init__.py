"""Live views ("apps") for the notebooks: sliders and menus that redraw one figure in place.

Using an app in a notebook
--------------------------
>>> from lecture_utils.widgets import HingeTableApp
>>> app = HingeTableApp()          # defaults: the lecture's example  # doctest: +SKIP
>>> app                            # last expression of a cell: the live view  # doctest: +SKIP
>>> app.set_state(s_0_1=3.0)       # set controls from code (one redraw)  # doctest: +SKIP
>>> app.state()                    # the control values, by name  # doctest: +SKIP

Every app speaks English or Korean: ``HingeTableApp(language="ko")``, or
``lecture_utils.set_language("ko")`` once for every app built afterwards (the Korean notebooks
do that); control names and values, and so the code that drives an app, are the same in both.
Korean figures draw Hangul with NanumGothic (from ``koreanize-matplotlib``) without changing
the global ``rcParams``.

Every app has ``.controls`` (name -> ipywidget), ``.figure`` (its one matplotlib Figure,
drawn by an ipympl canvas whatever ``%matplotlib`` backend the notebook uses, never
registered with pyplot) and ``.widget`` (what the cell displays). Its stored output also
holds a PNG of the figure, so GitHub and nbviewer show the picture without a kernel. Mark
cells that display an app ``# NBVAL_IGNORE_OUTPUT``.

In a browser the apps show their figure in a core ``ipywidgets.Image``, at the screen's device
pixel ratio as ipympl's front-end reports it: faster than the canvas's own front-end, and it
works where the ipympl front-end is missing (Google Colab, VS Code offline, a Jupyter front-end
without ``jupyter-matplotlib``), with the same controls and pixels. ``use_renderer("ipympl")``
(or ``LECTURE_UTILS_RENDERER=ipympl``) before building the apps keeps the ipympl canvas;
``use_renderer("image")`` makes no canvas at all.

Adding an app (developer guide)
-------------------------------
1. Create ``lecture_utils/widgets/<topic>.py`` with a subclass of
   :class:`lecture_utils.widgets.App` (``from ._app import App``). The smallest complete
   example, to copy, is ``TinyApp`` in :mod:`lecture_utils.widgets._example` (its doctest
   builds and drives it headless, and ``tests/test_app_base.py`` runs the app contract on it):

   - ``__init__(self, <data>=None, ..., *, backend="ipympl", language=None)``: with no
     arguments build a working default; validate every argument with
     ``lecture_utils._validation`` (clear ``ValueError``/``TypeError``); precompute
     everything no control changes (grids, data parts); then call
     ``super().__init__(values, backend=backend, language=language)`` (``values``: optional
     dict of starting control values, checked like :meth:`App.set_state`).
   - every word the app shows (control labels, tooltips, titles, axis labels, legends, the
     readout) goes into its catalogue ``lecture_utils/widgets/_strings/<topic>.py``:
     ``STRINGS = {"en": {key: text}, "ko": {key: text}}``, the class attribute
     ``strings = STRINGS``, and ``self.text(key, **fields)`` where the text is used (a
     ``str.format`` template). Menus show translated labels but keep language-independent
     values: ``labelled(names, [self.text(k) for k in names])`` from ``._controls``.
     Korean figure texts keep Hangul out of ``$...$`` (write λ, sⱼ, Lᵢ as Unicode there).
     ``tests/test_languages.py`` checks that every key has a Korean text and that every
     Korean app draws without a missing glyph.
   - ``figsize = (w, h)`` class attribute (inches at 100 dpi; about 8-9.5 wide fits a
     notebook).
   - ``_make_controls(self) -> dict``: name -> ipywidget. Names are Python identifiers (they
     are ``set_state`` keywords). Build them with the helpers of
     :mod:`lecture_utils.widgets._controls`: ``float_slider(description, min, max, step,
     value, width=...)``, ``log_slider`` (exponents as min/max), ``int_slider``,
     ``dropdown``, ``toggle_buttons``, ``selection_slider``; they set the project's defaults
     (update while dragging, as many decimals as the step). Any ipywidget with a ``value``
     works too. Make buttons with ``self._button("step", self.step)`` (the action runs, then
     the picture is redrawn).
   - ``_make_artists(self)``: create every artist once on ``self.figure`` (``add_axes`` /
     ``add_subplot``; the helpers in :mod:`lecture_utils.plotting` return updatable
     artists). Fix axis limits here, so no draw re-autoscales.
   - ``update(self)``: read ``self.values`` (canonical control values) and change the artists
     in place (``set_data``, ``set_height``, ``set_text``...) and ``self.readout.value``.
     Do not draw and do not create artists: the base schedules one redraw after it.
     ``update`` must depend only on the control values and the constructor's data, so that
     a fresh app given the same ``state()`` draws the same picture.
   - speed: a full frame must stay under 40 ms, and text is the slowest thing matplotlib
     draws (each glyph is rasterized again on every draw; a tick axis costs ~5 ms). At the
     end of ``_make_artists`` call ``self._bake(ax, fixed_text, ...)`` with the axes whose
     ticks/background never change and the artists that never change and lie *below*
     every changing artist (give fixed texts inside the data area ``zorder=1``); they are
     rendered once and pasted as pixels (:class:`~lecture_utils.widgets._static.StaticLayer`;
     cheap live text: :mod:`lecture_utils.widgets._fast_text`). Keep live texts few and short
     (numbers go in ``self.readout``); colour 2-D grids with a lookup table into an RGBA
     ``imshow`` (as ``plotting.DecisionRegions``) rather than a colormap. A test checks the
     baked picture equals the unbaked one.
   - optional: ``_controls_box(self)`` or ``_make_widget(self)`` to lay the controls out.
   - an action of many steps (a training run, a descent) may animate: between steps change
     the artists and call ``self._draw_frame()`` (it draws only when a browser shows the
     canvas; headless it does nothing), then end by setting the controls (one update), so
     the final picture is still the one the control values give. Decorate such a public
     method with ``@serialized`` (from :mod:`._app`): a cell may call it while widget
     messages are handled on another thread (``set_state``, ``refresh`` and the controls'
     and buttons' handlers already hold the app's lock).
   - the algorithm behind the picture (a loss, a descent) belongs in a core module
     (``lecture_utils.losses``, ``optim``, ...), tested there; the app calls it.
2. Add ``"<Name>": "<topic>"`` to ``_MODULE_OF`` below (the module is imported on the
   app's first use), ``from .<topic> import <Name>`` to the ``TYPE_CHECKING`` imports and
   the name to ``__all__`` (keep them sorted).
   ``tests/test_app_contract.py`` then builds it, moves each control and checks that the picture
   changes, that no figure opens, float-noise echoes are ignored and fresh apps agree; and
   ``benchmarks/bench_widgets.py`` times it (target: control change + full draw <= 40 ms).

The base class handles the rest, one concern a module: :mod:`._canvas` gives the figure its
ipympl canvas (Agg headless or as a fallback); :mod:`._renderer` shows it, once a browser
renders the app, through an ``ipywidgets.Image`` of the same pixels at the screen's ratio, or
through that canvas (``use_renderer("ipympl" | "image" | "auto")`` or
``$LECTURE_UTILS_RENDERER``; default "auto"); :mod:`._controls` snaps each control's value to
its step (ipywidgets 8 sliders echo values with float noise) and checks values given from code;
:mod:`._app` (``App``) skips updates when nothing changed, ignores stale browser echoes,
batches ``set_state`` into one update, shows errors raised while updating in ``app.output``
(and keeps them in ``app.last_error``), and ``app.close()`` closes its widgets so the app and
its figure can be freed; :mod:`._static` holds the baked pixel layer.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._app import App as App  # the base class, for subclassing (not an app itself)
from ._renderer import use_renderer as use_renderer  # ipympl canvas or core-ipywidgets Image

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__ below
    from .descent import GradientDescentApp, SGDApp
    from .finite_differences import FiniteDifferenceApp
    from .hinge_table import HingeTableApp
    from .margins import MarginsApp
    from .optimizers import OptimizerPathsApp
    from .playground import ClassifierPlayground
    from .regularization import RegularizationApp
    from .softmax_vs_svm import SoftmaxVsSvmApp
    from .training import TrainingApp
#: Where each app lives. An app's module (and what only it needs, e.g. contourpy for
#: OptimizerPathsApp) is imported when the app is first used (PEP 562 ``__getattr__``): a
#: notebook that shows two apps does not hold the other eight in every student's kernel.
_MODULE_OF = {
    "ClassifierPlayground": "playground",
    "FiniteDifferenceApp": "finite_differences",
    "GradientDescentApp": "descent",
    "HingeTableApp": "hinge_table",
    "MarginsApp": "margins",
    "OptimizerPathsApp": "optimizers",
    "RegularizationApp": "regularization",
    "SGDApp": "descent",
    "SoftmaxVsSvmApp": "softmax_vs_svm",
    "TrainingApp": "training",
}


__getattr__, __dir__ = lazy_attributes(__name__, _MODULE_OF, globals())


#: The apps, one per live view. Tests and the benchmark run over exactly this list.
__all__ = [
    "ClassifierPlayground",
    "FiniteDifferenceApp",
    "GradientDescentApp",
    "HingeTableApp",
    "MarginsApp",
    "OptimizerPathsApp",
    "RegularizationApp",
    "SGDApp",
    "SoftmaxVsSvmApp",
    "TrainingApp",
]
