"""One friendly line instead of a traceback when a cell raises ``NotImplementedError``.

The student edition's stubs (``raise NotImplementedError()``) sit inside function bodies, so
running a notebook top to bottom never raises them at the top level: the check that calls the
function reports ``⏳ not implemented yet: ...`` itself. A learner who writes top-level code
around a stub (or calls the unfinished function in a cell of their own) would see a long
traceback instead; :func:`install` registers an IPython exception handler that prints the
same one line. The cell still fails (nbgrader and nbclient see an error), only the display
is short.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

#: What the line starts with: the same words the checks use for an unfinished exercise.
PREFIX = "⏳ not implemented yet:"


def not_implemented_line(value: BaseException, tb: TracebackType | None) -> str:
    """The one line shown for a ``NotImplementedError`` raised in a cell.

    Parameters
    ----------
    value : BaseException
        The exception raised.
    tb : traceback or None
        Its traceback; the innermost frame names the unfinished function.

    Returns
    -------
    str
        ``"⏳ not implemented yet: replace raise NotImplementedError() in NAME with your
        code"``, where NAME is the function that raised (``this cell`` at the top level).

    Examples
    --------
    >>> def my_l2(W):
    ...     raise NotImplementedError()
    >>> try:
    ...     my_l2(None)
    ... except NotImplementedError as error:
    ...     print(not_implemented_line(error, error.__traceback__))
    ⏳ not implemented yet: replace raise NotImplementedError() in my_l2 with your code
    """
    name = "this cell"
    while tb is not None:
        if tb.tb_next is None and tb.tb_frame.f_code.co_name != "<module>":
            name = tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    line = f"{PREFIX} replace raise NotImplementedError() in {name} with your code"
    detail = str(value).strip().splitlines()
    return f"{line} ({detail[0]})" if detail else line


def _handler(
    shell: Any,
    etype: type[BaseException],
    value: BaseException,
    tb: TracebackType | None,
    tb_offset: int | None = None,
) -> list[str]:
    print(not_implemented_line(value, tb))
    return []


def install(shell: Any = None) -> bool:
    """Show :func:`not_implemented_line` instead of a traceback for ``NotImplementedError``.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell or None
        The shell to install into; None means the running one (``get_ipython()``).

    Returns
    -------
    bool
        True when the handler is installed (or already was); False outside IPython, or
        when the shell already has another custom exception handler (it is left alone).

    Examples
    --------
    >>> from IPython.core.interactiveshell import InteractiveShell
    >>> from traitlets.config import Config
    >>> shell = InteractiveShell(config=Config(HistoryManager={"enabled": False}))
    >>> install(shell)
    True
    >>> _ = shell.run_cell("def my_svm_loss(W, X, y, reg):\\n    raise NotImplementedError()")
    >>> _ = shell.run_cell("loss, dW = my_svm_loss(None, None, None, 0.0)")
    ⏳ not implemented yet: replace raise NotImplementedError() in my_svm_loss with your code
    """
    if shell is None:
        # Not imported means not running in IPython (and keeps IPython out of the imports).
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
        if shell is None:
            return False
    if getattr(shell, "_lecture_utils_friendly", False):
        return True
    if shell.custom_exceptions:
        return False
    shell.set_custom_exc((NotImplementedError,), _handler)
    shell._lecture_utils_friendly = True
    return True
