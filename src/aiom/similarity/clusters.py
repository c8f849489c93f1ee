"""Portfolio-wide silos: groups of similar use cases that span two or more org units.

Average linkage over the pairs at or above a threshold (`grouping.py`): two groups merge
only when the average similarity over all their members' pairs reaches the threshold, a
pair not kept counting as 0, then every member must average the threshold with the rest
and no group exceeds `grouping.Grouping.max_size`. Single link (connected components) is
not used: it chains, and at 100,000 use cases one component held 80 % of the portfolio.
Pairs come in two kinds, each computed once per index and cached:

- shared pairs (`all_pairs`): each use case of the shared partition with its nearest
  neighbours above RAW_FLOOR among the candidates of `blocking.py`, scored with the real
  cosine. Only shared use cases take part, so no confidential one can take the place of
  a neighbour (the NEIGHBOURS cut-off) or move a statistic.
- confidential pairs (`confidential_pairs`): each confidential use case with its
  NEIGHBOURS best shared use cases (the shared ones' own lists are not touched), and with
  EVERY other confidential use case above RAW_FLOOR (no cut-off among confidential ones:
  one a viewer may not see cannot push out one they may).

Every pair's score is its calibrated STRENGTH (`calibration.py`: how far it stands above
the typical best match in its language), computed from the shared pairs only; a
threshold applies to it, so any threshold from 0 to 1 applies (RAW_FLOOR only leaves out
pairs that share next to nothing, below every use case's best match but the loneliest).

A viewer's clusters use the shared pairs whose two ends they may see plus the
confidential pairs whose two ends they may see (`index.View`), so a use case they may not
see neither appears, bridges two visible ones, lends its words, nor changes a count. A
partner granted some units gets pairs of their own scoped index. Shared terms are
computed only for the pairs a page shows; a cluster shows the pairs inside it.
"""

import heapq
import operator
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from aiom.organisation.models import OrgUnit
from aiom.similarity import grouping
from aiom.similarity import index as similarity_index
from aiom.similarity.blocking import outside_candidates, scored_pairs
from aiom.similarity.calibration import Calibration, calibrate
from aiom.similarity.methods import Extra, Method, TfidfCosine
from aiom.similarity.units import path_key

NEIGHBOURS = 8
CONFIDENTIAL_NEIGHBOURS = 40  # pairs kept per confidential use case among confidential ones
RAW_FLOOR = 0.02  # raw cosine below which a pair is not kept (shares next to nothing)
DEFAULT_THRESHOLD = 0.3  # strength (calibration.py); raw cosine 0.38 on the OMB file
MIN_THRESHOLD, MAX_THRESHOLD = 0.0, 1.0

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


def languages(idx: similarity_index.Index) -> dict[int, str]:
    """id -> language, both partitions (cached)."""
    found: dict[int, str] | None = idx.cache.get("languages")
    if found is None:
        method, extra = idx.method, idx.confidential
        found = dict(zip(extra.ids, extra.languages, strict=True))
        found.update(zip(method.ids, method.languages, strict=True))
        idx.cache["languages"] = found
    return found


def calibration(idx: similarity_index.Index) -> Calibration:
    """The strengths' reference: the shared use cases' best raw scores (cached)."""
    found: Calibration | None = idx.cache.get("calibration")
    if found is None:
        shared = dict(zip(idx.method.ids, idx.method.languages, strict=True))
        found = calibrate(((a, b, s) for a, b, s, _ in raw_pairs(idx)), shared)
        idx.cache["calibration"] = found
    return found


def strength(idx: similarity_index.Index, a: int, b: int, raw: float) -> float:
    langs = languages(idx)
    default = idx.method.language
    return calibration(idx).pair(raw, a, b, langs.get(a, default), langs.get(b, default))


def _calibrated(idx: similarity_index.Index, pairs: list[Pair]) -> list[Pair]:
    found = [(a, b, strength(idx, a, b, s), t) for a, b, s, t in pairs]
    found.sort(key=lambda p: (-p[2], p[0], p[1]))
    return found


def all_pairs(idx: similarity_index.Index) -> list[Pair]:
    """The shared pairs with their strengths, best first (cached)."""
    cached: list[Pair] | None = idx.cache.get("pairs")
    if cached is None:
        cached = idx.cache["pairs"] = _calibrated(idx, raw_pairs(idx))
    return cached


def raw_pairs(idx: similarity_index.Index) -> list[Pair]:
    """Every shared use case's nearest shared neighbours above RAW_FLOOR, each pair once,
    raw cosine, best first (cached). The shared terms are left empty (`shared_terms`)."""
    cached: list[Pair] | None = idx.cache.get("raw_pairs")
    if cached is not None:
        return cached
    method = idx.method
    pairs: list[Pair]
    if isinstance(method, TfidfCosine):
        ids = method.ids
        pairs = [(ids[a], ids[b], s, ()) for a, b, s in scored_pairs(method, RAW_FLOOR, NEIGHBOURS)]
    else:  # one query per document: slow, for a method without stored vectors
        best: dict[tuple[int, int], Pair] = {}
        for pk in method.ids:
            for other, score, _ in method.query(idx.texts[pk], NEIGHBOURS, (pk,)):
                if score < RAW_FLOOR:
                    break
                key = (min(pk, other), max(pk, other))
                if key not in best or best[key][2] < score:
                    best[key] = (key[0], key[1], score, ())
        pairs = sorted(best.values(), key=lambda p: (-p[2], p[0], p[1]))
    idx.cache["raw_pairs"] = pairs
    return pairs


def confidential_pairs(idx: similarity_index.Index) -> list[Pair]:
    """Pairs with at least one confidential end, by strength, best first (cached): each
    confidential use case's NEIGHBOURS best shared ones, and every confidential pair above
    RAW_FLOOR whose strength is above 0 (above the typical best match: a rule about the
    pair alone, so no use case a viewer may not see moves one they see; uncapped, the
    pairs grow with the square of the confidential use cases, millions at 100k)."""
    cached: list[Pair] | None = idx.cache.get("confidential_pairs")
    if cached is not None:
        return cached
    method, extra = idx.method, idx.confidential
    found: dict[tuple[int, int], float] = {}
    df = [method.df[t] for t in method.term_names] if isinstance(method, TfidfCosine) else []
    for pos, pk in enumerate(extra.ids):
        best = _near_shared(method, extra, pos, df) + _near_confidential(method, extra, pos)
        for score, other in best:
            if score >= RAW_FLOOR:
                key = (min(pk, other), max(pk, other))
                found[key] = max(found.get(key, 0.0), score)
    secret = idx.confidential_ids
    pairs = [
        pair
        for pair in _calibrated(idx, [(a, b, s, ()) for (a, b), s in found.items()])
        if pair[2] > 0 or pair[0] not in secret or pair[1] not in secret
    ]
    pairs = _bounded(pairs, secret)
    idx.cache["confidential_pairs"] = pairs
    return pairs


def _bounded(pairs: list[Pair], secret: frozenset[int]) -> list[Pair]:
    """`pairs` (best first) with each pair between two confidential use cases kept only if
    it is among the CONFIDENTIAL_NEIGHBOURS best of one of its ends. Without a bound they
    grow with the square of the confidential use cases (8,000 near-identical ones gave 8
    million pairs and a 1.5 GB index in every process that loads it). The residual
    channel this opens (one a viewer may not see can take one of those places) is the
    use-case page's too: docs/silo-detection.md, "Confidentiality"."""
    taken: Counter[int] = Counter()
    kept: list[Pair] = []
    for pair in pairs:
        a, b = pair[0], pair[1]
        if a in secret and b in secret:
            if taken[a] >= CONFIDENTIAL_NEIGHBOURS and taken[b] >= CONFIDENTIAL_NEIGHBOURS:
                continue
            taken[a] += 1
            taken[b] += 1
        kept.append(pair)
    return kept


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
            found[(a, b)] = method.explain(idx.stripped_text(a), idx.stripped_text(b))
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


def unit_keys(entries: list[similarity_index.Entry]) -> dict[int, tuple[str, ...]]:
    """org unit id -> the spelling-independent key of the unit and its parents, so that
    a department imported under two spellings counts as one unit (`units.py`)."""
    ids = {int(part) for e in entries for part in e.unit_path.strip("/").split("/") if part}
    ids |= {e.org_unit_id for e in entries}
    names = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    names.update((e.org_unit_id, e.unit_name) for e in entries if e.org_unit_id not in names)
    found: dict[int, tuple[str, ...]] = {}
    for e in entries:
        parts = [int(p) for p in e.unit_path.strip("/").split("/") if p] or [e.org_unit_id]
        found[e.org_unit_id] = path_key(names.get(p, str(p)) for p in parts)
    return found


def clusters(
    view: similarity_index.View,
    threshold: float = DEFAULT_THRESHOLD,
    org_unit: OrgUnit | None = None,
) -> list[Cluster]:
    """Clusters of the use cases `view` shows (a viewer's: `loaded.view_for`) spanning >= 2
    org units (units spelled alike count once), widest first."""
    idx = view.index
    pairs = visible_pairs(view, threshold)
    groups = {
        ids[0]: ids for ids in grouping.groups(((a, b, s) for a, b, s, _ in pairs), threshold)
    }
    root_of = {pk: root for root, ids in groups.items() for pk in ids}
    group_pairs: dict[int, list[Pair]] = {root: [] for root in groups}
    for p in pairs:
        root = root_of.get(p[0])
        if root is not None and root_of.get(p[1]) == root:  # a pair inside one group
            group_pairs[root].append(p)
    found = []
    keys = unit_keys([idx.entries[pk] for ids in groups.values() for pk in ids])
    for root, ids in groups.items():
        entries = [idx.entries[pk] for pk in ids]
        named: dict[tuple[str, ...], str] = {}
        for e in entries:
            named.setdefault(keys[e.org_unit_id], e.unit_name)
        units = sorted(named.values())
        if len(named) < 2:
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
