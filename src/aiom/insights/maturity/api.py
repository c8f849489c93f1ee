"""/api/v1/maturity: the model, a scope's self-assessment beside its evidence, history, writes.

Any internal user may read maturity for any org unit (evidence counts only the use cases
they may see); only leads (of the unit or above) and administrators self-assess, with a
write-scoped token. External partners answer 403 everywhere.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.insights.maturity import report, services
from aiom.insights.maturity.model import current
from aiom.insights.maturity.schemas import (
    MaturityOut,
    ModelOut,
    SelfAssessmentIn,
    SelfAssessmentOut,
    report_json,
)
from aiom.maturity.models import SelfAssessment
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit

router = Router(tags=["maturity"])


def _internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("maturity is for people inside the organisation")


def _unit(pk: int | None, *, field: str | None = None) -> OrgUnit | None:
    if pk is None:
        return None
    found = OrgUnit.objects.filter(pk=pk).first()
    if found is None:
        if field is not None:
            raise InvalidInput({field: f"no org unit with id {pk}"})
        raise Http404(f"no org unit {pk}")
    return found


@router.get("/maturity/model", response=ModelOut, summary="The maturity model in use")
def get_model(request: HttpRequest) -> dict[str, Any]:
    _internal(request)
    loaded = current()
    return {"sha256": loaded.sha256, **loaded.model.model_dump()}


@router.get(
    "/maturity",
    response=MaturityOut,
    summary="Latest self-assessment beside the evidence, with recommendations",
)
def get_maturity(request: HttpRequest, org_unit: int | None = None) -> dict[str, Any]:
    _internal(request)
    return report_json(report.build(_unit(org_unit), user=request.user))


@router.get(
    "/maturity/history",
    response=list[SelfAssessmentOut],
    summary="Self-assessments of one scope, newest first",
)
@paginate(LimitOffsetPagination)
def get_history(request: HttpRequest, org_unit: int | None = None) -> Any:
    _internal(request)
    unit = _unit(org_unit)
    return SelfAssessment.objects.filter(org_unit=unit).select_related("org_unit", "assessed_by")


@router.post(
    "/maturity/self-assessments",
    response={201: SelfAssessmentOut},
    summary="Answer the questionnaire for an org unit (its lead) or the organisation (admins)",
)
def post_self_assessment(request: HttpRequest, payload: SelfAssessmentIn) -> Status[SelfAssessment]:
    require_scope(request, "write")
    _internal(request)
    unit = _unit(payload.org_unit, field="org_unit")
    row = services.self_assess(actor=request.user, org_unit=unit, answers=payload.answers)
    return Status(201, row)
