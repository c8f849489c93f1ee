"""Periodic tasks: settings.AIOM_PERIODIC_TASKS maps a task's path to the seconds between
its runs (the sweep: AIOM_SWEEP_MINUTES). The queue holds exactly one future run of each:
a worker schedules the next when it starts and whenever a run ends, under a database lock
(aiom.core.locks) so several workers, on several machines, never schedule two. The next
run is due `every` seconds after the last one finished (after `every` seconds from now if
it never ran: a first start does not begin with a sweep of the whole portfolio).
"""

import datetime as dt

from django.conf import settings
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from aiom.core.locks import LockBusy, exclusive


def periodic() -> dict[str, int]:
    return {str(k): int(v) for k, v in settings.AIOM_PERIODIC_TASKS.items()}


def next_run(last_finished: dt.datetime | None, every: int, now: dt.datetime) -> dt.datetime:
    """PURE: when the next run is due."""
    base = now if last_finished is None else last_finished
    return max(now, base + dt.timedelta(seconds=every))


def ensure_scheduled(path: str, every: int, *, now: dt.datetime | None = None) -> bool:
    """Queue the next run of the task `path` unless one is queued or running already;
    whether one was queued."""
    now = now or timezone.now()
    try:
        with exclusive(f"schedule {path}"):
            pending = DBTaskResult.objects.filter(task_path=path, status__in=["READY", "RUNNING"])
            if pending.exists():
                return False
            last = (
                DBTaskResult.objects.filter(task_path=path, finished_at__isnull=False)
                .order_by("-finished_at")
                .values_list("finished_at", flat=True)
                .first()
            )
            task: Task[[], object] = import_string(path)
            task.using(run_after=next_run(last, every, now)).enqueue()
            return True
    except LockBusy:
        return False  # another worker is scheduling it right now


def ensure_all(*, now: dt.datetime | None = None) -> list[str]:
    """Schedule every periodic task that has no run queued; the paths scheduled."""
    return [path for path, every in periodic().items() if ensure_scheduled(path, every, now=now)]
