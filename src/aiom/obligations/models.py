"""Per use case: the status of each owed obligation, and the evidence for it.

Obligations themselves live in the pack (data); rows refer to them by key. A use case
with no status row for an owed obligation has it open.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    MET = "met", "Met"
    OPEN = "open", "Open"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ObligationStatus(models.Model):
    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="obligation_statuses"
    )
    obligation = models.CharField(max_length=48, help_text="The obligation's key in the pack")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(blank=True, help_text="Why it does not apply (required then)")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "obligation"], name="obligation_status_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation}: {self.status}"


class Evidence(models.Model):
    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="evidence"
    )
    obligation = models.CharField(max_length=48, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_name = models.CharField(
        max_length=80, blank=True, help_text="Random file name under VAR_DIR/evidence"
    )
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        indexes = [models.Index(fields=["use_case", "obligation"])]

    def __str__(self) -> str:
        return self.original_name or self.url or f"evidence {self.pk}"

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)
