"""Average linkage over the similarity graph: no chaining, coherent groups, deterministic."""

import itertools
import random

import pytest

from aiom.similarity.blocking import single_link
from aiom.similarity.grouping import Edge, Grouping, average_linkage, coherent, graph, groups

T = 0.3


def clique(ids: range, score: float) -> list[Edge]:
    return [(a, b, score) for a, b in itertools.combinations(ids, 2)]


CHAIN = [(i, i + 1, 0.9) for i in range(25)]  # A-B-C-...-Z, each link strong
BRIDGED = clique(range(0, 5), 0.8) + clique(range(10, 15), 0.7) + [(4, 10, 0.4)]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], []),
        ([(1, 2, 0.5)], [[1, 2]]),
        ([(1, 2, 0.2)], []),  # below the threshold
        ([(1, 2, T)], [[1, 2]]),  # at it
        ([(1, 1, 0.9)], []),  # a use case with itself
        ([(2, 1, 0.5), (1, 2, 0.1)], [[1, 2]]),  # given twice: the higher score
        (clique(range(4), 0.6), [[0, 1, 2, 3]]),  # true duplicates: one group
        # a chain of four: 1-2 merge (0.9), 0 and 3 average (0.5 + 0) / 2 < 0.3 with
        # them, but join loosely: each alone, every two members <= 3 pairs apart
        ([(0, 1, 0.5), (1, 2, 0.9), (2, 3, 0.5)], [[0, 1, 2, 3]]),
        # a chain of five stops after three links: 3-4 pair up, 0 joins 1-2, and the two
        # groups would put 0 four links from 4
        ([(0, 1, 0.5), (1, 2, 0.9), (2, 3, 0.5), (3, 4, 0.4)], [[0, 1, 2], [3, 4]]),
        # five cities' scan cars (strengths measured on the Dutch test register): a tree,
        # averaging 0.15 over its ten pairs, one group
        ([(4, 7, 0.467), (5, 8, 0.437), (4, 6, 0.316), (4, 8, 0.307)], [[4, 5, 6, 7, 8]]),
        # two true duplicate groups joined by one weak bridge stay two (one bridge joins
        # only a lone use case or a pair)
        (BRIDGED, [[0, 1, 2, 3, 4], [10, 11, 12, 13, 14]]),
        # ... two bridges join them (ten members, every two <= 3 pairs apart)
        ([*BRIDGED, (3, 11, 0.4)], [[0, 1, 2, 3, 4, 10, 11, 12, 13, 14]]),
        # ... but not beyond ten members (`loose_max`)
        ([*BRIDGED, (3, 11, 0.4), (10, 15, 0.7)], [[0, 1, 2, 3, 4], [10, 11, 12, 13, 14, 15]]),
        # ... and by one strong bridge too: 4-10 merge first, {4, 10} joins 0-3, 10 is
        # left with an average of 0.95 / 5 to the rest, leaves, and joins 11-14
        ([*BRIDGED[:-1], (4, 10, 0.95)], [[0, 1, 2, 3, 4], [10, 11, 12, 13, 14]]),
        # a third member that is like both of a pair joins it
        ([(1, 2, 0.9), (1, 3, 0.5), (2, 3, 0.5)], [[1, 2, 3]]),
    ],
)
def test_groups(pairs: list[Edge], expected: list[list[int]]) -> None:
    assert groups(pairs, T) == expected


def test_a_chain_that_single_link_merges_is_not_one_group() -> None:
    """A-B-...-Z: single link makes one group of 26; here neighbours pair up (a third
    member would average (0.9 + 0) / 2 with a pair), two pairs join loosely, and no group
    holds two members more than three links apart."""
    assert list(single_link((a, b) for a, b, _ in CHAIN).values()) == [list(range(26))]
    found = groups(CHAIN, T)
    assert found == [[i, i + 1, i + 2, i + 3] for i in range(0, 24, 4)] + [[24, 25]]


def test_a_member_that_rode_in_leaves_an_incoherent_group() -> None:
    """{0, 1} tight, 2 like both, 3 like 2 only: in {0, 1, 2, 3} 3's average to the rest
    is 0.7 / 3 < 0.3, so it leaves; the others then average 0.75 and 0.5 and stay."""
    adjacency = graph([(0, 1, 1.0), (0, 2, 0.5), (1, 2, 0.5), (2, 3, 0.7)])
    assert coherent([0, 1, 2, 3], adjacency, 0.3) == [0, 1, 2]
    assert coherent([0, 3], adjacency, 0.3) == []  # no pair at all
    assert coherent([2, 3], adjacency, 0.3) == [2, 3]
    assert coherent([0, 1, 2, 3], adjacency, 0.9) == [0, 1]
    assert coherent([0, 1, 2, 3], adjacency, 1.1) == []


def test_ties_are_broken_by_smallest_ids_whatever_the_input_order() -> None:
    """1-2, 2-3, ... 5-6 all score 0.5: 1-2, 3-4 and 5-6 merge (smallest ids first; a pair
    averages 0.5 / 2 with a third); then 2-3 joins two pairs (four members, three links)
    before 4-5 could. Any order of the input gives the same groups."""
    pairs = [(i, i + 1, 0.5) for i in range(1, 6)]
    rng = random.Random(3)
    for _ in range(20):
        rng.shuffle(pairs)
        flipped = [(b, a, s) if rng.random() < 0.5 else (a, b, s) for a, b, s in pairs]
        assert groups(flipped, T) == [[1, 2, 3, 4], [5, 6]]


def test_average_linkage_is_exact_upgma() -> None:
    """Merging {1,2} with {3,4} needs the average of the four cross pairs: 0.35 merges
    at 0.3 and not at 0.4 (a missing cross pair counts as 0)."""
    pairs = clique(range(1, 3), 0.9) + clique(range(3, 5), 0.9)
    cross = [(1, 3, 0.7), (2, 4, 0.7)]  # 1.4 / 4 = 0.35
    assert average_linkage(graph(pairs + cross), 0.3) == [[1, 2, 3, 4]]
    assert average_linkage(graph(pairs + cross), 0.4) == [[1, 2], [3, 4]]


def test_a_group_larger_than_the_cap_is_split_at_a_higher_threshold() -> None:
    """Two cliques of 6 at 0.9 with every cross pair at 0.5 average 0.5: one group of 12
    at 0.3; with a cap of 8 it splits at 0.35, 0.40, ... until the cliques part."""
    pairs = clique(range(6), 0.9) + clique(range(6, 12), 0.9)
    pairs += [(a, b, 0.5) for a in range(6) for b in range(6, 12)]
    assert groups(pairs, T) == [list(range(12))]
    assert groups(pairs, T, Grouping(max_size=8)) == [list(range(6)), list(range(6, 12))]


def test_an_identical_group_over_the_cap_is_cut_in_order() -> None:
    pairs = clique(range(7), 1.0)
    assert groups(pairs, T, Grouping(max_size=3)) == [[0, 1, 2], [3, 4, 5]]


def test_confidential_pairs_are_bounded_per_use_case() -> None:
    """Between two confidential use cases a pair is kept only among the best
    CONFIDENTIAL_NEIGHBOURS of one of its ends (best first); pairs with a shared end are
    never cut."""
    from aiom.similarity.clusters import CONFIDENTIAL_NEIGHBOURS, Pair, _bounded

    none: tuple[str, ...] = ()
    n = CONFIDENTIAL_NEIGHBOURS + 10
    secret = frozenset(range(1, 2 * n + 2))
    hub: list[Pair] = [(1, j, 1.0 - j / 1000, none) for j in range(2, n + 2)]  # 1 and all
    pairs = [*sorted(hub, key=lambda p: -p[2]), (1, 9_999, 0.1, none)]  # 9,999 is shared
    kept = _bounded(pairs, secret)
    # every pair is among the best 40 of its OTHER end (each has one pair): all kept
    assert len(kept) == len(pairs)
    # a clique of near-identical confidential use cases: O(n * 40), not O(n^2)
    clique: list[Pair] = [
        (a, b, 0.9, none) for a in range(1, 2 * n + 2) for b in range(a + 1, 2 * n + 2)
    ]
    bounded = _bounded(clique, secret)
    assert len(bounded) <= CONFIDENTIAL_NEIGHBOURS * len(secret)
    assert len(bounded) < len(clique)
    degree: dict[int, int] = {}
    for a, b, _, _ in bounded:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    assert min(degree.values()) >= CONFIDENTIAL_NEIGHBOURS  # each keeps at least its best 40
