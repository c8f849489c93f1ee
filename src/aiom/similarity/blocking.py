"""Portfolio-wide pairs without one query per document: blocking on rare top terms.

Each document's `top_terms` heaviest TF-IDF terms whose document frequency is between 2
and `max_term_share` of the documents, or `min_cap` in a small register (a term in one
document links nothing; a common one links everything) give it two kinds of candidates:
every document holding one of those terms that is in at most `max_bucket` documents (a
probe: catches a short title whose few words are ordinary against a long text whose top
terms are rarer), and every
document sharing a key = a sorted pair of those terms (a bucket larger than
`max_bucket` is skipped as too generic). Only candidate pairs are scored, with the
real cosine of the stored vectors taken as the better of the two queries would give it
(a query is not floored: the short-document floor only lowers the other end). So a
score is what one query per document gave, except that a query also skips terms in more
than `max_df` of the documents; the blocking only decides which pairs are
looked at (measured recall against every pair: docs/silo-detection.md).
"""

import bisect
import heapq
import itertools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

from aiom.similarity import parallel
from aiom.similarity.methods import TfidfCosine

Scored = tuple[int, int, float]  # document positions a < b, cosine


@dataclass(frozen=True)
class Blocking:
    top_terms: int = 6
    max_term_share: float = 0.05
    max_bucket: int = 60
    min_cap: int = 10  # a small register: a term in up to 10 documents still blocks


DEFAULT_BLOCKING = Blocking()


def keys(
    method: TfidfCosine, rule: Blocking = DEFAULT_BLOCKING
) -> list[tuple[list[str], list[int]]]:
    """Per document position: its probe terms (top terms in at most `max_bucket`
    documents) and its blocking keys (pairs of top term ids packed into one int)."""
    n_terms = len(method.term_ids)
    names = list(method.term_ids)
    df = [method.df[t] for t in names]
    cap = max(rule.min_cap, int(rule.max_term_share * len(method.ids)))
    found: list[tuple[list[str], list[int]]] = []
    for tids, weights in method.vectors:
        usable = [(w, t) for t, w in zip(tids, weights, strict=True) if 2 <= df[t] <= cap]
        top = sorted(t for _, t in heapq.nlargest(rule.top_terms, usable))
        probes = [names[t] for t in top if df[t] <= rule.max_bucket]
        found.append((probes, [a * n_terms + b for a, b in itertools.combinations(top, 2)]))
    return found


def buckets(doc_keys: list[list[int]], rule: Blocking = DEFAULT_BLOCKING) -> dict[int, list[int]]:
    """key -> document positions, for keys shared by 2..max_bucket documents."""
    counts: dict[int, int] = {}
    for ks in doc_keys:
        for k in ks:
            counts[k] = counts.get(k, 0) + 1
    found: dict[int, list[int]] = {}
    for pos, ks in enumerate(doc_keys):
        for k in ks:
            if 2 <= counts[k] <= rule.max_bucket:
                found.setdefault(k, []).append(pos)
    return found


def rare_postings(method: TfidfCosine, rule: Blocking = DEFAULT_BLOCKING) -> dict[str, list[int]]:
    """term -> the documents holding it, for the terms in at most `max_bucket` documents
    (the only ones a probe reads): a fraction of the whole inverted index."""
    names = list(method.term_ids)  # in id order
    return {names[tid]: docs for tid, docs in _rare_by_id(method, rule).items()}


def _rare_by_id(method: TfidfCosine, rule: Blocking) -> dict[int, list[int]]:
    """term id -> the documents holding it (ascending), for terms in <= `max_bucket`."""
    rare = bytes(method.df[name] <= rule.max_bucket for name in method.term_ids)
    found: dict[int, list[int]] = {}
    for i, (tids, _) in enumerate(method.vectors):
        for tid in itertools.compress(tids, map(rare.__getitem__, tids)):
            found.setdefault(tid, []).append(i)
    return found


def scored_pairs(
    method: TfidfCosine,
    floor: float,
    neighbours: int,
    rule: Blocking = DEFAULT_BLOCKING,
) -> list[Scored]:
    """Each document's `neighbours` best candidates at or above `floor`, each pair once,
    best first (the documents are shared out over the cores when there are many).

    Each candidate pair is scored once, from its lower position: a document's later
    candidates are the later documents sharing one of its keys, holding one of its probe
    terms, or probing with one of its rare terms (the pairs the probes of the later
    document give it)."""
    doc_keys = keys(method, rule)
    term_ids = method.term_ids
    holders = _rare_by_id(method, rule)
    probers: dict[int, list[int]] = {}  # rare term id -> the documents probing with it
    for i, (probes, _) in enumerate(doc_keys):
        for term in probes:
            probers.setdefault(term_ids[term], []).append(i)
    inputs = {
        "doc_keys": doc_keys,
        "shared": buckets([ks for _, ks in doc_keys], rule),
        "holders": holders,
        "probers": probers,
        "vectors": method.vectors,
        "boost": method.boost,
        "floor": floor,
        "neighbours": neighbours,
        "term_ids": term_ids,
    }
    best: dict[int, list[tuple[float, int]]] = {}
    for part in parallel.fork_map(_best_of_part, len(doc_keys), inputs):
        for i, heap in part.items():
            mine = best.get(i)
            best[i] = heap if mine is None else heapq.nlargest(neighbours, set(mine) | set(heap))
    pairs: dict[tuple[int, int], float] = {}
    for i, heap in best.items():
        for score, j in heap:
            pairs[(min(i, j), max(i, j))] = score
    return sorted(((a, b, s) for (a, b), s in pairs.items()), key=lambda p: (-p[2], p[0], p[1]))


def _later(docs: list[int], i: int) -> list[int]:
    """The positions after `i` in the ascending `docs`."""
    return docs[bisect.bisect_right(docs, i) :]


def _best_of_part(part: int, parts: int) -> dict[int, list[tuple[float, int]]]:
    """The best-neighbour heaps from scoring the candidate pairs whose lower position i
    has i % parts == part: every pair is scored by one part, once."""
    doc_keys = parallel.shared("doc_keys")
    shared, holders = parallel.shared("shared"), parallel.shared("holders")
    probers = parallel.shared("probers")
    vectors, boost = parallel.shared("vectors"), parallel.shared("boost")
    floor, neighbours = parallel.shared("floor"), parallel.shared("neighbours")
    term_ids: dict[str, int] = parallel.shared("term_ids")
    best: dict[int, list[tuple[float, int]]] = {}
    mul, push, replace = operator.mul, heapq.heappush, heapq.heapreplace
    for i in range(part, len(doc_keys), parts):
        probes, ks = doc_keys[i]
        candidates: set[int] = set()
        for k in ks:
            members = shared.get(k)
            if members is not None:
                candidates.update(_later(members, i))
        for term in probes:
            candidates.update(_later(holders[term_ids[term]], i))
        tids, weights = vectors[i]
        for tid in tids:
            probing = probers.get(tid)
            if probing is not None:
                candidates.update(_later(probing, i))
        if not candidates:
            continue
        get = dict(zip(tids, weights, strict=True)).get
        lift = boost[i]
        mine = best.setdefault(i, [])
        for j in sorted(candidates):
            theirs_tids, theirs = vectors[j]
            dot = sum(map(mul, theirs, map(get, theirs_tids, repeat(0.0))))
            score = dot * max(lift, boost[j])
            if score < floor:
                continue
            for heap, other in ((mine, j), (best.setdefault(j, []), i)):
                if len(heap) < neighbours:
                    push(heap, (score, other))
                elif (score, other) > heap[0]:  # a total order: the same heaps however shared
                    replace(heap, (score, other))
    return {i: heap for i, heap in best.items() if heap}


def outside_candidates(
    method: TfidfCosine,
    vector: dict[int, float],
    df: list[int],
    rule: Blocking = DEFAULT_BLOCKING,
) -> set[int]:
    """Positions of fitted documents worth scoring against a document that is NOT among
    them (a confidential one, `vector`: term id -> weight, in the fitted vocabulary), by
    the rule of `scored_pairs` seen from one side: its `top_terms` heaviest terms with a
    fitted document frequency between 1 and `max_term_share`; every document holding one
    of them that is in at most `max_bucket` documents, and every document holding two of
    them when at most `max_bucket` do. Reads the fitted documents only: the candidates do
    not depend on any other outside document."""
    cap = max(rule.min_cap, int(rule.max_term_share * len(method.ids)))
    usable = [(w, t) for t, w in vector.items() if 1 <= df[t] <= cap]
    top = sorted(t for _, t in heapq.nlargest(rule.top_terms, usable))
    names = method.term_names
    holders = {t: method.postings[names[t]][0] for t in top}
    found: set[int] = set()
    for t in top:
        if df[t] <= rule.max_bucket:
            found.update(holders[t])
    for a, b in itertools.combinations(top, 2):
        both = set(holders[a]).intersection(holders[b])
        if len(both) <= rule.max_bucket:
            found |= both
    return found


def single_link(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Connected components of the pairs' graph: smallest member -> members, sorted."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in sorted(parent):
        groups.setdefault(find(x), []).append(x)
    return groups
