"""JSON shapes of the lifecycle: track, gate reports, stage changes, pilot plans."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class CheckOut(Schema):
    check: str
    passed: bool
    reason: str
    details: list[str] = Field(default_factory=list, description="The items, by name")
    overridden: str = Field("", description="Who overrode this failed check, and why")


class ReviewRef(Schema):
    id: int
    status: str
    status_label: str = Field(description="The status in words, e.g. Changes requested")
    tier: str
    due_on: dt.date

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class MoveOut(Schema):
    to_stage: str
    label: str
    exit: bool
    allowed: bool
    checks: list[CheckOut]
    checks_pass: bool
    needs_approval: bool
    reason_required: bool
    ready: bool
    review: ReviewRef | None
    overridable: list[str] = Field(
        default_factory=list, description="Failed checks a role may override"
    )


class TrackStepOut(Schema):
    key: str
    label: str
    state: str
    entered_on: dt.date | None
    sla_days: int | None
    entered_precision: str = Field("day", description="day, month, quarter or year")


class StageChangeOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    on: dt.date | None = Field(description="null: the day is unknown (an import without it)")
    on_precision: str = Field("day", description="day, month, quarter or year")
    at: dt.datetime
    actor_name: str
    reason: str
    policy_version: int | None
    review_id: int | None
    checks: list[dict[str, Any]]


class ExitCriterionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    metric: str = Field(..., min_length=1, max_length=200)
    baseline: float | None = None
    target: float
    unit: str = Field("", max_length=40)
    direction: str = Field("higher", pattern="^(higher|lower)$")


class PilotPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    exit_criteria: list[ExitCriterionIn] = Field(..., min_length=1, max_length=20)
    ends_on: dt.date


class ExtensionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ends_on: dt.date
    reason: str = Field(..., max_length=2000)


class PilotPlanOut(Schema):
    exit_criteria: list[dict[str, Any]]
    starts_on: dt.date | None
    ends_on: dt.date
    original_ends_on: dt.date
    extensions: list[dict[str, Any]]
    decision: str
    decided_on: dt.date | None
    policy_version: int


class CriterionResultOut(Schema):
    metric: str
    baseline: float | None
    target: float | None
    unit: str
    direction: str
    state: str = Field(description="met, unmet, or unknown (no measurement: counts as unmet)")
    value: float | None
    measured_on: dt.date | None
    sentence: str


class LifecycleOut(Schema):
    stage: str
    stage_entered_on: dt.date | None = Field(description="null: unknown (an import without it)")
    stage_entered_precision: str = Field("day", description="day, month, quarter or year")
    days_in_stage: int | None = Field(description="null: the entry day is not known to the day")
    sla_days: int | None
    over_sla: bool = Field(description="Certainly over; never when the entry day is unknown")
    pilot_stalled: bool
    policy_version: int
    track: list[TrackStepOut]
    moves: list[MoveOut]
    pilot_plan: PilotPlanOut | None
    exit_criteria: list[CriterionResultOut]
    history: list[StageChangeOut]


class GateOverrideIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(..., max_length=32)
    check: str = Field(..., max_length=64)
    reason: str = Field(..., max_length=5000)


class GateOverrideOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    check: str = Field(alias="check_name")
    overridden: str
    reason: str
    by_name: str
    role: str
    at: dt.datetime
    policy_version: int
    stage_change_id: int | None


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(..., max_length=32)
    reason: str = Field("", max_length=5000)
