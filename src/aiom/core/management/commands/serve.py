"""`aiom serve`: the production server (gunicorn, several workers, WhiteNoise statics)."""

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aiom.core import dbstats


def default_workers() -> int:
    return min(8, 2 * (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve aiom with gunicorn (AIOM_DEBUG=0 for production)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"port {options['port']} is out of range")
        if options["workers"] < 1:
            raise CommandError("at least one worker is needed")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        dbstats.refresh()  # SQLite: figures for indexes a migration added
        call_command("facts", verbosity=0)  # facts a migration or an import left stale
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(
            f"aiom serving on http://{bind}/ with {options['workers']} workers "
            f"(debug {'on' if settings.DEBUG else 'off'})"
        )
        sys.stdout.flush()
        argv = [
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
            "10",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
