"""Work a transaction does last, just before it commits, in the transaction itself.

Some work depends on every row a write changes but must commit with them: a read model
(value's facts) recomputed from the rows after the last of them is written. A service
writes those rows over several statements and audit listeners see only the first ones,
so the work cannot run when a row changes, and `on_commit` would run it in a second
transaction (a second write lock, and a window in which a crash loses it).

`defer(key, items, run)` collects `items` under `key` for the current transaction; just
before it commits, `run(items)` runs once per key with everything collected, inside the
transaction: the work and the write commit or vanish together. Collected items ride on
Django's own on-commit list, so a savepoint rolled back drops what was collected inside
it, and a rollback drops everything. Outside a transaction nothing is deferred (`defer`
returns False) and the caller does the work at once. `take(key)` hands the items
collected so far to a reader that must see them applied now (in the same transaction).

How: the first `defer` on a connection wraps that connection's `commit`, which the
outermost `atomic` block calls; a failure of the work rolls the transaction back and is
raised, like a failed statement. Work runs in the order keys were first deferred, and
may defer more work (run too, before the commit).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

Run = Callable[[set[Any]], None]
_INSTALLED = "_aiom_before_commit"
MAX_ROUNDS = 10  # work deferring work deferring work...: a bug, not a design


@dataclass(eq=False)
class Work:
    """Items collected under one key in one savepoint; also Django's on-commit callback,
    which has nothing left to do after the commit (the work ran before it)."""

    key: str
    run: Run
    items: set[Any] = field(default_factory=set)

    def __call__(self) -> None:
        return None


def defer(key: str, items: Iterable[Any], run: Run, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Have `run(all items under key)` run just before the current transaction commits.

    False outside a transaction: nothing is deferred, do the work now."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return False
    _install(connection)
    savepoints = set(connection.savepoint_ids)
    last = connection.run_on_commit[-1] if connection.run_on_commit else None
    if (
        last is not None
        and isinstance(last[1], Work)
        and last[1].key == key
        and last[0] == savepoints
    ):
        last[1].items.update(items)  # the same key in the same savepoint: one entry
        return True
    transaction.on_commit(Work(key, run, set(items)), using=using)
    return True


@dataclass(eq=False)
class Taken:
    """Items a reader applied now (`take`), registered in the reader's savepoint: if that
    savepoint is rolled back, so is what the reader applied, and this marker goes with it,
    so the items are pending again."""

    key: str
    items: set[Any]

    def __call__(self) -> None:
        return None


def _outstanding(entries: Iterable[Any], key: str | None = None) -> dict[str, tuple[Run, set[Any]]]:
    """key -> (run, items collected and not taken since), in the on-commit list's order."""
    found: dict[str, tuple[Run, set[Any]]] = {}
    for _, func, _ in entries:
        if key is not None and getattr(func, "key", None) != key:
            continue
        if isinstance(func, Work):
            found.setdefault(func.key, (func.run, set()))[1].update(func.items)
        elif isinstance(func, Taken) and func.key in found:
            found[func.key][1].difference_update(func.items)
    return found


def pending(key: str, using: str = DEFAULT_DB_ALIAS) -> set[Any]:
    """The items collected under `key` in the current transaction, not yet run."""
    connection = transaction.get_connection(using)
    found = _outstanding(connection.run_on_commit, key)
    return set(found[key][1]) if key in found else set()


def take(key: str, using: str = DEFAULT_DB_ALIAS) -> set[Any]:
    """The items collected under `key`, no longer pending: the caller applies them now.
    Taken in the current savepoint: rolled back with it, they are pending again."""
    found = pending(key, using)
    if found:
        transaction.on_commit(Taken(key, set(found)), using=using)
    return found


def _drain(connection: BaseDatabaseWrapper) -> None:
    for _ in range(MAX_ROUNDS):
        entries = list(connection.run_on_commit)
        if not any(isinstance(entry[1], Work | Taken) for entry in entries):
            return
        connection.run_on_commit = [
            entry for entry in entries if not isinstance(entry[1], Work | Taken)
        ]
        for run, items in _outstanding(entries).values():
            if items:
                run(items)
    raise RuntimeError(f"before-commit work still deferring more after {MAX_ROUNDS} rounds")


def _install(connection: BaseDatabaseWrapper) -> None:
    if getattr(connection, _INSTALLED, False):
        return
    commit = connection.commit

    def commit_after_work() -> None:
        try:
            _drain(connection)
        except Exception:
            connection.rollback()
            raise
        commit()

    connection.commit = commit_after_work  # type: ignore[method-assign]
    setattr(connection, _INSTALLED, True)
