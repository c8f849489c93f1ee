"""Large web imports as background jobs: confirmed into a queued ImportJob, run outside the
web process, progress and heartbeat, the report when done, interrupted when the heartbeat
stops, and only administrators see them."""

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aiom.core.models import AuditEvent
from aiom.inventory import jobs, launch, uploads
from aiom.inventory.models import ImportJob, ImportRun
from aiom.inventory.report_json import from_json, to_json
from aiom.inventory.services import create_import_job
from aiom.inventory.views import report_context
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from tests.conftest import World, make_person
from tests.inventory.conftest import omb_csv, omb_import, omb_row
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def background(settings: Any) -> None:
    """Every confirmed file is 'large'; nothing is launched: the test runs the worker."""
    settings.AIOM_IMPORT_INLINE_MAX_ROWS = 1
    settings.AIOM_IMPORT_JOB_RUNNER = "worker"


def _rows() -> list[dict[str, str]]:
    rows = [omb_row(id=f"J-{n}", use_case_name=f"Job row {n}") for n in range(1, 6)]
    rows.append(omb_row(id="J-9", use_case_name="Odd stage", development_stage="Odd"))
    return rows


def _preview(client: Client, tmp_path: Path) -> tuple[str, str]:
    data = omb_csv(tmp_path, _rows()).read_bytes()
    upload = SimpleUploadedFile("big.csv", data, content_type="text/csv")
    response = client.post(
        reverse("inventory:upload"),
        {"file": upload, "preset": "omb-2025", "skip_invalid": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "runs in the background" in body
    return body, body.split('name="token" value="')[1].split('"')[0]


def _confirm(client: Client, token: str) -> ImportJob:
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 302, response.content.decode()
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("inventory:job", args=[job.pk])
    return job


def test_a_large_confirm_queues_a_job_and_writes_nothing_yet(
    login: object, world: World, tmp_path: Path, background: None
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, token = _preview(client, tmp_path)
    job = _confirm(client, token)
    assert (job.state, job.actor, job.total, job.preset) == ("queued", world.ada, 6, "omb-2025")
    assert not UseCase.objects.filter(title__startswith="Job row").exists()
    event = AuditEvent.objects.get(object_type="inventory.importjob", action="create")
    assert event.actor == world.ada and event.after["state"] == "queued"
    page = client.get(reverse("inventory:job", args=[job.pk])).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 2s"' in page
    assert "0 of 6 rows" in page and "<progress" in page
    again = client.post(reverse("inventory:confirm"), {"token": token})
    assert again.status_code == 400 and "already been confirmed" in again.content.decode()
    assert ImportJob.objects.count() == 1


def test_a_job_runs_to_done_and_its_report_equals_the_dry_runs(
    login: object, world: World, tmp_path: Path, background: None, monkeypatch: Any
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, token = _preview(client, tmp_path)
    preview = ImportRun.objects.get(dry_run=True)
    job = _confirm(client, token)
    seen: list[jobs.Progress] = []
    write = jobs.write_progress

    def spy(stored: str, progress: jobs.Progress) -> None:
        seen.append(progress)
        write(stored, progress)

    monkeypatch.setattr(jobs, "write_progress", spy)
    assert jobs.work(once=True) == 1
    job.refresh_from_db()
    assert job.state == "done" and job.error == "" and job.report is not None
    report = from_json(job.report)
    dry = {k: getattr(preview, k) for k in ("rows", "created", "updated", "unchanged", "invalid")}
    assert (
        {k: report.counts()[k] for k in dry}
        == dry
        == {
            "rows": 6,
            "created": 5,
            "updated": 0,
            "unchanged": 0,
            "invalid": 1,
        }
    )
    assert UseCase.objects.filter(title__startswith="Job row", proposed_by=world.ada).count() == 5
    assert ImportRun.objects.filter(dry_run=False, created=5, actor=world.ada).exists()
    phases = [p.phase for p in seen]
    assert phases[0] == "starting" and "reading and checking the file" in phases
    assert (seen[-1].phase, seen[-1].done, seen[-1].total) == ("writing", 5, 5)
    assert all(p.beat is not None for p in seen)
    states = [
        e.after["state"]
        for e in AuditEvent.objects.filter(object_type="inventory.importjob").order_by("seq")
    ]
    assert states == ["queued", "running", "done"]
    assert uploads.path_of(job.stored) is None  # the upload is gone with the job
    assert not uploads.beside(job.stored, "progress").exists()
    page = client.get(reverse("inventory:job", args=[job.pk])).content.decode()
    assert "Imported" in page and "hx-trigger" not in page
    assert "5 created, 0 updated, 0 unchanged of 6 rows" in page
    assert "unknown stage" in page  # the report's problems by line
    assert jobs.run(job.pk) is None  # a finished job is not run again


def test_the_progress_page_reads_the_live_progress(
    login: object, world: World, background: None
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    stored = "a" * 32
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored=stored, total=36000
    )
    ImportJob.objects.filter(pk=job.pk).update(state="running", heartbeat=timezone.now())
    jobs.write_progress(stored, jobs.Progress(12000, 36000, "writing", timezone.now()))
    try:
        response = client.get(
            reverse("inventory:job", args=[job.pk]), headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert "12,000 of 36,000 rows" in body
        assert '<progress max="36000" value="12000"' in body
        assert 'aria-valuetext="12,000 of 36,000 rows"' in body
        assert "<html" not in body  # the partial only, for htmx's poll
        assert 'hx-trigger="every 2s"' in body
        assert '<span id="job-announce" hx-swap-oob="innerHTML">Running: writing</span>' in body
        page = client.get(reverse("inventory:job", args=[job.pk])).content.decode()
        assert 'role="status" aria-live="polite"><span id="job-announce">Running: writing' in page
        assert "hx-swap-oob" not in page
    finally:
        uploads.discard(stored)


def test_a_job_whose_heartbeat_stopped_reads_as_interrupted(
    login: object, world: World, settings: Any
) -> None:
    settings.AIOM_IMPORT_JOB_STALE_SECONDS = 60
    client: Client = login("ada")  # type: ignore[operator]
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored="b" * 32, total=10
    )
    old = timezone.now() - dt.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(state="running", heartbeat=old, created_at=old)
    page = client.get(reverse("inventory:job", args=[job.pk])).content.decode()
    assert "Failed: interrupted" in page and "nothing was written" in page
    assert "hx-trigger" not in page  # no polling of a dead job
    closed = jobs.sweep()
    assert [j.pk for j in closed] == [job.pk]
    job.refresh_from_db()
    assert job.state == "failed" and job.error.startswith("interrupted")
    event = AuditEvent.objects.filter(object_type="inventory.importjob").latest("seq")
    assert event.after["state"] == "failed" and event.actor is None
    assert jobs.sweep() == []  # recorded once


def test_the_sweep_leaves_a_live_job_alone(world: World, settings: Any) -> None:
    settings.AIOM_IMPORT_JOB_STALE_SECONDS = 60
    stored = "c" * 32
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored=stored, total=10
    )
    old = timezone.now() - dt.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(state="running", heartbeat=old, created_at=old)
    jobs.write_progress(stored, jobs.Progress(3, 10, "writing", timezone.now()))  # alive
    try:
        assert jobs.sweep() == []
        assert ImportJob.objects.get(pk=job.pk).state == "running"
    finally:
        uploads.discard(stored)


def _job(state: str, *, created: int = 0, beat: int | None = None, error: str = "") -> ImportJob:
    at = NOW - dt.timedelta(seconds=created)
    heartbeat = NOW - dt.timedelta(seconds=beat) if beat is not None else None
    return ImportJob(state=state, created_at=at, heartbeat=heartbeat, error=error, total=9)


@pytest.mark.parametrize(
    ("job", "progress_age", "queued_expires", "expected"),
    [
        (_job("queued", created=10), None, True, "queued"),
        (_job("queued", created=500), None, True, "interrupted"),  # no runner took it
        (_job("queued", created=500), None, False, "queued"),  # a worker will take it
        (_job("running", created=500, beat=10), None, True, "running"),
        (_job("running", created=500, beat=500), None, True, "interrupted"),
        (_job("running", created=500, beat=500), 10, True, "running"),  # the file beats
        (_job("running", created=500, beat=500), 500, True, "interrupted"),
        (_job("done", created=500, beat=500), None, True, "done"),
        (_job("failed", created=500, error="the mapping cannot be used"), None, True, "failed"),
        (_job("failed", created=500, error="interrupted: ..."), None, True, "interrupted"),
    ],
)
def test_status_of(
    job: ImportJob, progress_age: int | None, queued_expires: bool, expected: str
) -> None:
    progress = None
    if progress_age is not None:
        progress = jobs.Progress(4, 9, "writing", NOW - dt.timedelta(seconds=progress_age))
    status = jobs.status_of(job, progress, now=NOW, stale=120, queued_expires=queued_expires)
    assert status.state == expected
    assert status.finished == (expected in ("done", "failed", "interrupted"))
    if expected == "running" and progress is not None:
        assert status.label == "4 of 9 rows"


@pytest.mark.parametrize(
    ("rows", "size", "expected"),
    [(2000, 100, False), (2001, 100, True), (10, 2 * 1024 * 1024, False), (10, 2**21 + 1, True)],
)
def test_which_files_run_in_the_background(rows: int, size: int, expected: bool) -> None:
    assert jobs.runs_in_background(rows, size) is expected


def test_the_runner_is_a_process_of_its_own(world: World, settings: Any, monkeypatch: Any) -> None:
    settings.AIOM_IMPORT_JOB_RUNNER = "process"
    launched: list[tuple[list[str], dict[str, Any]]] = []

    class Shell:
        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            launched.append((argv, kwargs))

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Shell)
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored="d" * 32, total=10
    )
    launch.start(job)
    ((argv, kwargs),) = launched
    assert argv[:2] == ["/bin/sh", "-c"] and argv[2].endswith("&")  # backgrounded by the shell
    assert argv[-5:] == ["-m", "aiom.cli", "import_jobs", "run", str(job.pk)]
    assert kwargs == {"close_fds": True, "start_new_session": True}

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("no shell")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    launch.start(job)
    job.refresh_from_db()
    assert job.state == "failed" and "could not start (no shell)" in job.error


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_only_administrators_see_import_jobs(login: object, world: World, persona: str) -> None:
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored="e" * 32, total=10
    )
    client: Client = login(persona)  # type: ignore[operator]
    assert client.get(reverse("inventory:jobs")).status_code == 403
    assert client.get(reverse("inventory:job", args=[job.pk])).status_code == 403


def test_another_administrator_sees_the_job(client: Client, world: World) -> None:
    ann = make_person("ann", world.group, (Role.ADMINISTRATOR, None))
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored="f" * 32, total=10
    )
    client.force_login(ann)
    listing = client.get(reverse("inventory:jobs")).content.decode()
    assert reverse("inventory:job", args=[job.pk]) in listing and "big.csv" in listing
    page = client.get(reverse("inventory:job", args=[job.pk]))
    assert page.status_code == 200 and "Import of big.csv" in page.content.decode()
    assert client.get(reverse("inventory:job", args=[job.pk + 999])).status_code == 404


def test_a_kept_report_renders_as_the_preview_did(tmp_path: Path, world: World) -> None:
    """The job keeps its report as JSON; rendered again it reads exactly as the preview's,
    every section included (dates, stage values, duplicates, placeholders, problems)."""
    rows = [
        omb_row(id="R-1", use_case_name="One", operational_date="9/1/2019 0:00"),
        omb_row(id="R-2", use_case_name="Two", operational_date="sometime", vendor_name="N/A"),
        omb_row(id="R-2", use_case_name="Two again", development_stage="Odd"),
        omb_row(id="R-3", use_case_name="", development_stage="Retired"),
    ]
    report = omb_import(omb_csv(tmp_path, rows), dry_run=True)
    kept = from_json(json.loads(json.dumps(to_json(report))))
    original = render_to_string("inventory/_report.html", report_context(report))
    again = render_to_string("inventory/_report.html", report_context(kept))
    assert again == original
    for shown in ("Problems by line", "sometime"):
        assert shown in original
    for section, present in [
        ("Dates, per field", bool(report.date_fields)),
        ("Ids that several rows share", bool(report.duplicates)),
        ("Placeholders read as blank", bool(report.placeholders_blanked)),
        ("Became", bool(report.stage_values)),
    ]:
        assert (section in original) is present, section


def test_the_confirm_launches_the_runner_once_the_job_is_committed(
    login: object,
    tmp_path: Path,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.AIOM_IMPORT_INLINE_MAX_ROWS = 1
    settings.AIOM_IMPORT_JOB_RUNNER = "process"
    launched: list[list[str]] = []

    class Shell:
        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            launched.append(argv)

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Shell)
    client: Client = login("ada")  # type: ignore[operator]
    _, token = _preview(client, tmp_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _confirm(client, token)
    assert launched == []  # not before the job's row is committed
    for callback in callbacks:
        callback()
    assert [argv[-1] for argv in launched] == [str(job.pk)]


def test_the_job_list_costs_the_same_for_many_jobs(
    client: Client, world: World, query_budget: Budget
) -> None:
    client.force_login(world.ada)
    client.get(reverse("inventory:jobs"))  # the session and the user's access, once
    for n in range(5):
        create_import_job(
            actor=world.ada, file_name=f"f{n}.csv", sha256="0" * 64, stored=f"{n}" * 32, total=1
        )
    with query_budget("jobs_page"):  # session, user, access (1), the jobs with their actors
        body = client.get(reverse("inventory:jobs")).content.decode()
    assert body.count("/import/jobs/") == 5


def test_the_daily_sweep_fails_an_import_job_whose_runner_died(world: World, settings: Any) -> None:
    from django.core.management import call_command

    settings.AIOM_IMPORT_JOB_STALE_SECONDS = 60
    job = create_import_job(
        actor=world.ada, file_name="big.csv", sha256="0" * 64, stored="d" * 32, total=10
    )
    old = timezone.now() - dt.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(state="running", heartbeat=old, created_at=old)
    call_command("sweep", "--no-send")
    assert ImportJob.objects.get(pk=job.pk).state == "failed"
