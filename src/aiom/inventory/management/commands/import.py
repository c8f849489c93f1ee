# ruff: noqa: N999 - the command is `aiom import`, so the module is import.py
"""`aiom import FILE`: load a real AI use-case inventory (CSV, XLSX, JSON) into the portfolio.

A real run is all-or-nothing unless `--skip-invalid`; `--dry-run` prints the same report
and writes nothing. Exit status 1 when the import was refused or the file unreadable.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import Mapping, MappingError, load_mapping, load_preset, preset_names
from aiom.inventory.services import record_import_run
from aiom.organisation.access import access_for


class Command(BaseCommand):
    help = (
        "Import an AI use-case inventory (CSV, XLSX or JSON) with a preset or a mapping file. "
        "A file may unpack to at most AIOM_IMPORT_MAX_UNPACKED_BYTES (default 200 MB) and "
        "hold at most AIOM_IMPORT_MAX_CELLS cells (default 10,000,000). A row updates only "
        "the use case its own source (the preset or mapping name) created with the same "
        "external id; external ids compare after NFKC, whitespace and case folding."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the inventory file (.csv, .xlsx or .json)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--preset", choices=preset_names(), help="a shipped mapping")
        group.add_argument("--mapping", help="a mapping YAML file (see the presets for the form)")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows, report the rest"
        )
        parser.add_argument(
            "--org-unit-root", default="", help="put the imported org-unit tree under this unit"
        )
        parser.add_argument("--progress", action="store_true", help="progress on stderr")
        parser.add_argument("--as", dest="as_user", default="", help="act as this user")
        parser.add_argument(
            "--max-problems", type=int, default=50, help="problems to print (default 50)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        mapping: Mapping | None = None
        try:
            if options["mapping"]:
                where = Path(options["mapping"])
                mapping = load_mapping(where.read_text(encoding="utf-8"), base=where.parent)
            elif options["preset"]:
                mapping = load_preset(options["preset"])
        except (MappingError, OSError) as exc:
            raise CommandError(f"the mapping cannot be used: {exc}") from exc
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"no user '{options['as_user']}'")
            if not access_for(actor).is_admin:
                raise CommandError(f"{actor.get_username()} is not an administrator")
        show = options["progress"] or sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\r{done}/{total} rows written")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        report = run_import(
            path,
            actor=actor,
            mapping=mapping,
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            org_unit_root=options["org_unit_root"],
            progress=progress if show else None,
        )
        if report.written:
            record_import_run(actor=actor, report=report, skip_invalid=options["skip_invalid"])
        for line in report.lines(max_problems=options["max_problems"]):
            self.stdout.write(line)
        if not report.file_format:
            raise CommandError("the file could not be read: nothing was imported")
        if not report.dry_run and not report.written:
            raise CommandError(
                "nothing was imported: fix the errors above, or use --skip-invalid to import "
                "the valid rows"
            )
        if report.dry_run and report.problems and report.rows == 0:
            raise CommandError("the file could not be read")
