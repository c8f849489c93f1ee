"""`aiom facts`: bring the use cases' facts up to date, check them, or rebuild them.

aiom facts             refresh the use cases marked stale (what a read does anyway)
aiom facts --verify    recompute every row and compare; exit 1 naming any difference
aiom facts --rebuild   recompute every row (after data loaded behind the services)
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aiom.insights.analytics import facts


class Command(BaseCommand):
    help = "Refresh, verify or rebuild the per-use-case facts the portfolio figures read."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--verify", action="store_true", help="compare with a recompute")
        group.add_argument("--rebuild", action="store_true", help="recompute every use case")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["verify"]:
            wrong = facts.verify()
            if wrong:
                shown = ", ".join(str(pk) for pk in wrong[:20])
                more = f" and {len(wrong) - 20} more" if len(wrong) > 20 else ""
                raise CommandError(
                    f"{len(wrong)} use cases have facts that differ from their rows: {shown}"
                    f"{more}; `aiom facts --rebuild` recomputes them"
                )
            message = "every use case's facts match its rows"
        elif options["rebuild"]:
            message = f"rebuilt the facts of {facts.rebuild():,} use cases"
        else:
            message = f"refreshed the facts of {facts.current():,} stale use cases"
        if options["verbosity"]:
            self.stdout.write(f"{message} ({time.perf_counter() - started:.1f} s)")
