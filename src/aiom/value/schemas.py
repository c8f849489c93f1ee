"""JSON shapes of KPIs, measurements, adoption, feedback, priority scores and the backlog.

Inputs forbid unknown fields; the services still validate every value, so the API and
the pages answer with the same messages.
"""

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.core.ids import DbId


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class KPIOut(Schema):
    id: int
    use_case_id: int
    name: str
    unit: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    owner_id: int | None
    cadence_days: int
    target_met_on: dt.date | None
    last_measured_on: dt.date | None
    is_active: bool


class KPIIn(In):
    name: str = Field(..., max_length=200)
    unit: str = Field("", max_length=40)
    direction: str = Field("higher", description="'higher' or 'lower' is better")
    baseline: Decimal | None = None
    target: Decimal | None = None
    owner: int | None = Field(None, description="Person id of who reports it")
    cadence_days: int = 30


class KPIPatch(In):
    name: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, max_length=40)
    direction: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    owner: int | None = None
    cadence_days: int | None = None
    is_active: bool | None = Field(None, description="false retires the KPI (no way back)")


class MeasurementOut(Schema):
    id: int
    kpi_id: int
    value: Decimal
    measured_on: dt.date
    source: str
    note: str
    recorded_by_id: int | None
    recorded_at: dt.datetime


class MeasurementIn(In):
    value: Decimal
    measured_on: dt.date
    source: str = Field("", max_length=120)
    note: str = Field("", max_length=2000)


class ImportOut(Schema):
    created: int
    per_kpi: dict[str, int]
    value_realised_on: dt.date | None


class AdoptionOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    active_users: int
    usage: int
    source: str


class AdoptionIn(In):
    period_start: dt.date
    period_end: dt.date
    active_users: int
    usage: int
    source: str = Field("", max_length=120)


class FeedbackOut(Schema):
    id: int
    rating: int
    comment: str
    given_by_id: int | None
    given_at: dt.datetime


class FeedbackIn(In):
    rating: int
    comment: str = Field("", max_length=5000)


class PriorityOut(Schema):
    id: int
    use_case_id: int
    criteria: dict[str, int]
    value_score: Decimal
    feasibility_score: Decimal
    rationale: str
    stage: str
    policy_version: int
    scored_by_id: int | None
    scored_at: dt.datetime
    is_current: bool


class PriorityIn(In):
    criteria: dict[str, int]
    rationale: str


class BacklogItem(Schema):
    rank: int
    use_case_id: int
    title: str
    stage: str
    org_unit: str
    theme: str | None
    value_score: Decimal
    feasibility_score: Decimal
    quadrant: str
    scored_at: dt.datetime


class BacklogQuery(Schema):
    theme: DbId | None = None
    org_unit: DbId | None = Field(None, description="Org unit id; includes its sub-units")
    limit: int = Field(200, ge=1, le=1000)
