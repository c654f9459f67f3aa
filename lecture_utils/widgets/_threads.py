"""BLAS threads in interactive work: one thread while an app updates.

Why this is its own concern: an app's update multiplies small matrices (a few hundred
examples, a few classes). Multithreaded OpenBLAS gains nothing at that size, and when the
machine is busy (a shared JupyterHub, a laptop doing something else) its threads wait for
cores and spin, so each update gets much slower than with one thread. Every app update and
button action therefore runs inside :func:`one_blas_thread` (threadpoolctl), which leaves the
notebook's own setting untouched outside the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

_controller: ThreadpoolController | None = None


def _blas_controller() -> ThreadpoolController:
    """The BLAS libraries loaded in this process (found once: the search costs ~1 ms)."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with every loaded BLAS library limited to one thread, then restore.

    Examples
    --------
    >>> import numpy as np
    >>> from threadpoolctl import threadpool_info
    >>> with one_blas_thread():
    ...     inside = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    >>> inside <= {1}
    True
    """
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield
