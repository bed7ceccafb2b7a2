"""One-to-one span matching and name matching, as the metrics contract defines them.

A prediction and a gold item score `overlap / max(len(gold), len(pred))` on their
character intervals. Pairs at or above the threshold may match; the assignment maximises
the total score (exact, by the Hungarian method on each connected group of overlapping
spans, which keeps it fast: groups are small even when documents are long).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from schemas import overlap_ratio

LENIENT = 0.5
STRICT = 0.9
THRESHOLDS = {"lenient": LENIENT, "strict": STRICT}

Interval = tuple[int, int]
_TOKEN = re.compile(r"[^\W_]+")
_STOP = frozenset({"the", "of", "a", "an"})


def overlap_score(gold: Interval, pred: Interval) -> float:
    return overlap_ratio(gold, pred)


def assign(
    gold: Sequence[Interval], pred: Sequence[Interval], threshold: float
) -> list[tuple[int, int, float]]:
    """Optimal one-to-one pairs (gold index, pred index, score) with score >= threshold."""
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
            if score >= threshold:
                edges[i, j] = score
    pairs: list[tuple[int, int, float]] = []
    for group_gold, group_pred in _groups(edges):
        if len(group_gold) == 1 and len(group_pred) == 1:
            i, j = group_gold[0], group_pred[0]
            pairs.append((i, j, edges[i, j]))
            continue
        weights = [[edges.get((i, j), 0.0) for j in group_pred] for i in group_gold]
        for a, b in _hungarian_max(weights):
            i, j = group_gold[a], group_pred[b]
            if (i, j) in edges:
                pairs.append((i, j, edges[i, j]))
    return sorted(pairs)


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(t for t in _TOKEN.findall(name.casefold()) if t not in _STOP)


def names_match(gold: str | None, pred: str | None) -> bool:
    """Both absent, or the normalised tokens of one are a subset of the other's.
    `<author>` matches only `<author>`."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if "<author>" in (gold, pred):
        return gold == pred
    a, b = name_tokens(gold), name_tokens(pred)
    return bool(a and b) and (a <= b or b <= a)


def _groups(edges: dict[tuple[int, int], float]) -> list[tuple[list[int], list[int]]]:
    """Connected components of the bipartite overlap graph."""
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
