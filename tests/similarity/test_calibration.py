"""Calibrated strengths: the Dutch scan-car case, corpus size, boilerplate, thresholds."""

import random

import pytest

from aiom.similarity import index as similarity_index
from aiom.similarity.calibration import Z_HALF, calibrate
from aiom.similarity.clusters import (
    DEFAULT_THRESHOLD,
    all_pairs,
    raw_pairs,
    shared_terms,
)
from aiom.similarity.grouping import groups
from aiom.similarity.methods import Doc, TfidfCosine
from tests.similarity.dutch_register import SCAN_CARS, TEMPLATE, UNRELATED

CITIES = list(SCAN_CARS)
OTHER_CITIES = ["Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem"]


def _register(extra_unrelated: int = 0) -> list[tuple[int, str, str]]:
    """(id, unit, text): the five scan cars (ids 0-4) and the unrelated records (ids 100..)
    spread over ten cities, every record closing with its city's own legal sentence, and
    `extra_unrelated` further records of made-up words (a larger register)."""
    rows = []
    for i, city in enumerate(CITIES):
        title, text = SCAN_CARS[city]
        rows.append((i, city, f"{title}\n{title}\n{text}"))
    cities = CITIES + OTHER_CITIES
    homes = [c for c in CITIES for _ in range(2)] + [c for c in OTHER_CITIES for _ in range(3)]
    for n, (title, text) in enumerate(UNRELATED):  # three records per city
        rows.append((100 + n, homes[n], f"{title}\n{title}\n{text}"))
    rng = random.Random(5)
    syllables = [
        "ka",
        "lo",
        "mer",
        "ven",
        "dra",
        "sto",
        "pel",
        "rin",
        "bo",
        "tus",
        "gar",
        "ne",
        "fi",
        "ju",
        "wam",
        "dex",
    ]
    vocabulary = sorted({"".join(rng.sample(syllables, 4)) for _ in range(6000)})
    for n in range(extra_unrelated):
        made_up = rng.sample(vocabulary, 12)
        text = f"De {made_up[0]} van het {made_up[1]} wordt met een {made_up[2]} {made_up[3]}."
        text += " " + " en ".join(made_up[4:])
        rows.append((1000 + n, cities[n % len(cities)], f"{made_up[0]}\n{made_up[0]}\n{text}"))
    return [(pk, unit, f"{text}\n{TEMPLATE}") for pk, unit, text in rows]


def _index(rows: list[tuple[int, str, str]]) -> similarity_index.Index:
    method = TfidfCosine()
    method.fit([Doc(pk, text, f"nl/{unit}") for pk, unit, text in rows])
    units = {name: n for n, name in enumerate(sorted({u for _, u, _ in rows}))}
    entries = {
        pk: similarity_index.Entry(
            pk, text.split("\n")[0], units[unit], unit, f"{units[unit]}/", ""
        )
        for pk, unit, text in rows
    }
    texts = {pk: text for pk, _, text in rows}
    return similarity_index.Index((), method, method.extend([]), entries, texts)


def _clusters(idx: similarity_index.Index, threshold: float) -> list[list[int]]:
    return groups(((a, b, s) for a, b, s, _ in all_pairs(idx)), threshold)


def test_dutch_scan_cars_cluster_at_the_default_threshold() -> None:
    """Five cities' scan-car enforcement, worded differently, scores low raw (Dutch, a
    small corpus) but is one cluster at the default strength, with nothing unrelated."""
    idx = _index(_register())
    assert idx.method.language == "nl"
    raw = {(a, b): s for a, b, s, _ in raw_pairs(idx)}
    assert max(s for (a, b), s in raw.items() if a < 5 and b < 5) < 0.5
    found = _clusters(idx, DEFAULT_THRESHOLD)
    assert [0, 1, 2, 3, 4] in found
    assert all(set(ids) <= set(range(5)) or not set(ids) & set(range(5)) for ids in found)


def test_scan_car_shared_terms_are_dutch_content_words() -> None:
    idx = _index(_register())
    fillers = {"de", "het", "een", "van", "en", "met", "auto de"}
    for a, b, _, _ in all_pairs(idx):
        if a < 5 and b < 5:
            shown = shared_terms(idx, a, b)
            assert shown
            assert not set(shown) & fillers
            assert not any(set(t.split()) & fillers for t in shown)


@pytest.mark.parametrize("extra", [100, 300])
def test_strength_means_the_same_at_any_corpus_size(extra: int) -> None:
    """Ten times the records: each scan car's nearest neighbour is still a scan car, and
    the pairs the default threshold keeps in the small register it keeps in the large one
    (one cluster of the five), their strengths within 0.4 of each other (raw: see docs)."""
    small, large = _index(_register()), _index(_register(extra))

    def scan(idx: similarity_index.Index) -> dict[tuple[int, int], float]:
        return {(a, b): s for a, b, s, _ in all_pairs(idx) if a < 5 and b < 5}

    def nearest(idx: similarity_index.Index, pk: int) -> int:
        mine = [(s, b if a == pk else a) for a, b, s, _ in raw_pairs(idx) if pk in (a, b)]
        return max(mine)[1]

    before, after = scan(small), scan(large)
    kept = [p for p in before if before[p] >= DEFAULT_THRESHOLD]
    assert kept
    for pair in kept:
        assert after[pair] >= DEFAULT_THRESHOLD
        assert after[pair] == pytest.approx(before[pair], abs=0.4)
    for pk in range(5):
        assert nearest(small, pk) < 5 and nearest(large, pk) < 5
    assert [0, 1, 2, 3, 4] in _clusters(large, DEFAULT_THRESHOLD)


def test_boilerplate_per_source_makes_no_cluster() -> None:
    """The national template is in every record of ten cities, but in fewer than the
    register-wide count: stripped as the source's boilerplate, it links nothing."""
    idx = _index(_register())
    method = idx.method
    assert isinstance(method, TfidfCosine)
    assert any("handreiking" in k for k in method.boilerplate)
    assert not any("handreiking" in t for t in method.texts)
    by_city = {pk: unit for pk, unit, _ in _register()}
    for a, b, _, _ in all_pairs(idx):
        if by_city[a] != by_city[b]:
            shown = shared_terms(idx, a, b)
            assert not {"handreiking", "vng", "gepubliceerd", "avg"} & set(shown)


def test_strength_is_the_robust_z_above_the_typical_best_match() -> None:
    best = [(i, 100 + i, 0.05 + 0.001 * i) for i in range(30)]  # typical: about 0.065
    languages = {pk: "nl" for a, b, _ in best for pk in (a, b)} | {7: "nl", 8: "nl"}
    cal = calibrate([*best, (7, 8, 0.5)], languages)
    ref = cal.reference("nl")
    assert ref.median == pytest.approx(0.0645, abs=0.002)
    assert cal.strength(ref.median, "nl") == 0.0
    rest = ref.without([0.5, 0.5])  # a small reference: the pair's own ends left out
    z = (0.5 - rest.median) / rest.spread
    assert cal.pair(0.5, 7, 8, "nl", "nl") == pytest.approx(z / (z + Z_HALF))
    assert cal.strength(0.0, "nl") == 0.0


def test_a_small_reference_leaves_the_pair_out() -> None:
    """Three use cases, two of them twins: the twins' own best score is not the typical
    best match (it is theirs), so they are compared with the third."""
    cal = calibrate([(4, 5, 0.5)], {1: "en", 4: "en", 5: "en"})
    assert cal.strength(0.5, "en") == 0.0  # against all three: the median is 0.5
    assert cal.pair(0.5, 4, 5, "en", "en") > 0.9
