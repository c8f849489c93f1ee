"""/api/v1/use-cases/{id}/assessment(s) and /api/v1/policy/questionnaire.

Mounted at the API root, so paths are spelled out in full. An assessment is as visible as
its use case: an invisible use case answers 404 on every path here.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, Field

from aiom.core.api_support import require_scope
from aiom.governance.assessments import services as assessments
from aiom.governance.assessments import tier_confirmation
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.schema import Tier
from aiom.governance.policy.versions import active_policy
from aiom.organisation.schemas import PersonRef, person_ref
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

router = Router(tags=["risk assessment"])
PEOPLE = ("assessed_by", "override_by", "lowered_by", "lowering_confirmed_by")


class AssessmentOut(Schema):
    id: int
    use_case: int
    answers: dict[str, str | list[str]]
    section_scores: dict[str, dict[str, str]]
    impact_raw: Decimal
    impact_max: Decimal
    mitigation_raw: Decimal
    mitigation_max: Decimal
    score: Decimal = Field(description="Impact after mitigation, as a fraction of its maximum")
    computed_tier: str
    tier: str = Field(description="The tier in force: the computed one unless overridden")
    decided_by: str
    prohibited: bool
    prohibited_reasons: list[str]
    duties: list[str]
    policy_version: int
    stage_at_assessment: str
    assessed_by: PersonRef | None
    assessed_at: dt.datetime
    override_by: PersonRef | None
    override_justification: str
    is_current: bool
    lowered_to: str | None = Field(
        description="A lower tier awaiting a second person's confirmation; `tier` governs"
    )
    lowered_by: PersonRef | None
    lowered_at: dt.datetime | None
    lowering_confirmed_by: PersonRef | None
    stale: bool
    stale_reason: str
    stale_since: dt.datetime | None

    @staticmethod
    def resolve_use_case(obj: RiskAssessment) -> int:
        return obj.use_case_id

    @staticmethod
    def resolve_assessed_by(obj: RiskAssessment) -> dict[str, Any] | None:
        return person_ref(obj.assessed_by)

    @staticmethod
    def resolve_override_by(obj: RiskAssessment) -> dict[str, Any] | None:
        return person_ref(obj.override_by)

    @staticmethod
    def resolve_lowered_to(obj: RiskAssessment) -> str | None:
        return obj.lowered_to or None

    @staticmethod
    def resolve_lowered_by(obj: RiskAssessment) -> dict[str, Any] | None:
        return person_ref(obj.lowered_by)

    @staticmethod
    def resolve_lowering_confirmed_by(obj: RiskAssessment) -> dict[str, Any] | None:
        return person_ref(obj.lowering_confirmed_by)


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str | list[str]] = Field(
        description="question key -> answer key (a list for multiple-choice questions)"
    )
    update_facts: bool = Field(
        False,
        description="Correct the use case's recorded facts where the answers contradict them "
        "(in the same audited write) instead of refusing the answers",
    )


class OverrideIn(Schema):
    model_config = ConfigDict(extra="forbid")

    tier: Tier
    justification: str = Field(..., max_length=5_000, description="At least 20 characters")


class LoweringRejectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=5_000, description="At least 20 characters")


class AnswerOut(Schema):
    key: str
    text: str
    weight: float
    prohibited: str | None
    high_risk: str | None
    duties: list[str]


class QuestionOut(Schema):
    key: str
    section: str
    kind: str
    type: str
    text: str
    help: str
    max_weight: float
    answers: list[AnswerOut]


class QuestionnaireOut(Schema):
    policy_version: int
    policy_sha256: str
    thresholds: dict[str, float]
    mitigation_share: float
    mitigation_deduction: float
    sections: list[str]
    questions: list[QuestionOut]


@router.get(
    "/use-cases/{int:use_case_id}/assessments",
    response=list[AssessmentOut],
    summary="A use case's risk assessments, newest first",
)
@paginate(LimitOffsetPagination)
def list_assessments(request: HttpRequest, use_case_id: int) -> Any:
    uc = use_case_for(request, use_case_id).use_case
    return RiskAssessment.objects.filter(use_case=uc).select_related(*PEOPLE)


@router.get(
    "/use-cases/{int:use_case_id}/assessment",
    response=AssessmentOut,
    summary="The current risk assessment (404 if never assessed)",
)
def get_current(request: HttpRequest, use_case_id: int) -> RiskAssessment:
    found = assessments.current_assessment(use_case_for(request, use_case_id).use_case)
    if found is None:
        raise Http404(f"use case {use_case_id} has not been assessed")
    return found


@router.post(
    "/use-cases/{int:use_case_id}/assessments",
    response={201: AssessmentOut},
    summary="Assess a use case with the active policy's questionnaire",
)
def create_assessment(
    request: HttpRequest, use_case_id: int, payload: AssessmentIn
) -> Status[RiskAssessment]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    row = assessments.assess(
        actor=request.user,
        use_case=uc,
        answers=payload.answers,
        update_facts=payload.update_facts,
    )
    return Status(201, row)


@router.post(
    "/use-cases/{int:use_case_id}/assessment/override",
    response=AssessmentOut,
    summary="Override the current assessment's tier, with a justification",
)
def override(request: HttpRequest, use_case_id: int, payload: OverrideIn) -> RiskAssessment:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    current = assessments.current_assessment(uc)
    if current is None:
        raise Http404(f"use case {use_case_id} has not been assessed")
    return assessments.override_tier(
        actor=request.user,
        assessment=current,
        tier=payload.tier,
        justification=payload.justification,
    )


@router.get(
    "/assessments/lowerings",
    response=list[AssessmentOut],
    summary="Lower tiers awaiting a second person's confirmation, on use cases you may see",
)
@paginate(LimitOffsetPagination)
def list_lowerings(request: HttpRequest) -> Any:
    return tier_confirmation.pending_lowerings(UseCase.objects.visible_to(request.user))


def _current(use_case_id: int, uc: UseCase) -> RiskAssessment:
    found = assessments.current_assessment(uc)
    if found is None:
        raise Http404(f"use case {use_case_id} has not been assessed")
    return found


@router.post(
    "/use-cases/{int:use_case_id}/assessment/lowering/confirm",
    response=AssessmentOut,
    summary="Confirm a proposed lower tier (a second person with a reviewer role)",
)
def confirm_lowering(request: HttpRequest, use_case_id: int) -> RiskAssessment:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    tier_confirmation.confirm_lowering(actor=request.user, use_case=uc)
    return _current(use_case_id, uc)


@router.post(
    "/use-cases/{int:use_case_id}/assessment/lowering/reject",
    response=AssessmentOut,
    summary="Keep the higher tier against a proposed lowering, with a reason",
)
def reject_lowering(
    request: HttpRequest, use_case_id: int, payload: LoweringRejectIn
) -> RiskAssessment:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    tier_confirmation.reject_lowering(actor=request.user, use_case=uc, reason=payload.reason)
    return _current(use_case_id, uc)


@router.get(
    "/policy/questionnaire",
    response=QuestionnaireOut,
    summary="The active policy's risk questionnaire, to build forms from",
)
def questionnaire(request: HttpRequest) -> dict[str, Any]:
    active = active_policy()
    policy = active.policy
    return {
        "policy_version": active.version,
        "policy_sha256": active.sha256,
        "thresholds": dict(policy.scoring.thresholds),
        "mitigation_share": policy.scoring.mitigation_share,
        "mitigation_deduction": policy.scoring.mitigation_deduction,
        "sections": list(dict.fromkeys(q.section for q in policy.questionnaire)),
        "questions": [
            {**q.model_dump(), "max_weight": q.max_weight()} for q in policy.questionnaire
        ],
    }
