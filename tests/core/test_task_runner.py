"""The task runner's bookkeeping over the database queue (django-tasks-db): tasks that dead
workers left RUNNING are requeued or failed, a starting worker does it and runs what it
requeued, the periodic sweep is scheduled exactly once, and `aiom tasks status` reads the
queue. (Stopping a real server mid-task: tests/reliability/test_serve_stop.py.)"""

import datetime as dt
import os
import socket
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from aiom.core import task_reclaim, task_schedule
from aiom.core.processes import process_start
from aiom.core.task_reclaim import WorkerRef, parse
from aiom.core.task_worker import alive_lock, new_worker_id
from aiom.notifications.tasks import sweep

pytestmark = pytest.mark.django_db
REBUILD = "aiom.similarity.tasks.rebuild_index"
IMPORT = "aiom.inventory.tasks.run_import_job"
SLEEP = "tests.reliability.forking_task.fork_and_sleep"
SWEEP = "aiom.notifications.tasks.sweep"
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
HOST = socket.gethostname()[:30]


@pytest.fixture
def queue(settings: Any) -> None:
    """The real queue: the database backend instead of the tests' immediate one."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def dead_worker() -> str:
    """A worker of this host whose pid now belongs to another process (this one)."""
    return f"{HOST}:{os.getpid()}:0:dead"


def row(path: str, *workers: str, status: str = "RUNNING", **fields: Any) -> DBTaskResult[Any, Any]:
    values: dict[str, Any] = {
        "task_path": path,
        "args_kwargs": {"args": [], "kwargs": {}},
        "queue_name": "similarity",
        "backend_name": "default",
        "run_after": get_date_max(),
        "status": status,
        "started_at": timezone.now() if status == "RUNNING" else None,
        "worker_ids": list(workers),
        **fields,
    }
    return DBTaskResult.objects.create(**values)


@pytest.mark.parametrize(
    ("worker_id", "expected"),
    [
        ("vm:123:456:ab12", WorkerRef("vm", 123, "456")),
        ("vm:abc:456:ab12", None),
        ("Kx8f2pQ9rT1vW3yZ5aB7cD9eF1gH3jL5", None),  # django-tasks-db's own random ids
        ("vm:1:2", None),
    ],
)
def test_a_worker_id_names_its_host_pid_and_start(
    worker_id: str, expected: WorkerRef | None
) -> None:
    assert parse(worker_id) == expected


def test_a_local_worker_is_dead_once_its_pid_is_gone_or_reused() -> None:
    me = parse(new_worker_id())
    assert me is not None and me.start == process_start(os.getpid())
    assert not task_reclaim.local_dead(me)
    assert task_reclaim.local_dead(WorkerRef(HOST, me.pid, "0"))  # pid reused
    assert task_reclaim.local_dead(me, start_of=lambda pid: None)  # pid free


def test_a_worker_elsewhere_is_dead_once_its_lock_is_free_on_postgresql() -> None:
    """PostgreSQL: each worker holds an advisory lock for its life, on a connection of its
    own; SQLite (one machine) never judges a worker of another host."""
    other = "elsewhere:1:1:ab12"
    with alive_lock(other):
        assert not task_reclaim.is_dead(other)
    assert task_reclaim.is_dead(other) is (connection.vendor == "postgresql")


def test_reclaim_requeues_what_may_run_again_and_fails_the_rest(queue: None) -> None:
    dead = dead_worker()
    rebuild = row(REBUILD, dead)
    imported = row(IMPORT, dead, queue_name="imports")
    too_often = row(REBUILD, dead, dead, dead)
    alive = row(REBUILD, new_worker_id())
    elsewhere = row(REBUILD, "another-host:1:1:ab12")  # alive: it holds its lock (PostgreSQL)
    foreign = row(REBUILD, "Kx8f2pQ9rT1vW3yZ5aB7cD9eF1gH3jL5")
    out = StringIO()
    with alive_lock("another-host:1:1:ab12"):
        call_command("tasks", "reclaim", stdout=out)
        assert task_reclaim.reclaim() == task_reclaim.Reclaimed([], [])  # nothing twice
    assert out.getvalue().strip() == "1 requeued, 2 failed"
    states = {r.pk: r for r in DBTaskResult.objects.all()}
    assert (states[rebuild.pk].status, states[rebuild.pk].started_at) == ("READY", None)
    assert states[rebuild.pk].worker_ids == [dead]  # the attempts are kept
    for failed in (imported, too_often):
        got = states[failed.pk]
        assert got.status == "FAILED" and got.traceback.startswith("interrupted: worker ")
        assert got.exception_class_path == task_reclaim.INTERRUPTED_CLASS
    assert "rolled back" in states[imported.pk].traceback
    assert "too often" in states[too_often.pk].traceback
    for untouched in (alive, elsewhere, foreign):
        assert states[untouched.pk].status == "RUNNING"


@pytest.mark.django_db(transaction=True)  # the worker closes old connections between tasks
def test_a_starting_worker_reclaims_and_runs_the_requeued_task(queue: None, settings: Any) -> None:
    settings.AIOM_TASKS_REQUEUE = [SLEEP]
    settings.AIOM_SIMILARITY_WORKERS = 1  # no pool forked from pytest
    dead = dead_worker()
    orphan = row(SLEEP, dead, args_kwargs={"args": [0], "kwargs": {}})
    call_command("tasks", "work", "--batch", stdout=StringIO())
    orphan.refresh_from_db()
    assert (orphan.status, orphan.return_value) == ("SUCCESSFUL", 1)
    assert orphan.worker_ids[0] == dead and parse(orphan.worker_ids[1]) is not None
    scheduled = DBTaskResult.objects.get(task_path=SWEEP)  # and the sweep is scheduled
    assert scheduled.status == "READY" and scheduled.queue_name == "sweep"


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (None, NOW + dt.timedelta(hours=1)),
        (NOW - dt.timedelta(minutes=10), NOW + dt.timedelta(minutes=50)),
        (NOW - dt.timedelta(hours=5), NOW),
    ],
)
def test_the_next_periodic_run(last: dt.datetime | None, expected: dt.datetime) -> None:
    assert task_schedule.next_run(last, 3600, NOW) == expected


def test_the_sweep_is_scheduled_exactly_once(queue: None, settings: Any) -> None:
    assert task_schedule.periodic() == {SWEEP: int(settings.AIOM_SWEEP_MINUTES * 60)}
    assert task_schedule.ensure_scheduled(SWEEP, 3600, now=NOW)
    assert not task_schedule.ensure_scheduled(SWEEP, 3600, now=NOW)  # one is queued
    assert task_schedule.ensure_all(now=NOW) == []
    first = DBTaskResult.objects.get(task_path=SWEEP)
    assert (first.status, first.run_after, first.priority) == (
        "READY",
        NOW + dt.timedelta(hours=1),
        -10,
    )
    DBTaskResult.objects.filter(pk=first.pk).update(status="RUNNING")
    assert not task_schedule.ensure_scheduled(SWEEP, 3600, now=NOW)  # one is running
    finished = NOW + dt.timedelta(hours=1, minutes=2)
    DBTaskResult.objects.filter(pk=first.pk).update(status="SUCCESSFUL", finished_at=finished)
    assert task_schedule.ensure_scheduled(SWEEP, 3600, now=NOW)
    following = DBTaskResult.objects.exclude(pk=first.pk).get(task_path=SWEEP)
    assert following.run_after == finished + dt.timedelta(hours=1)


def test_the_sweep_task_runs_the_sweep() -> None:
    result = sweep.enqueue()  # the tests' backend runs it here
    assert result.status == "SUCCESSFUL"
    assert result.return_value["today"] == timezone.localdate().isoformat()
    assert result.return_value["total"]["found"] == 0


def test_status_counts_each_queue(queue: None) -> None:
    now = timezone.now()
    row(REBUILD, status="READY", enqueued_at=now)
    row(REBUILD, status="READY", run_after=now + dt.timedelta(hours=1))
    row(IMPORT, new_worker_id(), queue_name="imports")
    row(SWEEP, status="FAILED", queue_name="sweep", finished_at=now)
    row(SWEEP, status="FAILED", queue_name="sweep", finished_at=now - dt.timedelta(days=2))
    out = StringIO()
    call_command("tasks", "status", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert [line[:5] for line in lines] == [
        ["imports", "0", "0", "1", "0"],
        ["similarity", "1", "1", "0", "0"],
        ["sweep", "0", "0", "0", "1"],
    ]
    assert lines[1][5:] == ["0", "s"] and lines[0][5:] == ["-"]


@pytest.mark.django_db(transaction=True)  # the worker closes old connections between tasks
def test_a_worker_grown_too_large_stops_after_its_task(queue: None, settings: Any) -> None:
    settings.AIOM_TASK_WORKER_MAX_MB = 1  # any Python process is larger
    settings.AIOM_SIMILARITY_WORKERS = 1
    for _ in range(2):
        row(SLEEP, status="READY", args_kwargs={"args": [0], "kwargs": {}})
    call_command("tasks", "work", "--batch", "--queues", "similarity", stdout=StringIO())
    statuses = sorted(DBTaskResult.objects.filter(task_path=SLEEP).values_list("status", flat=True))
    assert statuses == ["READY", "SUCCESSFUL"]  # `aiom serve` starts a fresh worker for the rest


STARTED: list[str] = []


def note_start() -> None:
    STARTED.append("called")


def test_serve_calls_its_start_hooks_then_supervises(
    queue: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiom.core.management.commands import serve

    settings.AIOM_SERVE_AT_START = ["tests.core.test_task_runner.note_start"]
    seen: list[tuple[list[str], list[str], int]] = []

    def supervise(web: list[str], worker: list[str], workers: int, graceful: float) -> int:
        seen.append((web, worker, workers))
        return 3

    def exit_now(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(serve, "supervise", supervise)
    monkeypatch.setattr(serve, "exit_now", exit_now)
    STARTED.clear()
    with pytest.raises(SystemExit) as stopped:
        call_command("serve", "--no-collectstatic", "--task-workers", "2", stdout=StringIO())
    assert stopped.value.code == 3 and STARTED == ["called"]
    ((web, worker, workers),) = seen
    assert web[1:4] == ["-m", "gunicorn", "aiom.wsgi:application"]
    assert worker[1:] == ["-m", "aiom", "tasks", "work"] and workers == 2
