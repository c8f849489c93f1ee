"""Maturity self-assessments, kept as history per org unit (or the whole organisation)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SelfAssessment(models.Model):
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="maturity_assessments",
        help_text="Blank for the organisation as a whole",
    )
    answers = models.JSONField(help_text="question key -> answer key")
    dimension_scores = models.JSONField(help_text="dimension -> score 0..100")
    dimension_levels = models.JSONField(help_text="dimension -> level key")
    overall_score = models.DecimalField(max_digits=5, decimal_places=2)
    overall_level = models.CharField(max_length=32)
    model_version = models.CharField(max_length=64, help_text="sha256 of the maturity model")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "assessed_at"])]

    def __str__(self) -> str:
        return f"self-assessment {self.overall_level} ({self.assessed_at:%Y-%m-%d})"
