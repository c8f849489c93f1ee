"""`aiom demo`: load a realistic demo organisation and AI portfolio into an empty database.

`--if-empty` (what `make run` uses) skips quietly when there is any data; `--force` loads
the demo next to existing data. Either way an already loaded demo is never loaded twice.
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.core.errors import InvalidInput
from aiom.demo.data import DEMO_PASSWORD
from aiom.demo.loader import database_is_empty, has_demo, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo portfolio (org units, people with roles, 200+ use cases) into an "
        "empty database; every demo login's password is 'aiom-demo'."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty database; otherwise say so and exit 0",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo next to the data already there (existing records stay as-is)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if has_demo():
            self.stdout.write("demo portfolio already loaded")
            return
        if not database_is_empty():
            if options["if_empty"]:
                self.stdout.write("the database already holds data: skipped the demo portfolio")
                return
            if not options["force"]:
                raise CommandError(
                    "the database already holds org units, people or use cases that are not "
                    "the demo's; aiom demo will not touch a non-demo database. Use --force to "
                    "load the demo next to them."
                )
        started = time.monotonic()
        try:
            summary = load_demo()
        except InvalidInput as exc:
            raise CommandError(f"the demo could not be loaded, nothing was changed: {exc}") from exc
        self.stdout.write(
            f"Loaded the demo portfolio in {time.monotonic() - started:.1f} s: "
            f"{summary.org_units} org units, {summary.people} people, "
            f"{summary.use_cases} use cases, {summary.audit_events} audit events."
        )
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/ as {summary.admin_username} / {DEMO_PASSWORD} "
            f"(administrator) — every demo person's password is {DEMO_PASSWORD}, e.g. "
            "sofia.marino (business owner, Cards & Payments), david.cohen (risk reviewer) or "
            "alex.turner (external partner)."
        )
