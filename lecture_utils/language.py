"""The language the apps speak: English (the default) or Korean.

Every app of :mod:`lecture_utils.widgets` takes ``language="en"`` or ``language="ko"``; an app
built without one uses the package-wide setting, which :func:`set_language` changes (the
Korean notebooks call ``lecture_utils.set_language("ko")`` once, in their first code cell).
Only the apps' text changes (control labels, readouts, titles, axis labels, legends, table
headers); the numbers, the controls' names and values and the pictures' data stay the same.

Examples
--------
>>> from lecture_utils import get_language, set_language
>>> get_language()
'en'
>>> set_language("ko")
>>> get_language()
'ko'
>>> set_language("en")
>>> set_language("fr")
Traceback (most recent call last):
    ...
ValueError: language must be one of ['en', 'ko'], got 'fr'
"""

from __future__ import annotations

from ._validation import check_choice

__all__ = ["LANGUAGES", "get_language", "resolve_language", "set_language"]

#: The languages the apps speak: English and Korean.
LANGUAGES: tuple[str, ...] = ("en", "ko")

_current = "en"


def set_language(language: str) -> None:
    """Set the language of every app built from now on (an app's ``language=`` overrides it).

    Parameters
    ----------
    language : {"en", "ko"}
        "en" (English, the default) or "ko" (Korean).

    Raises
    ------
    TypeError
        If ``language`` is not a string.
    ValueError
        If it is not one of :data:`LANGUAGES`.
    """
    global _current
    _current = check_choice(language, LANGUAGES, "language")


def get_language() -> str:
    """The package-wide language of the apps: "en" unless :func:`set_language` changed it."""
    return _current


def resolve_language(language: str | None) -> str:
    """``language`` checked, or the package-wide setting when it is None.

    Parameters
    ----------
    language : {"en", "ko"} or None

    Returns
    -------
    str
        "en" or "ko".

    Examples
    --------
    >>> resolve_language(None), resolve_language("ko")
    ('en', 'ko')
    """
    if language is None:
        return _current
    return check_choice(language, LANGUAGES, "language")
