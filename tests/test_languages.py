"""The apps in English and Korean (issue 12 item 3), and the Korean font.

Every app takes ``language=`` ("en" default, "ko") and follows ``lecture_utils.set_language``;
every key of an app's catalogue has a Korean text with the same fields; every app built in
Korean shows Korean in its controls, its figure and its readout, draws with no missing glyph
(Hangul comes from NanumGothic, shipped by ``koreanize-matplotlib``), and leaves the user's
``rcParams`` as they were. English output is checked unchanged by the other widget tests and
the picture tests.
"""

from __future__ import annotations

import io
import logging
import re
import string
import subprocess
import sys
import warnings
from pathlib import Path

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import fontManager
from matplotlib.text import Text

import lecture_utils
import lecture_utils.widgets as W
from lecture_utils import get_language, set_language
from lecture_utils.plotting._fonts import KOREAN_FAMILY, korean_font_files
from lecture_utils.widgets import App, _strings
from lecture_utils.widgets._example import TinyApp
from lecture_utils.widgets._renderer import use_renderer

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile("[\uac00-\ud7a3]")
APPS = {name: getattr(W, name) for name in W.__all__} | {"TinyApp": TinyApp}
CATALOGUES = sorted(p.stem for p in Path(_strings.__file__).parent.glob("*.py") if p.stem[0] != "_")


@pytest.fixture(autouse=True)
def _english_again():
    yield
    set_language("en")


_BUILT: dict[tuple[str, str], App] = {}


def built(name: str, language: str) -> App:
    """One app per class and language (building is the slow part), Agg canvas."""
    key = (name, language)
    if key not in _BUILT:
        _BUILT[key] = APPS[name](backend="agg", language=language)
    return _BUILT[key]


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def widget_texts(widget: widgets.Widget) -> list[str]:
    """Every text a browser shows in a widget tree: descriptions, labels, HTML, tooltips."""
    out, stack, seen = [], [widget], set()
    while stack:
        w = stack.pop()
        if not isinstance(w, widgets.Widget) or id(w) in seen:
            continue
        seen.add(id(w))
        for attr in ("description", "value", "tooltip", "placeholder"):
            v = getattr(w, attr, None)
            if isinstance(v, str):
                out.append(v)
        out += [str(o) for o in getattr(w, "_options_labels", ())]
        stack += list(getattr(w, "children", ()))
    return out


def figure_texts(app: App) -> list[Text]:
    return [t for t in app.figure.findobj(Text) if t.get_text()]


# -- the setting -------------------------------------------------------------------------------


def test_set_language_is_the_default_and_an_argument_overrides_it():
    assert get_language() == "en"
    set_language("ko")
    assert get_language() == "ko"
    app = TinyApp(backend="agg")
    assert app.language == "ko" and app.controls["height"].description == "높이"
    english = TinyApp(backend="agg", language="en")
    assert english.language == "en" and english.controls["height"].description == "height"
    set_language("en")
    assert TinyApp(backend="agg").controls["height"].description == "height"


@pytest.mark.parametrize(
    "bad, error", [("fr", ValueError), ("KO", ValueError), (None, TypeError), (1, TypeError)]
)
def test_bad_language_names_the_argument(bad, error):
    with pytest.raises(error, match="language"):
        set_language(bad)
    if bad is not None:
        with pytest.raises(error, match="language"):
            TinyApp(backend="agg", language=bad)


# -- the catalogues ----------------------------------------------------------------------------


def test_every_app_has_a_catalogue_module():
    used = {type(built(name, "en")).strings is not App.strings for name in APPS}
    assert used == {True}
    assert len(CATALOGUES) >= len(APPS)


@pytest.mark.parametrize("module", CATALOGUES)
def test_every_english_key_has_a_korean_text_with_the_same_fields(module):
    strings = __import__(f"lecture_utils.widgets._strings.{module}", fromlist=["STRINGS"]).STRINGS
    assert set(strings) == {"en", "ko"}
    en, ko = strings["en"], strings["ko"]
    assert sorted(set(en) - set(ko)) == [], "English keys without a Korean text"
    assert sorted(set(ko) - set(en)) == [], "Korean keys without an English text"
    for key, text in en.items():
        assert fields(ko[key]) == fields(text), key
        assert ko[key].strip(), key
    # Korean texts drawn in figures keep Hangul out of mathtext ($...$ has no Korean glyphs)
    for key, text in ko.items():
        assert not (HANGUL.search(text) and "$" in text), f"{module}.{key} mixes Hangul and $"


# -- every app in Korean -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(APPS))
def test_every_app_builds_in_korean_with_korean_labels_figure_and_readout(name):
    app = built(name, "ko")
    assert app.language == "ko"
    controls = " ".join(widget_texts(app.widget))
    assert HANGUL.search(controls), f"{name}: no Korean in its controls"
    drawn = " ".join(t.get_text() for t in figure_texts(app))
    assert HANGUL.search(drawn), f"{name}: no Korean in its figure"
    if app.readout.value:
        assert HANGUL.search(app.readout.value), f"{name}: no Korean in its readout"


@pytest.mark.parametrize("name", list(APPS))
def test_korean_app_draws_without_missing_glyphs_and_hangul_comes_from_nanumgothic(name, caplog):
    app = built(name, "ko")
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        FigureCanvasAgg.draw(app.figure.canvas)
        app.to_png()
    # mathtext reports a missing glyph through logging, not warnings; the font manager a
    # weight it cannot match: a notebook shows neither
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    nanum = {str(p) for p in korean_font_files()}
    assert nanum <= {entry.fname for entry in fontManager.ttflist}, "bundled font not registered"
    family_of = {entry.fname: entry.name for entry in fontManager.ttflist}
    korean = [t for t in figure_texts(app) if HANGUL.search(t.get_text())]
    assert korean
    for t in korean:
        assert t.get_fontfamily()[-1] == KOREAN_FAMILY
        files = fontManager._find_fonts_by_props(t.get_fontproperties())
        # the bundled NanumGothic, or the same face installed system-wide (Debian's
        # fonts-nanum, which .ci/run installs for Chromium): matplotlib may pick either
        assert any(str(f) in nanum or family_of.get(str(f)) == KOREAN_FAMILY for f in files), (
            t.get_text(),
            files,
        )


@pytest.mark.parametrize("name", list(APPS))
def test_korean_app_keeps_its_numbers_and_controls(name):
    en, ko = built(name, "en"), built(name, "ko")
    assert en.state() == ko.state()
    assert list(en.controls) == list(ko.controls)


def test_english_is_the_default_and_draws_the_same_pixels_as_language_en():
    default, english = TinyApp(backend="agg"), TinyApp(backend="agg", language="en")
    assert default.to_png() == english.to_png()
    for t in figure_texts(default):
        assert KOREAN_FAMILY not in t.get_fontfamily()


# -- the user's rcParams -----------------------------------------------------------------------


def test_building_every_korean_app_leaves_rcparams_unchanged():
    before = dict(mpl.rcParams)
    for cls in APPS.values():
        app = cls(backend="agg", language="ko")
        app.to_png()
        app.close()
    assert dict(mpl.rcParams) == before


def test_importing_lecture_utils_leaves_rcparams_unchanged_and_does_not_import_koreanize():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams);"
        "import sys, lecture_utils, lecture_utils.widgets, lecture_utils.plotting;"
        "lecture_utils.widgets.MarginsApp(backend='agg', language='ko');"
        "assert dict(mpl.rcParams) == before;"
        "assert 'koreanize_matplotlib' not in sys.modules; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "ok", out.stderr


# -- both renderers ----------------------------------------------------------------------------


def test_fallback_image_and_ipympl_canvas_show_the_same_korean_figure():
    previous = use_renderer("image")
    try:
        image_app = W.MarginsApp(language="ko")
    finally:
        use_renderer(previous)
    canvas_app = W.MarginsApp(language="ko", backend="ipympl")
    assert image_app.view.active == "image" and canvas_app.view.active == "canvas"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = image_app.view.image.value
        FigureCanvasAgg.draw(canvas_app.figure.canvas)
    pixels = np.asarray(mpl.image.imread(io.BytesIO(png), format="png"))
    drawn = np.asarray(canvas_app.figure.canvas.buffer_rgba()) / 255.0
    assert pixels.shape == drawn.shape
    assert np.abs(pixels - drawn).max() < 1e-6
    for app in (image_app, canvas_app):
        assert HANGUL.search(" ".join(t.get_text() for t in figure_texts(app)))
        app.close()


def test_the_font_package_is_a_dependency_with_the_font_files():
    for path in korean_font_files():
        assert path.is_file() and path.suffix == ".ttf"
    assert "koreanize_matplotlib" not in sys.modules
    assert lecture_utils.set_language is set_language


def test_english_names_in_the_catalogues_are_the_registries_labels():
    from lecture_utils.losses import LOSSES
    from lecture_utils.widgets._strings import playground, training

    for name, form in LOSSES.items():
        assert playground.STRINGS["en"][f"loss_{name}"] == form.label
    assert training.STRINGS["en"]["svm_long"] == LOSSES["svm"].label
    assert training.STRINGS["en"]["softmax_long"] == LOSSES["softmax"].label
    from lecture_utils.widgets._strings import optimizers
    from lecture_utils.widgets.optimizers import OPTIMIZER_LABELS

    for name, label in OPTIMIZER_LABELS.items():
        assert optimizers.STRINGS["en"][name] == label


@pytest.mark.parametrize("name", ["SoftmaxVsSvmApp", "OptimizerPathsApp", "SGDApp"])
def test_the_same_code_drives_the_app_in_both_languages(name):
    # the Korean notebooks run the English code cells: control values do not change
    en, ko = built(name, "en"), built(name, "ko")
    for control, widget in en.controls.items():
        options = getattr(widget, "options", None)
        if options is not None:
            values = [o[1] if isinstance(o, tuple) else o for o in options]
            kvalues = [o[1] if isinstance(o, tuple) else o for o in ko.controls[control].options]
            assert values == kvalues, control
            labels = " ".join(ko.controls[control]._options_labels)
            if control != "which" or name != "SoftmaxVsSvmApp":
                continue
            assert HANGUL.search(labels)  # 고양이, 자동차, 개구리 shown; "cat" is the value
    app = W.SoftmaxVsSvmApp(backend="agg", language="ko", which="car")
    assert app.values["which"] == "car" and app.display_names[1] == "자동차"
    app.close()
