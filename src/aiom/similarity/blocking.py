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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from math import sumprod

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
    counts = Counter(itertools.chain.from_iterable(doc_keys))
    found: dict[int, list[int]] = {}
    for pos, ks in enumerate(doc_keys):
        for k in ks:
            if 2 <= counts[k] <= rule.max_bucket:
                found.setdefault(k, []).append(pos)
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
    terms, or probing with one of the terms it holds (the pairs the probes of the later
    document give it)."""
    doc_keys = keys(method, rule)
    term_ids = method.term_ids
    doc_probes = [[term_ids[term] for term in probes] for probes, _ in doc_keys]
    probers: dict[int, list[int]] = {}  # probe term id -> the documents probing with it
    for i, probes in enumerate(doc_probes):
        for tid in probes:
            probers.setdefault(tid, []).append(i)
    mask = bytearray(len(term_ids))
    for tid in probers:
        mask[tid] = 1
    probing = bytes(mask)  # term id -> 1 when some document probes with it
    holders: dict[int, list[int]] = {}  # probe term id -> the documents holding it
    for i, (tids, _) in enumerate(method.vectors):
        for tid in itertools.compress(tids, map(probing.__getitem__, tids)):
            holders.setdefault(tid, []).append(i)
    inputs = {
        "doc_probes": doc_probes,
        "shared": buckets([ks for _, ks in doc_keys], rule),
        "doc_keys": [ks for _, ks in doc_keys],
        "holders": holders,
        "probers": probers,
        "probing": probing,
        "vectors": method.vectors,
        "boost": method.boost,
        "floor": floor,
        "neighbours": neighbours,
    }
    best: dict[int, list[tuple[float, int]]] = {}
    for part in parallel.fork_map(_best_of_part, len(doc_keys), inputs):
        for i, heap in part.items():
            mine = best.get(i)  # no pair is in two parts: no duplicate to drop
            best[i] = heap if mine is None else heapq.nlargest(neighbours, mine + heap)
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
    doc_keys, doc_probes = parallel.shared("doc_keys"), parallel.shared("doc_probes")
    shared, holders = parallel.shared("shared"), parallel.shared("holders")
    probers, probing = parallel.shared("probers"), parallel.shared("probing")
    vectors, boost = parallel.shared("vectors"), parallel.shared("boost")
    floor, neighbours = parallel.shared("floor"), parallel.shared("neighbours")
    best: list[list[tuple[float, int]]] = [[] for _ in doc_keys]
    push, replace, compress = heapq.heappush, heapq.heapreplace, itertools.compress
    is_probe = probing.__getitem__
    for i in range(part, len(doc_keys), parts):
        candidates: set[int] = set()
        for k in doc_keys[i]:
            members = shared.get(k)
            if members is not None:
                candidates.update(_later(members, i))
        for tid in doc_probes[i]:
            candidates.update(_later(holders[tid], i))
        tids, weights = vectors[i]
        for tid in compress(tids, map(is_probe, tids)):
            candidates.update(_later(probers[tid], i))
        if not candidates:
            continue
        get = dict(zip(tids, weights, strict=True)).get
        lift = boost[i]
        mine = best[i]
        for j in candidates:  # any order: a heap keeps the best by (score, id)
            theirs_tids, theirs = vectors[j]
            score = sumprod(theirs, map(get, theirs_tids, repeat(0.0))) * max(lift, boost[j])
            if score < floor:
                continue
            # a total order on (score, id): the same heaps however the work is shared out
            entry = (score, j)
            if len(mine) < neighbours:
                push(mine, entry)
            elif entry > mine[0]:
                replace(mine, entry)
            heap, entry = best[j], (score, i)
            if len(heap) < neighbours:
                push(heap, entry)
            elif entry > heap[0]:
                replace(heap, entry)
    return {i: heap for i, heap in enumerate(best) if heap}


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
