"""Tasks left RUNNING by a worker that died (SIGKILL, out of memory, a machine gone).

A worker's id is `host:pid:start:random` (aiom.core.task_worker). A RUNNING task's last
worker is dead when it ran on this host and no process with that pid and start time exists
any more, or, on PostgreSQL, when it ran on another host and its advisory lock is free
(the database server dropped it with the worker's connection). A worker on another host
of a SQLite deployment cannot be judged: SQLite is one machine by nature.

An orphaned task that may run again (settings.AIOM_TASKS_REQUEUE: index rebuilds, the
sweep) goes back to the queue, at most MAX_ATTEMPTS times (a task that kills its worker
each time must stop somewhere); any other (an import, whose transaction was rolled back
with its process) is marked failed as interrupted. Workers do this when they start, and
`aiom tasks reclaim` does it on demand.
"""

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aiom.core.locks import advisory_key
from aiom.core.processes import process_start
from aiom.core.task_worker import AS_QUEUED, requeueable

MAX_ATTEMPTS = 3
INTERRUPTED_CLASS = "aiom.core.task_worker.Interrupted"


@dataclass(frozen=True)
class WorkerRef:
    host: str
    pid: int
    start: str


def parse(worker_id: str) -> WorkerRef | None:
    """PURE: the host, pid and start of an id `new_worker_id` made; None for others."""
    parts = worker_id.split(":")
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    return WorkerRef(parts[0], int(parts[1]), parts[2])


def local_dead(ref: WorkerRef, start_of: Callable[[int], str | None] = process_start) -> bool:
    """Whether the worker `ref` of this host is gone (its pid is free or now another process)."""
    if os.path.isdir("/proc"):
        return start_of(ref.pid) != ref.start
    try:  # pragma: no cover - not Linux
        os.kill(ref.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remote_dead(worker_id: str) -> bool:
    """PostgreSQL: nobody holds the worker's advisory lock; elsewhere: unknown, so False."""
    if connection.vendor != "postgresql":
        return False
    key = advisory_key(f"task worker {worker_id}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        free = bool(cursor.fetchone()[0])
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    return free


def is_dead(worker_id: str) -> bool:
    ref = parse(worker_id)
    if ref is None:
        return False  # not one of ours: leave it to whoever started it
    if ref.host == socket.gethostname()[:30]:
        return local_dead(ref)
    return remote_dead(worker_id)


@dataclass(frozen=True)
class Reclaimed:
    requeued: list[str]
    failed: list[str]


def reclaim(*, dead: Callable[[str], bool] = is_dead) -> Reclaimed:
    """Requeue or fail every RUNNING task whose last worker is dead; what was done."""
    requeued: list[str] = []
    failed: list[str] = []
    for row in DBTaskResult.objects.running():
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if not worker or not dead(worker):
            continue
        if requeueable(row.task_path) and len(row.worker_ids) < MAX_ATTEMPTS:
            if _as_claimed(row).update(**AS_QUEUED):
                requeued.append(f"{row.task_path} {row.pk}")
        elif _fail(row, worker):
            failed.append(f"{row.task_path} {row.pk}")
    return Reclaimed(requeued, failed)


def _as_claimed(row: DBTaskResult[Any, Any]) -> Any:
    """The row if it is still RUNNING since the same claim (no other reclaimer got there)."""
    return DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)


def _fail(row: DBTaskResult[Any, Any], worker: str) -> bool:
    why = (
        f"interrupted: worker {worker} stopped while the task ran "
        f"(started {row.started_at:%Y-%m-%d %H:%M:%S} UTC); "
        + (
            "it was interrupted too often to run it again"
            if requeueable(row.task_path)
            else "what it wrote in its transaction was rolled back; run it again if needed"
        )
    )
    return bool(
        _as_claimed(row).update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path=INTERRUPTED_CLASS,
            traceback=why,
            return_value=None,
        )
    )
