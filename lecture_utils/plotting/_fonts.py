"""The Korean font of the apps' figures: NanumGothic, from the ``koreanize-matplotlib`` wheel.

matplotlib's default font (DejaVu Sans) has no Hangul, so Korean text would draw as empty
boxes with a "Glyph ... missing from font(s)" warning. The ``koreanize-matplotlib`` package
ships NanumGothic (SIL Open Font License); importing it would change the user's global
``rcParams`` (its import sets ``font.family``), so it is never imported: its font files are
found on disk (:func:`importlib.util.find_spec` locates a package without running it) and
registered with matplotlib's font manager once, the first time a Korean figure is built.

Korean figures then use a font *family list*: the user's own families first, NanumGothic
last. matplotlib (>= 3.6) falls back glyph by glyph along the list, so Latin letters, digits
and symbols keep their usual look and only Hangul comes from NanumGothic. The list is given to
the figure's text artists when they are created (:func:`font_context`, an ``rc_context``
around building the figure), never written into the global ``rcParams``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["KOREAN_FAMILY", "font_context", "korean_font_files", "register_korean_font"]

#: The family name of the bundled Korean font.
KOREAN_FAMILY = "NanumGothic"
#: The files used from koreanize-matplotlib's fonts folder (regular and bold).
_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")

_registered = False


def korean_font_files() -> list[Path]:
    """The NanumGothic .ttf files inside the installed ``koreanize-matplotlib`` package.

    Returns
    -------
    list of pathlib.Path
        Regular and bold.

    Raises
    ------
    ModuleNotFoundError
        If ``koreanize-matplotlib`` is not installed (it is a dependency of lecture-utils).
    """
    # finds the package without importing it (a literal name: the packaging test reads it)
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the Korean apps need the font package koreanize-matplotlib: "
            "pip install koreanize-matplotlib"
        )
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return [fonts / name for name in _FILES]


def register_korean_font() -> str:
    """Add NanumGothic to matplotlib's font manager (once); return its family name.

    Only the font manager's list of fonts grows; ``rcParams`` are not touched.

    Examples
    --------
    >>> register_korean_font()
    'NanumGothic'
    >>> from matplotlib.font_manager import FontProperties, findfont
    >>> Path(findfont(FontProperties(family="NanumGothic"), fallback_to_default=False)).name
    'NanumGothic.ttf'
    """
    global _registered
    if not _registered:
        regular, bold = korean_font_files()
        manager = font_manager.fontManager
        manager.addfont(str(regular))
        manager.addfont(str(bold))
        # NanumGothicBold.ttf declares weight 600; it is the family's bold, so it is listed
        # as 700: a bold text then finds it exactly, with no "Failed to find font weight"
        # warning in the notebook (addfont has just cleared the lookup cache)
        for k, entry in enumerate(manager.ttflist):
            if entry.fname == str(bold) and entry.name == KOREAN_FAMILY:
                manager.ttflist[k] = dataclasses.replace(entry, weight=700)
        _registered = True
    return KOREAN_FAMILY


def korean_family() -> list[str]:
    """The family list of Korean figures: the current ``font.family``, then NanumGothic."""
    families = list(mpl.rcParams["font.family"])
    return [*(f for f in families if f != KOREAN_FAMILY), register_korean_font()]


@contextmanager
def _korean_rc() -> Iterator[None]:
    with mpl.rc_context({"font.family": korean_family()}):
        yield


def font_context(language: str) -> AbstractContextManager[None]:
    """Context in which new text artists get the fonts of ``language``.

    For "ko": an ``rc_context`` whose ``font.family`` is the current family list followed by
    NanumGothic (registered on first use); every text artist created inside keeps that list
    (a ``FontProperties`` reads ``font.family`` when it is made), and the global ``rcParams``
    are restored on exit. For "en": nothing changes.

    Parameters
    ----------
    language : {"en", "ko"}

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> with font_context("ko"):
    ...     label = Figure().text(0, 0, "손실")
    >>> label.get_fontfamily()[-1], mpl.rcParams["font.family"]
    ('NanumGothic', ['sans-serif'])
    """
    if language == "ko":
        return _korean_rc()
    return nullcontext()
