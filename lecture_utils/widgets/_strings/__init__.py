"""The apps' words in every language: one catalogue per app, looked up by key.

Each module here holds the catalogue of one app: ``STRINGS = {"en": {key: text}, "ko": {key:
text}}``. An app names its catalogue in the class attribute ``strings`` and reads its words
through ``self.text(key, **fields)`` (a :class:`Strings`), so an app's code has no
``if language == ...``. A text with ``fields`` is a :meth:`str.format` template (literal
braces, as in ``$w_{{{k}}}$``, are doubled); a text used without fields is returned as it is.

Korean wording follows the course glossary (손실 함수, 규제, 그래디언트, 스텝 크기, 미니배치,
점수, 가중치, 마진, 힌지 손실, 소프트맥스, 확률, 샘플 ...), with the English term where the
lecture keeps it (SVM, SGD, RMSProp, Adam) and math symbols unchanged. Korean texts drawn in a
figure keep Hangul outside ``$...$`` (mathtext has no Korean glyphs): their math is written
in plain Unicode (λ, η, Δ, w₁) instead. ``tests/test_languages.py`` checks that every key has
a text in every language and that every Korean app draws without a missing glyph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Catalogue", "Strings"]

#: An app's catalogue: language -> key -> text (or str.format template).
Catalogue = Mapping[str, Mapping[str, str]]


class Strings:
    """The texts of one app in one language.

    Parameters
    ----------
    catalogue : mapping of language -> mapping of key -> str
        The app's catalogue (``"en"`` holds every key).
    language : {"en", "ko"}

    Examples
    --------
    >>> text = Strings({"en": {"steps": "{n} steps"}, "ko": {"steps": "{n} 스텝"}}, "ko")
    >>> text("steps", n=3)
    '3 스텝'
    """

    def __init__(self, catalogue: Catalogue, language: str) -> None:
        self.language = language
        self._texts = catalogue.get(language, {})
        self._english = catalogue.get("en", {})

    def __call__(self, key: str, /, **fields: Any) -> str:
        """The text of ``key`` (English if this language lacks it), formatted with ``fields``."""
        template = self._texts.get(key)
        if template is None:
            template = self._english[key]
        return template.format(**fields) if fields else template
