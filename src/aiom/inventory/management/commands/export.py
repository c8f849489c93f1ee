"""`aiom export --format csv|xlsx|json|omb-2025`: the portfolio, or what one user may see.

Without `--as` the system exports everything; with it, `UseCase.objects.visible_to(user)`.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from aiom.inventory.exporter import FORMATS, export, select
from aiom.organisation.models import OrgUnit
from aiom.portfolio.vocabulary import unknown_stage


class Command(BaseCommand):
    help = "Export the portfolio as CSV, XLSX, JSON or the US federal 2025 inventory's columns."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument(
            "--stage", action="append", default=[], help="a stage of the policy in force"
        )
        parser.add_argument("--org-unit", default="", help="an org unit's code: its subtree")
        parser.add_argument("--as", dest="as_user", default="", help="export what they may see")
        parser.add_argument("-o", "--output", default="", help="file to write (default stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        for stage in options["stage"]:  # the policy's stages, so checked here, not by argparse
            if problem := unknown_stage(stage):
                raise CommandError(problem)
        user = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"no user '{options['as_user']}'")
        unit = None
        if options["org_unit"]:
            unit = OrgUnit.objects.filter(code=options["org_unit"]).first()
            if unit is None:
                raise CommandError(f"no org unit with code '{options['org_unit']}'")
        use_cases = select(user=user, stages=options["stage"], org_unit=unit)
        data = export(options["format"], use_cases.iterator(chunk_size=2000))
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"wrote {options['output']} ({len(data)} bytes)")
        elif options["format"] == "xlsx":
            raise CommandError("xlsx is binary: give -o FILE")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
