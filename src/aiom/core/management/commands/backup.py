"""`aiom backup PATH`: a consistent copy of the whole database, taken while aiom serves.

SQLite: the online backup API into PATH (written to PATH.tmp, then renamed).
PostgreSQL: `pg_dump --format=custom`. Restore with `aiom restore PATH`.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to PATH (SQLite online backup API, or pg_dump)."
    # The checks query the database (JSON support), which waits on a busy SQLite file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="the backup file to write (replaced if it exists)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"backed up the {outcome.vendor} database to {outcome.path} "
                f"({outcome.size / 1_048_576:.1f} MB in {outcome.seconds:.1f} s)"
            )
        )
