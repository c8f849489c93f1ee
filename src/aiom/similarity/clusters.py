"""Portfolio-wide silos: groups of similar use cases that span two or more org units.

Single-link clustering over pairs above a threshold. The pairs (each use case's nearest
neighbours above PAIR_FLOOR among the candidates of `blocking.py`, scored with the real
cosine) are computed once per index and cached; their shared terms only for the pairs
a page shows; visibility is
applied to the pairs before clustering, so a hidden use case never bridges two visible
ones nor lends its words. Single link chains: raise the threshold if clusters sprawl.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiom.organisation.models import OrgUnit
from aiom.similarity import index as similarity_index
from aiom.similarity.blocking import scored_pairs, single_link
from aiom.similarity.methods import TfidfCosine, explain
from aiom.similarity.search import hidden_ids
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
    """Every use case's nearest neighbours above PAIR_FLOOR, each pair once (cached).

    The shared terms are left empty here (`shared_terms` fills them on demand)."""
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
        for pk, text in idx.texts.items():
            for other, score, _ in method.query(text, NEIGHBOURS, (pk,)):
                if score < PAIR_FLOOR:
                    break
                key = (min(pk, other), max(pk, other))
                if key not in best or best[key][2] < score:
                    best[key] = (key[0], key[1], score, ())
        pairs = sorted(best.values(), key=lambda p: -p[2])
    idx.cache["pairs"] = pairs
    return pairs


def shared_terms(idx: similarity_index.Index, a: int, b: int) -> tuple[str, ...]:
    """The words and word pairs two use cases share, rarest first (cached per pair)."""
    found: dict[tuple[int, int], tuple[str, ...]] = idx.cache.setdefault("terms", {})
    if (a, b) not in found:
        method = idx.method
        if isinstance(method, TfidfCosine):
            positions: dict[int, int] = idx.cache.setdefault(
                "positions", {pk: i for i, pk in enumerate(method.ids)}
            )
            text_a, text_b = method.texts[positions[a]], method.texts[positions[b]]
            found[(a, b)] = explain(surface_forms(text_a), text_b, method.word_idf)
        else:
            found[(a, b)] = ()
    return found[(a, b)]


def clusters(
    user: Any, threshold: float = DEFAULT_THRESHOLD, org_unit: OrgUnit | None = None
) -> list[Cluster]:
    """Clusters of visible use cases spanning >= 2 org units, widest first."""
    idx = similarity_index.current()
    hidden = hidden_ids(user)
    pairs = [
        p for p in all_pairs(idx) if p[2] >= threshold and p[0] not in hidden and p[1] not in hidden
    ]
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
