"""The similarity index as web workers see it: loaded from the persisted snapshot, never built.

A task worker builds the index (`build`, in `tasks.rebuild_index`) and persists it
(`snapshots.py`); `loaded.current()` loads the latest snapshot's index in this process when
first needed (draft search, the silo page), keyed by the snapshot's id, and never builds it.
While no snapshot exists (a fresh install before the worker ran) it answers with an
empty index (`Index.empty`: nothing suggested; pages say suggestions are being prepared)
and asks for a rebuild. The use-case page does not load the index at all: it reads its
neighbours (`snapshots.neighbours`).

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
  see (`scoped`: fitted over the persisted texts, at most MAX_SCOPED use cases, kept with
  this index: one per distinct grant, never one per request), so neither the statistics
  nor a top-k cut-off of their results involves a use case they may not see. A grant
  wider than MAX_SCOPED gets no text suggestions rather than a whole-portfolio fit in a
  request.

`loaded.view_for(user)` says which of these answer for a user; visibility is always read from
the database, never from the index, so a use case that became confidential since the
build is left out at once (its words stay in the shared statistics until the rebuild;
they were visible to everyone until then).
"""

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Max

from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from aiom.portfolio.visibility import visibility_filter
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

    @classmethod
    def empty(cls) -> "Index":
        """No use cases: what answers before the first snapshot exists."""
        method = CHOSEN()
        method.fit([])
        return cls((), method, method.extend([]), {}, {})

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
MAX_SCOPED = 5_000  # use cases a partner's own index is fitted over, at most, in a request


_lock = threading.Lock()  # guards each index's cache of partner scopes


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
    """An index fitted over exactly `ids` (what a partner granted some units may see), from
    the persisted texts, kept with `idx` until the next snapshot; an empty one above
    MAX_SCOPED (never a portfolio-sized fit in a request)."""
    if len(ids) > MAX_SCOPED:
        return Index.empty()
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


def needs_own_index(user: Any) -> bool:
    """Whether `user` is answered from an index of their own (`scoped`): a partner
    granted only some units."""
    if visibility_filter(user) is None:
        return False
    access = access_for(user)
    return access.is_external and Role.PARTNER not in access.global_roles
