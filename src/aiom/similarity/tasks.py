"""Background work of silo detection, run by a task worker (`aiom tasks work`), never by a
web worker: building the similarity index and persisting what pages read.

`rebuild_index` builds the whole-portfolio index in the worker's main thread (where
`parallel.py` may fork), precomputes the neighbours and pairs pages need and persists
them (`snapshots.publish`).

Freshness: every committed write that moves the portfolio's signature (a use case
created, edited, deleted, made confidential: `on_use_case_change`, connected in
`apps.py` to UseCase's post_save/post_delete and to the audit listener for bulk writes)
asks for ONE rebuild after commit (`enqueue_rebuild`: nothing is enqueued while one is
already queued and not started), due no sooner than `not_before()` (a worker spends at
most a tenth of its time rebuilding). So suggestions lag the portfolio by at most that
spacing plus the queue's wait plus two rebuilds (one running, the one queued behind it).
`ensure_fresh()` (for `aiom serve` at start, and `aiom similarity rebuild --if-stale`)
asks for one when the snapshot is missing or stale.
"""

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.tasks import TaskResultStatus, task, task_backends
from django.utils import timezone

from aiom.portfolio.models import UseCase
from aiom.similarity import index as similarity_index
from aiom.similarity import snapshots


@task(queue_name="similarity")
def rebuild_index() -> dict[str, Any]:
    """Build the index for the portfolio as it is now and persist it; the figures."""
    started = time.monotonic()
    snap = snapshots.rebuild()
    return {
        "snapshot": snap.pk,
        "documents": snap.documents,
        "neighbours": snap.neighbours,
        "index_bytes": snap.index_bytes,
        "seconds": round(time.monotonic() - started, 3),
    }


def _queued() -> bool:
    """Whether a rebuild is waiting in the database queue and has not started."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_backends[rebuild_index.backend]
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(  # READY, due now or deferred (`not_before`)
        status=TaskResultStatus.READY, task_path=rebuild_index.module_path
    ).exists()


def not_before() -> dt.datetime | None:
    """When the next rebuild may start: AIOM_SIMILARITY_REBUILD_SECONDS after the last
    one, and at least ten times as long as it took (so a worker spends at most a tenth of
    its time rebuilding however busy the portfolio); None when that is already past."""
    last = snapshots.latest()
    if last is None or settings.AIOM_SIMILARITY_REBUILD_SECONDS < 0:
        return None
    wait = max(settings.AIOM_SIMILARITY_REBUILD_SECONDS, 10 * last.build_seconds)
    due = last.built_at + dt.timedelta(seconds=wait)
    return due if due > timezone.now() else None


def _enqueue_now() -> None:
    enqueue_now()


def enqueue_now() -> bool:
    """Queue a rebuild unless one is queued and not started; whether one was queued."""
    if _queued():
        return False
    due = not_before()
    if due is not None and task_backends[rebuild_index.backend].supports_defer:
        rebuild_index.using(run_after=due).enqueue()
    else:
        rebuild_index.enqueue()
    return True


def enqueue_rebuild() -> None:
    """Ask for one rebuild once the current transaction commits (at once outside one);
    none while one is queued and not started, one per transaction. Nothing in
    AIOM_SIMILARITY_SYNC_REBUILD mode (tests), where reads rebuild a stale snapshot."""
    if settings.AIOM_SIMILARITY_SYNC_REBUILD:
        return
    if any(entry[1] is _enqueue_now for entry in connection.run_on_commit):
        return  # this transaction already asked
    transaction.on_commit(_enqueue_now, robust=True)


def ensure_fresh() -> bool:
    """Ask for a rebuild when there is no snapshot or it is older than the portfolio;
    whether one was asked for."""
    found = snapshots.latest()
    sig = snapshots.signature_text(similarity_index.signature())
    if found is not None and found.signature == sig:
        return False
    enqueue_now()
    return True


def on_use_case_change(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """post_save/post_delete receiver for UseCase."""
    enqueue_rebuild()


def on_audit(objs: list[models.Model]) -> None:
    """Audit listener: a write that recorded a use case (bulk imports included)."""
    if any(isinstance(obj, UseCase) for obj in objs):
        enqueue_rebuild()
