"""KPIs, measurements (one or a CSV), adoption, feedback, priority scores and the backlog.

Full paths; mounted at the API root. Every read starts from a use case the caller can see
(404 otherwise); every write needs the token's `write` scope and the service's permission.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from aiom.value import services
from aiom.value.backlog import backlog
from aiom.value.models import KPI, Adoption, Feedback, Measurement, PriorityScore
from aiom.value.schemas import (
    AdoptionIn,
    AdoptionOut,
    BacklogItem,
    BacklogQuery,
    FeedbackIn,
    FeedbackOut,
    ImportOut,
    KPIIn,
    KPIOut,
    KPIPatch,
    MeasurementIn,
    MeasurementOut,
    PriorityIn,
    PriorityOut,
)

router = Router(tags=["value"])


def visible_kpi(request: HttpRequest, kpi_id: int) -> KPI:
    """The KPI if its use case is visible to the caller; 404 otherwise."""
    kpi = (
        KPI.objects.filter(pk=kpi_id, use_case__in=UseCase.objects.visible_to(request.user))
        .select_related("use_case__org_unit")
        .first()
    )
    if kpi is None:
        raise Http404(f"no KPI {kpi_id}")
    return kpi


@router.get("/use-cases/{int:use_case_id}/kpis", response=list[KPIOut], summary="KPIs")
def list_kpis(request: HttpRequest, use_case_id: int) -> Any:
    return KPI.objects.filter(use_case=use_case_for(request, use_case_id).use_case)


@router.post("/use-cases/{int:use_case_id}/kpis", response={201: KPIOut}, summary="Define a KPI")
def create_kpi(request: HttpRequest, use_case_id: int, payload: KPIIn) -> Status[KPI]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    return Status(201, services.define_kpi(actor=request.user, use_case=uc, **payload.dict()))


@router.patch("/kpis/{int:kpi_id}", response=KPIOut, summary="Change or retire a KPI")
def patch_kpi(request: HttpRequest, kpi_id: int, payload: KPIPatch) -> KPI:
    require_scope(request, "write")
    kpi = visible_kpi(request, kpi_id)
    changes = payload.dict(exclude_unset=True)
    retire = changes.pop("is_active", None) is False
    if changes or not retire:
        kpi = services.update_kpi(actor=request.user, kpi=kpi, **changes)
    if retire:
        kpi = services.retire_kpi(actor=request.user, kpi=kpi)
    return kpi


@router.get(
    "/kpis/{int:kpi_id}/measurements",
    response=list[MeasurementOut],
    summary="A KPI's measurements, oldest first",
)
@paginate(LimitOffsetPagination)
def list_measurements(request: HttpRequest, kpi_id: int) -> Any:
    return Measurement.objects.filter(kpi=visible_kpi(request, kpi_id)).order_by(
        "measured_on", "id"
    )


@router.post(
    "/kpis/{int:kpi_id}/measurements",
    response={201: MeasurementOut},
    summary="Record a measurement (not dated in the future)",
)
def create_measurement(
    request: HttpRequest, kpi_id: int, payload: MeasurementIn
) -> Status[Measurement]:
    require_scope(request, "write")
    kpi = visible_kpi(request, kpi_id)
    m = services.record_measurement(actor=request.user, kpi=kpi, **payload.dict())
    return Status(201, m)


@router.post(
    "/use-cases/{int:use_case_id}/measurements/import",
    response={201: ImportOut},
    summary="Import measurements from CSV (kpi,value,measured_on[,source,note]); all or none",
)
def import_measurements(
    request: HttpRequest, use_case_id: int, file: File[UploadedFile]
) -> Status[Any]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    report = services.import_measurements_csv(actor=request.user, use_case=uc, file=file)
    return Status(201, report)


@router.get("/use-cases/{int:use_case_id}/adoption", response=list[AdoptionOut], summary="Adoption")
def list_adoption(request: HttpRequest, use_case_id: int) -> Any:
    return Adoption.objects.filter(use_case=use_case_for(request, use_case_id).use_case)


@router.post(
    "/use-cases/{int:use_case_id}/adoption",
    response={201: AdoptionOut},
    summary="Record adoption for a period (replaces the same period_start)",
)
def create_adoption(
    request: HttpRequest, use_case_id: int, payload: AdoptionIn
) -> Status[Adoption]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    row = services.record_adoption(actor=request.user, use_case=uc, **payload.dict())
    return Status(201, row)


@router.get(
    "/use-cases/{int:use_case_id}/feedback",
    response=list[FeedbackOut],
    summary="End-user feedback, newest first",
)
@paginate(LimitOffsetPagination)
def list_feedback(request: HttpRequest, use_case_id: int) -> Any:
    return Feedback.objects.filter(use_case=use_case_for(request, use_case_id).use_case)


@router.post(
    "/use-cases/{int:use_case_id}/feedback",
    response={201: FeedbackOut},
    summary="Rate a use case 1-5 (anyone who can see it)",
)
def create_feedback(
    request: HttpRequest, use_case_id: int, payload: FeedbackIn
) -> Status[Feedback]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    return Status(201, services.give_feedback(actor=request.user, use_case=uc, **payload.dict()))


@router.get(
    "/use-cases/{int:use_case_id}/priority",
    response=list[PriorityOut],
    summary="Priority scores, the current one first",
)
def list_priority(request: HttpRequest, use_case_id: int) -> Any:
    uc = use_case_for(request, use_case_id).use_case
    return PriorityScore.objects.filter(use_case=uc).order_by("-is_current", "-scored_at", "-id")


@router.post(
    "/use-cases/{int:use_case_id}/priority",
    response={201: PriorityOut},
    summary="Score value and feasibility with the policy's criteria",
)
def create_priority(
    request: HttpRequest, use_case_id: int, payload: PriorityIn
) -> Status[PriorityScore]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    score = services.score_priority(actor=request.user, use_case=uc, **payload.dict())
    return Status(201, score)


@router.get(
    "/backlog",
    response=list[BacklogItem],
    summary="Prioritised backlog: current scores ranked by value x feasibility",
)
def get_backlog(request: HttpRequest, filters: Query[BacklogQuery]) -> list[dict[str, Any]]:
    entries = backlog(
        request.user, theme=filters.theme, org_unit=filters.org_unit, limit=filters.limit
    )
    return [
        {
            "rank": e.rank,
            "use_case_id": e.use_case.pk,
            "title": e.use_case.title,
            "stage": e.use_case.stage,
            "org_unit": e.use_case.org_unit.name,
            "theme": e.use_case.theme.name if e.use_case.theme else None,
            "value_score": e.score.value_score,
            "feasibility_score": e.score.feasibility_score,
            "quadrant": e.quadrant,
            "scored_at": e.score.scored_at,
        }
        for e in entries
    ]
