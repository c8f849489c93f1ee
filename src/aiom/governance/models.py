"""Policy versions, risk assessments, review requests and decisions.

Every assessment, decision and stage change stores the policy version it was made under.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

TIER_CHOICES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class PolicyVersion(models.Model):
    """One activated policy document. The newest version is the one in force."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    content = models.TextField(help_text="The YAML document exactly as activated")
    sha256 = models.CharField(max_length=64, db_index=True)
    activated_at = models.DateTimeField(default=timezone.now)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"policy v{self.version} ({self.sha256[:12]})"


class RiskAssessment(models.Model):
    """A completed questionnaire and what the policy made of it.

    Only the newest assessment of a use case is `is_current`; a material change marks it
    stale (with the reason) until the use case is re-assessed.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="assessments"
    )
    answers = models.JSONField(help_text="question key -> answer key, or list for multiple")
    section_scores = models.JSONField(default=dict)
    impact_raw = models.DecimalField(max_digits=8, decimal_places=2)
    impact_max = models.DecimalField(max_digits=8, decimal_places=2)
    mitigation_raw = models.DecimalField(max_digits=8, decimal_places=2)
    mitigation_max = models.DecimalField(max_digits=8, decimal_places=2)
    score = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        help_text="Impact after mitigation, as a fraction of the impact maximum",
    )
    computed_tier = models.CharField(max_length=10, choices=TIER_CHOICES)
    tier = models.CharField(max_length=10, choices=TIER_CHOICES, help_text="After any override")
    decided_by = models.TextField(help_text="The rule that decided the tier, in words")
    prohibited = models.BooleanField(default=False)
    prohibited_reasons = models.JSONField(default=list)
    duties = models.JSONField(default=list)
    policy_version = models.PositiveIntegerField()
    stage_at_assessment = models.CharField(max_length=32)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(default=timezone.now)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_justification = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    lowered_to = models.CharField(
        max_length=10,
        choices=TIER_CHOICES,
        blank=True,
        help_text="A lower tier awaiting a second person's confirmation (`tier` governs)",
    )
    lowered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who proposed the lower tier (by re-assessing or overriding)",
    )
    lowered_at = models.DateTimeField(null=True, blank=True)
    lowering_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The second person who confirmed a lowered tier",
    )
    stale = models.BooleanField(default=False)
    stale_reason = models.TextField(blank=True)
    stale_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["use_case", "is_current"])]

    def __str__(self) -> str:
        return f"{self.tier} risk for {self.use_case_id} (policy v{self.policy_version})"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    USED = "used", "Used by the transition"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReviewRequest(models.Model):
    """A request for the approvals a tier's path names, to move through one transition."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="reviews"
    )
    from_stage = models.CharField(max_length=32)
    to_stage = models.CharField(max_length=32)
    tier = models.CharField(max_length=10, choices=TIER_CHOICES)
    structure = models.CharField(max_length=16)
    approvers = models.JSONField(help_text="[{role, count}] the tier's path at request time")
    min_people = models.PositiveSmallIntegerField(
        default=1, help_text="Distinct people who must approve (the path's min_people)"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )
    policy_version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"review of {self.use_case_id}: {self.from_stage} → {self.to_stage}"

    @property
    def is_overdue(self) -> bool:
        """Open past its SLA date."""
        return self.status == ReviewStatus.OPEN and timezone.localdate() > self.due_on


class Outcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REJECT = "reject", "Reject"


APPROVING = (Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS)


class Decision(models.Model):
    """One reviewer's decision, with the rationale and a snapshot of what they decided on."""

    review = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, help_text="The approver slot this decision fills")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rationale = models.TextField()
    conditions = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The use case and assessment as decided on")
    policy_version = models.PositiveIntegerField()
    decided_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.TextField(
        blank=True,
        help_text="Why the approval no longer counts (a material change, a new assessment)",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer"],
                condition=models.Q(voided_at__isnull=True),
                name="one_live_decision_per_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} by {self.reviewer_name}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    WAIVED = "waived", "Waived"


class ReviewCondition(models.Model):
    """One condition an approval carries: what, who sees to it, by when, and how it closed.

    Created with an "approve with conditions" decision (governance.conditions), closed as
    met or waived through `close_condition`; the sweep tells people when one is overdue.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="condition_items")
    review = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="conditions")
    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="review_conditions"
    )
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="How it was met, or why it was waived")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"condition on review {self.review_id}: {self.text[:60]}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ConditionStatus.OPEN and today > self.due_on
