"""The per-process similarity index over every use case, rebuilt when the portfolio changes.

The index holds ALL use cases, confidential ones included; callers must filter results
by `UseCase.objects.visible_to(user)` ids (`search` and `clusters` do). The signature
(latest `updated_at`, count, highest id) costs one aggregate query per call; a change in
data-product links does not move it, so those are read fresh at query time.

The first read in a process builds the index. After that, an index younger than
`AIOM_SIMILARITY_REFRESH_SECONDS` (30) answers without even the signature query; an older
one is checked, and if the portfolio changed ONE background thread rebuilds it while the
index in hand answers. So a write never makes a page wait for a whole-portfolio rebuild
(about 3 s at 100,000 use cases), and a busy portfolio rebuilds at most twice a minute per
process: suggestions may lag the portfolio by that much (a use case created meanwhile is
not suggested yet, an edited title shows its old words). Visibility is always checked
against the database, never the index. `AIOM_SIMILARITY_SYNC_REBUILD` (tests) checks on
every read and rebuilds before answering instead.
"""

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
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
    checked_at: float = field(default_factory=time.monotonic)  # last seen up to date


_lock = threading.Lock()
_current: Index | None = None
_rebuilding: threading.Thread | None = None


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
    """The index for the portfolio: built on first use; after a change, the one there is
    while a background rebuild runs (or, with AIOM_SIMILARITY_SYNC_REBUILD, a fresh one)."""
    global _current
    found = _current
    if found is not None and not settings.AIOM_SIMILARITY_SYNC_REBUILD:
        now = time.monotonic()
        if now - found.checked_at < settings.AIOM_SIMILARITY_REFRESH_SECONDS:
            return found
        if signature() == found.signature:
            found.checked_at = now
        else:
            _rebuild_in_background()
        return found
    sig = signature()
    if found is not None and found.signature == sig:
        return found
    with _lock:
        if _current is None or _current.signature != sig:
            _current = build(sig)
        return _current


def _rebuild_in_background() -> None:
    global _rebuilding
    with _lock:
        if _rebuilding is not None and _rebuilding.is_alive():
            return  # one at a time; it reads the signature when it starts
        _rebuilding = threading.Thread(target=_rebuild, name="aiom-similarity", daemon=True)
        _rebuilding.start()


def _rebuild() -> None:
    global _current
    try:
        fresh = build(signature())
        with _lock:
            if _current is None or _current.signature != fresh.signature:
                _current = fresh
    finally:
        connection.close()  # this thread's own connection


def wait_for_rebuild(timeout: float = 60.0) -> None:
    """Block until a background rebuild in progress has finished (tests, benchmarks)."""
    thread = _rebuilding
    if thread is not None:
        thread.join(timeout)


def reset() -> None:
    """Forget the index (tests; a new database)."""
    global _current
    wait_for_rebuild()
    with _lock:
        _current = None
