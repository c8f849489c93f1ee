"""The per-process similarity index over every use case, rebuilt when the portfolio changes.

The index holds ALL use cases, confidential ones included; callers must filter results
by `UseCase.objects.visible_to(user)` ids (`search` and `clusters` do). The signature
(latest `updated_at`, count, highest id) costs one aggregate query per call; a change in
data-product links does not move it, so those are read fresh at query time.
"""

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from aiom.portfolio.models import UseCase
from aiom.similarity.corpus import document_text
from aiom.similarity.methods import Doc, Method, TfidfCosine

CHOSEN = TfidfCosine  # measured in docs/silo-detection.md


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    org_unit_id: int
    unit_name: str
    unit_path: str
    vendor: str


@dataclass
class Index:
    signature: tuple[Any, ...]
    method: Method
    entries: dict[int, Entry]
    texts: dict[int, str]
    cache: dict[str, Any] = field(default_factory=dict)


_lock = threading.Lock()
_current: Index | None = None


def signature() -> tuple[Any, ...]:
    found = UseCase.objects.aggregate(Max("updated_at"), Count("id"), Max("id"))
    return (found["updated_at__max"], found["id__count"], found["id__max"])


def build(sig: tuple[Any, ...]) -> Index:
    rows = UseCase.objects.order_by("id").values_list(
        "id",
        "title",
        "problem",
        "description",
        "value_hypothesis",
        "vendor",
        "org_unit_id",
        "org_unit__name",
        "org_unit__path",
    )
    docs: list[Doc] = []
    entries: dict[int, Entry] = {}
    for pk, title, problem, description, value, vendor, unit, name, path in rows.iterator():
        docs.append(Doc(pk, document_text(title, problem, description, value)))
        entries[pk] = Entry(pk, title, unit, name, path, vendor)
    method = CHOSEN()
    method.fit(docs)
    return Index(sig, method, entries, {d.id: d.text for d in docs})


def current() -> Index:
    """The index for the portfolio as it is now (built on first use and after changes)."""
    global _current
    sig = signature()
    found = _current
    if found is not None and found.signature == sig:
        return found
    with _lock:
        if _current is None or _current.signature != sig:
            _current = build(sig)
        return _current


def reset() -> None:
    """Forget the index (tests; a new database)."""
    global _current
    with _lock:
        _current = None
