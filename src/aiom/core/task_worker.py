"""A task worker process (`aiom tasks work`): django-tasks-db's worker loop with what a
server that is stopped, restarted or killed needs.

- Its id names where it runs: `host:pid:start:random`, so a task it left RUNNING can be
  recognised as orphaned once that process is gone (aiom.core.task_reclaim).
- On PostgreSQL it holds an advisory lock named after its id for its whole life, on a
  connection of its own: workers on other machines see it alive while the lock is held, and
  the server drops the lock when the process or its machine goes.
- A stop signal interrupts a task that may safely run again (settings.AIOM_TASKS_REQUEUE,
  e.g. an index rebuild or the sweep) at once and puts it back in the queue; any other task
  (an import) gets the supervisor's grace period to finish, as django-tasks-db does.
- After a task that left it larger than AIOM_TASK_WORKER_MAX_MB (a whole-portfolio rebuild
  at 100,000 use cases peaks at several GB, and Python keeps what it allocated), it exits
  so that `aiom serve` starts a fresh one.
- Stop signals reach its main thread only (helper threads block them), so a task waiting
  on a lock (a pool's results) is interrupted at once.
- Everything it forks (a similarity rebuild's pool) resets SIGTERM to its default and gets
  PR_SET_PDEATHSIG=SIGKILL: the pool's children die with the worker however it ends,
  instead of waiting forever on a queue read holding memory (issue 15).
"""

import logging
import os
import secrets
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from aiom.core.locks import advisory_key
from aiom.core.processes import die_with_parent, process_start

log = logging.getLogger("aiom.tasks")


class Interrupted(BaseException):
    """A stop signal reached the worker while it ran a task that may run again."""


def requeueable(task_path: str) -> bool:
    """Whether a task interrupted half-way may simply run again (idempotent)."""
    return task_path in set(settings.AIOM_TASKS_REQUEUE)


def new_worker_id() -> str:
    """`host:pid:start:random`, at most 64 characters (django-tasks-db's limit)."""
    pid = os.getpid()
    host = socket.gethostname()[:30]
    return f"{host}:{pid}:{process_start(pid) or 0}:{secrets.token_hex(4)}"


STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _in_forked_child() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # forked from a helper thread
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent(signal.SIGKILL)


def _stop_signals_to_the_main_thread(*args: Any) -> None:
    """Run once in each new thread: block the stop signals there. The kernel delivers a
    signal sent to the process to any thread that does not block it; one delivered to a
    helper thread (a multiprocessing pool has three) never wakes the main thread blocked
    in a lock wait (pool.starmap), so the stop would wait for the grace period."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    sys.setprofile(None)


@contextmanager
def alive_lock(worker_id: str) -> Iterator[None]:
    """PostgreSQL: hold the advisory lock that tells other machines this worker lives."""
    if connection.vendor != "postgresql":
        yield
        return
    raw: Any = connection.get_new_connection(connection.get_connection_params())
    key = advisory_key(f"task worker {worker_id}")
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        yield
    finally:
        try:  # at once: the server ends a closed session (and drops its locks) a bit later
            with raw.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        finally:
            raw.close()


class TaskWorker(Worker):
    """django-tasks-db's Worker, interrupting re-runnable tasks on a stop signal."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current: DBTaskResult[Any, Any] | None = None
        self.interrupted = False

    def configure_signals(self) -> None:
        super().configure_signals()
        os.register_at_fork(after_in_child=_in_forked_child)
        threading.setprofile(_stop_signals_to_the_main_thread)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        current = self.current
        if self.running_task and current is not None and requeueable(current.task_path):
            log.warning(
                "%s: interrupting %s to run it again later",
                signal.strsignal(signum),
                current.task_path,
            )
            self.running = False
            self.interrupted = True
            raise Interrupted(signum)
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        self.current = db_task_result
        try:
            super().run_task(db_task_result)
        except Interrupted:
            self.interrupted = True
        finally:
            self.current = None
        if self.interrupted:
            requeue(db_task_result)
        elif self.running and resident_mb() > max_mb():
            log.warning(
                "task worker uses %.0f MB after a task: exiting to start afresh", resident_mb()
            )
            self.running = False  # exit 0; `aiom serve` starts a fresh worker at once


def max_mb() -> float:
    return float(settings.AIOM_TASK_WORKER_MAX_MB)


def resident_mb() -> float:
    """This process's resident memory in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# A task back in the queue as if it had never started (its worker ids are kept: attempts).
AS_QUEUED: dict[str, Any] = {
    "status": "READY",
    "started_at": None,
    "finished_at": None,
    "return_value": None,
    "exception_class_path": "",
    "traceback": "",
}


def requeue(row: DBTaskResult[Any, Any]) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(**AS_QUEUED)
