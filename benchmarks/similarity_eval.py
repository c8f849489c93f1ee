"""Silo detection quality and speed (figures, not assertions).

1. precision@5 of each method on the pairs labelled by reading them
   (tests/similarity/labelled_pairs.json) over the 2025 OMB inventory (3.6k use cases,
   read through the importer's mapping, no database);
2. fit time and one draft-sized query (title + problem) at 3.6k and at N generated
   documents (default 100,000: sentences of the real texts shuffled together);
3. the widest cross-agency groups (`grouping.groups` over each use case's neighbours);
4. precision@5 per language: English on the OMB file (1.), every labelled register in
   tests/similarity/data/*/labels.json (its README names the source, commit and licence),
   and the synthetic Dutch scan-car register of the tests (labelled by construction).

    .venv/bin/python benchmarks/similarity_eval.py [N] [--methods tfidf,bm25,char3]
"""

import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")

import django

django.setup()

from aiom.similarity.evaluation import Precision, fit, load_labels, precision_at_k  # noqa: E402
from aiom.similarity.grouping import groups as coherent_groups  # noqa: E402
from aiom.similarity.inventory_docs import InventoryDoc, read_inventory, read_register  # noqa: E402
from aiom.similarity.methods import METHODS, Doc, Method, TfidfCosine  # noqa: E402
from aiom.similarity.text import detect  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests/similarity/labelled_pairs.json"
REGISTERS = ROOT / "tests/similarity/data"


def drafts(docs: list[InventoryDoc], n: int = 200) -> list[str]:
    rng = random.Random(7)
    return [" ".join(d.text.split("\n")[1:3]) for d in rng.sample(docs, n)]


def query_ms(method: Method, queries: list[str]) -> tuple[float, float]:
    times = []
    for q in queries:
        start = time.perf_counter()
        method.query(q, 5)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def generated(docs: list[InventoryDoc], n: int) -> list[Doc]:
    rng = random.Random(11)
    sentences = [s for d in docs for s in d.text.replace("\n", ". ").split(". ") if s.strip()]
    return [Doc(i, ". ".join(rng.sample(sentences, 6))) for i in range(n)]


def cross_agency_clusters(method: Method, docs: list[InventoryDoc], threshold: float) -> None:
    """Groups (`grouping.groups`: average linkage, no chaining) over each use case's 8
    best neighbours at or above `threshold` (raw score), spanning >= 2 agencies."""
    terms: dict[int, Counter[str]] = {}
    pairs: list[tuple[int, int, float]] = []
    for i, d in enumerate(docs):
        for j, score, shared in method.query(d.text, 8, (i,)):
            if score < threshold:
                break
            pairs.append((i, j, score))
            terms.setdefault(i, Counter()).update(shared)
    groups = {g[0]: g for g in coherent_groups(pairs, threshold)}
    wide = [g for g in groups.values() if len({docs[i].agency for i in g}) >= 2]
    wide.sort(key=lambda g: (-len({docs[i].agency for i in g}), -len(g)))
    print(f"\n{len(wide)} groups spanning >= 2 agencies at raw threshold {threshold}")
    for g in wide[:15]:
        words: Counter[str] = Counter()
        for i in g:
            words.update(terms.get(i, Counter()))
        agencies = sorted({docs[i].agency for i in g})
        print(f"  {len(g):3} use cases, {len(agencies)} agencies {agencies}")
        print(f"      terms: {', '.join(w for w, _ in words.most_common(6))}")
        print(f"      e.g. {' | '.join(docs[i].title[:45] for i in g[:4])}")


def dutch_synthetic() -> tuple[list[InventoryDoc], dict[str, object]]:
    """The tests' Dutch register (tests/similarity/dutch_register.py): the five scan cars
    are the queries, the other four scan cars their only right answers."""
    sys.path.insert(0, str(ROOT))
    from tests.similarity.dutch_register import (
        SCAN_CARS,
        TEMPLATE,
        UNRELATED,
    )

    docs = []
    for city, (title, text) in SCAN_CARS.items():
        body = f"{title}\n{title}\n{text}\n{TEMPLATE}"
        docs.append(InventoryDoc(f"nl:{city}", city, city, title, body, ""))
    cities = ["Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem"]
    for n, (title, text) in enumerate(UNRELATED):
        body = f"{title}\n{title}\n{text}\n{TEMPLATE}"
        docs.append(InventoryDoc(f"nl:{n}", cities[n % 5], cities[n % 5], title, body, ""))
    queries = [f"nl:{c}" for c in SCAN_CARS]
    pairs = [{"a": a, "b": b, "same": True, "note": ""} for a in queries for b in queries if a != b]
    return docs, {"queries": queries, "pairs": pairs}


def per_language(english: Precision) -> list[tuple[str, str, Precision]]:
    """(language, register, precision@5 of the chosen method), one row per labelled set."""
    rows = [("en", "US federal 2025 (OMB)", english)]
    for labels_file in sorted(REGISTERS.glob("*/labels.json")):
        labels = load_labels(labels_file)
        docs = read_register(labels_file.parent / labels["file"])
        language = labels.get("language") or detect(" ".join(d.text for d in docs[:50])) or "?"
        result = precision_at_k(fit(TfidfCosine(), docs), docs, labels)
        rows.append((language, labels.get("register", labels_file.parent.name), result))
    docs, labels = dutch_synthetic()
    rows.append(
        (
            "nl",
            "synthetic scan-car register (tests)",
            precision_at_k(fit(TfidfCosine(), docs), docs, labels),
        )
    )
    return rows


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    names = "tfidf,bm25,char3"
    for a in sys.argv[1:]:
        if a.startswith("--methods="):
            names = a.split("=", 1)[1]
    docs = read_inventory()
    labels = load_labels(LABELS)
    queries = drafts(docs)
    print(
        f"{len(docs)} use cases, {len({d.agency for d in docs})} agencies; "
        f"{len(labels['pairs'])} labelled pairs, {len(labels['queries'])} queries"
    )
    chosen = None
    for name in names.split(","):
        start = time.perf_counter()
        method = fit(METHODS[name](), docs)
        fitted = time.perf_counter() - start
        p = precision_at_k(method, docs, labels)
        med, p95 = query_ms(method, queries)
        print(
            f"{name:6} precision@5 strict {p.strict:.2f} judged {p.judged:.2f} "
            f"(unlabelled {p.unlabelled}); fit {fitted:.1f} s; query median {med:.1f} ms, "
            f"p95 {p95:.1f} ms at {len(docs)}"
        )
        if chosen is None:
            chosen, english = method, p
    assert chosen is not None
    print("\nprecision@5 per language (tfidf, strict / judged):")
    for language, register, result in per_language(english):
        print(
            f"  {language:3} {register:64} {result.strict:.2f} / {result.judged:.2f} "
            f"({result.queries} queries, {result.unlabelled} unlabelled; "
            f"{result.found_same} of {result.known_same} labelled duplicates found)"
        )
    cross_agency_clusters(chosen, docs, 0.3)
    if n:
        big = generated(docs, n)
        for name in names.split(","):
            method = METHODS[name]()
            start = time.perf_counter()
            method.fit(big)
            fitted = time.perf_counter() - start
            med, p95 = query_ms(method, queries[:50])
            print(
                f"{name:6} at {n}: fit {fitted:.0f} s; query median {med:.0f} ms, p95 {p95:.0f} ms"
            )


if __name__ == "__main__":
    main()
