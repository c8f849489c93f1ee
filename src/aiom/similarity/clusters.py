"""Portfolio-wide silos: groups of similar use cases that span two or more org units.

Single-link clustering over pairs above a threshold. The pairs (each use case's nearest
neighbours above PAIR_FLOOR) are computed once per index and cached; visibility is
applied to the pairs before clustering, so a hidden use case never bridges two visible
ones nor lends its words. Single link chains: raise the threshold if clusters sprawl.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.similarity import index as similarity_index

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
    """Every use case's nearest neighbours above PAIR_FLOOR, each pair once (cached)."""
    cached: list[Pair] | None = idx.cache.get("pairs")
    if cached is not None:
        return cached
    best: dict[tuple[int, int], Pair] = {}
    for pk, text in idx.texts.items():
        for other, score, terms in idx.method.query(text, NEIGHBOURS, (pk,)):
            if score < PAIR_FLOOR:
                break
            key = (min(pk, other), max(pk, other))
            if key not in best or best[key][2] < score:
                best[key] = (key[0], key[1], score, terms)
    pairs = sorted(best.values(), key=lambda p: -p[2])
    idx.cache["pairs"] = pairs
    return pairs


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def clusters(
    user: Any, threshold: float = DEFAULT_THRESHOLD, org_unit: OrgUnit | None = None
) -> list[Cluster]:
    """Clusters of visible use cases spanning >= 2 org units, widest first."""
    idx = similarity_index.current()
    visible = set(UseCase.objects.visible_to(user).values_list("id", flat=True))
    pairs = [p for p in all_pairs(idx) if p[2] >= threshold and p[0] in visible and p[1] in visible]
    parent: dict[int, int] = {}
    for a, b, _, _ in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for pk in parent:
        groups.setdefault(_find(parent, pk), []).append(pk)
    group_pairs: dict[int, list[Pair]] = {}
    for p in pairs:
        group_pairs.setdefault(_find(parent, p[0]), []).append(p)
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
            words.update(p[3])
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
