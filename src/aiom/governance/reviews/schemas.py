"""JSON shapes of reviews and decisions."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.governance.models import Outcome


class UseCaseRef(Schema):
    id: int
    title: str
    org_unit: str


def use_case_ref(uc: Any) -> dict[str, Any]:
    return {"id": uc.pk, "title": uc.title, "org_unit": uc.org_unit.name}


class ReviewConditionOut(Schema):
    id: int
    review_id: int
    decision_id: int
    text: str
    owner_id: int
    owner_name: str
    due_on: dt.date
    status: str
    status_label: str
    closed_by_name: str | None
    closed_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return str(obj.owner.get_full_name() or obj.owner.get_username())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_closed_by_name(obj: Any) -> str | None:
        user = obj.closed_by
        return None if user is None else str(user.get_full_name() or user.get_username())


class DecisionOut(Schema):
    id: int
    review_id: int
    use_case: UseCaseRef
    reviewer_id: int
    reviewer_name: str
    role: str
    outcome: str
    outcome_label: str = Field(description="The outcome in words, e.g. Approve with conditions")
    rationale: str
    conditions: str = Field(description="The conditions as one text (see condition_items)")
    condition_items: list[ReviewConditionOut]
    policy_version: int
    decided_at: dt.datetime
    voided: bool = Field(description="A material change or a new assessment voided it")
    voided_at: dt.datetime | None
    voided_reason: str
    eligibility: dict[str, Any] | None = Field(
        description="Why the reviewer was eligible: role, scope, the conflict window checked"
    )

    @staticmethod
    def resolve_use_case(obj: Any) -> dict[str, Any]:
        return use_case_ref(obj.review.use_case)

    @staticmethod
    def resolve_voided(obj: Any) -> bool:
        return obj.voided_at is not None

    @staticmethod
    def resolve_eligibility(obj: Any) -> dict[str, Any] | None:
        found = (obj.snapshot or {}).get("eligibility")
        return found if isinstance(found, dict) else None

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_condition_items(obj: Any) -> list[Any]:
        return list(obj.condition_items.all())


class ReviewOut(Schema):
    id: int
    use_case: UseCaseRef
    from_stage: str
    to_stage: str
    tier: str
    structure: str
    approvers: list[dict[str, Any]]
    min_people: int
    status: str
    status_label: str = Field(description="The status in words, e.g. Changes requested")
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

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class ReviewRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(..., max_length=32)


class ConditionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., min_length=1, max_length=2_000)
    owner: int = Field(..., description="The id of the person who sees to it")
    due_on: dt.date


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    rationale: str = Field(..., max_length=10_000)
    conditions: (
        Annotated[list[ConditionIn], Field(max_length=20)] | Annotated[str, Field(max_length=5_000)]
    ) = Field(
        "",
        description=(
            "For approve_with_conditions: a list of {text, owner, due_on}. A plain text is "
            "still accepted and becomes one condition owned by the use case's owner, due "
            "30 days after the decision."
        ),
    )


class ConditionCloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["met", "waived"]
    note: str = Field("", max_length=2_000)
