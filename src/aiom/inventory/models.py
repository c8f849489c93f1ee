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
