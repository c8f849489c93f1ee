"""ImportRun: one inventory import (or web preview) — which file, how it went, who ran it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """A record of an import; the file itself is never kept, only its name and sha256."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    preset = models.CharField(max_length=60)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    org_units_created = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        kind = "preview" if self.dry_run else "import"
        return f"{kind} of {self.file_name} ({self.preset})"


class ImportJob(models.Model):
    """A confirmed web import that runs outside the web process (see inventory/jobs.py).

    The stored upload (and mapping, if one was uploaded) stay in the private upload folder
    under `stored` until the job ends; `done`/`total` are the last progress written here
    (live progress while the import's transaction is open is in the job's progress file).
    """

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    stored = models.CharField(max_length=32, unique=True)
    preset = models.CharField(max_length=60, blank=True)
    mapping_name = models.CharField(max_length=60, blank=True)
    mapping_sha256 = models.CharField(max_length=64, blank=True)
    skip_invalid = models.BooleanField(default=False)
    org_unit_root = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"], name="inventory_job_state")]

    def __str__(self) -> str:
        return f"import job {self.pk} of {self.file_name} ({self.state})"
