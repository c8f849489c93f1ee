"""What the change-plan API reads and writes."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class ChangePlanIn(Schema):
    """PUT: creates the plan or changes the fields sent. Send `version` to refuse stale edits."""

    summary: str | None = None
    champion: int | None = None
    go_live_on: dt.date | None = None
    status: str | None = None
    version: int | None = Field(None, description="The plan version your edit is based on")


class GroupIn(Schema):
    name: str
    size: int = 0
    org_unit: int | None = None
    what_changes: str = ""
    impact: str = "medium"
    target_users: int | None = None
    target_on: dt.date | None = None


class InterventionIn(Schema):
    kind: str
    description: str
    owner: int | None = None
    due_on: dt.date | None = None
    status: str = "planned"


class InterventionOut(Schema):
    id: int
    kind: str
    description: str
    owner: int | None
    due_on: dt.date | None
    status: str


class GroupOut(Schema):
    id: int
    name: str
    size: int
    org_unit: int | None
    what_changes: str
    impact: str
    target_users: int | None
    target_on: dt.date | None
    interventions: list[InterventionOut]


class ChangeAdoptionOut(Schema):
    target: int | None
    target_on: dt.date | None
    active_users: int | None
    measured_to: dt.date | None
    share: float | None
    state: str
    feedback_rating: float | None
    feedback_count: int


class ChangePlanOut(Schema):
    id: int
    use_case: int
    use_case_title: str
    stage: str
    summary: str
    champion: int | None
    champion_name: str
    go_live_on: dt.date | None
    status: str
    version: int
    ready: bool
    reasons: list[str]
    required: bool
    adoption: ChangeAdoptionOut
    groups: list[GroupOut]


class GroupPatch(Schema):
    """Only the fields sent are changed."""

    name: str | None = None
    size: int | None = None
    org_unit: int | None = None
    what_changes: str | None = None
    impact: str | None = None
    target_users: int | None = None
    target_on: dt.date | None = None


class InterventionPatch(Schema):
    """Only the fields sent are changed; `status: done` when it has happened."""

    kind: str | None = None
    description: str | None = None
    owner: int | None = None
    due_on: dt.date | None = None
    status: str | None = None
