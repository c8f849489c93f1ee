"""`aiom tasks`: the background work's queue (a table: django-tasks-db) and its workers.

- `work [--queues a,b] [--interval S]`: a worker process; `aiom serve` starts
  AIOM_TASK_WORKERS of them, other machines run it on its own (PostgreSQL). At start it
  reclaims tasks that dead workers left running and schedules the periodic tasks.
- `status`: per queue, tasks queued (due now / later), running, failed in the last day, and
  how long the oldest due task has waited.
- `reclaim`: requeue or fail the tasks that dead workers left running.
See docs/background-work.md.
"""

import datetime as dt
import faulthandler
import logging
import math
import os
import signal
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Min, Q
from django.tasks import task_backends
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from aiom.core import task_reclaim, task_schedule
from aiom.core.processes import exit_now
from aiom.core.task_worker import TaskWorker, alive_lock, new_worker_id

log = logging.getLogger("aiom.tasks")


def _interval(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ArgumentTypeError("expected a number of seconds, zero or more")
    return value


class Command(BaseCommand):
    help = "Background work: work [--queues] [--interval], status, reclaim."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        work = sub.add_parser("work", help="run queued tasks until stopped")
        work.add_argument("--queues", default="*", help="comma-separated queues; * for all")
        work.add_argument("--interval", type=_interval, default=1.0, help="seconds between polls")
        work.add_argument(
            "--batch", action="store_true", help="run what is due, then exit (tests, one-offs)"
        )
        sub.add_parser("status", help="queued, running and failed tasks per queue")
        sub.add_parser("reclaim", help="requeue or fail tasks that dead workers left running")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "work":
            self._work(options["queues"], options["interval"], batch=options["batch"])
        elif action == "status":
            self._status()
        else:
            self._reclaimed(task_reclaim.reclaim())

    def _work(self, queues: str, interval: float, *, batch: bool) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "the task backend is not the database: tasks run where they are enqueued "
                "(AIOM_TASKS_BACKEND=immediate), so there is nothing for a worker to do"
            )
        faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1`: its stacks
        if settings.AIOM_TASK_WORKER_NICE > 0 and not batch:
            # A long-running worker yields the CPU to the web workers on its machine: an
            # index rebuild at 100k is minutes of CPU that must not slow a page. (`--batch`
            # is a one-off run by an operator or a test: it keeps the caller's priority.)
            os.nice(settings.AIOM_TASK_WORKER_NICE)
        worker_id = new_worker_id()
        worker = TaskWorker(
            queue_names=[q for q in queues.split(",") if q] or ["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

        def reschedule(sender: Any, task_result: Any, **kwargs: Any) -> None:
            every = task_schedule.periodic().get(task_result.task.module_path)
            if every is not None and not worker.interrupted:
                task_schedule.ensure_scheduled(task_result.task.module_path, every)

        code = 0
        with alive_lock(worker_id):
            self._reclaimed(task_reclaim.reclaim(), quiet=True)
            task_schedule.ensure_all()
            task_finished.connect(reschedule, weak=False)
            log.info("task worker %s on queues %s", worker_id, queues)
            if not batch:  # --batch runs in-process too (tests): leave its signals alone
                worker.configure_signals()
            try:
                worker.run()
            except SystemExit as stop:  # a stop signal while it waited for work
                code = stop.code if isinstance(stop.code, int) else 1
        if not batch:
            exit_now(code)  # nothing left to tidy: skip the interpreter's slow teardown

    def _reclaimed(self, done: task_reclaim.Reclaimed, *, quiet: bool = False) -> None:
        for line in done.requeued:
            log.warning("requeued %s: its worker had stopped", line)
        for line in done.failed:
            log.warning("failed %s: interrupted, its worker had stopped", line)
        if not quiet:
            self.stdout.write(f"{len(done.requeued)} requeued, {len(done.failed)} failed")

    def _status(self) -> None:
        now = timezone.now()
        day = now - dt.timedelta(days=1)
        due = Q(status="READY") & (Q(run_after__lte=now) | Q(run_after__year=9999))
        rows = (
            DBTaskResult.objects.values("queue_name")
            .annotate(
                due=Count("pk", filter=due),
                later=Count("pk", filter=Q(status="READY") & ~due),
                running=Count("pk", filter=Q(status="RUNNING")),
                failed=Count("pk", filter=Q(status="FAILED", finished_at__gte=day)),
                oldest=Min("enqueued_at", filter=due),
            )
            .order_by("queue_name")
        )
        self.stdout.write(
            f"{'queue':<12}{'due':>6}{'later':>7}{'running':>9}{'failed 24h':>12}"
            "   oldest due waited"
        )
        for row in rows:
            waited = f"{(now - row['oldest']).total_seconds():.0f} s" if row["oldest"] else "-"
            self.stdout.write(
                f"{row['queue_name']:<12}{row['due']:>6}{row['later']:>7}{row['running']:>9}"
                f"{row['failed']:>12}   {waited}"
            )
