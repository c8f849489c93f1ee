"""A confirmed large web import is a task on the queue "imports" (AIOM_IMPORT_JOB_RUNNER=task,
the default): with the database queue the web request only enqueues it — no task runs in
the web process — and a task worker runs it to done; where tasks run as they are enqueued
(AIOM_TASKS_BACKEND=immediate) it runs once the job's row is committed."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks.signals import task_started
from django.test import Client
from django_tasks_db.models import DBTaskResult

from aiom.core.models import AuditEvent
from aiom.inventory.models import ImportJob
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.test_web_import_jobs import _confirm, _preview

IMPORT = "aiom.inventory.tasks.run_import_job"


@pytest.fixture
def large(settings: Any) -> None:
    settings.AIOM_IMPORT_INLINE_MAX_ROWS = 1
    settings.AIOM_IMPORT_JOB_RUNNER = "task"


@pytest.mark.django_db(transaction=True)  # real commits: on_commit, and the worker's connections
def test_the_web_request_only_enqueues_and_a_task_worker_runs_the_import(
    login: object, world: World, tmp_path: Path, large: None, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    started: list[str] = []

    def seen(sender: Any, task_result: Any, **kwargs: Any) -> None:
        started.append(task_result.task.module_path)

    task_started.connect(seen)
    try:
        client: Client = login("ada")  # type: ignore[operator]
        _, token = _preview(client, tmp_path)
        job = _confirm(client, token)
        queued = DBTaskResult.objects.get()
        assert (queued.task_path, queued.queue_name, queued.status) == (IMPORT, "imports", "READY")
        assert queued.args_kwargs["args"] == [job.pk]
        assert started == []  # nothing ran in the web process
        job.refresh_from_db()
        assert job.state == "queued"
        assert not UseCase.objects.filter(title__startswith="Job row").exists()

        call_command("tasks", "work", "--batch", "--queues", "imports", stdout=StringIO())
        assert started == [IMPORT]
    finally:
        task_started.disconnect(seen)
    queued.refresh_from_db()
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", "done")
    job.refresh_from_db()
    assert job.state == "done" and job.report is not None
    assert UseCase.objects.filter(title__startswith="Job row").count() == 5
    states = [
        e.after["state"]
        for e in AuditEvent.objects.filter(object_type="inventory.importjob").order_by("seq")
    ]
    assert states == ["queued", "running", "done"]


@pytest.mark.django_db
def test_where_tasks_run_as_enqueued_the_import_runs_once_committed(
    login: object,
    world: World,
    tmp_path: Path,
    large: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, token = _preview(client, tmp_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _confirm(client, token)
    assert ImportJob.objects.get().state == "queued"  # not before the row is committed
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == "done"
    assert UseCase.objects.filter(title__startswith="Job row").count() == 5
