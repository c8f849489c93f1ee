"""Portfolio-wide silos: groups of similar use cases that span two or more org units.

Single-link clustering over pairs above a threshold. Pairs come in two kinds, each
computed once per index and cached:

- shared pairs (`all_pairs`): each use case of the shared partition with its nearest
  neighbours above PAIR_FLOOR among the candidates of `blocking.py`, scored with the real
  cosine. Only shared use cases take part, so no confidential one can take the place of
  a neighbour (the NEIGHBOURS cut-off) or move a statistic.
- confidential pairs (`confidential_pairs`): each confidential use case with its
  NEIGHBOURS best shared use cases (the shared ones' own lists are not touched), and with
  EVERY other confidential use case above PAIR_FLOOR (no cut-off among confidential ones:
  one a viewer may not see cannot push out one they may).

A viewer's clusters use the shared pairs whose two ends they may see plus the
confidential pairs whose two ends they may see (`index.View`), so a use case they may not
see neither appears, bridges two visible ones, lends its words, nor changes a count. A
partner granted some units gets pairs of their own scoped index. Shared terms are
computed only for the pairs a page shows. Single link chains: raise the threshold if
clusters sprawl.
"""

import heapq
import operator
from collections import Counter
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from aiom.organisation.models import OrgUnit
from aiom.similarity import index as similarity_index
from aiom.similarity.blocking import outside_candidates, scored_pairs, single_link
from aiom.similarity.methods import Extra, Method, TfidfCosine, explain
from aiom.similarity.text import surface_forms

NEIGHBOURS = 8
PAIR_FLOOR = 0.2
DEFAULT_THRESHOLD = 0.35

Pair = tuple[int, int, float, tuple[str, ...]]


@dataclass(frozen=True)
class Member:
    id: int
    title: str
    org_unit_id: int
    org_unit: str


@dataclass(frozen=True)
class Cluster:
    size: int
    units: list[str]
    shared_terms: list[str]
    members: list[Member]
    pairs: list[tuple[int, int, float]]


def all_pairs(idx: similarity_index.Index) -> list[Pair]:
    """Every shared use case's nearest shared neighbours above PAIR_FLOOR, each pair once,
    best first (cached). The shared terms are left empty (`shared_terms` fills them)."""
    cached: list[Pair] | None = idx.cache.get("pairs")
    if cached is not None:
        return cached
    method = idx.method
    pairs: list[Pair]
    if isinstance(method, TfidfCosine):
        ids = method.ids
        pairs = [
            (ids[a], ids[b], s, ()) for a, b, s in scored_pairs(method, PAIR_FLOOR, NEIGHBOURS)
        ]
    else:  # one query per document: slow, for a method without stored vectors
        best: dict[tuple[int, int], Pair] = {}
        for pk in method.ids:
            for other, score, _ in method.query(idx.texts[pk], NEIGHBOURS, (pk,)):
                if score < PAIR_FLOOR:
                    break
                key = (min(pk, other), max(pk, other))
                if key not in best or best[key][2] < score:
                    best[key] = (key[0], key[1], score, ())
        pairs = sorted(best.values(), key=lambda p: (-p[2], p[0], p[1]))
    idx.cache["pairs"] = pairs
    return pairs


def confidential_pairs(idx: similarity_index.Index) -> list[Pair]:
    """Pairs with at least one confidential end, best first (cached): each confidential use
    case's NEIGHBOURS best shared ones, and every confidential pair above PAIR_FLOOR."""
    cached: list[Pair] | None = idx.cache.get("confidential_pairs")
    if cached is not None:
        return cached
    method, extra = idx.method, idx.confidential
    found: dict[tuple[int, int], float] = {}
    df = [method.df[t] for t in method.term_names] if isinstance(method, TfidfCosine) else []
    for pos, pk in enumerate(extra.ids):
        best = _near_shared(method, extra, pos, df) + _near_confidential(method, extra, pos)
        for score, other in best:
            if score >= PAIR_FLOOR:
                key = (min(pk, other), max(pk, other))
                found[key] = max(found.get(key, 0.0), score)
    pairs: list[Pair] = sorted(
        ((a, b, s, ()) for (a, b), s in found.items()), key=lambda p: (-p[2], p[0], p[1])
    )
    idx.cache["confidential_pairs"] = pairs
    return pairs


def _near_shared(method: Method, extra: Extra, pos: int, df: list[int]) -> list[tuple[float, int]]:
    """The NEIGHBOURS best shared use cases of confidential `pos`: for TF-IDF the
    blocking's candidates and score (real cosine, the better end's short-document boost)."""
    if not isinstance(method, TfidfCosine):
        return method.rank(extra.texts[pos], NEIGHBOURS)
    names, weights = extra.vectors[pos]
    mine = {
        method.term_ids[t]: w for t, w in zip(names, weights, strict=True) if t in method.term_ids
    }
    lift = extra.boost[pos]
    scored = []
    for j in outside_candidates(method, mine, df):
        tids, theirs = method.vectors[j]
        dot = sum(map(operator.mul, theirs, map(mine.get, tids, repeat(0.0))))
        scored.append((dot * max(lift, method.boost[j]), method.ids[j]))
    return heapq.nlargest(NEIGHBOURS, scored)


def _near_confidential(method: Method, extra: Extra, pos: int) -> list[tuple[float, int]]:
    """EVERY later confidential use case sharing a term with `pos` (no cut-off, so one a
    viewer may not see cannot push out one they may), scored like the shared pairs: for
    TF-IDF the real cosine of the stored vectors, the better end's short-document boost."""
    if not isinstance(method, TfidfCosine):  # a query each way; the pair keeps the better
        found = method.rank(extra.texts[pos], len(extra.ids), extra)
        return [(s, o) for s, o in found if o != extra.ids[pos]]
    dots: dict[int, float] = {}
    get = dots.get
    for name, w in zip(*extra.vectors[pos], strict=True):
        docs, weights = extra.postings[name]
        for j, wj in zip(docs, weights, strict=True):
            if j > pos:
                dots[j] = get(j, 0.0) + w * wj
    lift = extra.boost[pos]
    return [(dot * max(lift, extra.boost[j]), extra.ids[j]) for j, dot in dots.items()]


def shared_terms(idx: similarity_index.Index, a: int, b: int) -> tuple[str, ...]:
    """The words and word pairs two use cases share, rarest first by the shared
    statistics (cached per pair)."""
    found: dict[tuple[int, int], tuple[str, ...]] = idx.cache.setdefault("terms", {})
    if (a, b) not in found:
        method = idx.method
        if isinstance(method, TfidfCosine):
            text_a, text_b = idx.stripped_text(a), idx.stripped_text(b)
            found[(a, b)] = explain(surface_forms(text_a), text_b, method.word_idf)
        else:
            found[(a, b)] = ()
    return found[(a, b)]


def visible_pairs(view: similarity_index.View, threshold: float) -> list[Pair]:
    """The pairs at or above `threshold` whose two ends the viewer may see, best first."""
    idx = view.index
    pairs = [
        p
        for p in all_pairs(idx)
        if p[2] >= threshold and p[0] not in view.hidden and p[1] not in view.hidden
    ]
    if view.extra:
        pairs += [
            p
            for p in confidential_pairs(idx)
            if p[2] >= threshold and view.visible(p[0]) and view.visible(p[1])
        ]
        pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs


def clusters(
    user: Any, threshold: float = DEFAULT_THRESHOLD, org_unit: OrgUnit | None = None
) -> list[Cluster]:
    """Clusters of visible use cases spanning >= 2 org units, widest first."""
    view = similarity_index.view_for(user)
    idx = view.index
    pairs = visible_pairs(view, threshold)
    groups = single_link((a, b) for a, b, _, _ in pairs)
    root_of = {pk: root for root, ids in groups.items() for pk in ids}
    group_pairs: dict[int, list[Pair]] = {}
    for p in pairs:
        group_pairs.setdefault(root_of[p[0]], []).append(p)
    found = []
    for root, ids in groups.items():
        entries = [idx.entries[pk] for pk in sorted(ids)]
        units = sorted({e.unit_name for e in entries})
        if len({e.org_unit_id for e in entries}) < 2:
            continue
        if org_unit is not None and not any(e.unit_path.startswith(org_unit.path) for e in entries):
            continue
        words: Counter[str] = Counter()
        for p in group_pairs[root]:
            words.update(p[3] or shared_terms(idx, p[0], p[1]))
        found.append(
            Cluster(
                size=len(entries),
                units=units,
                shared_terms=[w for w, _ in words.most_common(6)],
                members=[Member(e.id, e.title, e.org_unit_id, e.unit_name) for e in entries],
                pairs=[(a, b, round(s, 3)) for a, b, s, _ in group_pairs[root]],
            )
        )
    found.sort(key=lambda c: (-len(c.units), -c.size, c.members[0].id))
    return found
