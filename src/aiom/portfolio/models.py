"""Strategic themes and use cases: the unit of the portfolio."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aiom.core.partial_dates import Precision
from aiom.portfolio.visibility import visibility_filter
from aiom.portfolio.vocabulary import FIRST_STAGE, AIType, Environment, Sourcing, stage_label


class Theme(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    objective = models.TextField(blank=True, help_text="What the organisation wants from it")
    targets = models.JSONField(
        default=list, blank=True, help_text="[{metric, target, unit, by}] measurable targets"
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class UseCaseQuerySet(models.QuerySet["UseCase"]):
    def visible_to(self, user: Any) -> "UseCaseQuerySet":
        q = visibility_filter(user)
        return self.none() if q is None else self.filter(q)

    def with_relations(self) -> "UseCaseQuerySet":
        return self.select_related("org_unit", "owner", "sponsor", "theme")


class UseCase(models.Model):
    title = models.CharField(max_length=500)
    problem = models.TextField(blank=True, help_text="The business problem, in plain words.")
    description = models.TextField(blank=True)
    org_unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="use_cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_use_cases",
        help_text="The one accountable business owner.",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_use_cases",
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="use_cases"
    )
    value_hypothesis = models.TextField(blank=True)
    expected_benefit_amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Expected annual benefit.",
    )
    expected_benefit_currency = models.CharField(max_length=3, blank=True)
    ai_type = models.CharField(max_length=20, choices=AIType.choices, default=AIType.PREDICTIVE)
    sourcing = models.CharField(max_length=10, choices=Sourcing.choices, default=Sourcing.BUILD)
    vendor = models.CharField(max_length=120, blank=True)
    environment = models.CharField(
        max_length=12, choices=Environment.choices, default=Environment.SANDBOX
    )
    customer_facing = models.BooleanField(default=False)
    personal_data = models.BooleanField(default=False)
    automated_decisions = models.BooleanField(
        default=False, help_text="Makes or shapes decisions about people without a human."
    )
    risk_notes = models.TextField(blank=True)
    stage = models.CharField(max_length=32, default=FIRST_STAGE, db_index=True)
    # Unknown dates stay unknown (None): an import whose file gives no date never gets
    # the import day. A partial date is the first day of its period plus its precision.
    stage_entered_on = models.DateField(null=True, blank=True, default=dt.date.today)
    stage_entered_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    proposed_on = models.DateField(null=True, blank=True, default=dt.date.today)
    proposed_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    contact = models.CharField(
        max_length=500,
        blank=True,
        help_text="The source's contact when it names no user (a shared mailbox, a URL, a name)",
    )
    source_attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Every column an import read but did not map, as the file gave it",
    )
    external_id = models.CharField(max_length=120, blank=True, db_index=True)
    external_source = models.CharField(
        max_length=60,
        blank=True,
        help_text="The import that gave the external id (a mapping's name); blank: set by hand",
    )
    external_key = models.CharField(
        max_length=360,
        blank=True,
        editable=False,
        db_index=True,  # an import looks its ids up in every source at once
        help_text="The external id as compared (portfolio.external_ids.key_of)",
    )
    confidential = models.BooleanField(default=False)
    value_realised_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="First day a KPI measurement met its target (time-to-value ends here)",
    )
    tier = models.CharField(
        max_length=10,
        blank=True,
        db_index=True,
        help_text="Risk tier from the current assessment (blank until assessed)",
    )
    first_assessed_in = models.CharField(
        max_length=40,
        blank=True,
        db_index=True,
        help_text="The stage it sat in at its first risk assessment (blank until assessed)",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who proposed it (nobody approves their own proposal)",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = UseCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "stage"]),
            models.Index(fields=["owner"]),
            # The portfolio list filtered by stage, newest first: read 50 rows, no sort.
            models.Index(fields=["stage", "-proposed_on", "-id"], name="usecase_stage_recent"),
            # ... and unfiltered: the first pages of 100,000 without sorting them all.
            models.Index(fields=["-proposed_on", "-id"], name="usecase_recent"),
            # The list's stage bar and count for someone who sees part of the portfolio:
            # the visibility test (confidential, owner, sponsor, unit) read from the index,
            # never from 100,000 wide rows (portfolio/list_page.py).
            models.Index(
                fields=["stage", "confidential", "owner", "sponsor", "org_unit"],
                name="usecase_visibility_stage",
            ),
        ]
        constraints = [
            # An import source's ids are unique; ids set by hand (blank source) are not.
            models.UniqueConstraint(
                fields=["external_source", "external_key"],
                condition=~models.Q(external_source=""),
                name="usecase_external_id_unique_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)

    def days_in_stage(self, today: dt.date | None = None) -> int | None:
        """Days since it entered its stage; None when that day is unknown."""
        if self.stage_entered_on is None:
            return None
        return ((today or dt.date.today()) - self.stage_entered_on).days
