"""What the pipeline does with a strong model's answers: a simulated one, with faults.

    PYTHONPATH=. .venv/bin/python bench/bench_strong_model.py [--gold fixtures/gold]
        [--prompt extract/v2] [--faults none,surface,...] [--max-tokens N]

The model is `tests.oracle_model.Oracle` behind `tests.fake_openai_http.FakeOpenAIServer`
(real HTTP, the real openai SDK, instructor, re-ask and salvage): it answers each chunk
with the gold items in it, with one fault at a time. The llm engine runs without the rules'
candidates, so everything stored came from the answers. Per fault it prints:

- answers F1: the model's last answer per chunk, scored as it meant it (an item faithful
  to a gold item, verbatim or varied on the surface, at that item's span; a paraphrased,
  invented or repeated one is a false positive);
- stored F1: what the pipeline stores, scored by `extractor.eval` (lenient spans, all kinds
  together), and its ratio to the answers' F1;
- lost: gold items a faithful answer gave that nothing stored matches;
- not gold: stored items matching no gold item one-to-one (duplicates included);
- bad: faulty items answered (paraphrased, invented, misattributed) / stored / rejected
  with a reason;
- re-asks: chunks re-asked, and how many of them ended in a valid answer;
- tokens: prompt and completion per article (the fake's count: `count_tokens`).

Long-article faults (overlap, boundary) join gold documents into articles of about 10,000
characters, cut into chunks of 2,000 with 500 of overlap, so many items meet a boundary.
Then the prompt tokens beyond the article's own, per chunk, of each prompt version.

`--max-tokens` is the completion bound; the default is the llm engine's (4000: a strong
model's whole answer to a dense chunk); `--max-tokens 700` (the local engine's) shows what
the pipeline keeps of answers cut short.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.engines.llm import LLMEngine  # noqa: E402
from extractor.engines.rules import rules_items  # noqa: E402
from extractor.eval import score  # noqa: E402
from extractor.eval.gold import GoldDocument, load_gold  # noqa: E402
from extractor.eval.match import LENIENT  # noqa: E402
from extractor.grounding import Document, ground_all  # noqa: E402
from extractor.llm.prompt import load_prompt  # noqa: E402
from extractor.pipeline import DocumentResult, extract_article  # noqa: E402
from extractor.schemas import DocumentExtraction, overlap_ratio  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.text.articles import Article  # noqa: E402
from extractor.text.segment import chunks  # noqa: E402
from tests.fake_openai_http import FakeOpenAIServer  # noqa: E402
from tests.oracle_model import (  # noqa: E402
    FAITHFUL,
    FAULTS,
    Answered,
    Oracle,
    count_tokens,
    prompt_tokens,
)

KINDS = ("quotes", "claims", "events")
LONG = {"overlap", "boundary"}
LONG_CHUNKS = (2000, 500)
BAD = frozenset({"paraphrased", "invented", "misattributed"})


@dataclass
class Row:
    fault: str
    answers_f1: float
    stored_f1: float
    lost: int
    not_gold: int
    bad: tuple[int, int, int]
    reasks: tuple[int, int]
    prompt_tokens: float
    completion_tokens: float
    reasons: Counter[str] = field(default_factory=Counter)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "fixtures/gold")
    parser.add_argument("--prompt", default="extract/v2")
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--max-tokens", type=int, default=None,
                        help="completion bound per call (default: the llm engine's)")  # fmt: skip
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    rows = [run_fault(f, gold, args.prompt, args.max_tokens) for f in args.faults.split(",")]
    bound = EngineSettings(engine="llm", max_tokens=args.max_tokens).completion_bound
    print(f"prompt {args.prompt}; max_tokens {bound}; {len(gold)} gold documents; "
          "tokens: tests.oracle_model.count_tokens (a word is a token per 4 characters "
          "begun, punctuation one each)")  # fmt: skip
    print_table(rows)
    print()
    print_prompt_tokens(gold, ["extract/v1", args.prompt] if args.prompt != "extract/v1" else
                        ["extract/v1"])  # fmt: skip
    return 0


def run_fault(fault: str, gold: list[GoldDocument], prompt: str, max_tokens: int | None) -> Row:
    documents = long_articles(gold) if fault in LONG else gold
    settings = EngineSettings(
        engine="llm", model="oracle", prompt=prompt, use_candidates=False, use_cache=False,
        max_retry_wait_s=1.0, max_tokens=max_tokens,
    )  # fmt: skip
    if fault in LONG:
        settings = replace(settings, chunk_chars=LONG_CHUNKS[0], chunk_overlap=LONG_CHUNKS[1])
    oracle = Oracle(documents, fault)
    results: dict[str, DocumentResult] = {}
    with FakeOpenAIServer(oracle, models=("oracle",)) as server:
        engine = LLMEngine(replace(settings, base_url=server.base_url))
        try:
            for doc in documents:
                article = Article(text=doc.text, published=doc.published)
                results[doc.id] = extract_article(engine, article)
        finally:
            engine.close()
    predictions = {doc_id: r.extraction for doc_id, r in results.items()}
    answered = last_answers(oracle.ledger)
    stored = score(documents, predictions)
    lenient = [stored.kinds[k].counts["lenient"] for k in stored.kinds]
    tp, fp, fn = (sum(getattr(c, n) for c in lenient) for n in ("tp", "fp", "fn"))
    calls = [c for r in results.values() for c in r.calls]
    rejections = [r for res in results.values() for r in res.rejections]
    return Row(
        fault=fault,
        answers_f1=answers_f1(documents, answered),
        stored_f1=f1(tp, fp, fn),
        lost=lost(documents, answered, predictions),
        not_gold=fp,
        bad=bad_items(answered, results, predictions, documents),
        reasks=reask_recovery(results),
        prompt_tokens=sum(c.prompt_tokens or 0 for c in calls) / len(documents),
        completion_tokens=sum(c.completion_tokens or 0 for c in calls) / len(documents),
        reasons=Counter(str(r.reason) for r in rejections),
    )


def long_articles(gold: list[GoldDocument], size: int = 10_000) -> list[GoldDocument]:
    """Gold documents joined (a blank line between) into articles of about `size`."""
    groups: list[list[GoldDocument]] = [[]]
    for doc in gold:
        if sum(len(d.text) for d in groups[-1]) >= size:
            groups.append([])
        groups[-1].append(doc)
    joined = []
    for n, group in enumerate(groups):
        text = ""
        items: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        annotated = {k: all(d.items.get(k) is not None for d in group) for k in KINDS}
        for doc in group:
            offset = len(text) + (2 if text else 0)
            text = f"{text}\n\n{doc.text}" if text else doc.text
            for kind in KINDS:
                for item in doc.items.get(kind) or []:
                    items[kind].append({**item, "char_start": item["char_start"] + offset,
                                        "char_end": item["char_end"] + offset})  # fmt: skip
        joined.append(GoldDocument(
            f"long-{n + 1}", text, group[0].published, None,
            {k: (items[k] if annotated[k] else None) for k in KINDS},
        ))  # fmt: skip
    return joined


def last_answers(ledger: list[Answered]) -> list[Answered]:
    """The items of the last answer to each chunk (what the pipeline was left with)."""
    last: dict[tuple[str, tuple[int, int]], int] = {}
    for a in ledger:
        key = (a.document, a.chunk)
        last[key] = max(last.get(key, 0), a.request)
    return [a for a in ledger if a.request == last[(a.document, a.chunk)] and a.status != "cut"]


def _faithful(doc: GoldDocument, a: Answered) -> bool:
    if a.status not in FAITHFUL or a.gold is None or a.span is None:
        return False
    g = (doc.items.get(a.kind) or [])[a.gold]
    return overlap_ratio((g["char_start"], g["char_end"]), a.span) >= LENIENT


def answers_f1(documents: list[GoldDocument], answered: list[Answered]) -> float:
    tp = fp = fn = 0
    by_doc = {d.id: d for d in documents}
    for doc in documents:
        for kind in KINDS:
            gold_items = doc.items.get(kind)
            if gold_items is None:
                continue
            mine = [a for a in answered if a.document == doc.id and a.kind == kind]
            hit = {a.gold for a in mine if _faithful(by_doc[doc.id], a)}
            tp, fp, fn = tp + len(hit), fp + len(mine) - len(hit), fn + len(gold_items) - len(hit)
    return f1(tp, fp, fn)


def lost(
    documents: list[GoldDocument], answered: list[Answered],
    predictions: dict[str, DocumentExtraction],
) -> int:  # fmt: skip
    """Gold items some faithful answer gave that no stored item matches."""
    by_doc = {d.id: d for d in documents}
    count = 0
    for key in {(a.document, a.kind, a.gold) for a in answered if _faithful(by_doc[a.document], a)}:
        doc_id, kind, index = key
        g = (by_doc[doc_id].items.get(kind) or [])[index or 0]
        spans = [(p.char_start, p.char_end) for p in getattr(predictions[doc_id], kind)]
        if not any(overlap_ratio((g["char_start"], g["char_end"]), s) >= LENIENT for s in spans):
            count += 1
    return count


def bad_items(
    answered: list[Answered], results: dict[str, DocumentResult],
    predictions: dict[str, DocumentExtraction], documents: list[GoldDocument],
) -> tuple[int, int, int]:  # fmt: skip
    """Faulty items answered, stored, and rejected with a reason."""
    bad = [a for a in answered if a.status in BAD]
    by_doc = {d.id: d for d in documents}
    stored = rejected = 0
    for a in bad:
        item = a.item or {}
        text = item.get("text") or item.get("sentence")
        preds = getattr(predictions[a.document], a.kind)
        if a.status == "misattributed":
            field_name = "speaker" if a.kind == "quotes" else "claimant"
            stored += any(getattr(p, field_name) == a.name for p in preds)
        elif a.status == "paraphrased" and a.gold is not None:
            g = (by_doc[a.document].items.get(a.kind) or [])[a.gold]
            span = (g["char_start"], g["char_end"])
            # At the gold item's span; an event also as answered (a sentence may report
            # several events: another one stored there is not this one).
            stored += any(
                overlap_ratio(span, (p.char_start, p.char_end)) >= LENIENT
                and (a.kind != "events" or _as_answered(p, item))
                for p in preds
            )
        else:
            stored += any(p.text == text for p in preds)
        rejected += any(
            r.item.get("text") == text and (a.name is None or a.name in r.item.values())
            for r in results[a.document].rejections
        )
    return len(bad), stored, rejected


def _as_answered(event: Any, item: dict[str, Any]) -> bool:
    return (event.event_type, event.trigger, list(event.actors)) == (
        item.get("event_type"), item.get("trigger"), list(item.get("actors") or []),
    )  # fmt: skip


def reask_recovery(results: dict[str, DocumentResult]) -> tuple[int, int]:
    """Chunks re-asked, and those whose last answer the grounding stage took whole (no
    rejection that a re-ask would have quoted)."""
    asked = recovered = 0
    for result in results.values():
        reasked = {c.chunk_index for c in result.calls if c.outcome == "reask"}
        refused = {
            r.chunk_index for r in result.rejections
            if r.source == "model" and (r.drops_item or r.reason == "speaker_not_named")
        }  # fmt: skip
        asked += len(reasked)
        recovered += len(reasked - refused)
    return asked, recovered


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def print_table(rows: list[Row]) -> None:
    head = (f"{'fault':<15}{'answers F1':>11}{'stored F1':>10}{'ratio':>7}{'lost':>6}"
            f"{'not gold':>9}{'bad a/s/r':>11}{'re-asks':>9}{'prompt/art':>11}"
            f"{'compl/art':>10}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = r.stored_f1 / r.answers_f1 if r.answers_f1 else float("nan")
        bad = "/".join(map(str, r.bad))
        reasks = f"{r.reasks[1]}/{r.reasks[0]}"
        print(f"{r.fault:<15}{r.answers_f1:>11.3f}{r.stored_f1:>10.3f}{ratio:>7.3f}{r.lost:>6}"
              f"{r.not_gold:>9}{bad:>11}{reasks:>9}{r.prompt_tokens:>11.0f}"
              f"{r.completion_tokens:>10.0f}")  # fmt: skip
    print("\nrejections by reason:")
    for r in rows:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r.reasons.items())) or "none"
        print(f"  {r.fault:<15}{reasons}")


def print_prompt_tokens(gold: list[GoldDocument], versions: list[str]) -> None:
    """Prompt tokens beyond the chunk's own text, per chunk, on the gold set (first
    attempt; v1 with the rules' hints it gets by default)."""
    print("prompt tokens beyond the article's own, per chunk (count_tokens):")
    settings = EngineSettings()
    hints = {}
    for doc in gold:
        article = Article(text=doc.text, published=doc.published)
        hints[doc.id] = ground_all(rules_items(article), Document(doc.text)).extraction
    for version in versions:
        prompt = load_prompt(version)
        extra: list[int] = []
        per_article: list[int] = []
        for doc in gold:
            total = 0
            published = doc.published.isoformat() if doc.published else None
            for chunk in chunks(doc.text, settings.chunk_chars, settings.chunk_overlap):
                messages = prompt.messages(chunk.text, published, hints[doc.id])
                tokens = prompt_tokens(messages)
                extra.append(tokens - count_tokens(chunk.text))
                total += tokens
            per_article.append(total)
        print(f"  {version:<12} beyond the article: max {max(extra)}, mean "
              f"{sum(extra) / len(extra):.0f} over {len(extra)} chunks; prompt tokens per "
              f"article: mean {sum(per_article) / len(per_article):.0f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
