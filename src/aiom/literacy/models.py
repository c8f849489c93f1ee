"""Training records: who completed which AI course, at which level, valid until when.

A record is a fact reported by HR or a lead; it is never edited, only superseded by a
newer record (the newest current one is what counts).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from aiom.organisation.access import access_for


class Level(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    PRACTITIONER = "practitioner", "Practitioner"
    LEADER = "leader", "Leader"
    REVIEWER = "reviewer", "Reviewer"


class Source(models.TextChoices):
    MANUAL = "manual", "Recorded by hand"
    CSV = "csv", "Imported from CSV"
    DEMO = "demo", "Demo data"


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def visible_to(self, user: Any) -> TrainingRecordQuerySet:
        """Admins see all; others their own records and those of people in units they lead.

        Partners see only their own. Scoping is by the person's home unit today, so a
        person without a home unit is visible only to admins and themselves.
        """
        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.is_admin:
            return self.all()
        scope = Q(person_id=access.user_id)
        for path in access.led_paths:
            scope |= Q(person__person__org_unit__path__startswith=path)
        return self.filter(scope)


class TrainingRecord(models.Model):
    """One completed course of one person; `expires_on` is the first day it no longer counts."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["person", "level"], name="literacy_person_level")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="literacy_expiry_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({Level(self.level).label}, {self.completed_on:%Y-%m-%d})"

    def snapshot(self) -> dict[str, Any]:
        return {
            "person": self.person.pk,
            "course": self.course,
            "provider": self.provider,
            "level": self.level,
            "completed_on": self.completed_on,
            "expires_on": self.expires_on,
            "source": self.source,
        }
