"""Stage changes (old stage, new stage, why, under which policy) and pilot plans."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from aiom.core.partial_dates import Precision


class StageChange(models.Model):
    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=32, blank=True, help_text="Blank for the first")
    to_stage = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    on = models.DateField(
        null=True, blank=True, help_text="The day the use case entered to_stage (None: unknown)"
    )
    on_precision = models.CharField(
        max_length=8,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How precisely `on` is known (an import's entry may be a month, a year)",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    review = models.ForeignKey(
        "governance.ReviewRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checks = models.JSONField(default=list, help_text="The gate's results when it was passed")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["use_case", "at"]),
            models.Index(fields=["to_stage", "on"]),
            # the funnel's entries per stage in a period read this index alone (it covers
            # the query, in the order the grouping needs)
            models.Index(fields=["to_stage", "on", "from_stage"], name="stagechange_entered"),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_stage or '∅'} → {self.to_stage}"


class PilotDecision(models.TextChoices):
    SCALE = "scale", "Scale"
    EXTEND = "extend", "Extend"
    STOP = "stop", "Stop"


class PilotPlan(models.Model):
    """Exit criteria and an end date, fixed before the pilot starts; extensions counted."""

    use_case = models.OneToOneField(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="pilot_plan"
    )
    exit_criteria = models.JSONField(help_text="[{metric, baseline, target, unit, direction}]")
    starts_on = models.DateField(null=True, blank=True, help_text="Set when the pilot starts")
    ends_on = models.DateField()
    original_ends_on = models.DateField()
    extensions = models.JSONField(default=list, help_text="[{from, to, reason, by, on}]")
    decision = models.CharField(max_length=10, choices=PilotDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    policy_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"pilot plan of {self.use_case_id}, ends {self.ends_on}"

    def is_stalled(self, today: dt.date, *, piloting: bool) -> bool:
        """In pilot (`piloting`: in the policy's pilot stage), past its end date, and no
        scale/stop decision taken."""
        decided = self.decision in (PilotDecision.SCALE, PilotDecision.STOP)
        return piloting and not decided and today > self.ends_on


class GateOverride(models.Model):
    """A failed gate check that a person the policy names let through, with why.

    Open until the use case leaves `from_stage`: the move it was for uses it, any other
    move closes it unused. It never makes the check pass; the gate report shows both.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="overrides"
    )
    from_stage = models.CharField(max_length=32)
    to_stage = models.CharField(max_length=32)
    check_name = models.CharField(max_length=64, help_text="The gate check's name")
    overridden = models.TextField(help_text="The check's failure when it was overridden")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, help_text="The role that allowed the override")
    at = models.DateTimeField(default=timezone.now)
    policy_version = models.PositiveIntegerField()
    stage_change = models.ForeignKey(
        StageChange,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overrides",
        help_text="The move that closed it (used if it went to to_stage)",
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["use_case", "from_stage", "to_stage"])]

    def __str__(self) -> str:
        return f"override of {self.check_name} for {self.use_case_id}: {self.to_stage}"

    @property
    def is_open(self) -> bool:
        return self.stage_change_id is None

    @property
    def used(self) -> bool:
        return self.stage_change is not None and self.stage_change.to_stage == self.to_stage

    @property
    def summary(self) -> str:
        """What the gate report shows next to the failed check."""
        role = self.role.replace("_", " ")
        return f"overridden by {self.by_name} ({role}) on {self.at:%d %b %Y}: {self.reason}"
