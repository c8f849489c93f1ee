"""/incidents (list, report, get, patch, status, severity confirmation, actions) and a use
case's /monitoring-plan.

Reads are scoped to the use cases the caller can see (404 otherwise); writes need the
`write` scope and the service's permission (403).
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.monitoring import queries, services
from aiom.monitoring.access import incident_for
from aiom.monitoring.models import CorrectiveAction, Incident, MonitoringCheck, MonitoringPlan
from aiom.monitoring.schemas import (
    ActionDoneIn,
    ActionIn,
    ActionOut,
    CheckIn,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    IncidentStatusIn,
    MonitoringPlanIn,
    MonitoringPlanOut,
    ReviewIn,
    SeverityConfirmationIn,
)
from aiom.portfolio.access import use_case_for

router = Router(tags=["monitoring"])


@router.get("/incidents", response=list[IncidentOut], summary="List AI incidents")
@paginate(LimitOffsetPagination)
def list_incidents(
    request: HttpRequest, status: str = "", severity: str = "", org_unit: str = ""
) -> Any:
    found = queries.incidents(request.user)
    return queries.filtered(found, status=status, severity=severity, org_unit=org_unit)


@router.post("/incidents", response={201: IncidentOut}, summary="Report an AI incident")
def report_incident(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    require_scope(request, "write")
    data = payload.model_dump(exclude_none=True)
    uc = use_case_for(request, data.pop("use_case")).use_case
    created = services.report_incident(actor=request.user, use_case=uc, **data)
    return Status(201, incident_for(request, created.pk).incident)


@router.get("/incidents/{int:incident_id}", response=IncidentOut, summary="One incident")
def get_incident(request: HttpRequest, incident_id: int) -> Incident:
    return incident_for(request, incident_id).incident


@router.patch("/incidents/{int:incident_id}", response=IncidentOut, summary="Change an incident")
def update_incident(request: HttpRequest, incident_id: int, payload: IncidentPatch) -> Incident:
    require_scope(request, "write")
    incident = incident_for(request, incident_id).incident
    services.update_incident(
        actor=request.user, incident=incident, **payload.model_dump(exclude_unset=True)
    )
    return incident_for(request, incident_id).incident


@router.post(
    "/incidents/{int:incident_id}/status",
    response=IncidentOut,
    summary="Move an incident (closing needs lessons learned and every action done)",
)
def change_status(request: HttpRequest, incident_id: int, payload: IncidentStatusIn) -> Incident:
    require_scope(request, "write")
    incident = incident_for(request, incident_id).incident
    services.change_status(actor=request.user, incident=incident, **payload.model_dump())
    return incident_for(request, incident_id).incident


@router.post(
    "/incidents/{int:incident_id}/severity-confirmation",
    response=IncidentOut,
    summary="Confirm an incident's severity (the use case's owner or a reviewer); a confirmed"
    " high or critical incident re-opens the risk assessment and so blocks moves",
)
def confirm_severity(
    request: HttpRequest, incident_id: int, payload: SeverityConfirmationIn
) -> Incident:
    require_scope(request, "write")
    incident = incident_for(request, incident_id).incident
    severity = payload.severity or None
    services.confirm_severity(actor=request.user, incident=incident, severity=severity)
    return incident_for(request, incident_id).incident


@router.post(
    "/incidents/{int:incident_id}/actions",
    response={201: ActionOut},
    summary="Add a corrective action",
)
def add_action(
    request: HttpRequest, incident_id: int, payload: ActionIn
) -> Status[CorrectiveAction]:
    require_scope(request, "write")
    incident = incident_for(request, incident_id).incident
    action = services.add_action(actor=request.user, incident=incident, **payload.model_dump())
    return Status(201, action)


@router.post(
    "/incidents/{int:incident_id}/actions/{int:action_id}/done",
    response=ActionOut,
    summary="Mark a corrective action done (or not done)",
)
def complete_action(
    request: HttpRequest, incident_id: int, action_id: int, payload: ActionDoneIn
) -> CorrectiveAction:
    require_scope(request, "write")
    incident = incident_for(request, incident_id).incident
    action = incident.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404(f"incident {incident_id} has no action {action_id}")
    return services.complete_action(actor=request.user, action=action, done=payload.done)


def _plan_or_404(request: HttpRequest, use_case_id: int) -> MonitoringPlan:
    plan = queries.plan_of(use_case_for(request, use_case_id).use_case)
    if plan is None:
        raise Http404(f"use case {use_case_id} has no monitoring plan")
    return plan


@router.get(
    "/use-cases/{int:use_case_id}/monitoring-plan",
    response=MonitoringPlanOut,
    summary="A use case's monitoring plan: checks, reviewer, cadence, reviews",
)
def get_plan(request: HttpRequest, use_case_id: int) -> MonitoringPlan:
    return _plan_or_404(request, use_case_id)


@router.put(
    "/use-cases/{int:use_case_id}/monitoring-plan",
    response=MonitoringPlanOut,
    summary="Create or change a use case's monitoring plan",
)
def save_plan(request: HttpRequest, use_case_id: int, payload: MonitoringPlanIn) -> MonitoringPlan:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    services.save_plan(actor=request.user, use_case=uc, **payload.model_dump())
    return _plan_or_404(request, use_case_id)


@router.post(
    "/use-cases/{int:use_case_id}/monitoring-plan/checks",
    response={201: MonitoringPlanOut},
    summary="Add what is monitored (a KPI check takes thresholds)",
)
def add_check(request: HttpRequest, use_case_id: int, payload: CheckIn) -> Status[MonitoringPlan]:
    require_scope(request, "write")
    plan = _plan_or_404(request, use_case_id)
    services.add_check(actor=request.user, plan=plan, **payload.model_dump())
    return Status(201, _plan_or_404(request, use_case_id))


@router.delete(
    "/use-cases/{int:use_case_id}/monitoring-plan/checks/{int:check_id}",
    response={204: None},
    summary="Stop monitoring something",
)
def remove_check(request: HttpRequest, use_case_id: int, check_id: int) -> Status[None]:
    require_scope(request, "write")
    plan = _plan_or_404(request, use_case_id)
    check = MonitoringCheck.objects.filter(plan=plan, pk=check_id).first()
    if check is None:
        raise Http404(f"the plan has no check {check_id}")
    services.remove_check(actor=request.user, check=check)
    return Status(204, None)


@router.post(
    "/use-cases/{int:use_case_id}/monitoring-plan/reviews",
    response={201: MonitoringPlanOut},
    summary="Record a monitoring review",
)
def record_review(
    request: HttpRequest, use_case_id: int, payload: ReviewIn
) -> Status[MonitoringPlan]:
    require_scope(request, "write")
    plan = _plan_or_404(request, use_case_id)
    services.record_review(actor=request.user, plan=plan, **payload.model_dump())
    return Status(201, _plan_or_404(request, use_case_id))
