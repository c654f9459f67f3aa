"""Old home of the app base class, kept only so that older imports still work.

The base class was split by concern into :mod:`._canvas` (the figure), :mod:`._static` (the
baked pixel layer), :mod:`._controls` (control values and helpers) and :mod:`._app` (the
``App`` lifecycle). Import ``App`` from :mod:`lecture_utils.widgets` (or ``._app``).

TODO(lead, at merge): ``training.py``, ``optimizers.py`` and ``descent.py`` still import
``from ._base import App`` (they were being changed on another branch); point them at
``._app`` and delete this module.
"""

from ._app import App

__all__ = ["App"]
