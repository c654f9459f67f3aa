"""The Korean edition (notebooks/ko/) is the English course, translated, and stays so.

- Ten Korean notebooks, one per English notebook, with the English cells in the same order and
  the same ids, plus one code cell tagged ``language`` (``lecture_utils.set_language("ko")``)
  right after the first code cell that imports lecture_utils.
- Code cells equal the English ones (source and metadata), so both editions compute the same
  and nbval of either covers the other's code (tests/test_portable_outputs.py runs the Korean
  edition's nbval).
- Every Korean markdown cell records the fingerprint of the English text it translates, and that
  fingerprint is the one of the English cell's current text: a changed English cell makes its
  translation *stale*, a cell without a fingerprint is *untranslated*; both fail here, named.
  ``python tools/translations.py status`` lists them; see that script for import and refresh.
- A translated cell is Korean prose: mostly Hangul words among the words outside math and code
  (English technical terms are fine, "a glossary plus English" is not).
- No stored output of either edition shows a "Glyph ... missing" font warning.

While the translations are being written, the untranslated-cell test fails: that is its job.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
KOREAN_DIR = ROOT / "notebooks" / "ko"

_spec = importlib.util.spec_from_file_location("translations", ROOT / "tools" / "translations.py")
assert _spec is not None and _spec.loader is not None
translations = importlib.util.module_from_spec(_spec)
sys.modules["translations"] = translations
_spec.loader.exec_module(translations)

NAMES = [p.name for p in ENGLISH]


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _pair(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    korean = KOREAN_DIR / name
    if not korean.exists():
        pytest.fail(f"notebooks/ko/{name} is missing: run make ko")
    return _load(ROOT / "notebooks" / name), _load(korean)


def _text(cell: dict[str, Any]) -> str:
    return translations.source_text(cell)


# ---------------------------------------------------------------------------------------------
# Hangul share
# ---------------------------------------------------------------------------------------------

_NOT_PROSE = [
    r"```.*?```",  # fenced code
    r"\$\$.*?\$\$",  # display math
    r"\$[^$\n]+\$",  # inline math
    r"`[^`\n]+`",  # code spans
    r"<!--.*?-->",  # comments
    r"<[^<>\n]+>",  # HTML tags (the words between them stay)
    r"\]\([^)\s]*\)",  # link targets
    r"https?://\S+",
    r"&[a-zA-Z]+;",  # entities
]
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: A translated cell needs at least this share of Hangul words among its words. Measured on
#: the translators' drafts of all ten notebooks: Korean cells 0.64 and up, English cells at most
#: 0.15 (tables left out).
MIN_HANGUL_SHARE = 0.5
#: Cells with fewer words (a heading "## Softmax") are not judged.
MIN_WORDS = 6


def prose_words(markdown: str) -> tuple[int, int]:
    """(Hangul words, Latin words) of ``markdown``'s prose: outside math, code, tags, link
    targets and table rows.

    A word is a run of Hangul or of Latin letters, so ``score가`` is one of each: Korean prose
    that keeps the English terms (as the lecture speaks) has a Hangul word for nearly each one.
    Table rows are left out: a glossary's rows pair English and Korean terms by design, so the
    prose around the table (its heading and introduction) decides.
    """
    text = "\n".join(line for line in markdown.splitlines() if not line.lstrip().startswith("|"))
    for pattern in _NOT_PROSE:
        text = re.sub(pattern, " ", text, flags=re.DOTALL)
    return len(_HANGUL_WORD.findall(text)), len(_LATIN_WORD.findall(text))


def is_mostly_korean(markdown: str) -> bool:
    hangul, latin = prose_words(markdown)
    return hangul + latin < MIN_WORDS or hangul >= MIN_HANGUL_SHARE * (hangul + latin)


def test_hangul_share_tells_korean_prose_from_english_with_a_glossary():
    korean = (
        "Hinge loss는 정답 class의 score가 다른 class의 score보다 margin $\\Delta$ 이상 클 때 "
        "0이 됩니다. `losses.hinge_losses(scores, y)`로 확인해 보세요."
    )
    glossary = (
        "## 용어 정리 (Glossary)\n\n이 노트북의 핵심 용어를 강의에서 쓰는 말로 정리했습니다.\n\n"
        "| English | 한국어 |\n|---|---|\n| loss function | 손실 함수 (loss function) |\n"
        "| subgradient | 서브그래디언트 |\n| penalty | 페널티 항 |\n"
        "| sanity check | 정상 작동 확인 |"
    )
    english = (
        "Each curve is a **hinge**: zero once the correct class leads by the margin, "
        "then rising linearly (힌지 손실, hinge loss)."
    )
    english_glossary = (
        "## Glossary (용어 정리)\n\nKey terms of this notebook, with the Korean terms used in "
        "the lecture notes.\n\n| English | 한국어 |\n|---|---|\n| loss function | 손실 함수 |\n"
        "| regularization | 정규화 |\n| subgradient | 서브그래디언트 |\n| score | 점수 |"
    )
    assert is_mostly_korean(korean) and is_mostly_korean(glossary)
    assert not is_mostly_korean(english) and not is_mostly_korean(english_glossary)
    assert is_mostly_korean("## Softmax 분류기")  # too short to judge
    assert prose_words("$$L = \\frac{1}{N}$$ 손실 `np.mean` <b>bold</b> [링크](https://x.org)") == (
        2,
        1,
    )


# ---------------------------------------------------------------------------------------------
# The edition
# ---------------------------------------------------------------------------------------------


def test_ten_korean_notebooks_one_per_english_notebook():
    korean = sorted(p.name for p in KOREAN_DIR.glob("*.ipynb"))
    assert len(ENGLISH) == 10
    assert korean == NAMES, "notebooks/ko must mirror notebooks/: run make ko"


@pytest.mark.parametrize("name", NAMES)
def test_cells_in_english_order_with_one_language_cell_after_the_first_import(name):
    english, korean = _pair(name)
    ids = [c.get("id") for c in korean["cells"] if not translations.is_language_cell(c)]
    assert ids == [c.get("id") for c in english["cells"]], (
        f"ko/{name}: cell ids or order differ from the English notebook: run make ko"
    )
    language = [i for i, c in enumerate(korean["cells"]) if translations.is_language_cell(c)]
    assert len(language) == 1, f"ko/{name}: {len(language)} cells tagged 'language', not one"
    cell = korean["cells"][language[0]]
    assert _text(cell) == translations.LANGUAGE_SOURCE
    assert cell["id"] == translations.LANGUAGE_CELL_ID
    first_import = next(
        i for i, c in enumerate(english["cells"]) if translations._imports_lecture_utils(c)
    )
    assert language[0] == first_import + 1, f"ko/{name}: the language cell is misplaced"
    assert korean["metadata"]["kernelspec"] == english["metadata"]["kernelspec"]


@pytest.mark.parametrize("name", NAMES)
def test_code_cells_are_the_english_code_cells(name):
    english, korean = _pair(name)
    en = {c["id"]: c for c in english["cells"]}
    differ = [
        f"{c['id']} ({translations.first_words(_text(en[c['id']]), 6)})"
        for c in korean["cells"]
        if c["cell_type"] != "markdown"
        and not translations.is_language_cell(c)
        and c["id"] in en
        and translations.code_identity(c) != translations.code_identity(en[c["id"]])
    ]
    assert not differ, f"ko/{name}: code cells differ from the English ones (make ko): {differ}"


@pytest.mark.parametrize("name", NAMES)
def test_no_translation_is_stale(name):
    english, korean = _pair(name)
    groups = translations.classify(english, korean)
    problems = [
        f"  stale: {cell_id}, the English cell now begins {words!r}"
        for cell_id, words in groups["stale"]
    ] + [f"  no English cell {cell_id}: {words!r}" for cell_id, words in groups["orphan"]]
    assert not problems, (
        f"ko/{name}: translations that do not match their English cell; revise the Korean, "
        f"then python tools/translations.py refresh {name} CELL_ID (it shows the English "
        "diff):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_markdown_cell_is_translated(name):
    english, korean = _pair(name)
    missing = translations.classify(english, korean)["untranslated"]
    assert not missing, (
        f"ko/{name}: {len(missing)} markdown cells not translated yet (English text, "
        "'translation': {'source': null}):\n"
        + "\n".join(f"  {cell_id}: {words!r}" for cell_id, words in missing)
    )


@pytest.mark.parametrize("name", NAMES)
def test_translated_cells_are_korean_prose(name):
    _, korean = _pair(name)
    english_ones = []
    for cell in korean["cells"]:
        if cell["cell_type"] == "markdown" and translations.recorded_fingerprint(cell):
            hangul, latin = prose_words(_text(cell))
            if not is_mostly_korean(_text(cell)):
                english_ones.append(
                    f"  {cell['id']}: {hangul} Hangul words, {latin} Latin: "
                    f"{translations.first_words(_text(cell))!r}"
                )
    assert not english_ones, (
        f"ko/{name}: cells marked translated whose prose is not mostly Korean "
        f"(at least {MIN_HANGUL_SHARE:.0%} Hangul words outside math and code):\n"
        + "\n".join(english_ones)
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_korean_notebook_is_what_sync_makes(name):
    english, korean = _pair(name)
    assert translations.dumps(translations.build_korean(english, korean)) == (
        KOREAN_DIR / name
    ).read_text(encoding="utf-8"), f"ko/{name} is not in step with the English notebook: make ko"


_GLYPH_MISSING = re.compile(r"Glyph\b.{0,200}?\bmissing", re.DOTALL)


@pytest.mark.parametrize(
    "path", ENGLISH + sorted(KOREAN_DIR.glob("*.ipynb")), ids=lambda p: p.parent.name + "/" + p.name
)
def test_no_stored_output_has_a_missing_glyph_warning(path):
    notebook = _load(path)
    bad = [
        cell.get("id")
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        and _GLYPH_MISSING.search(json.dumps(cell.get("outputs", []), ensure_ascii=False))
    ]
    assert not bad, f"{path.relative_to(ROOT)}: 'Glyph ... missing' in the outputs of {bad}"


# ---------------------------------------------------------------------------------------------
# The tool, on small notebooks
# ---------------------------------------------------------------------------------------------


def _md(cell_id: str, text: str, **metadata: Any) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": metadata, "source": text}


def _code(cell_id: str, text: str, outputs: list | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 1 if outputs else None,
        "id": cell_id,
        "metadata": {},
        "outputs": outputs or [],
        "source": text,
    }


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3"}, "widgets": {"state": "en"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _stream(text: str) -> list[dict[str, Any]]:
    return [{"name": "stdout", "output_type": "stream", "text": [text]}]


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A one-notebook course in tmp_path, the tool pointed at it."""
    (tmp_path / "notebooks" / "ko").mkdir(parents=True)
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    monkeypatch.setattr(translations, "ENGLISH_DIR", tmp_path / "notebooks")
    monkeypatch.setattr(translations, "KOREAN_DIR", tmp_path / "notebooks" / "ko")
    english = _notebook(
        [
            _md(
                "aaaa0001", "# 01 · Losses\n\nThe loss is *L*.", quotes=[{"text": "L", "expr": "1"}]
            ),
            _code("aaaa0002", "import numpy as np"),
            _code("aaaa0003", "from lecture_utils import losses\nprint(1)", _stream("1\n")),
            _md("aaaa0004", "The mean is L = 5.27 here."),
        ]
    )
    path = tmp_path / "notebooks" / "01_losses.ipynb"
    path.write_text(translations.dumps(english), encoding="utf-8")
    return path


def _korean(course: Path) -> dict[str, Any]:
    return _load(course.parent / "ko" / course.name)


def _by_id(notebook: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in notebook["cells"]}


def test_sync_builds_an_untranslated_edition_deterministically(course):
    assert translations.main(["sync"]) == 0
    first = (course.parent / "ko" / course.name).read_text(encoding="utf-8")
    assert translations.main(["sync"]) == 0
    assert translations.main(["sync", "--check"]) == 0
    assert (course.parent / "ko" / course.name).read_text(encoding="utf-8") == first
    korean = _korean(course)
    ids = [c["id"] for c in korean["cells"]]
    assert ids == ["aaaa0001", "aaaa0002", "aaaa0003", "ko-language", "aaaa0004"]
    cells = _by_id(korean)
    assert cells["ko-language"]["metadata"] == {"tags": ["language"]}
    assert _text(cells["ko-language"]) == 'import lecture_utils\n\nlecture_utils.set_language("ko")'
    assert cells["aaaa0001"]["metadata"]["translation"] == {"source": None}
    assert cells["aaaa0001"]["metadata"]["quotes"] == [{"text": "L", "expr": "1"}]
    assert cells["aaaa0003"]["outputs"] == _stream("1\n")
    assert korean["metadata"] == _load(course)["metadata"]
    groups = translations.classify(_load(course), korean)
    assert [i for i, _ in groups["untranslated"]] == ["aaaa0001", "aaaa0004"]


def _draft(course: Path, tmp_path: Path, cells: dict[str, Any]) -> str:
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({"notebook": course.name, "cells": cells}), encoding="utf-8")
    return str(path)


def test_import_then_an_english_edit_makes_the_translation_stale(course, tmp_path, capsys):
    english_text = _text(_by_id(_load(course))["aaaa0004"])
    draft = _draft(
        course,
        tmp_path,
        {
            "aaaa0004": {
                "en": english_text,
                "ko": "여기서 평균은 L = 5.27 입니다.",
                "quotes": [{"text": "L = 5.27", "expr": "'L = 5.27'"}],
            }
        },
    )
    assert translations.main(["import", draft]) == 0
    cell = _by_id(_korean(course))["aaaa0004"]
    assert _text(cell) == "여기서 평균은 L = 5.27 입니다."
    assert cell["metadata"]["quotes"] == [{"text": "L = 5.27", "expr": "'L = 5.27'"}]
    assert cell["metadata"]["translation"] == {"source": translations.fingerprint(english_text)}
    groups = translations.classify(_load(course), _korean(course))
    assert [i for i, _ in groups["translated"]] == ["aaaa0004"]

    # sync keeps the translation; an English edit makes it stale, named with the English words
    english = _load(course)
    _by_id(english)["aaaa0004"]["source"] = "The mean is now L = 6.27 here."
    course.write_text(translations.dumps(english), encoding="utf-8")
    assert translations.main(["sync"]) == 0
    assert _text(_by_id(_korean(course))["aaaa0004"]) == "여기서 평균은 L = 5.27 입니다."
    groups = translations.classify(_load(course), _korean(course))
    assert groups["stale"] == [("aaaa0004", "The mean is now L = 6.27 here.")]

    # refresh records the new fingerprint and prints the English text next to the Korean
    capsys.readouterr()
    assert translations.main(["refresh", "01", "aaaa0004"]) == 0
    out = capsys.readouterr().out
    assert "The mean is now L = 6.27 here." in out and "여기서 평균은" in out
    assert translations.classify(_load(course), _korean(course))["stale"] == []


def test_a_draft_of_an_old_english_text_is_stale_at_once(course, tmp_path, capsys):
    draft = _draft(course, tmp_path, {"aaaa0004": {"en": "The mean was L = 5.", "ko": "평균"}})
    assert translations.main(["import", draft]) == 0
    assert "STALE" in capsys.readouterr().out
    groups = translations.classify(_load(course), _korean(course))
    assert [i for i, _ in groups["stale"]] == ["aaaa0004"]
    assert translations.main(["refresh", "--all-reviewed", "01_losses"]) == 0
    assert translations.classify(_load(course), _korean(course))["stale"] == []


def test_an_older_draft_never_replaces_an_up_to_date_translation(course, tmp_path, capsys):
    english_text = _text(_by_id(_load(course))["aaaa0004"])
    fresh = _draft(course, tmp_path, {"aaaa0004": {"en": english_text, "ko": "새 번역"}})
    assert translations.main(["import", fresh]) == 0
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps({"notebook": course.name, "cells": {"aaaa0004": {"en": "Old.", "ko": "옛"}}}),
        encoding="utf-8",
    )
    assert translations.main(["import", str(old)]) == 0
    assert "kept: the Korean cell already translates the current English" in capsys.readouterr().out
    assert _text(_by_id(_korean(course))["aaaa0004"]) == "새 번역"
    assert translations.main(["sync", "--check"]) == 0  # an imported notebook is in step


def test_refresh_refuses_an_untranslated_cell_and_import_an_unknown_one(course, tmp_path):
    translations.main(["sync"])
    with pytest.raises(SystemExit, match="not translated"):
        translations.main(["refresh", "01", "aaaa0001"])
    draft = _draft(course, tmp_path, {"aaaa0002": {"en": "import numpy as np", "ko": "코드"}})
    assert translations.main(["import", draft]) == 2  # a code cell is not translated


def test_refresh_prints_the_english_diff_from_git_history(course, capsys):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    root = course.parents[1]

    def commit(message: str) -> None:
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-q", "-m", message], cwd=root, check=True)

    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    commit("English")
    old = _text(_by_id(_load(course))["aaaa0004"])
    translations.main(["sync"])
    korean = _korean(course)
    cell = _by_id(korean)["aaaa0004"]
    cell["source"] = "여기서 평균은 L = 5.27 입니다."
    cell["metadata"]["translation"] = {"source": translations.fingerprint(old)}
    (course.parent / "ko" / course.name).write_text(translations.dumps(korean), encoding="utf-8")
    english = _load(course)
    _by_id(english)["aaaa0004"]["source"] = "The mean is L = 6.27 here."
    course.write_text(translations.dumps(english), encoding="utf-8")
    commit("English changed")
    capsys.readouterr()
    assert translations.main(["show", "01", "aaaa0004"]) == 0
    out = capsys.readouterr().out
    assert "-The mean is L = 5.27 here.\n+The mean is L = 6.27 here." in out


def test_sync_keeps_the_outputs_of_an_executed_korean_notebook(course):
    translations.main(["sync"])
    korean = _korean(course)
    cells = _by_id(korean)
    cells["ko-language"]["execution_count"] = 3
    cells["ko-language"]["metadata"]["execution"] = {"shell.execute_reply": "ko-run"}
    cells["aaaa0003"]["outputs"] = _stream("한국어 출력\n")
    cells["aaaa0003"]["metadata"]["execution"] = {"shell.execute_reply": "ko-run"}
    korean["metadata"]["widgets"] = {"state": "ko"}
    (course.parent / "ko" / course.name).write_text(translations.dumps(korean), encoding="utf-8")
    translations.main(["sync"])
    korean = _korean(course)
    assert _by_id(korean)["aaaa0003"]["outputs"] == _stream("한국어 출력\n")
    assert korean["metadata"]["widgets"] == {"state": "ko"}
    # nbclient's timestamps belong to the run: kept, and not a difference in the code
    for cell_id in ("ko-language", "aaaa0003"):
        assert _by_id(korean)[cell_id]["metadata"]["execution"] == {"shell.execute_reply": "ko-run"}
    english_cell = _by_id(_load(course))["aaaa0003"]
    assert translations.code_identity(_by_id(korean)["aaaa0003"]) == translations.code_identity(
        english_cell
    )
    # a changed code cell takes the English source and outputs (until make notebooks)
    english = _load(course)
    _by_id(english)["aaaa0003"]["source"] = "from lecture_utils import losses\nprint(2)"
    _by_id(english)["aaaa0003"]["outputs"] = _stream("2\n")
    course.write_text(translations.dumps(english), encoding="utf-8")
    translations.main(["sync"])
    assert _by_id(_korean(course))["aaaa0003"]["outputs"] == _stream("2\n")
