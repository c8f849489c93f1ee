"""Notices the sweep raised (one per distinct event) and their webhook deliveries.

A notice's `key` is its dedupe key: the sweep creates a notice only if no notice with
that key exists, so re-running the sweep never notifies twice about the same event.
"""

from django.db import models
from django.utils import timezone


class NoticeKind(models.TextChoices):
    STALLED_PILOT = "stalled_pilot", "Stalled pilot"
    REVIEW_OVERDUE = "review_overdue", "Review past its SLA"
    STAGE_OVERDUE = "stage_overdue", "Stage past its SLA"
    ASSESSMENT_DUE = "assessment_due", "Risk re-assessment due"
    ASSESSMENT_STALE = "assessment_stale", "Risk assessment stale"
    DATA_QUALITY_DROP = "data_quality_drop", "Data quality below the floor"
    INCIDENT = "incident", "AI incident"
    MONITORING_OVERDUE = "monitoring_overdue", "Monitoring overdue"
    KPI_OUT_OF_BOUNDS = "kpi_out_of_bounds", "KPI out of bounds"
    CONDITION_OVERDUE = "condition_overdue", "Condition of an approval overdue"


class Notice(models.Model):
    """One event worth telling people about, recorded once, emailed once."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices, db_index=True)
    key = models.CharField(max_length=200, unique=True, help_text="The dedupe key")
    use_case = models.ForeignKey(
        "portfolio.UseCase", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    payload = models.JSONField(default=dict, help_text="The finding's facts, as JSON")
    recipients = models.JSONField(default=list, help_text="Email addresses")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True, help_text="Why the email was not sent")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """A notice posted to one webhook URL; retried with back-off until it is 2xx or gives up."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    url = models.URLField(max_length=500)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "url"], name="one_delivery_per_notice_url")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.url} ({self.status})"
