"""Numbers quoted in the notebooks' prose match what the code computes.

A wrong sentence next to a right number is a bug, and prose drifts silently: a changed default
moves an output, and the paragraph that read a number off it goes on quoting the old one.
So a markdown cell that quotes a number declares where it comes from, in its metadata::

    "metadata": {"quotes": [{"text": "L = 5.27", "expr": "f'L = {L:.2f}'"}]}

and this test keeps every declaration true:

- ``text`` must appear in the cell's markdown (runs of white space, line breaks included,
  count as one space), so a reworded paragraph cannot leave a stale declaration behind;
- the notebook's code cells run in order in one kernel, and when the markdown cell is reached
  each ``expr`` is evaluated in the kernel's namespace as it stands after the code cells above
  it; ``str(value)`` must equal ``text`` exactly.

The ``expr`` may use anything the notebook defined above and call the library itself. Quote
only what is the same on every machine (no timings, no round-off digits): the same rule as for
stored outputs. Cheap to keep: editing a paragraph means editing its ``text``; changing the code
that computes a number fails here with the paragraph, the quote and what the code now gives.

The Korean edition (``notebooks/ko/``) follows the same rules: a Korean markdown cell declares
the quotes of its own text (``python tools/translations.py import`` puts a draft's ``quotes``
there), and a translated cell whose English cell quotes numbers must quote them too. Its quotes
are evaluated in the same kernel run as the English notebook's, at the English cell with the same
id: the Korean code cells are the English ones in the same order (tests/test_korean_edition.py),
so the namespace there is the one the Korean notebook has at that cell, and checking the Korean
edition costs no second run of the notebooks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("*.ipynb"))


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def quoted_cells(notebook: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """``(index, cell)`` of the markdown cells that declare quotes."""
    return [
        (i, cell)
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "markdown" and cell.get("metadata", {}).get("quotes")
    ]


def static_problems(notebook: dict[str, Any]) -> list[str]:
    """Malformed declarations, and quoted texts that the paragraph does not contain."""
    problems = []
    for i, cell in quoted_cells(notebook):
        quotes = cell["metadata"]["quotes"]
        if not isinstance(quotes, list):
            problems.append(f"cell {i}: metadata 'quotes' must be a list, got {type(quotes)}")
            continue
        prose = _collapse(_source(cell))
        for q in quotes:
            if not (
                isinstance(q, dict)
                and set(q) == {"text", "expr"}
                and all(isinstance(q[k], str) and q[k].strip() for k in ("text", "expr"))
            ):
                problems.append(f"cell {i}: each quote is {{'text': str, 'expr': str}}, got {q!r}")
            elif _collapse(q["text"]) not in prose:
                problems.append(
                    f"cell {i}: the paragraph no longer says {q['text']!r} "
                    f"(it begins {prose[:80]!r}...)"
                )
    return problems


class _Kernel:
    """One Python kernel of this environment, running code cells and reporting results."""

    def __init__(self, cwd: Path) -> None:
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, code: str, store_history: bool = True) -> tuple[str, str | None]:
        """Execute ``code``; return (stdout, error text or None)."""
        out: list[str] = []
        error: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                out.append(content["text"])
            elif kind == "error":
                error.append(f"{content['ename']}: {content['evalue']}")

        reply = self.client.execute_interactive(
            code, store_history=store_history, timeout=900, output_hook=hook
        )
        if reply["content"]["status"] != "ok" and not error:
            error.append(reply["content"].get("ename", "error"))
        return "".join(out), (error[0] if error else None)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _translated_quotes(notebook: dict[str, Any], translation: Path | None) -> dict[str, list]:
    """The quotes of the translation's markdown cells, by cell id (ids must be the English ones)."""
    if translation is None:
        return {}
    english_ids = {c.get("id") for c in notebook["cells"] if c["cell_type"] == "markdown"}
    quotes = {}
    for cell in json.loads(translation.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown" and cell.get("metadata", {}).get("quotes"):
            quotes[cell.get("id")] = cell["metadata"]["quotes"]
    orphans = sorted(set(quotes) - english_ids, key=str)
    if orphans:
        raise ValueError(f"{translation.name}: no English markdown cell with the ids {orphans}")
    return quotes


def run_problems(path: Path, translation: Path | None = None) -> list[str]:
    """Run the notebook at ``path`` and evaluate its quotes: the mismatches, as sentences.

    With ``translation`` (the Korean notebook of ``path``), the translation's quotes are
    evaluated too, each at the English cell with its cell's id ("ko cell <id>: ...").
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    translated = _translated_quotes(notebook, translation)
    problems = []
    kernel = _Kernel(path.parent)
    try:
        for i, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] == "code":
                _, error = kernel.run(_source(cell))
                if error:
                    return problems + [
                        f"code cell {i} failed, quotes after it not checked: {error}"
                    ]
            if cell["cell_type"] != "markdown":
                continue
            declared = [(f"cell {i}", q) for q in cell.get("metadata", {}).get("quotes", [])]
            declared += [
                (f"ko cell {cell.get('id')}", q) for q in translated.get(cell.get("id"), [])
            ]
            for where, q in declared:
                code = f"print(str(eval({q['expr']!r})), end='')"
                got, error = kernel.run(code, store_history=False)
                if error:
                    problems.append(f"{where}: {q['expr']!r} raised {error}")
                elif got != q["text"]:
                    problems.append(
                        f"{where}: the prose says {q['text']!r}, the code now gives {got!r} "
                        f"(from {q['expr']!r})"
                    )
    finally:
        kernel.close()
    return problems


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


QUOTING = [p for p in NOTEBOOKS if quoted_cells(_load(p))]


def _korean_of(path: Path) -> Path | None:
    korean = ROOT / "notebooks" / "ko" / path.name
    return korean if korean.exists() else None


@pytest.mark.parametrize(
    "path", NOTEBOOKS + KOREAN, ids=lambda p: ("ko/" if p.parent.name == "ko" else "") + p.name
)
def test_declared_quotes_are_in_the_prose(path):
    problems = static_problems(_load(path))
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("path", QUOTING, ids=lambda p: p.name)
def test_quoted_numbers_match_what_the_code_computes(path):
    # the Korean edition's quotes of this notebook are checked in the same kernel run
    problems = run_problems(path, _korean_of(path))
    assert not problems, f"{path.name} (and ko/{path.name}):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", KOREAN, ids=lambda p: "ko/" + p.name)
def test_a_translation_quotes_the_numbers_its_english_cell_quotes(path):
    english = {c.get("id"): c for c in _load(ROOT / "notebooks" / path.name)["cells"]}
    silent = [
        cell.get("id")
        for cell in _load(path)["cells"]
        if cell["cell_type"] == "markdown"
        and (cell.get("metadata", {}).get("translation") or {}).get("source")
        and not cell["metadata"].get("quotes")
        and english.get(cell.get("id"), {}).get("metadata", {}).get("quotes")
    ]
    assert not silent, (
        f"ko/{path.name}: translated cells whose English cell quotes numbers declare no quotes "
        f"(give the draft its 'quotes'): {silent}"
    )


#: The lecture's worked numbers, which must stay declared (and so re-computed) in the prose.
LECTURE_NUMBERS = {
    "01_loss_functions.ipynb": ["2.9", "12.9", "L = 5.27"],
    "04_softmax.ipynb": ["$L_0 = 2.04$", "$L = 2.76$"],
}


def test_every_notebook_declares_the_numbers_it_quotes():
    # the mechanism is only as good as its use
    assert [p.name for p in QUOTING] == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("edition", ["", "ko/"])
@pytest.mark.parametrize("name", sorted(LECTURE_NUMBERS))
def test_the_lectures_worked_numbers_are_declared(name, edition):
    path = ROOT / "notebooks" / edition / name
    if edition and not path.exists():
        pytest.fail(f"notebooks/{edition}{name} is missing: run make ko")
    cells = quoted_cells(_load(path))
    declared = {q["text"] for _, cell in cells for q in cell["metadata"]["quotes"]}
    missing = [text for text in LECTURE_NUMBERS[name] if text not in declared]
    assert not missing, f"{edition}{name} no longer declares {missing}"


# ---------------------------------------------------------------------------------------------
# The mechanism itself, on a small notebook: it must catch drift
# ---------------------------------------------------------------------------------------------


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _code(src: str) -> dict[str, Any]:
    return {"cell_type": "code", "source": src, "metadata": {}, "outputs": []}


def _markdown(src: str, quotes: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "source": src,
        "metadata": {"quotes": quotes} if quotes else {},
    }


def test_static_check_finds_a_reworded_paragraph_and_a_bad_declaration():
    nb = _notebook(
        [
            _markdown("The mean loss is\nL = 5.27 here.", [{"text": "L = 5.27", "expr": "x"}]),
            _markdown("Now it reads L = 5.3.", [{"text": "L = 5.27", "expr": "x"}]),
            _markdown("No declaration format.", [{"text": "1"}]),
        ]
    )
    problems = static_problems(nb)
    assert len(problems) == 2
    assert "cell 1: the paragraph no longer says 'L = 5.27'" in problems[0]
    assert "cell 2: each quote is" in problems[1]


@pytest.mark.slow
def test_run_check_catches_a_number_that_drifted(tmp_path):
    nb = _notebook(
        [
            _code("import numpy as np\nL = float(np.mean([2.9, 0.0, 12.9]))"),
            _markdown(
                "Mean L = 5.27 and the worst L_i = 12.9.",
                [
                    {"text": "L = 5.27", "expr": "f'L = {L:.2f}'"},
                    {"text": "12.9", "expr": "f'{max([2.9, 0.0, 12.9]):.1f}'"},
                ],
            ),
            _code("L = L + 1  # the code changes, the prose below does not"),
            _markdown("Still L = 5.27.", [{"text": "L = 5.27", "expr": "f'L = {L:.2f}'"}]),
            _markdown("Broken: 1.", [{"text": "1", "expr": "undefined_name"}]),
        ]
    )
    path = tmp_path / "drift.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    problems = run_problems(path)
    assert len(problems) == 2, problems
    assert "cell 3: the prose says 'L = 5.27', the code now gives 'L = 6.27'" in problems[0]
    assert "cell 4: 'undefined_name' raised NameError" in problems[1]


@pytest.mark.slow
def test_run_check_evaluates_the_translations_quotes_at_the_english_cell(tmp_path):
    english = _notebook(
        [
            _code("L = 5.27"),
            _markdown("The loss is L = 5.27.", [{"text": "L = 5.27", "expr": "f'L = {L}'"}]),
            _code("L = 6.0"),
            _markdown("Now L = 6.0.", [{"text": "L = 6.0", "expr": "f'L = {L}'"}]),
        ]
    )
    for i, cell in enumerate(english["cells"]):
        cell["id"] = f"cell{i}"
    korean = json.loads(json.dumps(english))
    korean["cells"][1]["source"] = "손실은 L = 5.27 입니다."
    korean["cells"][3]["source"] = "이제 L = 5.27 입니다."  # a stale number in the translation
    korean["cells"][3]["metadata"]["quotes"] = [{"text": "L = 5.27", "expr": "f'L = {L}'"}]
    (tmp_path / "ko").mkdir()
    path, translation = tmp_path / "nb.ipynb", tmp_path / "ko" / "nb.ipynb"
    path.write_text(json.dumps(english), encoding="utf-8")
    translation.write_text(json.dumps(korean, ensure_ascii=False), encoding="utf-8")
    problems = run_problems(path, translation)
    assert problems == [
        "ko cell cell3: the prose says 'L = 5.27', the code now gives 'L = 6.0' "
        "(from \"f'L = {L}'\")"
    ]
