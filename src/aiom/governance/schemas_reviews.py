"""JSON shapes of reviews and decisions."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.governance.models import Outcome


class UseCaseRef(Schema):
    id: int
    title: str
    org_unit: str


def use_case_ref(uc: Any) -> dict[str, Any]:
    return {"id": uc.pk, "title": uc.title, "org_unit": uc.org_unit.name}


class DecisionOut(Schema):
    id: int
    review_id: int
    use_case: UseCaseRef
    reviewer_id: int
    reviewer_name: str
    role: str
    outcome: str
    rationale: str
    conditions: str
    policy_version: int
    decided_at: dt.datetime

    @staticmethod
    def resolve_use_case(obj: Any) -> dict[str, Any]:
        return use_case_ref(obj.review.use_case)


class ReviewOut(Schema):
    id: int
    use_case: UseCaseRef
    from_stage: str
    to_stage: str
    tier: str
    structure: str
    approvers: list[dict[str, Any]]
    status: str
    policy_version: int
    requested_at: dt.datetime
    due_on: dt.date
    closed_at: dt.datetime | None
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_use_case(obj: Any) -> dict[str, Any]:
        return use_case_ref(obj.use_case)

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.all())


class ReviewRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(..., max_length=32)


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    rationale: str = Field(..., max_length=10_000)
    conditions: str = Field("", max_length=5_000)
