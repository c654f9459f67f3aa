"""Keep the Korean edition (notebooks/ko/) in step with the English notebooks.

The Korean notebook ``notebooks/ko/NN_topic.ipynb`` has the cells of ``notebooks/NN_topic.ipynb``
in the same order with the same ids. Its code cells are the English code cells; its markdown cells
are Korean. Each Korean markdown cell records which version of the English cell it translates::

    "metadata": {"translation": {"source": "<sha256 of the English cell's source, 16 hex>"}}

``"source": null`` means "not translated yet" (the cell then holds the English text). When the
English cell changes, its fingerprint no longer matches and the translation is *stale*:
``tests/test_korean_edition.py`` fails, naming the cell, until a person has revisited it.

Commands (run from the repository root; standard library only)::

    python tools/translations.py sync                 # make ko: build/update notebooks/ko/
    python tools/translations.py sync --check         # exit 1 if sync would change a file
    python tools/translations.py import DRAFT.json... # put translators' drafts in
    python tools/translations.py status [NB...]       # translated / stale / untranslated cells
    python tools/translations.py show NB CELL_ID...   # English diff since the translated version
    python tools/translations.py refresh NB CELL_ID...     # after reviewing: record the fingerprint
    python tools/translations.py refresh --all-reviewed NB # ... for every stale cell of NB

``NB`` is a notebook's file name (``02_multiclass_svm.ipynb``), its stem, or its number (``02``).

``sync`` rebuilds every Korean notebook from its English notebook: the English cells in order;
code cells copied from English (source, metadata, outputs; the outputs and widget state of a Korean
notebook that was executed as such, recognised by its executed language cell, are kept for the
code cells whose source did not change, so ``make ko`` does not undo ``make notebooks``); each
markdown cell taken from the Korean notebook by id if it is translated (its text, its ``quotes``
and its fingerprint kept; other metadata follows the English cell), else the English text marked
untranslated; and one extra code cell right after the first code cell that imports lecture_utils,
tagged ``language``, that switches the apps to Korean. Deterministic and idempotent.

``import`` takes drafts ``{"notebook": "02_multiclass_svm.ipynb", "cells": {"<cell id>":
{"en": "<the English source translated>", "ko": "<Korean markdown>", "quotes": [{"text": ...,
"expr": ...}]}}}``; the fingerprint recorded is that of ``en``, so a draft made from an English
text that has changed since is stale at once (and reported so). Drafts may overlap: a draft of
an older English text never replaces a translation of the current one (reported as kept), so
the order in which drafts are imported does not matter.

``refresh`` is for after a person has read the English change and updated (or confirmed) the
Korean text: it prints the English diff since the translated version (found in git history by
its fingerprint; otherwise the current English text) next to the Korean, then records the
current English fingerprint. Never run it without reading what it prints.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

#: What the tests and the Makefile use: the commands, and the cell helpers (from
#: _notebook_cells) that the tests check the Korean edition with.
__all__ = [
    "ENGLISH_DIR",
    "KOREAN_DIR",
    "LANGUAGE_CELL_ID",
    "LANGUAGE_SOURCE",
    "LANGUAGE_TAG",
    "ROOT",
    "RUN_METADATA",
    "build_korean",
    "classify",
    "code_identity",
    "dumps",
    "fingerprint",
    "first_words",
    "is_language_cell",
    "main",
    "recorded_fingerprint",
    "source_text",
]

# the path-free helpers live beside this script (found however it is run or loaded)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _notebook_cells import (  # noqa: E402
    LANGUAGE_CELL_ID,
    LANGUAGE_SOURCE,
    LANGUAGE_TAG,
    RUN_METADATA,
    Cell,
    Notebook,
    _imports_lecture_utils,
    _keep_run,
    code_identity,
    dumps,
    fingerprint,
    first_words,
    is_language_cell,
    korean_markdown,
    language_cell,
    load,
    recorded_fingerprint,
    source_lines,
    source_text,
)

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_DIR = ROOT / "notebooks"
KOREAN_DIR = ENGLISH_DIR / "ko"


# ---------------------------------------------------------------------------------------------
# Files (cells and fingerprints: _notebook_cells.py)
# ---------------------------------------------------------------------------------------------


def english_notebooks() -> list[Path]:
    return sorted(ENGLISH_DIR.glob("*.ipynb"))


def korean_path(english: Path) -> Path:
    return KOREAN_DIR / english.name


def resolve(name: str) -> Path:
    """The English notebook named by a file name, a stem, a number or a path."""
    stem = Path(name).name.removesuffix(".ipynb")
    matches = [p for p in english_notebooks() if p.stem == stem or p.stem.split("_")[0] == stem]
    if len(matches) != 1:
        choices = ", ".join(p.name for p in english_notebooks())
        raise SystemExit(f"no single English notebook matches {name!r}; one of: {choices}")
    return matches[0]


# ---------------------------------------------------------------------------------------------
# sync
# ---------------------------------------------------------------------------------------------


def build_korean(english: Notebook, korean: Notebook | None) -> Notebook:
    """The Korean notebook for ``english``, keeping what ``korean`` (the current one) holds."""
    previous = {cell.get("id"): cell for cell in (korean or {}).get("cells", [])}
    old_language = previous.get(LANGUAGE_CELL_ID)
    # A Korean notebook run as such (make notebooks) has an executed language cell: then its
    # code outputs are its own (Korean labels in figures) and are kept where the code is the same.
    executed = old_language is not None and old_language.get("execution_count") is not None
    cells: list[Cell] = []
    language_added = False
    for en in english["cells"]:
        ko = previous.get(en.get("id"))
        if en["cell_type"] == "markdown":
            cells.append(korean_markdown(en, ko))
        else:
            cell = copy.deepcopy(en)
            same_code = ko is not None and ko["cell_type"] == en["cell_type"]
            if executed and same_code and source_text(ko) == source_text(en):
                if "outputs" in en:
                    cell.setdefault("metadata", {})
                    _keep_run(cell, ko)
            cells.append(cell)
        if not language_added and _imports_lecture_utils(en):
            cells.append(language_cell(old_language))
            language_added = True
    if not language_added:
        raise ValueError("no code cell imports lecture_utils: nowhere to put the language cell")
    ids = [cell.get("id") for cell in cells]
    if None in ids or len(set(ids)) != len(ids):
        raise ValueError("the English notebook needs unique cell ids (nbformat 4.5)")
    metadata = copy.deepcopy(english["metadata"])
    if executed and korean is not None and "widgets" in korean.get("metadata", {}):
        metadata["widgets"] = copy.deepcopy(korean["metadata"]["widgets"])
    result = {key: copy.deepcopy(value) for key, value in english.items() if key != "cells"}
    result["metadata"] = metadata
    result["cells"] = cells
    return result


def dropped_translations(english: Notebook, korean: Notebook | None) -> list[Cell]:
    """Translated Korean cells whose id the English notebook no longer has."""
    ids = {cell.get("id") for cell in english["cells"]}
    return [
        cell
        for cell in (korean or {}).get("cells", [])
        if cell["cell_type"] == "markdown"
        and recorded_fingerprint(cell) is not None
        and cell.get("id") not in ids
    ]


def sync_one(english_path: Path, write: bool = True) -> bool:
    """Rebuild the Korean notebook of ``english_path``; True if its file changed (or would)."""
    target = korean_path(english_path)
    korean = load(target) if target.exists() else None
    english = load(english_path)
    for cell in dropped_translations(english, korean):
        print(
            f"warning: {target.name}: translated cell {cell.get('id')} has no English cell any "
            f"more and is dropped (its text stays in git history): "
            f"{first_words(source_text(cell))!r}",
            file=sys.stderr,
        )
    text = dumps(build_korean(english, korean))
    changed = not target.exists() or target.read_text(encoding="utf-8") != text
    if changed and write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return changed


def cmd_sync(args: argparse.Namespace) -> int:
    changed = [p.name for p in english_notebooks() if sync_one(p, write=not args.check)]
    verb = "out of date" if args.check else "updated"
    print(f"notebooks/ko: {len(changed)} {verb}" + (f": {', '.join(changed)}" if changed else ""))
    return 1 if (args.check and changed) else 0


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------


def classify(english: Notebook, korean: Notebook) -> dict[str, list[tuple[str, str]]]:
    """``{"translated" | "stale" | "untranslated" | "orphan": [(cell id, first English words)]}``.

    A Korean markdown cell is translated when its fingerprint is that of its English cell's
    current text, stale when it is another, untranslated when it has none; an orphan has no
    English markdown cell with its id.
    """
    en_cells = {c.get("id"): c for c in english["cells"] if c["cell_type"] == "markdown"}
    result: dict[str, list[tuple[str, str]]] = {
        "translated": [],
        "stale": [],
        "untranslated": [],
        "orphan": [],
    }
    for cell in korean["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        en = en_cells.get(cell.get("id"))
        if en is None:
            result["orphan"].append((cell.get("id"), first_words(source_text(cell))))
            continue
        recorded = recorded_fingerprint(cell)
        words = first_words(source_text(en))
        if recorded is None:
            result["untranslated"].append((cell["id"], words))
        elif recorded != fingerprint(source_text(en)):
            result["stale"].append((cell["id"], words))
        else:
            result["translated"].append((cell["id"], words))
    return result


def cmd_status(args: argparse.Namespace) -> int:
    paths = [resolve(n) for n in args.notebooks] if args.notebooks else english_notebooks()
    for path in paths:
        target = korean_path(path)
        if not target.exists():
            print(f"{path.name}: no Korean notebook (run: python tools/translations.py sync)")
            continue
        groups = classify(load(path), load(target))
        counts = ", ".join(f"{len(v)} {k}" for k, v in groups.items() if v or k != "orphan")
        print(f"{path.name}: {counts}")
        for kind in ("stale", "untranslated", "orphan"):
            for cell_id, words in groups[kind]:
                print(f"  {kind:12} {cell_id}  {words}")
    return 0


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------


def apply_draft(english: Notebook, korean: Notebook, draft: dict[str, Any]) -> list[str]:
    """Put the draft's cells into ``korean`` (in place); return one line per cell imported."""
    en_cells = {c.get("id"): c for c in english["cells"]}
    ko_cells = {c.get("id"): c for c in korean["cells"]}
    report = []
    cells = draft.get("cells")
    if not isinstance(cells, dict):
        raise ValueError("a draft's 'cells' must map cell ids to {'en', 'ko', 'quotes'}")
    for cell_id, entry in cells.items():
        en = en_cells.get(cell_id)
        if en is None or en["cell_type"] != "markdown":
            raise ValueError(f"cell {cell_id}: the English notebook has no markdown cell with it")
        if not (isinstance(entry.get("en"), str) and isinstance(entry.get("ko"), str)):
            raise ValueError(f"cell {cell_id}: 'en' and 'ko' must be strings")
        quotes = entry.get("quotes") or []
        if not isinstance(quotes, list) or not all(
            isinstance(q, dict) and set(q) == {"text", "expr"} for q in quotes
        ):
            raise ValueError(f"cell {cell_id}: 'quotes' is a list of {{'text', 'expr'}}")
        cell = ko_cells[cell_id]
        current = fingerprint(source_text(en))
        if fingerprint(entry["en"]) != current and recorded_fingerprint(cell) == current:
            # drafts may overlap: an older draft never replaces an up-to-date translation
            report.append(
                f"  {cell_id}  kept: the Korean cell already translates the current English "
                f"text; this draft is of an older one  {first_words(source_text(en), 6)}"
            )
            continue
        cell["source"] = source_lines(entry["ko"])
        cell["metadata"].pop("quotes", None)
        if quotes:
            cell["metadata"]["quotes"] = copy.deepcopy(quotes)
        recorded = fingerprint(entry["en"])
        cell["metadata"]["translation"] = {"source": recorded}
        state = "ok"
        if recorded != current:
            state = "STALE: the English cell changed since this draft was made"
        collapsed = re.sub(r"\s+", " ", entry["ko"])
        missing = [q["text"] for q in quotes if re.sub(r"\s+", " ", q["text"]) not in collapsed]
        if missing:
            state += f"; quoted text not in the Korean: {missing}"
        report.append(f"  {cell_id}  {state}  {first_words(source_text(en), 6)}")
    return report


def cmd_import(args: argparse.Namespace) -> int:
    for draft_path in args.drafts:
        draft = json.loads(Path(draft_path).read_text(encoding="utf-8"))
        english_path = resolve(str(draft.get("notebook", "")))
        sync_one(english_path)
        target = korean_path(english_path)
        korean = load(target)
        report = apply_draft(load(english_path), korean, draft)
        target.write_text(dumps(korean), encoding="utf-8")
        print(f"{draft_path} -> notebooks/ko/{target.name}: {len(report)} cells")
        print("\n".join(report))
    return 0


# ---------------------------------------------------------------------------------------------
# show / refresh
# ---------------------------------------------------------------------------------------------


def english_history(english_path: Path, cell_id: str, recorded: str) -> str | None:
    """The English text of ``cell_id`` whose fingerprint is ``recorded``, from git history."""
    try:
        rel = english_path.relative_to(ROOT).as_posix()
        log = subprocess.run(
            ["git", "log", "--format=%H", "-n", "300", "--", rel],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None
    for commit in log:
        shown = subprocess.run(
            ["git", "show", f"{commit}:{rel}"], cwd=ROOT, capture_output=True, text=True
        )
        if shown.returncode != 0:
            continue
        try:
            cells = json.loads(shown.stdout)["cells"]
        except (ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("id") == cell_id and fingerprint(source_text(cell)) == recorded:
                return source_text(cell)
    return None


def review_text(english_path: Path, en: Cell, ko: Cell) -> str:
    """What a reviewer reads: the English change since the translated version, and the Korean."""
    current = source_text(en)
    recorded = recorded_fingerprint(ko)
    lines = [f"=== {english_path.name} cell {en['id']}"]
    if recorded == fingerprint(current):
        lines.append("(the translation is up to date with the English text)")
    old = english_history(english_path, en["id"], recorded) if recorded else None
    if recorded is None:
        lines.append("(not translated yet)")
    elif old is not None and old != current:
        lines.append("--- English diff since the translated version:")
        lines += difflib.unified_diff(
            old.splitlines(), current.splitlines(), "translated", "now", lineterm=""
        )
    elif recorded != fingerprint(current):
        lines.append(
            "(the translated English version is not in git history: read it whole)\n"
            "--- English now:\n" + current
        )
    lines.append("--- Korean:\n" + source_text(ko))
    return "\n".join(lines)


def _cells(english_path: Path, cell_ids: list[str]) -> tuple[Notebook, Notebook, list[str]]:
    english, korean = load(english_path), load(korean_path(english_path))
    en_ids = {c["id"] for c in english["cells"] if c["cell_type"] == "markdown"}
    ko_ids = {c["id"] for c in korean["cells"] if c["cell_type"] == "markdown"}
    unknown = [i for i in cell_ids if i not in en_ids or i not in ko_ids]
    if unknown:
        raise SystemExit(f"{english_path.name}: no markdown cell {unknown} in both editions")
    return english, korean, cell_ids


def cmd_show(args: argparse.Namespace) -> int:
    english_path = resolve(args.notebook)
    english, korean, ids = _cells(english_path, args.cells)
    en = {c["id"]: c for c in english["cells"]}
    ko = {c["id"]: c for c in korean["cells"]}
    for cell_id in ids:
        print(review_text(english_path, en[cell_id], ko[cell_id]) + "\n")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    english_path = resolve(args.all_reviewed or (args.cells[0] if args.cells else ""))
    cell_ids = [] if args.all_reviewed else args.cells[1:]
    english, korean = load(english_path), load(korean_path(english_path))
    if args.all_reviewed:
        cell_ids = [cell_id for cell_id, _ in classify(english, korean)["stale"]]
    if not cell_ids:
        print(f"{english_path.name}: nothing to refresh")
        return 0
    _cells(english_path, cell_ids)
    en = {c["id"]: c for c in english["cells"]}
    ko = {c["id"]: c for c in korean["cells"]}
    untranslated = [i for i in cell_ids if recorded_fingerprint(ko[i]) is None]
    if untranslated:
        raise SystemExit(
            f"{english_path.name}: {untranslated} are not translated: import a translation "
            "(python tools/translations.py import DRAFT.json) instead of refreshing"
        )
    for cell_id in cell_ids:
        print(review_text(english_path, en[cell_id], ko[cell_id]) + "\n")
        ko[cell_id]["metadata"]["translation"] = {"source": fingerprint(source_text(en[cell_id]))}
    korean_path(english_path).write_text(dumps(korean), encoding="utf-8")
    print(f"{english_path.name}: fingerprint recorded for {', '.join(cell_ids)}")
    return 0


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="translations.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sync", help="build/update notebooks/ko from the English notebooks")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    p.set_defaults(run=cmd_sync)
    p = sub.add_parser("import", help="put translators' draft JSON files in")
    p.add_argument("drafts", nargs="+")
    p.set_defaults(run=cmd_import)
    p = sub.add_parser("status", help="translated / stale / untranslated cells per notebook")
    p.add_argument("notebooks", nargs="*")
    p.set_defaults(run=cmd_status)
    p = sub.add_parser("show", help="print the English diff since the translation, and the Korean")
    p.add_argument("notebook")
    p.add_argument("cells", nargs="+")
    p.set_defaults(run=cmd_show)
    p = sub.add_parser(
        "refresh",
        help="after reading the English diff and fixing the Korean: record the fingerprint",
        usage="translations.py refresh NB CELL_ID [CELL_ID ...] | --all-reviewed NB",
    )
    p.add_argument("cells", nargs="*", metavar="NB CELL_ID")
    p.add_argument("--all-reviewed", metavar="NB", help="every stale cell of NB, all reviewed")
    p.set_defaults(run=cmd_refresh)
    args = parser.parse_args(argv)
    if args.command == "refresh" and bool(args.all_reviewed) == bool(args.cells):
        parser.error("refresh takes NB CELL_ID ... or --all-reviewed NB")
    if args.command == "refresh" and args.cells and len(args.cells) < 2:
        parser.error("refresh NB CELL_ID ...: name at least one cell")
    try:
        return args.run(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
