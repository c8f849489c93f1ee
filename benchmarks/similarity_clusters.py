"""Portfolio-wide clusters: time, peak memory, recall of the blocking (figures, not assertions).

    .venv/bin/python benchmarks/similarity_clusters.py real [--exact] [--tracemalloc]
    .venv/bin/python benchmarks/similarity_clusters.py 100000 [--tracemalloc]

`real` reads the 2025 OMB inventory (3.6k use cases); a number generates that many use
cases from its sentences (`similarity_eval.generated`). Run one size per process: the
resident peak (`ru_maxrss`) is the process's. `--tracemalloc` adds the Python heap peak
(it slows the run about 2x, so times are taken without it). `--exact` also computes the
pairs the old way (one query per document) and reports the blocking's recall, and which
exact cross-agency clusters are lost or split.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from similarity_eval import generated  # type: ignore[import-not-found]  # noqa: E402

from aiom.similarity.blocking import scored_pairs, single_link  # noqa: E402
from aiom.similarity.clusters import NEIGHBOURS, RAW_FLOOR  # noqa: E402
from aiom.similarity.corpus import InventoryDoc, read_inventory  # noqa: E402
from aiom.similarity.methods import Doc, TfidfCosine  # noqa: E402

THRESHOLD = 0.3
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


def exact_pairs(method: TfidfCosine) -> set[tuple[int, int]]:
    found = set()
    for i, text in enumerate(method.texts):
        for j, score, _ in method.query(text, NEIGHBOURS, (i,)):
            if score < THRESHOLD:
                break
            found.add((min(i, j), max(i, j)))
    return found


def wide(groups: dict[int, list[int]], docs: list[InventoryDoc]) -> list[list[int]]:
    found = [g for g in groups.values() if len({docs[i].agency for i in g}) >= 2]
    found.sort(key=lambda g: (-len({docs[i].agency for i in g}), -len(g)))
    return found


def report_real(method: TfidfCosine, docs: list[InventoryDoc], pairs: set[tuple[int, int]]) -> None:
    import re

    clusters = wide(single_link(pairs), docs)
    print(f"{len(clusters)} clusters spanning >= 2 agencies at {THRESHOLD}")
    for g in clusters[:25]:
        agencies = sorted({docs[i].agency.removeprefix("omb-").upper() for i in g})
        print(f"  {len(g):3} {agencies} {' | '.join(docs[i].title[:40] for i in g[:4])}")
    for name, (pattern, expected) in DOCUMENTED.items():
        ok = any(
            expected <= {docs[i].agency for i in g if re.search(pattern, docs[i].title.lower())}
            for g in clusters
        )
        print(f"  documented {name}: {'found' if ok else 'LOST'}")
    if "--exact" in sys.argv:
        start = time.perf_counter()
        exact = exact_pairs(method)
        print(f"exact (one query per document): {time.perf_counter() - start:.1f} s")
        print(
            f"pairs >= {THRESHOLD}: exact {len(exact)}, blocking {len(pairs)}, "
            f"recall {len(exact & pairs) / max(1, len(exact)):.3f}"
        )
        mine = {i: root for root, g in single_link(pairs).items() for i in g}
        for g in wide(single_link(exact), docs):
            roots = {mine.get(i) for i in g}
            if len(roots) > 1 or None in roots:
                missing = [docs[i].title[:40] for i in g if mine.get(i) is None]
                print(f"  exact cluster of {len(g)} split in {len(roots)}; unclustered {missing}")


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
    pairs = {(a, b) for a, b, s in scored if s >= THRESHOLD}
    groups = single_link(pairs)
    clustered = time.perf_counter() - start
    largest = max(map(len, groups.values()), default=0)
    print(
        f"fit {fitted:.1f} s; pairs + clusters {clustered:.1f} s; "
        f"total {fitted + clustered:.1f} s; {len(method.boilerplate)} boilerplate sentences; "
        f"{len(scored)} pairs >= {RAW_FLOOR}; {len(groups)} clusters at {THRESHOLD} "
        f"(largest {largest})"
    )
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc peak {peak / 2**20:.0f} MB")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ru_maxrss {rss_mb():.0f} MB (largest forked worker {children:.0f} MB)")
    if size == "real":
        report_real(method, real, pairs)


if __name__ == "__main__":
    main()
