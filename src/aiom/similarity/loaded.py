"""The similarity index this process answers from: the latest snapshot's, loaded when first
needed and never built here, and what of it answers one viewer (`view_for`). Why, and how
the index is split by who may see what: index.py.
"""

import threading
from typing import Any

from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from aiom.portfolio.visibility import visibility_filter
from aiom.similarity import snapshots, tasks
from aiom.similarity.index import Index, View, scoped

_lock = threading.Lock()
_loaded: tuple[int, Index] | None = None  # (snapshot id, its index)


def current() -> Index:
    """The latest snapshot's index, loaded in this process when first needed (never
    built here); an empty one, and a rebuild asked for, while there is no snapshot."""
    global _loaded
    snap = snapshots.ready()
    if snap is None:
        tasks.enqueue_rebuild()
        return Index.empty()
    found = _loaded
    if found is not None and found[0] == snap.pk:
        return found[1]
    with _lock:
        if _loaded is None or _loaded[0] != snap.pk:
            _loaded = (snap.pk, snapshots.load_index(snap))
        return _loaded[1]


def reset() -> None:
    """Forget the loaded index (tests; a new database)."""
    global _loaded
    with _lock:
        _loaded = None


def view_for(user: Any) -> View:
    """The index and visibility that answer `user` (see index.py's docstring)."""
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
