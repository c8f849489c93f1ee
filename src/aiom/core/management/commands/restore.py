"""`aiom restore PATH`: replace the whole database with a backup, then verify the audit chain.

The file is checked first (an aiom backup, not from a newer aiom); SQLite refuses while
another process writes to the database (stop `aiom serve`, sweeps and imports first).
Exit 1 when refused, or when the restored audit chain does not verify. When the anchors
file knew a later chain (the events after the backup), it warns, naming them.
"""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.core import anchors
from aiom.core.audit import verify_chain
from aiom.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with the backup at PATH and verify its audit chain."
    # The checks query the database (JSON support), which waits on a busy SQLite file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="a file written by `aiom backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            contents = restore(Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        held = (
            f" ({contents.use_cases:,} use cases, {contents.audit_events:,} audit events)"
            if contents.use_cases is not None and contents.audit_events is not None
            else ""
        )
        self.stdout.write(f"restored {options['path']}{held} in {seconds:.1f} s")
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at event #{report.broken_seq}: {report.reason} "
                f"({report.checked} events before it verified)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain OK: {report.checked} events verified"))
        self._against_anchors()

    def _against_anchors(self) -> None:
        """A restore is a rollback: say so when the anchors knew a later chain."""
        path = anchors.default_path()
        if not path.exists():
            return
        try:
            problems = anchors.verify(path).problems
        except anchors.AnchorFileError as exc:
            problems = [str(exc)]
        for problem in problems:
            self.stderr.write(f"warning: {problem}")
        if problems:
            self.stderr.write(
                f"warning: the restored chain disagrees with {path}: events recorded after "
                "this backup are gone. If the restore is intended, move that file aside and "
                "run `aiom audit anchor` (docs/audit-threat-model.md)"
            )
