"""/use-cases/{id}/lifecycle, /transitions, /stage-changes and /pilot-plan."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.lifecycle import overrides, services
from aiom.lifecycle.models import GateOverride, PilotPlan, StageChange
from aiom.lifecycle.overview import overview
from aiom.lifecycle.schemas import (
    ExtensionIn,
    GateOverrideIn,
    GateOverrideOut,
    LifecycleOut,
    PilotPlanIn,
    PilotPlanOut,
    StageChangeOut,
    TransitionIn,
)
from aiom.portfolio.access import use_case_for

router = Router(tags=["lifecycle"])


@router.get(
    "/use-cases/{int:use_case_id}/lifecycle",
    response=LifecycleOut,
    summary="Stage track, gate checks for each possible move, pilot plan, history",
)
def get_lifecycle(request: HttpRequest, use_case_id: int) -> dict[str, Any]:
    uc = use_case_for(request, use_case_id).use_case
    view = overview(uc)
    return {
        "stage": uc.stage,
        "stage_entered_on": uc.stage_entered_on,
        "stage_entered_precision": uc.stage_entered_precision,
        "days_in_stage": view.days_in_stage,
        "sla_days": view.sla_days,
        "over_sla": view.over_sla,
        "pilot_stalled": view.pilot_stalled,
        "policy_version": view.policy_version,
        "track": view.track,
        "moves": [
            {
                "to_stage": m.report.to_stage,
                "label": m.label,
                "exit": m.exit,
                "allowed": m.report.allowed,
                "checks": m.report.results,
                "checks_pass": m.report.checks_pass,
                "needs_approval": m.report.needs_approval,
                "reason_required": m.report.reason_required,
                "ready": m.ready,
                "review": m.review,
                "overridable": [r.check for r in m.report.overridable],
            }
            for m in view.moves
        ],
        "pilot_plan": view.plan,
        "exit_criteria": view.criteria,
        "history": view.history,
    }


@router.post(
    "/use-cases/{int:use_case_id}/transitions",
    response={201: StageChangeOut},
    summary="Move a use case to another stage (409 lists every failing reason)",
)
def post_transition(
    request: HttpRequest, use_case_id: int, payload: TransitionIn
) -> Status[StageChange]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    change = services.transition(
        actor=request.user, use_case=uc, to_stage=payload.to_stage, reason=payload.reason
    )
    return Status(201, change)


@router.post(
    "/use-cases/{int:use_case_id}/gate-overrides",
    response={201: GateOverrideOut},
    summary="Let a failed gate check through with a reason (the policy's roles only)",
)
def post_gate_override(
    request: HttpRequest, use_case_id: int, payload: GateOverrideIn
) -> Status[GateOverride]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    row = overrides.override_gate(
        actor=request.user,
        use_case=uc,
        to_stage=payload.to_stage,
        check=payload.check,
        reason=payload.reason,
    )
    return Status(201, row)


@router.get(
    "/use-cases/{int:use_case_id}/gate-overrides",
    response=list[GateOverrideOut],
    summary="Gate overrides recorded for a use case, newest first",
)
@paginate(LimitOffsetPagination)
def list_gate_overrides(request: HttpRequest, use_case_id: int) -> Any:
    return GateOverride.objects.filter(use_case=use_case_for(request, use_case_id).use_case)


@router.get(
    "/use-cases/{int:use_case_id}/stage-changes",
    response=list[StageChangeOut],
    summary="Stage history, newest first",
)
@paginate(LimitOffsetPagination)
def list_stage_changes(request: HttpRequest, use_case_id: int) -> Any:
    return use_case_for(request, use_case_id).use_case.stage_changes.order_by("-at", "-id")


@router.put(
    "/use-cases/{int:use_case_id}/pilot-plan",
    response=PilotPlanOut,
    summary="Set the pilot's exit criteria and end date (before it starts)",
)
def put_pilot_plan(request: HttpRequest, use_case_id: int, payload: PilotPlanIn) -> PilotPlan:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    return services.plan_pilot(
        actor=request.user,
        use_case=uc,
        ends_on=payload.ends_on,
        exit_criteria=[c.model_dump() for c in payload.exit_criteria],
    )


@router.post(
    "/use-cases/{int:use_case_id}/pilot-plan/extensions",
    response=PilotPlanOut,
    summary="Extend a running pilot (within the policy's limits, with a reason)",
)
def post_extension(request: HttpRequest, use_case_id: int, payload: ExtensionIn) -> PilotPlan:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    return services.extend_pilot(
        actor=request.user, use_case=uc, ends_on=payload.ends_on, reason=payload.reason
    )
