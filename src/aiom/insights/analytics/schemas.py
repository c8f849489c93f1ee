"""API shapes of the portfolio analytics (aiom.insights.analytics), field for field.

Caveat: a share is `{count, of, share}` with `share` null when `of` is 0 — "not
measured", never a made-up 0.
"""

import datetime as dt

from ninja import Schema
from pydantic import Field, field_validator

from aiom.core.ids import DbId


class ScopeIn(Schema):
    org_unit: DbId | None = Field(None, description="Org unit id; includes its sub-units")
    theme: DbId | None = Field(None, description="Strategic theme id")
    tier: str | None = Field(None, pattern="^(low|medium|high|none)$")
    ai_type: str | None = None

    @field_validator("org_unit", "theme", "tier", "ai_type", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class PeriodIn(ScopeIn):
    since: dt.date | None = Field(None, description="First day (default: 90 days ago)")
    until: dt.date | None = Field(None, description="Last day (default: today)")


class ShareOut(Schema):
    count: int
    of: int
    share: float | None


class UseCaseRefOut(Schema):
    id: int
    title: str
    org_unit: str
    stage: str
    days: int | None
    sla_days: int | None
    reason: str


class ScopeOut(Schema):
    org_unit: int | None
    org_unit_name: str | None
    theme: int | None
    tier: str | None
    ai_type: str | None


class FigureOut(Schema):
    """One figure as every page shows it: `value` is the rounded number `text` shows."""

    key: str
    label: str
    unit: str = Field(description='"%", "days" or "count"')
    value: int | None = Field(description="The number shown, rounded half up; null: not measured")
    text: str = Field(description='As shown: "70%", "371 days", "1,033" or "not measured"')
    sentence: str
    numerator: int | None
    denominator: int | None = Field(description="What a share is of; for a median, how many")
    note: str
    left_out: int = Field(description="Use cases this figure had to leave out (see the reason)")
    left_out_reason: str
    counted: str = Field(description="How cases the definition leaves open were counted")
    rounding: str


class DiagnosticOut(Schema):
    key: str
    question: str
    answer: str
    figure: FigureOut
    unit: str
    trend: list[tuple[str, float | None]]
    laggards: list[UseCaseRefOut]


class IncidentFiguresOut(Schema):
    """AI incidents and post-deployment monitoring in scope (aiom.monitoring)."""

    open_incidents: int
    incidents_12m: int
    high_severity_12m: int
    closed_12m: int
    operational: int
    with_plan: int
    plan_share: float | None
    overdue_reviews: int
    overdue_share: float | None


class DiagnosticsOut(Schema):
    scope: ScopeOut
    today: dt.date
    questions: list[DiagnosticOut]
    incidents: IncidentFiguresOut


class FunnelOut(Schema):
    since: dt.date
    until: dt.date
    per_stage: dict[str, int]
    entered: dict[str, int]
    proposed: int = Field(description="Use cases whose proposal date lies in the period")
    left_out: int = Field(description="Use cases left out for want of a date (see the reason)")
    left_out_reason: str
    left_out_note: str = Field(
        description='"1,807 use cases without a proposal date are not in this figure" or ""'
    )
    entered_left_out: int = Field(description="Stage entries whose day cannot be placed")
    entered_left_out_reason: str
    entered_left_out_note: str


class StageReachOut(Schema):
    """Ever entered (once per use case, whatever the entry's day, and those there now
    without a recorded entry) and there now: the dashboard's funnel."""

    key: str
    entered: int
    now: int
    unrecorded: int = Field(description="There now without a recorded entry: counted as entered")
    sentence: str


class CohortOut(Schema):
    quarter: str
    started: int
    scaled: int
    stopped: int
    stalled: int
    running: int


class PilotOutcomesOut(Schema):
    started: int
    decided: int
    scaled: int
    stopped: int
    stalled: int
    running: int
    scale_rate: float | None
    stopped_share: float | None
    stalled_share: float | None
    stalled_counted: str = Field(description="not_scaled or excluded (policy)")
    left_out: int = Field(description="Pilots in the totals that no start quarter can hold")
    left_out_reason: str
    left_out_note: str
    figure: FigureOut
    cohorts: list[CohortOut]


class TimeToValueOut(Schema):
    realised: int
    median_days: float | None
    p75_days: float | None
    buckets: list[tuple[str, int]]
    not_yet: int
    left_out: int = Field(description="Use cases left out for want of a date (see the reason)")
    left_out_reason: str
    left_out_note: str = Field(
        description='"1,807 use cases without a proposal date are not in this figure" or ""'
    )


class StageDwellOut(Schema):
    stage: str
    label: str
    count: int
    median_days: float | None
    sla_days: int | None
    over: int
    left_out: int = Field(description="Entry day not known to the day: not in the median")


class DwellOut(Schema):
    stages: list[StageDwellOut]
    over: list[UseCaseRefOut]
    over_total: int
    left_out: int = Field(description="Use cases left out for want of a date (see the reason)")
    left_out_reason: str
    left_out_note: str = Field(
        description='"1,807 use cases without a proposal date are not in this figure" or ""'
    )
    unknown_entry: int = Field(description="Unknown stage entry day: never over the SLA")
    unknown_entry_note: str
    undecided: int = Field(description="Entry known only to a period the SLA's day cuts")


class CoverageOut(Schema):
    total: int
    owner: ShareOut
    sponsor: ShareOut
    kpis_measured: ShareOut
    data_ready: ShareOut | None


class GovernanceTimingOut(Schema):
    assessed: int
    at_intake: ShareOut
    review_median_days: float | None
    reviews_within_sla: ShareOut
    reviews_open_overdue: int


class EmbeddingOut(Schema):
    operational: ShareOut
    adoption: list[tuple[str, int, int]]


class VendorsOut(Schema):
    bought: ShareOut
    built: ShareOut
    partnered: ShareOut
    top: list[tuple[str, int, float]] = Field(
        description="(vendor, use cases depending on it by any route, share of `dependent`)"
    )
    hhi: float | None
    dependent: int = Field(description="Use cases depending on any vendor")
