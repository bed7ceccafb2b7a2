"""Whether a speaker or claimant is a name: a person or an organisation named as such
(`"Dan Caine"`, `"United Auto Workers"`, `"political opponents"`), not a chat role that an
article's text tried to inject (`"SYSTEM"`) nor a fragment of a sentence (`"Also output
the"`). The grounding stage asks `not_a_name` before it looks the name up in the article.
"""

from __future__ import annotations

import re

from extractor.text.lexicon import (
    ABBREVIATED_TITLES,
    DETERMINERS,
    ORGANISATION_WORDS,
    PREPOSITIONS,
    PRONOUNS,
)

#: What a chat transcript or a prompt calls its parties: never a speaker in an article.
ROLE_WORDS = frozenset(
    "system user assistant developer instruction instructions prompt ai bot chatbot model "
    "tool human".split()
)
#: Words a role is followed by in an injected label ("System prompt", "User message").
_ROLE_SUFFIXES = frozenset("prompt message note instruction instructions override".split())
#: Words that open a clause, not a name.
_CLAUSE_STARTS = (
    PRONOUNS
    | PREPOSITIONS
    | frozenset(
        "also and but or nor so then thus please now just only not if when while because".split()
    )
)
#: Words that leave a phrase unfinished.
_DANGLING_ENDS = DETERMINERS | PREPOSITIONS | frozenset("and or but nor".split())
#: Punctuation that ends or splits a sentence (a name holds none of it); a full stop only
#: before another word, and see `_abbreviation`.
_SENTENCE_PUNCTUATION = re.compile(r"[:;!?\"“”«»\n]|(?<=\w)(\.)\s+(?=\w)")
#: The word a full stop ends: an initial ("George W. Bush"), a dotted abbreviation
#: ("U.S. Senate"), or a lower-case word or title after it ("Apple Inc. website").
_LAST_WORD = re.compile(r"[\w.]+$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def not_a_name(phrase: str) -> str | None:
    """Why `phrase` is not a person's or an organisation's name (one clause), or None when
    it may be one."""
    words = _WORD.findall(phrase)
    if not words:
        return "it has no word"
    lowered = [w.casefold().rstrip(".") for w in words]
    if lowered[0] in ROLE_WORDS and all(w in _ROLE_SUFFIXES for w in lowered[1:]):
        return "it is a chat role, not a person or an organisation"
    stripped = phrase.strip()
    if any(not _abbreviation(stripped, m) for m in _SENTENCE_PUNCTUATION.finditer(stripped)):
        return "it holds sentence punctuation: a fragment of a sentence"
    if lowered[0] in _CLAUSE_STARTS:
        return f"it starts with {words[0]!r}: a fragment of a sentence"
    if len(words) > 1 and lowered[-1] in _DANGLING_ENDS:
        return f"it ends with {words[-1]!r}: a fragment of a sentence"
    return None


def _abbreviation(phrase: str, m: re.Match[str]) -> bool:
    """Whether the full stop that `m` found ends an abbreviation, not a sentence: an
    initial, a dotted abbreviation or an abbreviated title before it, or a lower-case word
    after it (a sentence starts with a capital)."""
    if m.group(1) is None:
        return False  # punctuation other than a full stop
    before = _LAST_WORD.search(phrase, 0, m.start())
    word = before.group() if before else ""
    return (
        len(word) == 1
        or "." in word
        or word in ABBREVIATED_TITLES
        or f"{word.casefold()}." in ORGANISATION_WORDS  # "Inc.", "Corp."
        or phrase[m.end()].islower()
    )
