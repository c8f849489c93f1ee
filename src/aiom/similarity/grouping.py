"""Groups a person can act on: average linkage over the similarity graph, no chaining.

Single link (connected components of the pairs above a threshold) chains: A is like B, B
like C, ... so A and Z share a group though they share nothing; at 100,000 generated use
cases one component held 80 % of the portfolio. Here two groups merge only when the
AVERAGE similarity over every pair of their members is at least the threshold, a pair
that was not scored counting as 0 (it shares next to nothing, or neither end has the
other among its best neighbours). So a chain's ends pull the average down and stop it, and
two tight groups joined by one bridge stay two: the bridge is one pair among |A| x |B|.

Best merge first (a heap of the graph's edges, stale entries skipped), which is exact
UPGMA cut at the threshold: average linkage is reducible, so merging the best pair first
gives the same groups as the full dendrogram. Every pair of a group's members was joined
at one merge whose average was >= threshold, so a group's mean pair similarity is >= the
threshold. A group is then made COHERENT: while some member's average similarity to the
rest is below the threshold, the weakest leaves (it only rode in on the others) and may
join the group it is most like instead, if that one stays coherent; and a group larger
than `max_size` is split again at a higher threshold (`Grouping.step`), so no group is
ever the portfolio.

Last, LOOSE groups join: a lone use case or a pair may join another group through one
pair above the threshold, two larger groups through two pairs or more, when the union
stays small (`loose_max`) and every two of its members are at most `max_hops` (3) pairs
apart. Duplicates worded differently (five cities' scan cars, each like one or two of the
others; LexisNexis and Westlaw under four agencies' names) form a sparse graph whose
average is below any useful threshold; this keeps them together, while a chain still
stops after three links and two groups of three or more never join through one bridge.

Deterministic: ties are broken by the groups' smallest member ids, sums do not depend on
the order of the input, no randomness. Pure: pairs in, sorted member lists out.
"""

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

Edge = tuple[int, int, float]  # two ids, a similarity in 0..1


@dataclass(frozen=True)
class Grouping:
    max_size: int = 50  # a larger group is split again at a higher threshold
    step: float = 0.05  # how much higher, each time
    loose: int = 2  # a group this small (a lone use case, a pair) may join another by one pair
    bridges: int = 2  # larger groups join only by at least this many pairs, never by one
    loose_max: int = 10  # ... and only when the union has at most this many members
    max_hops: int = 3  # ... all within this many pairs of each other


DEFAULT_GROUPING = Grouping()


def graph(pairs: Iterable[Edge]) -> dict[int, dict[int, float]]:
    """id -> {neighbour: similarity}, both ways; a pair given twice keeps its higher score,
    a pair of an id with itself or with a score <= 0 is left out."""
    found: dict[int, dict[int, float]] = {}
    for a, b, s in pairs:
        if a == b or not s > 0:
            continue
        mine, theirs = found.setdefault(a, {}), found.setdefault(b, {})
        if s > mine.get(b, 0.0):
            mine[b] = theirs[a] = s
    return found


def average_linkage(adjacency: dict[int, dict[int, float]], threshold: float) -> list[list[int]]:
    """Groups of >= 2 ids (sorted), ordered by smallest member: merge the two groups with
    the highest average pair similarity (missing pairs 0) while it is >= `threshold`."""
    sums = {x: dict(near) for x, near in adjacency.items()}  # group -> {group: sum of pairs}
    members = {x: [x] for x in sums}
    heap = [(-s, a, b) for a, near in sums.items() for b, s in near.items() if a < b]
    heap = [entry for entry in heap if -entry[0] >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one of them was merged away since
        link = sums[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if link != -negative:
            continue  # stale: a group changed since, its current entry is in the heap
        keep, gone = a, b  # a < b: a group is named by its smallest member
        for c, s in sums.pop(gone).items():
            theirs = sums[c]
            del theirs[gone]
            if c != keep:
                theirs[keep] = sums[keep][c] = sums[keep].get(c, 0.0) + s
        members[keep] += members.pop(gone)
        size = len(members[keep])
        for c, s in sums[keep].items():
            link = s / (size * len(members[c]))
            if link >= threshold:
                heapq.heappush(heap, (-link, min(keep, c), max(keep, c)))
    groups = [sorted(ids) for ids in members.values() if len(ids) > 1]
    groups.sort()
    return groups


def coherent(
    group: list[int], adjacency: dict[int, dict[int, float]], threshold: float
) -> list[int]:
    """`group` without its weak members: while the member with the lowest average
    similarity to the rest (the highest id on a tie) is below `threshold`, it leaves.
    Empty when fewer than two remain."""
    rest = set(group)
    while len(rest) > 2:
        weakest = min(
            rest, key=lambda x: (sum(s for y, s in adjacency[x].items() if y in rest), -x)
        )
        if sum(s for y, s in adjacency[weakest].items() if y in rest) >= threshold * (
            len(rest) - 1
        ):
            break
        rest.discard(weakest)
    if len(rest) == 2:
        a, b = rest
        if adjacency[a].get(b, 0.0) < threshold:
            rest.clear()
    return sorted(rest) if len(rest) > 1 else []


def groups(
    pairs: Iterable[Edge], threshold: float, rule: Grouping = DEFAULT_GROUPING
) -> list[list[int]]:
    """Coherent groups of >= 2 ids (sorted) from the pairs at or above `threshold`, none
    larger than `rule.max_size`, ordered by smallest member. A pair below the threshold
    counts as 0, like a pair never scored."""
    adjacency = graph((a, b, s) for a, b, s in pairs if s >= threshold)
    found: list[list[int]] = []
    for group in average_linkage(adjacency, threshold):
        found.extend(_capped(group, adjacency, threshold, rule))
    found = _rejoined(found, adjacency, threshold, rule)
    found = _loosely_joined(found, adjacency, rule)
    found.sort()
    return found


def _loosely_joined(
    found: list[list[int]], adjacency: dict[int, dict[int, float]], rule: Grouping
) -> list[list[int]]:
    """`found` with loose groups joined: by the pairs (of `adjacency`) between two groups,
    strongest first (then smallest ids), a lone use case or a pair (`rule.loose`) joins
    the other group, and two larger groups join when at least `rule.bridges` pairs link
    them, in both cases only when the union stays small (`loose_max`) and every two of its
    members are at most `max_hops` pairs apart. Five cities' scan cars worded five ways
    are four pairs of a tree (each city like one or two others), which average linkage
    alone leaves in pieces; a chain still stops after `max_hops` links, and two groups of
    three or more never join by one bridge."""
    sets = [set(group) for group in found]
    where = {x: n for n, group in enumerate(sets) for x in group}
    for x in sorted(set(adjacency) - where.keys()):
        where[x] = len(sets)
        sets.append({x})
    edges = sorted(
        ((-s, a, b) for a, near in adjacency.items() for b, s in near.items() if a < b),
    )
    for _, a, b in edges:
        na, nb = where[a], where[b]
        if na == nb:
            continue
        first, second = sets[na], sets[nb]
        if len(first) + len(second) > min(rule.loose_max, rule.max_size):
            continue
        if min(len(first), len(second)) > rule.loose:
            smaller, other = (first, nb) if len(first) <= len(second) else (second, na)
            across = sum(where[y] == other for x in smaller for y in adjacency[x])
            if across < rule.bridges:
                continue
        union = first | second
        if not _within_hops(union, adjacency, rule.max_hops):
            continue
        keep, gone = (na, nb) if len(first) >= len(second) else (nb, na)
        for x in sets[gone]:
            where[x] = keep
        sets[keep] = union
        sets[gone] = set()
    return [sorted(group) for group in sets if len(group) > 1]


def _within_hops(group: set[int], adjacency: dict[int, dict[int, float]], hops: int) -> bool:
    """Whether every two members are joined by at most `hops` pairs inside `group`."""
    for start in group:
        seen = {start}
        frontier = [start]
        for _ in range(hops):
            frontier = [y for x in frontier for y in adjacency[x] if y in group and y not in seen]
            seen.update(frontier)
        if len(seen) < len(group):
            return False
    return True


def _rejoined(
    found: list[list[int]],
    adjacency: dict[int, dict[int, float]],
    threshold: float,
    rule: Grouping,
) -> list[list[int]]:
    """`found` with each id left out of every group (smallest first) added to the group it
    is most like on average, when that average is >= `threshold`, the group stays coherent
    and under the cap: a member that left a group it only rode into (its strongest pair
    merged first) goes back to its own kind."""
    where = {x: n for n, group in enumerate(found) for x in group}
    sets = [set(group) for group in found]
    for x in sorted(set(adjacency) - where.keys()):
        sums: dict[int, float] = {}
        for y, s in adjacency[x].items():
            n = where.get(y)
            if n is not None:
                sums[n] = sums.get(n, 0.0) + s
        ranked = sorted(sums, key=lambda n: (-sums[n] / len(sets[n]), found[n][0]))
        for n in ranked:
            if sums[n] < threshold * len(sets[n]):
                break
            if len(sets[n]) < rule.max_size and _is_coherent(sets[n] | {x}, adjacency, threshold):
                sets[n].add(x)
                where[x] = n
                break
    return [sorted(group) for group in sets]


def _is_coherent(group: set[int], adjacency: dict[int, dict[int, float]], threshold: float) -> bool:
    """Whether every member's average similarity to the rest is >= `threshold`."""
    need = threshold * (len(group) - 1)
    return all(sum(s for y, s in adjacency[x].items() if y in group) >= need for x in group)


def _capped(
    group: list[int], adjacency: dict[int, dict[int, float]], threshold: float, rule: Grouping
) -> list[list[int]]:
    group = coherent(group, adjacency, threshold)
    if len(group) <= rule.max_size:
        return [group] if group else []
    inside = set(group)
    sub = {x: {y: s for y, s in adjacency[x].items() if y in inside} for x in group}
    higher = threshold + rule.step
    if higher > 1.0:  # all alike at the top score: cut in order, never drop them
        chunks = [group[i : i + rule.max_size] for i in range(0, len(group), rule.max_size)]
        return [chunk for chunk in chunks if len(chunk) > 1]
    return [
        part
        for smaller in average_linkage(sub, higher)
        for part in _capped(smaller, sub, higher, rule)
    ]
