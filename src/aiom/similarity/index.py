"""The per-process similarity index, rebuilt when the portfolio changes, in partitions.

Confidential use cases must not move anything a viewer who may not see them observes, so
the index is split by who may see what (docs/silo-detection.md, "Confidentiality"):

- the SHARED partition = the use cases that were not confidential at build time, which
  every internal person (and a globally granted partner) may see. `method` is fitted over
  it alone: every corpus-level statistic (document frequencies, vocabulary, BM25's
  average length, the short-document floor, boilerplate) comes from it.
- the CONFIDENTIAL partition (`confidential`) = the confidential use cases, each weighed
  with the shared statistics (`Method.extend`) and never changing them. A viewer's
  results add the confidential use cases THEY may see, scored the same way.
- a partner granted only some units gets an index of its own over exactly what they may
  see (`scoped`, built on first use and kept with this index: one per distinct grant,
  never one per request), so neither the statistics nor a top-k cut-off of their results
  involves a use case they may not see.

`view_for(user)` says which of these answer for a user; visibility is always read from
the database, never from the index, so a use case that became confidential since the
build is left out at once (its words stay in the shared statistics until the rebuild;
they were visible to everyone until then).

The signature (latest `updated_at`, count, highest id) costs one aggregate query per
call; a change in data-product links does not move it, so those are read fresh at query
time. The first read in a process builds the index. After that, an index younger than
`AIOM_SIMILARITY_REFRESH_SECONDS` (30) answers without even the signature query; an older
one is checked, and if the portfolio changed ONE background thread rebuilds it while the
index in hand answers. So a write never makes a page wait for a whole-portfolio rebuild
(about 3 s at 100,000 use cases), and a busy portfolio rebuilds at most twice a minute per
process: suggestions may lag the portfolio by that much (a use case created meanwhile is
not suggested yet, an edited title shows its old words). `AIOM_SIMILARITY_SYNC_REBUILD`
(tests) checks on every read and rebuilds before answering instead.
"""

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from aiom.portfolio.permissions import visibility_filter
from aiom.similarity.corpus import document_text
from aiom.similarity.methods import Doc, Extra, Method, TfidfCosine

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
    """`method`: fitted over the shared partition; `confidential`: the other use cases,
    weighed with its statistics; `entries` and `texts` (raw): every use case."""

    signature: tuple[Any, ...]
    method: Method
    confidential: Extra
    entries: dict[int, Entry]
    texts: dict[int, str]
    cache: dict[Any, Any] = field(default_factory=dict)
    checked_at: float = field(default_factory=time.monotonic)  # last seen up to date

    @cached_property
    def confidential_ids(self) -> frozenset[int]:
        return frozenset(self.confidential.ids)

    def stripped_text(self, pk: int) -> str:
        """A use case's text as the index reads it (boilerplate removed), either partition."""
        positions: dict[int, tuple[bool, int]] | None = self.cache.get("positions")
        if positions is None:
            positions = {pk: (False, i) for i, pk in enumerate(self.confidential.ids)}
            positions.update({pk: (True, i) for i, pk in enumerate(self.method.ids)})
            self.cache["positions"] = positions
        shared, i = positions[pk]
        return self.method.texts[i] if shared else self.confidential.texts[i]


@dataclass(frozen=True)
class View:
    """What one viewer's results are computed from: `index` (the shared one, or a partner's
    own), the use cases of its fitted partition they may not see (`hidden`: excluded
    before any cut-off) and the confidential use cases they may see (`extra`)."""

    index: Index
    hidden: frozenset[int]
    extra: frozenset[int]

    def visible(self, pk: int) -> bool:
        return pk in self.extra if pk in self.index.confidential_ids else pk not in self.hidden


MAX_SCOPES = 16  # partner grants kept per index


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
        "confidential",
    )
    shared: list[Doc] = []
    confidential: list[Doc] = []
    entries: dict[int, Entry] = {}
    texts: dict[int, str] = {}
    for pk, title, problem, description, value, vendor, unit, name, path, secret in rows.iterator():
        text = document_text(title, problem, description, value)
        doc = Doc(pk, text, path)  # the unit and its parents: per-source boilerplate
        (confidential if secret else shared).append(doc)
        entries[pk] = Entry(pk, title, unit, name, path, vendor)
        texts[pk] = doc.text
    method = CHOSEN()
    method.fit(shared)
    return Index(sig, method, method.extend(confidential), entries, texts)


def scoped(idx: Index, ids: frozenset[int]) -> Index:
    """An index fitted over exactly `ids` (what a partner granted some units may see),
    kept with `idx` until the portfolio changes."""
    key = ("scope", ids)
    with _lock:
        found: Index | None = idx.cache.get(key)
    if found is not None:
        return found
    method = CHOSEN()
    method.fit([Doc(pk, idx.texts[pk], idx.entries[pk].unit_path) for pk in sorted(ids)])
    fresh = Index(idx.signature, method, method.extend([]), idx.entries, idx.texts)
    with _lock:
        scopes = [k for k in idx.cache if isinstance(k, tuple) and k[0] == "scope"]
        for old in scopes[: max(0, len(scopes) - MAX_SCOPES + 1)]:
            del idx.cache[old]
        return idx.cache.setdefault(key, fresh)  # type: ignore[no-any-return]


def view_for(user: Any) -> View:
    """The index and visibility that answer `user` (see the module's docstring)."""
    idx = current()
    q = visibility_filter(user)
    if q is None:  # sees nothing
        return View(idx, frozenset(idx.entries), frozenset())
    access = access_for(user)
    if access.is_external and Role.PARTNER not in access.global_roles:
        visible = UseCase.objects.filter(q).values_list("id", flat=True)
        return View(
            scoped(idx, frozenset(visible).intersection(idx.entries)), frozenset(), frozenset()
        )
    hidden = (
        frozenset() if not q else frozenset(UseCase.objects.exclude(q).values_list("id", flat=True))
    )
    return View(idx, hidden, idx.confidential_ids - hidden)


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
