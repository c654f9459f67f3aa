"""Static plot helpers shared by the notebooks and the live apps (see :mod:`.regions`)."""

from .regions import *  # noqa: F403
from .regions import __all__ as __all__
