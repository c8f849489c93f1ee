"""API shapes of the portfolio analytics (aiom.value.analytics), field for field.

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


class DiagnosticOut(Schema):
    key: str
    question: str
    answer: str
    figure: float | None
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
    proposed: int


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
    cohorts: list[CohortOut]


class TimeToValueOut(Schema):
    realised: int
    median_days: float | None
    p75_days: float | None
    buckets: list[tuple[str, int]]
    not_yet: int


class StageDwellOut(Schema):
    stage: str
    label: str
    count: int
    median_days: float | None
    sla_days: int | None
    over: int


class DwellOut(Schema):
    stages: list[StageDwellOut]
    over: list[UseCaseRefOut]
    over_total: int


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
    top: list[tuple[str, int, float]]
    hhi: float | None
