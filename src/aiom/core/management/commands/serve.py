"""`aiom serve`: the production server: gunicorn (several workers, WhiteNoise statics) and
the task workers that run the background work, started and stopped together
(aiom.core.supervisor; docs/background-work.md)."""

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.tasks import task_backends
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend

from aiom.core import dbstats
from aiom.core.processes import exit_now
from aiom.core.supervisor import supervise

GRACEFUL_SECONDS = 10


def default_workers() -> int:
    return min(8, 2 * (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve aiom with gunicorn and its task workers (AIOM_DEBUG=0 for production)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--task-workers",
            type=int,
            default=None,
            help="task worker processes (default AIOM_TASK_WORKERS; 0: they run elsewhere)",
        )
        parser.add_argument("--graceful-timeout", type=int, default=GRACEFUL_SECONDS)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"port {options['port']} is out of range")
        if options["workers"] < 1:
            raise CommandError("at least one worker is needed")
        tasks = options["task_workers"]
        tasks = int(settings.AIOM_TASK_WORKERS) if tasks is None else tasks
        if tasks < 0:
            raise CommandError("--task-workers cannot be negative")
        if not isinstance(task_backends["default"], DatabaseBackend):
            tasks = 0  # AIOM_TASKS_BACKEND=immediate: tasks run where they are enqueued
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        dbstats.refresh()  # SQLite: figures for indexes a migration added
        call_command("facts", verbosity=0)  # facts a migration or an import left stale
        if isinstance(task_backends["default"], DatabaseBackend):
            for path in settings.AIOM_SERVE_AT_START:
                import_string(path)()  # e.g. queue a rebuild of a stale similarity snapshot
        connections.close_all()  # the children open their own
        bind = f"{options['host']}:{options['port']}"
        graceful = str(options["graceful_timeout"])
        self.stdout.write(
            f"aiom serving on http://{bind}/ with {options['workers']} workers and "
            f"{tasks} task workers (debug {'on' if settings.DEBUG else 'off'})"
        )
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "aiom.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            # No gunicorn access log: aiom.request writes one (JSON) line per request.
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--graceful-timeout",
            graceful,
        ]
        worker = [sys.executable, "-m", "aiom", "tasks", "work"]
        exit_now(supervise(web, worker, tasks, float(options["graceful_timeout"]) + 2))
