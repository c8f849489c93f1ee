"""KPIs and their measurements, adoption, end-user feedback, and priority scores."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class KPI(models.Model):
    """A measure of success for one use case: a baseline, a target, and a cadence."""

    use_case = models.ForeignKey("portfolio.UseCase", on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cadence_days = models.PositiveSmallIntegerField(
        default=30, help_text="How often it is measured"
    )
    target_met_on = models.DateField(
        null=True, blank=True, help_text="First measurement that met the target"
    )
    last_measured_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["use_case", "name"]
        constraints = [models.UniqueConstraint(fields=["use_case", "name"], name="kpi_unique_name")]

    def __str__(self) -> str:
        return self.name

    def meets_target(self, value: "object") -> bool:
        if self.target is None or value is None:
            return False
        if self.direction == Direction.LOWER:
            return value <= self.target  # type: ignore[operator]
        return value >= self.target  # type: ignore[operator]


class Measurement(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    measured_on = models.DateField()
    source = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kpi", "measured_on", "id"]
        indexes = [models.Index(fields=["kpi", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.kpi_id}: {self.value} on {self.measured_on}"


class Adoption(models.Model):
    """Active users and usage of one use case over one period (typically a month)."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="adoption"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    active_users = models.PositiveIntegerField()
    usage = models.PositiveIntegerField(help_text="Uses in the period (sessions, requests, cases)")
    source = models.CharField(max_length=120, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["use_case", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "period_start"], name="adoption_one_per_period"
            )
        ]
        # monthly adoption over the last 12 months reads this index alone
        indexes = [
            models.Index(
                fields=["period_start", "use_case", "active_users", "usage"],
                name="adoption_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.active_users} users from {self.period_start}"


class Feedback(models.Model):
    """An end user's rating (1-5) and comment: the people using AI feed its governance."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.use_case_id}"


class PriorityScore(models.Model):
    """Value and feasibility scores from the policy's criteria, with a rationale."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="priorities"
    )
    criteria = models.JSONField(help_text="criterion key -> score 1..5")
    value_score = models.DecimalField(max_digits=5, decimal_places=2, help_text="0-100")
    feasibility_score = models.DecimalField(max_digits=5, decimal_places=2, help_text="0-100")
    rationale = models.TextField()
    stage = models.CharField(max_length=32)
    policy_version = models.PositiveIntegerField()
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-scored_at", "-id"]
        indexes = [models.Index(fields=["use_case", "is_current"])]

    def __str__(self) -> str:
        return f"value {self.value_score} / feasibility {self.feasibility_score}"


class FactsQuerySet(models.QuerySet["UseCaseFacts"]):
    """Facts that remember whether they started as every use case's (`whole`), through
    the filters a figure adds: then an index may answer instead of a pass over a scope."""

    whole = False

    def _clone(self) -> "FactsQuerySet":
        clone: FactsQuerySet = super()._clone()  # type: ignore[misc]
        clone.whole = self.whole
        return clone


class UseCaseFacts(models.Model):
    """What the portfolio figures need of one use case, kept on write (insights/analytics/facts.py).

    A narrow read model: the diagnostics and the dashboard aggregate over these rows
    instead of correlating stage changes, assessments, reviews and KPIs per use case.
    Dates, not verdicts, wherever the answer depends on today (`kpi_measured_until`,
    `review_overdue_from`, `pilot_ends_on`), so a row stays true from one day to the next.
    The table stays in value (its migrations, its content type) though insights keeps it.
    """

    use_case = models.OneToOneField(
        "portfolio.UseCase", on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    # what a Scope filters on, so a scoped figure never joins the use cases
    org_unit_id = models.BigIntegerField()
    theme_id = models.BigIntegerField(null=True)
    tier = models.CharField(max_length=10, blank=True)
    ai_type = models.CharField(max_length=20)
    stage = models.CharField(max_length=32)
    stage_entered_on = models.DateField(null=True)  # None: unknown (an import without it)
    stage_entered_precision = models.CharField(max_length=8, default="day")
    proposed_on = models.DateField(null=True)
    proposed_precision = models.CharField(max_length=8, default="day")
    has_owner = models.BooleanField()
    has_sponsor = models.BooleanField()
    in_production = models.BooleanField()
    value_realised_on = models.DateField(null=True)
    days_to_value = models.PositiveIntegerField(
        null=True, help_text="Proposal to value realised (0 when imported the wrong way round)"
    )
    first_assessed_in = models.CharField(max_length=32, blank=True)
    first_assessed_on = models.DateField(null=True, help_text="Day of the first assessment")
    kpi_measured_until = models.DateField(
        null=True, help_text="Last day a KPI with baseline and target is within its cadence"
    )
    review_overdue_from = models.DateField(
        null=True, help_text="Earliest due day of an open review: overdue after it"
    )
    pilot_started_on = models.DateField(null=True, help_text="First entry into pilot")
    pilot_started_precision = models.CharField(
        max_length=8,
        blank=True,
        help_text="'' never in pilot; else how precisely its start is known",
    )
    pilot_ends_on = models.DateField(null=True)
    pilot_outcome = models.CharField(max_length=8, blank=True, help_text="scaled, stopped or ''")
    created_on = models.DateField(null=True, help_text="The first stage change")
    created_precision = models.CharField(max_length=8, default="day")
    rejected_on = models.DateField(null=True)
    operational_from = models.DateField(null=True, help_text="Last entry into operational")
    operational_until = models.DateField(null=True, help_text="Left operational after that")
    # the last day of each partial date's period, so a figure tests "wholly before / inside
    # a span" as one range instead of a condition per precision (core/date_periods.py)
    proposed_until = models.DateField(null=True, help_text="Last day of the proposal's period")
    created_until = models.DateField(null=True, help_text="Last day of the first change's period")
    stage_entered_until = models.DateField(null=True, help_text="Last day of the entry's period")
    reached = models.CharField(
        max_length=500,
        blank=True,
        help_text="The stages a stage change entered, sorted, comma-separated (stage_reach.py)",
    )

    objects = FactsQuerySet.as_manager()

    class Meta:
        indexes = [
            # the dwell counts per stage and its SLA cut-offs, from the index alone
            models.Index(
                fields=[
                    "stage",
                    "stage_entered_on",
                    "stage_entered_precision",
                    "stage_entered_until",
                ],
                name="facts_stage_span",
            ),
            # the portfolio tally (tally.py) reads these columns only: an index scan, not rows
            models.Index(
                fields=[
                    "stage",
                    "has_owner",
                    "has_sponsor",
                    "in_production",
                    "first_assessed_in",
                    "kpi_measured_until",
                    "value_realised_on",
                    "days_to_value",
                    "proposed_on",
                ],
                name="facts_tally",
            ),
            # ever entered per stage: grouped by (stage, reached) in index order
            models.Index(fields=["stage", "reached"], name="facts_reach"),
            # an org unit's rows, by stage (the planner prefers it to the stage index)
            models.Index(fields=["org_unit_id", "stage", "stage_entered_on"], name="facts_unit"),
            models.Index(fields=["stage_entered_on", "use_case", "stage"], name="facts_entered"),
            # the quarterly trends read the last year only
            models.Index(
                fields=["proposed_on", "proposed_until", "has_owner"], name="facts_proposed_span"
            ),
            models.Index(
                fields=["first_assessed_on", "first_assessed_in"], name="facts_first_assessed"
            ),
            models.Index(
                fields=[
                    "pilot_started_on",
                    "pilot_outcome",
                    "stage",
                    "pilot_ends_on",
                    "pilot_started_precision",
                ],
                name="facts_pilot_span",
            ),
            # time-to-value reads the realised ones only
            models.Index(fields=["days_to_value", "value_realised_on"], name="facts_value"),
            # the operational share's trend counts these for the whole organisation
            models.Index(
                fields=[
                    "created_until",
                    "created_on",
                    "rejected_on",
                    "operational_from",
                    "operational_until",
                ],
                name="facts_created_span",
            ),
            models.Index(fields=["rejected_on", "created_on"], name="facts_rejected"),
            models.Index(fields=["operational_from"], name="facts_operational_from"),
            models.Index(fields=["operational_until"], name="facts_operational_until"),
        ]

    def __str__(self) -> str:
        return f"facts of {self.use_case_id}"


class StaleFacts(models.Model):
    """A use case whose facts must be recomputed: written in the same transaction as the
    change (so a crash cannot lose it), cleared once the facts are refreshed."""

    use_case_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"stale facts of {self.use_case_id}"
