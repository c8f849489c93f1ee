"""Writes of the inventory app: the ImportRun record, atomic and audited like every write."""

from typing import Any

from django.db import transaction

from aiom.core import audit
from aiom.inventory.models import ImportRun
from aiom.inventory.report import Report
from aiom.organisation.services import require_admin


def run_snapshot(run: ImportRun) -> dict[str, Any]:
    return {
        "file_name": run.file_name,
        "sha256": run.sha256,
        "preset": run.preset,
        "dry_run": run.dry_run,
        "skip_invalid": run.skip_invalid,
        "rows": run.rows,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "invalid": run.invalid,
        "org_units_created": run.org_units_created,
    }


@transaction.atomic
def record_import_run(*, actor: audit.Actor, report: Report, skip_invalid: bool) -> ImportRun:
    """Store what an import (or a web preview, `report.dry_run`) found; administrators only."""
    require_admin(actor, "import inventories")
    counts = report.counts()
    run = ImportRun.objects.create(
        file_name=report.file_name[:255],
        sha256=report.sha256,
        preset=report.preset[:60],
        dry_run=report.dry_run,
        skip_invalid=skip_invalid,
        rows=counts["rows"],
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        invalid=counts["invalid"],
        org_units_created=counts["org_units_created"],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(actor=actor, action="create", obj=run, after=run_snapshot(run))
    return run
