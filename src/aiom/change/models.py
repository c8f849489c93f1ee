"""Change plans: who a use case changes things for, what changes, and how people get there.

One plan per use case. Each stakeholder group says how many people it holds, what changes
for them, how hard it hits and how many of them should be active users by when; each
group has its interventions (training, communication, process change, support).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Impact(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class InterventionKind(models.TextChoices):
    TRAINING = "training", "Training"
    COMMUNICATION = "communication", "Communication"
    PROCESS_CHANGE = "process_change", "Process change"
    SUPPORT = "support", "Support"


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


class ChangePlan(models.Model):
    use_case = models.OneToOneField(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="change_plan"
    )
    summary = models.TextField(
        blank=True, help_text="The change and why it matters, in a few lines"
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who carries the change among the people affected",
    )
    go_live_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Change plan for {self.use_case_id}"

    def snapshot(self) -> dict[str, Any]:
        # `plan_version`, not `version`: the event is on the use case, whose own version
        # the portfolio reads from the trail.
        return {
            "change_plan": self.pk,
            "summary": self.summary,
            "champion": _person(self.champion),
            "go_live_on": self.go_live_on,
            "status": self.status,
            "plan_version": self.version,
        }


class StakeholderGroup(models.Model):
    plan = models.ForeignKey(ChangePlan, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0, help_text="People in the group")
    org_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    what_changes = models.TextField(blank=True, help_text="What changes in their work")
    impact = models.CharField(max_length=6, choices=Impact.choices, default=Impact.MEDIUM)
    target_users = models.PositiveIntegerField(
        null=True, blank=True, help_text="Active users expected from this group"
    )
    target_on = models.DateField(null=True, blank=True, help_text="By when")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="change_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict[str, Any]:
        return {
            "change_plan": self.plan_id,
            "group": self.pk,
            "name": self.name,
            "size": self.size,
            "org_unit": None
            if self.org_unit is None
            else {"id": self.org_unit.pk, "name": self.org_unit.name},
            "what_changes": self.what_changes,
            "impact": self.impact,
            "target_users": self.target_users,
            "target_on": self.target_on,
        }


class Intervention(models.Model):
    group = models.ForeignKey(
        StakeholderGroup, on_delete=models.CASCADE, related_name="interventions"
    )
    kind = models.CharField(max_length=16, choices=InterventionKind.choices)
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )

    class Meta:
        ordering = ["group", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def snapshot(self) -> dict[str, Any]:
        return {
            "group": self.group_id,
            "intervention": self.pk,
            "kind": self.kind,
            "description": self.description,
            "owner": _person(self.owner),
            "due_on": self.due_on,
            "status": self.status,
        }
