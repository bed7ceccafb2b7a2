"""A strong model, simulated: answers each chunk with the gold items in it, with faults.

    oracle = Oracle(load_gold(path), fault="surface")
    with FakeOpenAIServer(oracle) as server:   # tests.fake_openai_http
        ...  # point the llm engine at server.base_url
    oracle.ledger   # every item it answered, and what was done to it

    python -m tests.oracle_model --gold fixtures/gold [--fault none] [--port 8099]

It finds the chunk it is asked about by the article's own lines in the prompt (any prompt
version: sentence numbers "[n] " aside), and answers, in the `ChunkResponse` schema, what a
model that read the gold set would: the quotes, claims and events lying wholly in the chunk.
Faults (`FAULTS`), drawn per item from a generator seeded by the item, so an item that two
chunks see is treated the same in both:

- none: the gold items as the article writes them;
- surface: each item's text varied on the surface: curly and straight quotes swapped, a
  space doubled or made a line break, the final period dropped, the first letter's case
  flipped, a passage elided as `…`, a quote's enclosing quotation mark left in;
- paraphrase: 10% of the items reworded (at least 2 words and 15% of them changed);
- invented: 10% more items, taken from other gold documents (not in this article);
- misattributed: 30% of the quotes and claims given a speaker/claimant the article never names;
- overlap: the plain answer; meant for long articles in small overlapping chunks, where the
  items in an overlap are answered by both chunks;
- boundary: as overlap, and an item that crosses the chunk's edge is answered with the
  part of it that the chunk shows (whole words, at least 3);
- cutoff: every answer cut at 60% of its length, finish reason "length";
- fixed_on_reask: the first answer is broken (not JSON, an invented quote, or an unknown
  event type, in turn); the re-ask gets the plain answer.

A re-ask (the request holds more than the system and user messages) of any other fault gets
the same answer again: a stubborn model. An answer longer than the request's `max_tokens`
is cut there, with finish reason "length", as a real server does.

Tokens are counted by `count_tokens`, an approximation of a BPE tokenizer: a word is one
token per 4 characters begun, a punctuation mark one; 4 tokens per chat message.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor.eval.gold import GoldDocument
from tests.fake_openai_http import Body, FakeOpenAIServer, Reply

FAULTS = (
    "none", "surface", "paraphrase", "invented", "misattributed", "overlap", "boundary",
    "cutoff", "fixed_on_reask",
)  # fmt: skip
KIND_FIELDS = {"quotes": "speaker", "claims": "claimant"}
#: Statuses of answered items that a perfect grounding stage keeps (the others are faults).
FAITHFUL = frozenset({"verbatim", "surface", "clipped"})
#: Names no gold article uses, for misattributed items.
INVENTED_NAMES = ("Harriet Quenby", "Tobias Marrowfield", "Ines Valcourt", "Orrin Dalgleish")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NUMBER = re.compile(r"^\[\d+\] ")
_WORDS = re.compile(r"\S+")
_SWAPS = {
    "said": "stated", "says": "states", "will": "shall", "would": "could", "not": "never",
    "is": "remains", "are": "remain", "the": "this", "a": "one", "has": "had", "have": "had",
    "company": "firm", "government": "administration", "percent": "per cent", "jobs": "posts",
    "new": "fresh", "big": "large", "large": "big", "more": "further", "very": "really",
    "we": "our team", "to": "in order to", "and": "as well as", "but": "yet",
}  # fmt: skip


def count_tokens(text: str) -> int:
    """Approximate BPE tokens: a word one per 4 characters begun, punctuation one each."""
    return sum(math.ceil(len(p) / 4) if p[0].isalnum() else 1 for p in _TOKEN.findall(text))


def prompt_tokens(messages: Iterable[dict[str, Any]]) -> int:
    return sum(4 + count_tokens(str(m.get("content") or "")) for m in messages) + 3


@dataclass
class Answered:
    """One item the oracle put in an answer."""

    document: str
    kind: str
    #: The gold item's index in its document's list (None: invented).
    gold: int | None
    #: verbatim, surface, clipped, paraphrased, invented, misattributed, cut, broken
    status: str
    #: The part of the gold span it covers (clipped items cover less than all).
    span: tuple[int, int] | None
    chunk: tuple[int, int]
    reask: bool
    name: str | None = None
    #: The request it answered (numbered from 1), and the item as answered.
    request: int = 0
    item: dict[str, Any] | None = None


class Oracle:
    def __init__(self, documents: list[GoldDocument], fault: str = "none", seed: int = 0):
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}: one of {', '.join(FAULTS)}")
        self.documents, self.fault, self.seed = documents, fault, seed
        self.ledger: list[Answered] = []
        self._first_answers = 0
        self._requests = 0

    # --- the chat route ------------------------------------------------------------------
    def __call__(self, body: Body) -> Reply:
        messages = body.get("messages") or []
        prompt = prompt_tokens(messages)
        user = next((str(m["content"]) for m in messages if m.get("role") == "user"), "")
        reask = len(messages) > 2
        found = self.find_chunk(user)
        if found is None:
            return Reply(json.dumps({"quotes": [], "claims": [], "events": []}), prompt, 12)
        doc, (start, end) = found
        self._requests += 1
        entries = list(self._items(doc, start, end, reask))
        for _, item, answered in entries:
            answered.request, answered.item = self._requests, dict(item)
        content, ends = _serialise(entries)
        cut = len(content)
        if self.fault == "fixed_on_reask" and not reask:
            content, ends = self._broken(doc, entries, (start, end)), []
            cut = len(content)
        elif self.fault == "cutoff":
            cut = int(len(content) * 0.6)
        limit = body.get("max_tokens") or body.get("max_completion_tokens")
        while limit and cut > 0 and count_tokens(content[:cut]) > limit:
            cut -= max(1, (count_tokens(content[:cut]) - limit) * 2)
        finish = "stop" if cut >= len(content) else "length"
        content = content[: max(cut, 0)]
        for answered, item_end in ends:
            if item_end > len(content):
                answered.status = "cut"
        self.ledger += [answered for _, _, answered in entries]
        return Reply(content, prompt, count_tokens(content), finish)

    def find_chunk(self, prompt: str) -> tuple[GoldDocument, tuple[int, int]] | None:
        """The document and the [start, end) of it that the prompt shows: where the
        prompt's lines (sentence numbers aside) occur in order."""
        lines = [_NUMBER.sub("", line).strip() for line in prompt.split("\n")]
        lines = [line for line in lines if len(line) >= 12]
        best: tuple[int, GoldDocument, tuple[int, int]] | None = None
        for doc in self.documents:
            cursor, covered, first, last = 0, 0, None, None
            for line in lines:
                at = doc.text.find(line, cursor)
                if at == -1:
                    continue
                first = at if first is None else first
                cursor = last = at + len(line)
                covered += len(line)
            if first is not None and last is not None and (best is None or covered > best[0]):
                best = (covered, doc, (first, last))
        return None if best is None else (best[1], best[2])

    # --- what a strong model would answer --------------------------------------------------
    def _items(
        self, doc: GoldDocument, start: int, end: int, reask: bool
    ) -> Iterable[tuple[str, dict[str, Any], Answered]]:
        for kind in ("quotes", "claims", "events"):
            for index, gold in enumerate(doc.items.get(kind) or []):
                g_start, g_end = gold["char_start"], gold["char_end"]
                span: tuple[int, int] | None = None
                if g_start >= start and g_end <= end:
                    span = (g_start, g_end)
                elif self.fault == "boundary" and g_start < end and g_end > start:
                    span = _visible(doc.text, g_start, g_end, start, end)
                if span is None:
                    continue
                rng = random.Random(f"{self.seed}:{self.fault}:{doc.id}:{kind}:{index}")
                answered = Answered(doc.id, kind, index, "verbatim", span, (start, end), reask)
                item = _answer(kind, gold, doc.text[span[0] : span[1]])
                if span != (g_start, g_end):
                    answered.status = "clipped"
                self._vary(doc, kind, item, answered, rng)
                yield kind, item, answered
                if self.fault == "invented" and rng.random() < 0.1:
                    invented = self._invented(doc, kind, rng)
                    if invented is not None:
                        extra = Answered(doc.id, kind, None, "invented", None, (start, end), reask)
                        yield kind, invented, extra

    def _vary(
        self, doc: GoldDocument, kind: str, item: dict[str, Any], answered: Answered,
        rng: random.Random,
    ) -> None:  # fmt: skip
        field = "sentence" if kind == "events" else "text"
        if self.fault == "surface":
            item[field] = _surface(item[field], kind, rng)
            answered.status = "surface" if answered.status == "verbatim" else answered.status
        elif self.fault == "paraphrase" and rng.random() < 0.1:
            item[field] = _paraphrase(item[field], rng)
            answered.status = "paraphrased"
        elif self.fault == "misattributed" and kind in KIND_FIELDS and rng.random() < 0.3:
            name = next(n for n in INVENTED_NAMES if n.casefold() not in doc.text.casefold())
            item[KIND_FIELDS[kind]] = answered.name = name
            answered.status = "misattributed"

    def _invented(self, doc: GoldDocument, kind: str, rng: random.Random) -> dict[str, Any] | None:
        others = [d for d in self.documents if d.id != doc.id and d.items.get(kind)]
        if not others:
            return None
        other = rng.choice(others)
        gold = rng.choice(other.items[kind] or [])
        text = other.text[gold["char_start"] : gold["char_end"]]
        return None if text in doc.text else _answer(kind, gold, text)

    def _broken(
        self, doc: GoldDocument, entries: list[tuple[str, dict[str, Any], Answered]],
        chunk: tuple[int, int],
    ) -> str:  # fmt: skip
        """A first answer that a re-ask fixes: not JSON, an invented quote, or an unknown
        event type (in turn). Nothing of it is kept."""
        for _, _, answered in entries:
            answered.status = "broken"
        content, _ = _serialise(entries)
        self._first_answers += 1
        turn = self._first_answers % 3
        if turn == 1:
            return content.replace('": ', '" ', 1)
        answer = json.loads(content)
        if turn == 2:
            answer["quotes"].append({"text": "We never said any such thing", "speaker": None})
        else:
            answer["events"].append({"sentence": doc.text[chunk[0] : chunk[1]].split("\n")[0],
                                     "event_type": "celebration"})  # fmt: skip
        return json.dumps(answer, ensure_ascii=False)


def _answer(kind: str, gold: dict[str, Any], text: str) -> dict[str, Any]:
    if kind == "quotes":
        return {"text": text, "speaker": gold.get("speaker")}
    if kind == "claims":
        return {"text": text, "claimant": gold.get("claimant")}
    return {
        "sentence": text, "event_type": gold["event_type"], "trigger": gold.get("trigger"),
        "actors": gold.get("actors") or [],
        "location": gold.get("location"), "time": gold.get("time"),
    }  # fmt: skip


def _serialise(
    entries: list[tuple[str, dict[str, Any], Answered]],
) -> tuple[str, list[tuple[Answered, int]]]:
    """The answer's JSON text, and where each item's JSON ends in it."""
    parts, ends, length = ["{"], [], 1
    for n, kind in enumerate(("quotes", "claims", "events")):
        head = ("" if n == 0 else ", ") + f'"{kind}": ['
        parts.append(head)
        length += len(head)
        items = [(i, a) for k, i, a in entries if k == kind]
        for m, (item, answered) in enumerate(items):
            text = ("" if m == 0 else ", ") + json.dumps(item, ensure_ascii=False)
            parts.append(text)
            length += len(text)
            ends.append((answered, length))
        parts.append("]")
        length += 1
    parts.append("}")
    return "".join(parts), ends


def _visible(text: str, g_start: int, g_end: int, start: int, end: int) -> tuple[int, int] | None:
    """The whole words of `text[g_start:g_end]` inside `[start, end)` (at least 3)."""
    words = [(g_start + m.start(), g_start + m.end())
             for m in _WORDS.finditer(text[g_start:g_end])]  # fmt: skip
    inside = [(a, b) for a, b in words if a >= start and b <= end]
    if len(inside) < 3:
        return None
    return inside[0][0], inside[-1][1]


def _surface(text: str, kind: str, rng: random.Random) -> str:
    """One surface variant of `text` (the words unchanged)."""
    variants = ["quotes", "whitespace", "period", "case", "elision"]
    if kind == "quotes":
        variants.append("enclosing")
    for variant in rng.sample(variants, len(variants)):
        varied = _surface_variant(text, variant, rng)
        if varied is not None and varied != text:
            return varied
    return text


def _surface_variant(text: str, variant: str, rng: random.Random) -> str | None:
    if variant == "quotes":
        swap = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "'": "’", '"': "”"})
        return text.translate(swap) if any(c in text for c in "’‘“”'\"") else None
    if variant == "whitespace":
        spaces = [m.start() for m in re.finditer(" ", text)]
        if not spaces:
            return None
        at = rng.choice(spaces)
        return text[:at] + rng.choice(["  ", "\n", " \u00a0"]) + text[at + 1 :]
    if variant == "period":
        return text[:-1] if text.endswith(".") else None
    if variant == "case":
        return text[0].swapcase() + text[1:] if text[:1].isalpha() else None
    if variant == "elision":
        words = text.split(" ")
        if len(words) < 10:
            return None
        a = rng.randrange(2, len(words) - 6)
        return " ".join([*words[:a], "…", *words[a + rng.randrange(2, 5) :]])
    return "“" + text if rng.random() < 0.5 else text + ",”"  # an enclosing mark left in


def _paraphrase(text: str, rng: random.Random) -> str:
    """`text` reworded: at least 2 words and 15% of them swapped for others."""
    words = text.split(" ")
    wanted = max(2, math.ceil(len(words) * 0.15))
    swappable = [i for i, w in enumerate(words) if w.lower() in _SWAPS]
    others = [i for i in range(len(words)) if i not in swappable]
    chosen = (rng.sample(swappable, min(wanted, len(swappable)))
              + rng.sample(others, max(0, wanted - len(swappable))))  # fmt: skip
    for i in chosen:
        word = words[i]
        words[i] = _SWAPS.get(word.lower(), "reportedly " + word)
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    from pathlib import Path

    from extractor.eval.gold import load_gold

    parser = argparse.ArgumentParser(description="serve the strong-model oracle")
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--fault", default="none", choices=FAULTS)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    oracle = Oracle(load_gold(args.gold), args.fault)
    with FakeOpenAIServer(oracle, models=("oracle",), port=args.port) as server:
        print(f"oracle ({args.fault}) at {server.base_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
