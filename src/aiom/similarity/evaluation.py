"""Precision at k of a method against pairs labelled by reading them.

For each query use case, the top-k suggestions from OTHER agencies (the first org unit
level) are checked against the labels. `strict` counts an unlabelled suggestion as wrong;
`judged` leaves it out. Strict is the figure to guard: it cannot rise by labelling less.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiom.similarity.inventory_docs import InventoryDoc
from aiom.similarity.methods import Doc, Method


@dataclass(frozen=True)
class Precision:
    method: str
    strict: float
    judged: float
    unlabelled: int
    queries: int
    found_same: int = 0  # labelled same-work pairs that made a query's top k
    known_same: int = 0  # labelled same-work pairs of the queries (the most there is to find)


def load_labels(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def label_lookup(labels: dict[str, Any]) -> dict[frozenset[str], bool]:
    return {frozenset((p["a"], p["b"])): bool(p["same"]) for p in labels["pairs"]}


def fit(method: Method, docs: list[InventoryDoc]) -> Method:
    method.fit([Doc(i, d.text, d.agency) for i, d in enumerate(docs)])
    return method


def suggestions(
    method: Method, docs: list[InventoryDoc], query_id: str, k: int = 5
) -> list[tuple[str, float]]:
    """The top-k other-agency suggestions for one use case (by external id)."""
    index = {d.external_id: i for i, d in enumerate(docs)}
    query = docs[index[query_id]]
    same_agency = [i for i, d in enumerate(docs) if d.agency == query.agency]
    hits = method.query(query.text, k, same_agency)
    return [(docs[i].external_id, score) for i, score, _ in hits]


def precision_at_k(
    method: Method, docs: list[InventoryDoc], labels: dict[str, Any], k: int = 5
) -> Precision:
    lookup = label_lookup(labels)
    right = judged = unlabelled = total = 0
    queries = set(labels["queries"])
    known = sum(1 for p in labels["pairs"] if p["same"] and p["a"] in queries)
    for query_id in labels["queries"]:
        for found, _ in suggestions(method, docs, query_id, k):
            total += 1
            verdict = lookup.get(frozenset((query_id, found)))
            if verdict is None:
                unlabelled += 1
                continue
            judged += 1
            right += verdict
    return Precision(
        method.name,
        right / total if total else 0.0,
        right / judged if judged else 0.0,
        unlabelled,
        len(labels["queries"]),
        right,
        known,
    )
