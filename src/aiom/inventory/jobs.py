"""Background web imports: a confirmed large upload becomes an ImportJob, run outside the
web workers — by default as the task `aiom.inventory.tasks.run_import_job` on the queue
"imports", which a task worker (`aiom tasks work`, started by `aiom serve`) runs.

Why not a thread of the web server: a thread would hold a gunicorn worker's GIL and memory
for minutes, die silently with the worker (a restart, a timeout), and anything it forked
would inherit the listening socket (issue 15). `AIOM_IMPORT_JOB_RUNNER` chooses the runner
(`launch.start` starts it): `task` (the default) enqueues the task; `process` launches
`aiom import_jobs run <id>` through `/bin/sh -c '... &'` (the web worker forks no Python and
waits only for the shell; the runner is exec'd fresh in its own session and holds no
socket); `worker` launches nothing: a long-running `aiom import_jobs work` claims queued
jobs.

Progress: the import writes in ONE transaction (all-or-nothing), so progress written to the
job row from inside it would stay invisible until the end, and on SQLite another connection
cannot write while it is open. Live progress and the heartbeat therefore go to a small file
kept with the stored upload (`<stored>.progress`, replaced atomically): the runner writes it
on every `progress` callback of `run_import` and every BEAT_SECONDS from a ticker thread of
its own process. The row holds the durable states (queued → running → done | failed, each an
audited write) and the report as JSON once done. A job whose heartbeat is older than
AIOM_IMPORT_JOB_STALE_SECONDS reads as "failed: interrupted" at once, and `aiom import_jobs
sweep` records it so. An interrupted import was rolled back with its process.
Caveat: the upload and the progress file live on the machine that took the upload, so the
web import (preview, confirm, job pages) assumes one machine, as the upload already did.
"""

import datetime as dt
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from aiom.inventory import uploads
from aiom.inventory.importer import run_import, sha256_of
from aiom.inventory.mapping import Mapping, MappingError, load_preset
from aiom.inventory.mapping_upload import parse_text
from aiom.inventory.models import ImportJob, ImportRun
from aiom.inventory.report_json import to_json
from aiom.inventory.services import claim_import_job, finish_import_job, record_import_run

log = logging.getLogger("aiom.inventory.jobs")
BEAT_SECONDS = 5.0
INTERRUPTED = (
    "interrupted: the import's process stopped before it finished; "
    "an unfinished import is rolled back, so nothing was written"
)
NEVER_STARTED = "interrupted: the import's process never started; nothing was written"


def stale_seconds() -> int:
    return int(settings.AIOM_IMPORT_JOB_STALE_SECONDS)


def runner_mode() -> str:
    return str(settings.AIOM_IMPORT_JOB_RUNNER)


def runs_in_background(rows: int, size: int) -> bool:
    """Whether a confirmed import of `rows` rows / `size` bytes runs as a job (else inline)."""
    max_rows = int(settings.AIOM_IMPORT_INLINE_MAX_ROWS)
    max_bytes = int(settings.AIOM_IMPORT_INLINE_MAX_BYTES)
    return rows > max_rows or size > max_bytes


@dataclass(frozen=True)
class Progress:
    done: int = 0
    total: int = 0
    phase: str = "queued"
    beat: dt.datetime | None = None


def read_progress(stored: str) -> Progress | None:
    try:
        data = json.loads(uploads.beside(stored, "progress").read_text(encoding="utf-8"))
        beat = dt.datetime.fromisoformat(data["beat"]) if data.get("beat") else None
        return Progress(int(data["done"]), int(data["total"]), str(data["phase"]), beat)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_progress(stored: str, progress: Progress) -> None:
    path = uploads.beside(stored, "progress")
    data = {
        "done": progress.done,
        "total": progress.total,
        "phase": progress.phase,
        "beat": progress.beat.isoformat() if progress.beat else None,
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)


@dataclass(frozen=True)
class JobStatus:
    """What a job's page shows: its state as a person should read it and its progress."""

    state: str  # queued, running, done, failed, interrupted
    done: int
    total: int
    phase: str
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "interrupted")

    @property
    def label(self) -> str:
        return f"{self.done:,} of {self.total:,} rows"


def status_of(
    job: ImportJob,
    progress: Progress | None,
    *,
    now: dt.datetime,
    stale: int,
    queued_expires: bool = True,
) -> JobStatus:
    """PURE: a job's state as it should read now. A running job whose last heartbeat (the
    row's or the progress file's) is older than `stale` seconds, or a queued job no runner
    took within `stale` seconds when runners are launched per job, reads as interrupted."""
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        state = "interrupted" if job.error.startswith("interrupted") else str(job.state)
        return JobStatus(state, job.done, job.total, str(job.state), job.error)
    cutoff = now - dt.timedelta(seconds=stale)
    beats = [b for b in (job.heartbeat, progress.beat if progress else None) if b is not None]
    if job.state == ImportJob.State.RUNNING:
        if max(beats, default=job.created_at) < cutoff:
            return JobStatus("interrupted", job.done, job.total, "running", INTERRUPTED)
        if progress is not None:
            return JobStatus("running", progress.done, progress.total, progress.phase)
        return JobStatus("running", job.done, job.total, "starting")
    if queued_expires and job.created_at < cutoff:
        return JobStatus("interrupted", 0, job.total, "queued", NEVER_STARTED)
    return JobStatus("queued", 0, job.total, "queued")


def status(job: ImportJob) -> JobStatus:
    return status_of(
        job,
        read_progress(job.stored),
        now=timezone.now(),
        stale=stale_seconds(),
        queued_expires=runner_mode() == "process",
    )


def run(job_id: int) -> ImportJob | None:
    """Claim and run one queued job in this process; None if it was not queued."""
    job = claim_import_job(job_id=job_id)
    if job is None:
        return None
    beat = _Beat(job)
    beat.start()
    report: dict[str, Any] | None = None
    try:
        outcome = _run(job, beat)
        if isinstance(outcome, str):
            error = outcome
        else:
            report, error = outcome, ("" if outcome["written"] else _refused(outcome))
    except Exception as exc:  # the job must close whatever went wrong
        log.exception("import job %s failed", job_id)
        error = f"the import stopped on an unexpected error ({type(exc).__name__}: {exc})"
    finally:
        beat.stop()
    closed = finish_import_job(
        job_id=job_id,
        report=report,
        done=beat.progress.done,
        total=beat.progress.total,
        error=error,
    )
    uploads.discard(job.stored)
    return closed


def _refused(report: dict[str, Any]) -> str:
    return f"the import was refused and nothing was written ({report.get('invalid', 0)} invalid)"


def _run(job: ImportJob, beat: "_Beat") -> dict[str, Any] | str:
    path = uploads.path_of(job.stored)
    if path is None:
        return "the uploaded file is gone (kept for a day); upload it again"
    if sha256_of(path) != job.sha256:
        return "the stored file is not the one previewed; nothing imported"
    mapping: Mapping | None = None
    try:
        if job.mapping_sha256:
            kept = uploads.read_mapping(job.stored)
            if kept is None or kept[1] != job.mapping_sha256:
                return "the stored mapping is not the one previewed; nothing imported"
            mapping = parse_text(kept[0])
        elif job.preset:
            mapping = load_preset(job.preset)
    except MappingError as exc:
        return f"the mapping cannot be used: {exc}"
    beat.update(phase="reading and checking the file")
    report = run_import(
        path,
        actor=job.actor,
        mapping=mapping,
        file_name=job.file_name,
        skip_invalid=job.skip_invalid,
        org_unit_root=job.org_unit_root,
        progress=lambda done, total: beat.update(done=done, total=total, phase="writing"),
    )
    if report.written:
        record_import_run(actor=job.actor, report=report, skip_invalid=job.skip_invalid)
    return to_json(report)


class _Beat:
    """The runner's heartbeat: the progress file rewritten on each update and every
    BEAT_SECONDS by a thread of the runner's own process (never a web worker)."""

    def __init__(self, job: ImportJob) -> None:
        self.stored = job.stored
        self.progress = Progress(0, job.total, "starting", timezone.now())
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._tick, name=f"import-job-{job.pk}")
        self._thread.daemon = True

    def start(self) -> None:
        self.update()
        self._thread.start()

    def update(self, **changes: Any) -> None:
        with self._lock:
            values = {**self.progress.__dict__, **changes, "beat": timezone.now()}
            self.progress = Progress(**values)
            write_progress(self.stored, self.progress)

    def _tick(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                self.update()
            except OSError:
                log.warning("import job heartbeat: cannot write %s", self.stored)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=BEAT_SECONDS * 2)


def work(*, once: bool = False, poll: float = 2.0) -> int:
    """Run queued jobs in order until stopped (`once`: those queued now); how many ran."""
    ran = 0
    while True:
        ids = list(
            ImportJob.objects.filter(state=ImportJob.State.QUEUED)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)
        )
        for job_id in ids:
            ran += run(job_id) is not None
        if once:
            return ran
        time.sleep(poll)


def sweep(*, now: dt.datetime | None = None) -> list[ImportJob]:
    """Record every job that reads as interrupted as failed (audited); the closed jobs."""
    now = now or timezone.now()
    closed = []
    cutoff = now - dt.timedelta(seconds=stale_seconds())
    for job in ImportJob.objects.filter(
        state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
    ):
        progress = read_progress(job.stored)
        seen = status_of(
            job, progress, now=now, stale=stale_seconds(), queued_expires=runner_mode() == "process"
        )
        if seen.state != "interrupted":
            continue
        error = seen.error
        if _written(job):
            error = "interrupted after the import was written; its result is in the import runs"
        done = finish_import_job(
            job_id=job.pk, error=error, done=seen.done, only_if_stale_before=cutoff
        )
        if done is not None:
            uploads.discard(job.stored)
            closed.append(done)
    return closed


def _written(job: ImportJob) -> bool:
    return ImportRun.objects.filter(
        sha256=job.sha256, dry_run=False, actor=job.actor, at__gte=job.created_at
    ).exists()
