"""Portfolio-wide clusters: time, peak memory, cluster sizes, recall of the blocking
(figures, not assertions).

    .venv/bin/python benchmarks/similarity_clusters.py real [--exact] [--tracemalloc]
    .venv/bin/python benchmarks/similarity_clusters.py 100000 [--tracemalloc]

`real` reads the 2025 OMB inventory (3.6k use cases); a number generates that many use
cases from its sentences (`similarity_eval.generated`). Run one size per process: the
resident peak (`ru_maxrss`) is the process's. `--tracemalloc` adds the Python heap peak
(it slows the run about 2x, so times are taken without it). `--exact` also computes the
pairs the old way (one query per document) and reports the blocking's recall, and which
exact cross-agency clusters are lost or split.

The pipeline is the one `clusters.py` runs: fit, candidate pairs (raw cosine), their
calibrated strengths, then groups at the default strength threshold (`grouping.groups`,
average linkage with the coherence cap). Single link over the same pairs is timed and
its size distribution printed beside it, for comparison (it chains).
"""

import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from similarity_eval import generated  # type: ignore[import-not-found]  # noqa: E402

from aiom.similarity.blocking import scored_pairs, single_link  # noqa: E402
from aiom.similarity.calibration import calibrate  # noqa: E402
from aiom.similarity.clusters import DEFAULT_THRESHOLD, NEIGHBOURS, RAW_FLOOR  # noqa: E402
from aiom.similarity.grouping import groups as coherent_groups  # noqa: E402
from aiom.similarity.inventory_docs import InventoryDoc, read_inventory  # noqa: E402
from aiom.similarity.methods import Doc, TfidfCosine  # noqa: E402

THRESHOLD = DEFAULT_THRESHOLD  # a strength (calibration.py)
LOW_THRESHOLD = 0.1  # where single link chains
BUCKETS = [(2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, 50), (51, 10**9)]
# The clusters named in docs/silo-detection.md: a title fragment per member, the agencies.
DOCUMENTED: dict[str, tuple[str, set[str]]] = {
    "GitHub Copilot": ("copilot", {"omb-doc", "omb-doe", "omb-hhs", "omb-tva"}),
    "Legal research (LexisNexis, Westlaw)": (
        "lexis|westlaw|legal",
        {"omb-fhfa", "omb-nigc", "omb-oshrc", "omb-tva"},
    ),
    "Google Gemini": ("gemini", {"omb-doc", "omb-dot", "omb-gsa"}),
    "ChatGPT Enterprise / lab AI portal": ("chatgpt|portal", {"omb-doc", "omb-doe"}),
    "Predictive maintenance": ("maintenance", {"omb-doc", "omb-usda"}),
    "Passive acoustic monitoring": ("acoustic", {"omb-doc", "omb-doi"}),
    "Network anomaly detection": ("anomal|network", {"omb-dhs", "omb-tva"}),
    "UEBA": ("behavior|behaviour|ueba", {"omb-dhs", "omb-state"}),
    "Meeting transcription / notes": ("meeting|note|transcri", {"omb-doc", "omb-dol"}),
    "Agentspace / NotebookLM": ("agentspace|notebooklm", {"omb-doc", "omb-doe"}),
    "Support chat bots": ("chat|bot|support", {"omb-doc", "omb-doe"}),
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_pairs(method: TfidfCosine, strengths: "Strengths") -> set[tuple[int, int]]:
    found = set()
    for i, text in enumerate(method.texts):
        for j, score, _ in method.query(text, NEIGHBOURS, (i,)):
            if strengths(i, j, score) >= THRESHOLD:
                found.add((min(i, j), max(i, j)))
    return found


class Strengths:
    """raw -> calibrated strength, as `clusters.strength` gives it (ids are positions)."""

    def __init__(self, method: TfidfCosine, scored: list[tuple[int, int, float]]) -> None:
        self.languages = dict(enumerate(method.languages))
        self.calibration = calibrate(scored, self.languages)

    def __call__(self, a: int, b: int, raw: float) -> float:
        langs = self.languages
        return self.calibration.pair(raw, a, b, langs[a], langs[b])


def sizes(name: str, found: list[list[int]], title: Callable[[int], str]) -> None:
    """Count of groups by size bucket, the five largest, titles of the largest."""
    counts = [sum(lo <= len(g) <= hi for g in found) for lo, hi in BUCKETS]
    labels = [
        str(lo) if lo == hi else (f">{lo - 1}" if hi > 10**6 else f"{lo}-{hi}")
        for lo, hi in BUCKETS
    ]
    print(
        f"{name}: {len(found)} groups of >= 2; by size "
        + ", ".join(f"{lab}: {c}" for lab, c in zip(labels, counts, strict=True))
    )
    largest = sorted(found, key=lambda g: (-len(g), g[0]))[:5]
    print(f"  largest sizes {[len(g) for g in largest]}; members {sum(map(len, found))}")
    for g in largest[:2]:
        print(f"  largest ({len(g)}): " + " | ".join(title(i)[:50] for i in g[:6]))


def wide(groups: list[list[int]], docs: list[InventoryDoc]) -> list[list[int]]:
    found = [g for g in groups if len({docs[i].agency for i in g}) >= 2]
    found.sort(key=lambda g: (-len({docs[i].agency for i in g}), -len(g)))
    return found


def report_real(
    method: TfidfCosine,
    docs: list[InventoryDoc],
    pairs: list[tuple[int, int, float]],
    strengths: Strengths,
) -> None:
    import re

    found = {
        "single link": list(single_link((a, b) for a, b, _ in pairs).values()),
        "grouping": coherent_groups(pairs, THRESHOLD),
    }
    for name, groups in found.items():
        clusters = wide(groups, docs)
        print(f"{name}: {len(clusters)} clusters spanning >= 2 agencies at {THRESHOLD}")
        for g in clusters[:12]:
            agencies = sorted({docs[i].agency.removeprefix("omb-").upper() for i in g})
            print(f"  {len(g):3} {agencies} {' | '.join(docs[i].title[:40] for i in g[:4])}")
        lost = [
            name
            for name, (pattern, expected) in DOCUMENTED.items()
            if not any(
                expected <= {docs[i].agency for i in g if re.search(pattern, docs[i].title.lower())}
                for g in clusters
            )
        ]
        found_count = len(DOCUMENTED) - len(lost)
        print(f"  documented clusters found: {found_count} of {len(DOCUMENTED)}; lost {lost}")
    if "--exact" in sys.argv:
        start = time.perf_counter()
        exact = exact_pairs(method, strengths)
        print(f"exact (one query per document): {time.perf_counter() - start:.1f} s")
        mine_pairs = {(a, b) for a, b, _ in pairs}
        print(
            f"pairs >= {THRESHOLD}: exact {len(exact)}, blocking {len(mine_pairs)}, "
            f"recall {len(exact & mine_pairs) / max(1, len(exact)):.3f}"
        )


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "real"
    traced = "--tracemalloc" in sys.argv
    real = read_inventory()
    docs = (
        [Doc(i, d.text) for i, d in enumerate(real)]
        if size == "real"
        else generated(real, int(size))
    )
    print(f"{len(docs)} documents; rss after reading {rss_mb():.0f} MB")
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    method = TfidfCosine()
    method.fit(docs)
    fitted = time.perf_counter() - start
    start = time.perf_counter()
    scored = scored_pairs(method, RAW_FLOOR, NEIGHBOURS)
    paired = time.perf_counter() - start
    start = time.perf_counter()
    strengths = Strengths(method, scored)
    pairs = [(a, b, st) for a, b, s in scored if (st := strengths(a, b, s)) >= THRESHOLD]
    calibrated = time.perf_counter() - start
    start = time.perf_counter()
    groups = coherent_groups(pairs, THRESHOLD)
    grouped = time.perf_counter() - start
    start = time.perf_counter()
    chained = list(single_link((a, b) for a, b, _ in pairs).values())
    linked = time.perf_counter() - start
    total = fitted + paired + calibrated + grouped
    print(
        f"fit {fitted:.1f} s; pairs {paired:.1f} s; strengths {calibrated:.1f} s; "
        f"grouping {grouped:.1f} s (single link {linked:.1f} s); total {total:.1f} s; "
        f"{len(method.boilerplate)} boilerplate sentences; {len(scored)} pairs >= raw "
        f"{RAW_FLOOR}; {len(pairs)} >= strength {THRESHOLD}; load {os.getloadavg()}"
    )
    title = (lambda i: real[i].title) if size == "real" else (lambda i: docs[i].text)
    sizes("single link", chained, title)
    sizes("grouping", groups, title)
    low = [(a, b, st) for a, b, s in scored if (st := strengths(a, b, s)) >= LOW_THRESHOLD]
    print(f"at a low threshold a user may set ({LOW_THRESHOLD}, {len(low)} pairs):")
    sizes("single link", list(single_link((a, b) for a, b, _ in low).values()), title)
    start = time.perf_counter()
    sizes("grouping", coherent_groups(low, LOW_THRESHOLD), title)
    print(f"  grouping at {LOW_THRESHOLD}: {time.perf_counter() - start:.1f} s")
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc peak {peak / 2**20:.0f} MB")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ru_maxrss {rss_mb():.0f} MB (largest forked worker {children:.0f} MB)")
    if size == "real":
        report_real(method, real, pairs, strengths)


if __name__ == "__main__":
    main()
