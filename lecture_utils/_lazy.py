"""A package's names imported from their modules on first use (PEP 562).

Why: a student's kernel should hold what its notebook uses, not every app and every check of
the course (``lecture_utils.widgets`` and ``lecture_utils.check`` use this; see the README's
memory figures). The package lists where each public name lives; the first access to a name,
``package.name`` or ``from package import name``, imports that module, and the value is kept
in the package's namespace so later look-ups are plain attribute reads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, module_of: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for names imported on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    module_of : mapping of str to str
        Public name -> the submodule (relative to ``package``) that defines it.
    namespace : dict
        The package's ``globals()``; an imported value is stored there.

    Returns
    -------
    (__getattr__, __dir__)
        Assign both at the package's top level.

    Examples
    --------
    >>> namespace = {}
    >>> getattr_, dir_ = lazy_attributes("lecture_utils", {"LOSSES": "losses"}, namespace)
    >>> sorted(getattr_("LOSSES")) == sorted(namespace["LOSSES"]), dir_()
    (True, ['LOSSES'])
    >>> getattr_("nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'lecture_utils' has no attribute 'nothing'
    """

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *module_of})

    return __getattr__, __dir__
