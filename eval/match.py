"""One-to-one span matching and name matching, as the metrics contract defines them.

Spans: a prediction and a gold item score `overlap / max(len(gold), len(pred))` on their
character intervals. Pairs at or above the threshold may match; the assignment maximises
the total score (exact, by the Hungarian method on each connected group of overlapping
spans, which keeps it fast: groups are small even when documents are long).

Names: see `names_match`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from extractor.schemas import AUTHOR, overlap_ratio
from extractor.text.lexicon import NAME_MATCH_TITLES

LENIENT = 0.5
STRICT = 0.9
THRESHOLDS = {"lenient": LENIENT, "strict": STRICT}

Interval = tuple[int, int]
Pair = tuple[int, int, float]

_TOKEN = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['’]s\b")
#: Function words ignored in names ("the South Korean military" ~ "South Korean military").
_STOP = frozenset({"the", "of", "a", "an", "and", "for"})


def overlap_score(gold: Interval, pred: Interval) -> float:
    return overlap_ratio(gold, pred)


def overlaps(gold: Sequence[Interval], pred: Sequence[Interval]) -> dict[tuple[int, int], float]:
    """Every (gold index, pred index) pair that shares at least one character, with its score."""
    edges: dict[tuple[int, int], float] = {}
    order = sorted(range(len(pred)), key=lambda j: pred[j][0])
    starts = [pred[j][0] for j in order]
    longest = max((end - start for start, end in pred), default=0)
    for i, g in enumerate(gold):
        # Only predictions starting in (g.start - longest, g.end) can overlap g.
        for j in order[bisect_right(starts, g[0] - longest) :]:
            if pred[j][0] >= g[1]:
                break
            score = overlap_score(g, pred[j])
            if score > 0:
                edges[i, j] = score
    return edges


def assign(gold: Sequence[Interval], pred: Sequence[Interval], threshold: float) -> list[Pair]:
    """Optimal one-to-one pairs (gold index, pred index, score) with score >= threshold."""
    return assign_edges(overlaps(gold, pred), threshold)


def assign_edges(edges: dict[tuple[int, int], float], threshold: float) -> list[Pair]:
    """`assign` over precomputed `overlaps` (so one overlap pass serves every threshold)."""
    kept = {pair: s for pair, s in edges.items() if s >= threshold}
    gold_degree: dict[int, int] = {}
    pred_degree: dict[int, int] = {}
    for i, j in kept:
        gold_degree[i] = gold_degree.get(i, 0) + 1
        pred_degree[j] = pred_degree.get(j, 0) + 1
    pairs: list[Pair] = []
    contested: dict[tuple[int, int], float] = {}
    for (i, j), s in kept.items():
        if gold_degree[i] == 1 and pred_degree[j] == 1:
            pairs.append((i, j, s))  # overlaps nothing else: nothing to decide
        else:
            contested[i, j] = s
    for group_gold, group_pred in _groups(contested):
        weights = [[contested.get((i, j), 0.0) for j in group_pred] for i in group_gold]
        for a, b in _hungarian_max(weights):
            i, j = group_gold[a], group_pred[b]
            if (i, j) in contested:
                pairs.append((i, j, contested[i, j]))
    return sorted(pairs)


@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    """Case- and accent-folded word tokens in order, without function words, possessive 's
    or dots ("U.S." -> "us")."""
    folded = name.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _POSSESSIVE.sub("", folded).replace(".", "")
    return tuple(t for t in _TOKEN.findall(folded) if t not in _STOP)


def names_match(gold: str | None, pred: str | None) -> bool:
    """Whether two names denote the same entity, leniently:

    - both null (unknown) is a match; one null and not the other is not;
    - `<author>` (the article's own voice) matches only `<author>`;
    - otherwise the token set of one is a subset of the other's ("Caine" ~ "General Dan
      Caine"), as written or after dropping leading `NAME_MATCH_TITLES` from both ("Gen. Caine" ~
      "Dan Caine").
    """
    if gold is None or pred is None:
        return gold is None and pred is None
    if AUTHOR in (gold, pred):
        return gold == pred
    ta, tb = name_tokens(gold), name_tokens(pred)
    if not ta or not tb:
        return False
    return _subset(set(ta), set(tb)) or _subset(set(_drop_titles(ta)), set(_drop_titles(tb)))


def _subset(a: set[str], b: set[str]) -> bool:
    return a <= b or b <= a


def _drop_titles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    start = 0
    while start < len(tokens) - 1 and tokens[start] in NAME_MATCH_TITLES:
        start += 1
    return tokens[start:]


def match_names(gold: Sequence[str], pred: Sequence[str]) -> int:
    """The largest number of one-to-one `names_match` pairs between two lists of names."""
    partner: dict[int, int] = {}  # pred index -> gold index
    options = [[j for j, p in enumerate(pred) if names_match(g, p)] for g in gold]

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in partner or augment(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


def _groups(edges: dict[tuple[int, int], float]) -> list[tuple[list[int], list[int]]]:
    """Connected components of the bipartite overlap graph."""
    if not edges:
        return []
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        parent[find(("g", i))] = find(("p", j))
    members: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        gold, pred = members.setdefault(find(node), ([], []))
        (gold if node[0] == "g" else pred).append(node[1])
    return [(sorted(g), sorted(p)) for g, p in members.values()]


def _hungarian_max(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment of rows to columns (rectangular allowed)."""
    transposed = len(weights) > len(weights[0])
    matrix = [list(r) for r in zip(*weights, strict=True)] if transposed else weights
    n, m = len(matrix), len(matrix[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -matrix[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j]]
    return [(b, a) for a, b in pairs] if transposed else pairs
