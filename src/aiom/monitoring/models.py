"""AI incidents with their corrective actions; monitoring plans, their checks and reviews."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Harm(models.TextChoices):
    PEOPLE = "people", "To people"
    ORGANISATION = "organisation", "To the organisation"
    LEGAL = "legal", "Legal"
    SECURITY = "security", "Security"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    INVESTIGATING = "investigating", "Investigating"
    MITIGATED = "mitigated", "Mitigated"
    CLOSED = "closed", "Closed"


class Incident(models.Model):
    """Something that went wrong with an AI system in use: what, when, how bad, who was hurt."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="incidents"
    )
    model_name = models.CharField(
        max_length=200, blank=True, help_text="The model involved (name and version)"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    severity = models.CharField(max_length=8, choices=Severity.choices, db_index=True)
    harms = models.JSONField(default=list, help_text="Harm categories (keys of Harm)")
    people_affected = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=13, choices=IncidentStatus.choices, default=IncidentStatus.OPEN, db_index=True
    )
    lessons_learned = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Anyone inside may file an incident; only its use case's owner or a reviewer covering
    # its unit confirms the severity, and only a confirmed severe incident blocks moves.
    severity_confirmed_at = models.DateTimeField(null=True, blank=True)
    severity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["use_case", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def severity_confirmed(self) -> bool:
        return self.severity_confirmed_at is not None

    def open_actions(self) -> int:
        """Corrective actions not done yet (uses prefetched actions when there are any)."""
        return sum(1 for a in self.actions.all() if a.done_at is None)

    def harm_labels(self) -> list[str]:
        labels = dict(Harm.choices)
        return [str(labels.get(h, h)) for h in self.harms]


class CorrectiveAction(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incident", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class MonitoringPlan(models.Model):
    """How an operational use case is watched: what, how often, and who reviews."""

    use_case = models.OneToOneField(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="monitoring_plan"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_every_days = models.PositiveSmallIntegerField(default=90)
    last_reviewed_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(default=timezone.localdate, help_text="First review counts from")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["use_case_id"]

    def __str__(self) -> str:
        return f"Monitoring plan of {self.use_case_id}"


class CheckKind(models.TextChoices):
    PERFORMANCE_KPI = "performance_kpi", "Performance KPI"
    DRIFT = "drift", "Drift"
    COMPLAINTS = "complaints", "Complaints"
    FAIRNESS = "fairness", "Fairness check"
    OTHER = "other", "Other"


class MonitoringCheck(models.Model):
    plan = models.ForeignKey(MonitoringPlan, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=16, choices=CheckKind.choices)
    description = models.CharField(max_length=300)
    kpi = models.ForeignKey(
        "value.KPI",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_checks",
    )
    lower = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.description


class ReviewOutcome(models.TextChoices):
    OK = "ok", "Fine"
    CONCERNS = "concerns", "Concerns noted"
    ACTION_NEEDED = "action_needed", "Action needed"


class MonitoringReview(models.Model):
    plan = models.ForeignKey(MonitoringPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=13, choices=ReviewOutcome.choices)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} reviewed on {self.reviewed_on}"
