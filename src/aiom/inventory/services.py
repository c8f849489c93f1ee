"""Writes of the inventory app: the ImportRun record and the ImportJob's life (queued →
running → done | failed), atomic and audited like every write."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput
from aiom.inventory.models import ImportJob, ImportRun
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


def job_snapshot(job: ImportJob) -> dict[str, Any]:
    return {
        "file_name": job.file_name,
        "sha256": job.sha256,
        "preset": job.preset,
        "mapping_name": job.mapping_name,
        "mapping_sha256": job.mapping_sha256,
        "skip_invalid": job.skip_invalid,
        "org_unit_root": job.org_unit_root,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "error": job.error,
    }


@transaction.atomic
def create_import_job(
    *,
    actor: audit.Actor,
    file_name: str,
    sha256: str,
    stored: str,
    total: int,
    preset: str = "",
    mapping_name: str = "",
    mapping_sha256: str = "",
    skip_invalid: bool = False,
    org_unit_root: str = "",
) -> ImportJob:
    """Queue a confirmed import of a stored upload; administrators only, once per upload."""
    require_admin(actor, "import inventories")
    if actor is None or not actor.is_authenticated:
        raise InvalidInput({"actor": "an import job is started by a signed-in administrator"})
    if ImportJob.objects.filter(stored=stored).exists():
        raise InvalidInput({"token": "this upload has already been confirmed"})
    job = ImportJob.objects.create(
        actor=actor,
        file_name=file_name[:255],
        sha256=sha256,
        stored=stored,
        preset=preset[:60],
        mapping_name=mapping_name[:60],
        mapping_sha256=mapping_sha256,
        skip_invalid=skip_invalid,
        org_unit_root=org_unit_root[:120],
        total=total,
    )
    audit.record(actor=actor, action="create", obj=job, after=job_snapshot(job))
    return job


@transaction.atomic
def claim_import_job(*, job_id: int, now: dt.datetime | None = None) -> ImportJob | None:
    """Mark a queued job running (by the system: the job runner); None if it is not queued
    any more (another runner took it, or it failed)."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != ImportJob.State.QUEUED:
        return None
    before = job_snapshot(job)
    job.state = ImportJob.State.RUNNING
    job.started_at = job.heartbeat = now or timezone.now()
    job.save(update_fields=["state", "started_at", "heartbeat"])
    audit.record(actor=None, action="update", obj=job, before=before, after=job_snapshot(job))
    return job


@transaction.atomic
def finish_import_job(
    *,
    job_id: int,
    report: dict[str, Any] | None = None,
    done: int | None = None,
    total: int | None = None,
    error: str = "",
    only_if_stale_before: dt.datetime | None = None,
) -> ImportJob | None:
    """Close a queued or running job: `done` with its report, or `failed` with `error`.

    `only_if_stale_before` (the sweep): close it only if its heartbeat is older, so a
    runner that is alive and finishing is never overruled. None if nothing was closed."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return None
    if only_if_stale_before is not None:
        beat = job.heartbeat or job.created_at
        if beat >= only_if_stale_before:
            return None
    before = job_snapshot(job)
    job.state = ImportJob.State.FAILED if error else ImportJob.State.DONE
    job.error = error[:2000]
    job.report = report
    if done is not None:
        job.done = done
    if total is not None:
        job.total = total
    job.finished_at = job.heartbeat = timezone.now()
    fields = ["state", "error", "report", "done", "total", "finished_at", "heartbeat"]
    job.save(update_fields=fields)
    audit.record(actor=None, action="update", obj=job, before=before, after=job_snapshot(job))
    return job
