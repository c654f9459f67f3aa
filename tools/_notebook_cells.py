"""The cells of a notebook and of its Korean edition: what ``translations.py`` works with.

Path-free helpers of ``tools/translations.py`` (see its docstring for the Korean edition's
rules): a cell's source and its fingerprint, reading and writing notebooks as JupyterLab does,
the language cell every Korean notebook has, what must be equal between an English code cell
and its Korean copy, and the Korean version of an English markdown cell. Which files they read
and write is ``translations.py``'s business (its ``ROOT``, ``ENGLISH_DIR`` and ``KOREAN_DIR``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

#: The extra code cell of every Korean notebook (the code-identity test skips it by its tag).
LANGUAGE_CELL_ID = "ko-language"
LANGUAGE_TAG = "language"
# (the blank line is ruff's import-block rule, which make lint applies to notebooks too)
LANGUAGE_SOURCE = 'import lecture_utils\n\nlecture_utils.set_language("ko")'
#: Cell metadata that belongs to a run, not to the cell (nbclient's timestamps): kept with the
#: outputs of an executed Korean notebook, and ignored when code cells are compared.
RUN_METADATA = ("execution",)

Notebook = dict[str, Any]
Cell = dict[str, Any]


def source_text(cell: Cell) -> str:
    """A cell's source as one string (nbformat stores a list of lines or a string)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def source_lines(text: str) -> list[str]:
    """``text`` as nbformat's list of lines (each but the last keeps its newline)."""
    return text.splitlines(keepends=True)


def fingerprint(text: str) -> str:
    """The fingerprint of an English cell's source: sha256 of its UTF-8, first 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def recorded_fingerprint(cell: Cell) -> str | None:
    """The fingerprint a Korean markdown cell records (None: not translated)."""
    translation = cell.get("metadata", {}).get("translation") or {}
    return translation.get("source")


def is_language_cell(cell: Cell) -> bool:
    return cell["cell_type"] == "code" and LANGUAGE_TAG in cell.get("metadata", {}).get("tags", [])


def load(path: Path) -> Notebook:
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(notebook: Notebook) -> str:
    """The notebook as JupyterLab (nbformat) writes it: indent 1, sorted keys, UTF-8 text."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def first_words(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def language_cell(previous: Cell | None) -> Cell:
    """The tagged cell that switches the apps to Korean (its outputs kept from ``previous``)."""
    cell: Cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": LANGUAGE_CELL_ID,
        "metadata": {"tags": [LANGUAGE_TAG]},
        "outputs": [],
        "source": source_lines(LANGUAGE_SOURCE),
    }
    if previous is not None and source_text(previous) == LANGUAGE_SOURCE:
        _keep_run(cell, previous)
    return cell


def _keep_run(cell: Cell, previous: Cell) -> None:
    """Give ``cell`` the outputs, execution count and run metadata of ``previous``."""
    cell["outputs"] = copy.deepcopy(previous.get("outputs", []))
    cell["execution_count"] = previous.get("execution_count")
    for key in RUN_METADATA:
        cell["metadata"].pop(key, None)
        if key in previous.get("metadata", {}):
            cell["metadata"][key] = copy.deepcopy(previous["metadata"][key])


def code_identity(cell: Cell) -> tuple[str, str, dict[str, Any]]:
    """What must be equal between an English code cell and its Korean copy: type, source and
    metadata without :data:`RUN_METADATA` (the outputs may differ: Korean labels)."""
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in RUN_METADATA}
    return cell["cell_type"], source_text(cell), metadata


def _imports_lecture_utils(cell: Cell) -> bool:
    return cell["cell_type"] == "code" and bool(
        re.search(r"^\s*(import|from)\s+lecture_utils\b", source_text(cell), re.MULTILINE)
    )


def korean_markdown(en: Cell, ko: Cell | None) -> Cell:
    """The Korean version of the English markdown cell ``en``, given the Korean cell so far."""
    cell = copy.deepcopy(en)
    metadata = cell.setdefault("metadata", {})
    translated = (
        ko is not None and ko["cell_type"] == "markdown" and recorded_fingerprint(ko) is not None
    )
    if translated:
        cell["source"] = copy.deepcopy(ko["source"])
        metadata.pop("quotes", None)
        if ko["metadata"].get("quotes"):
            metadata["quotes"] = copy.deepcopy(ko["metadata"]["quotes"])
        metadata["translation"] = copy.deepcopy(ko["metadata"]["translation"])
        if "attachments" in ko:
            cell["attachments"] = copy.deepcopy(ko["attachments"])
    else:
        metadata["translation"] = {"source": None}
    return cell
