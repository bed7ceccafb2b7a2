"""Annotator's tool: turn a hand-written draft into a gold file, and check gold files.

A draft line is a gold document whose items give `text` but may omit `char_start` and
`char_end`; `occurrence` (1-based) picks one when the string appears several times. A
document may omit `text`, `title` and `published` when it gives `source_path`: they are read
from the article file. Validation is `extractor.eval.gold.load_gold` plus a few annotation checks
(every field of the format present, text equal to the article, quote marks left out).
Usage (see eval/GUIDELINES.md):

    python -m extractor.eval.annotate DRAFT.jsonl --out GOLD.jsonl
    python -m extractor.eval.annotate --check GOLD.jsonl [MORE.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from extractor.errors import GoldError
from extractor.eval.gold import load_gold
from extractor.schemas import KINDS
from extractor.text.articles import read_article

FIELDS = {
    "quotes": ("text", "char_start", "char_end", "speaker", "speaker_title", "kind"),
    "claims": ("text", "char_start", "char_end", "claimant", "hedged"),
    "events": ("event_type", "char_start", "char_end", "text", "trigger", "actors",
               "location", "time", "time_text"),
}  # fmt: skip
DOC_FIELDS = ("id", "text", "published", "title", "source_path", *KINDS)
_QUOTE_MARKS = "\"'“”‘’«»„"


def place(item: dict[str, Any], text: str) -> str | None:
    """Fill `char_start`/`char_end` of a draft item by exact search; an error, or None."""
    span = item.get("text")
    occurrence = item.pop("occurrence", None)
    if "char_start" in item and "char_end" in item:
        return None
    if not isinstance(span, str) or not span:
        return "no 'text' to search for"
    starts = [m.start() for m in re.finditer(re.escape(span), text)]
    if not starts:
        return "text not found in the document"
    if occurrence is None and len(starts) > 1:
        return f"text appears {len(starts)} times; give 'occurrence'"
    index = (occurrence or 1) - 1
    if not 0 <= index < len(starts):
        return f"occurrence {occurrence} but the text appears {len(starts)} times"
    item["char_start"], item["char_end"] = starts[index], starts[index] + len(span)
    return None


def fill(doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A draft document completed: article fields, offsets, items sorted, fields ordered."""
    errors: list[str] = []
    source = doc.get("source_path")
    if source and Path(source).is_file():
        article = read_article(Path(source))
        doc.setdefault("text", article.text)
        doc.setdefault("title", article.title)
        doc.setdefault("published", article.published.isoformat() if article.published else None)
    text = doc.get("text")
    if not isinstance(text, str):
        return doc, ["document needs 'text' or an existing 'source_path'"]
    for kind in KINDS:
        items = doc.get(kind, "absent")
        if items is None:
            continue  # not annotated (not scored), said so by a null
        if not isinstance(items, list):
            errors.append(f"{kind} must be a list ([] when annotated and empty, null when not)")
            continue
        for index, item in enumerate(items):
            error = place(item, text)
            if error:
                errors.append(f"{_label(kind, index, item)}: {error}")
        if not errors:
            items.sort(key=lambda i: (i["char_start"], i["char_end"]))
            doc[kind] = [{k: i.get(k) for k in FIELDS[kind]} for i in items]
    return {k: doc.get(k) for k in DOC_FIELDS}, errors


def lint(doc: dict[str, Any]) -> list[str]:
    """Annotation checks `load_gold` leaves out (it accepts sparser gold files)."""
    errors = [f"missing field {name!r}" for name in DOC_FIELDS if name not in doc]
    source = doc.get("source_path")
    if source and not Path(source).is_file():
        errors.append(f"source_path {source!r} is not a file (run from the repository root)")
    elif source and doc.get("text") != read_article(Path(source)).text:
        errors.append(f"'text' is not read_article({source!r}).text")
    for kind in KINDS:
        for index, item in enumerate(doc.get(kind) or []):
            found = [f"missing field {name!r}" for name in FIELDS[kind] if name not in item]
            span = str(item.get("text", ""))
            if span != span.strip():
                found.append("span starts or ends with whitespace")
            if kind == "quotes" and span and (span[0] in _QUOTE_MARKS or span[-1] in _QUOTE_MARKS):
                found.append("quote text includes its quotation marks")
            errors.extend(f"{_label(kind, index, item)}: {message}" for message in found)
    return errors


def check(path: Path) -> tuple[list[str], list[str]]:
    """Problems in one gold file (one line each) and the document ids it defines."""
    try:
        ids = [doc.id for doc in load_gold(path)]
    except GoldError as exc:
        return [str(exc)], []
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            doc = json.loads(line)
            problems += [f"{path}:{number}: {doc['id']}: {error}" for error in lint(doc)]
    return problems, ids


def write(draft: Path, out: Path) -> list[str]:
    """Fill a draft and write the gold file, only when it passes `check`; the problems."""
    rows, problems = [], []
    for number, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row, errors = fill(json.loads(line))
            problems += [f"{draft}:{number}: {row.get('id')}: {error}" for error in errors]
            rows.append(row)
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / out.name
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
        staged.write_text("\n".join(lines) + "\n", encoding="utf-8")
        problems, _ = check(staged)
        if not problems:
            out.write_text(staged.read_text(encoding="utf-8"), encoding="utf-8")
    return [p.replace(str(staged), str(draft)) for p in problems]


def _label(kind: str, index: int, item: dict[str, Any]) -> str:
    return f"{kind}[{index}] {str(item.get('text', ''))[:40]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m extractor.eval.annotate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", type=Path, help="draft or gold JSONL files")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, help="fill offsets in one draft, write the gold here")
    mode.add_argument("--check", action="store_true", help="only validate finished gold files")
    args = parser.parse_args(argv)
    if args.out is not None and len(args.files) != 1:
        parser.error("--out takes exactly one draft file")
    problems: list[str] = []
    if args.out is not None:
        problems = write(args.files[0], args.out)
    else:
        seen: dict[str, Path] = {}
        for path in args.files:
            found, ids = check(path)
            problems += found
            problems += [f"{path}: {i}: already defined in {seen[i]}" for i in ids if i in seen]
            seen.update({i: path for i in ids if i not in seen})
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("ok: " + (f"wrote {args.out}" if args.out else f"{len(seen)} document(s)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
