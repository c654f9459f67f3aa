"""An nbgrader preprocessor: the release hides what ``make student`` hides.

``nbgrader generate_assignment`` replaces the solution regions and clears every output, but it
does not know this project's ``reveals-answer`` tag: a markdown cell that explains a
predict-then-run check ("About 9 = C - 1: ...") would reach the students as written. This
preprocessor gives such a cell the same one line that ``tools/editions.py`` writes into the
student edition, so nbgrader's release and ``notebooks/student/`` stay equal (the round-trip
test compares them).

In the course's ``nbgrader_config.py`` (``tools/`` of this repository on ``sys.path``)::

    import sys
    sys.path.insert(0, "/path/to/the/repository/tools")
    import nbgrader_reveals

    c = get_config()
    nbgrader_reveals.configure(c)

Needs nbgrader (the ``teach`` extra); ``tools/editions.py`` itself does not.
"""

from __future__ import annotations

from typing import Any

import editions
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor


class HideRevealingCells(NbGraderPreprocessor):
    """Replace markdown cells tagged ``reveals-answer``; drop the quotes of solution cells."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        self._language = editions.notebook_language(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        editions.withhold_answers(cell, self._language)
        return cell, resources


def configure(c: Any) -> None:
    """Put :class:`HideRevealingCells` into ``generate_assignment``, after ClearSolutions."""
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    position = default.index(ClearSolutions) + 1
    c.GenerateAssignment.preprocessors = [
        *default[:position],
        HideRevealingCells,
        *default[position:],
    ]
