"""A use case's /change-plan (GET, PUT), its groups and interventions, and /change-plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.change import services
from aiom.change.models import ChangePlan, Intervention, StakeholderGroup
from aiom.change.overview import PlanOverview, overviews, plan_with_contents
from aiom.change.schemas import (
    ChangePlanIn,
    ChangePlanOut,
    GroupIn,
    GroupOut,
    GroupPatch,
    InterventionIn,
    InterventionOut,
    InterventionPatch,
)
from aiom.change.views_list import scoped_use_cases
from aiom.core.api_support import require_scope
from aiom.organisation.models import OrgUnit
from aiom.portfolio.access import use_case_for

router = Router(tags=["change"])


def _intervention(i: Intervention) -> dict[str, Any]:
    return {
        "id": i.pk,
        "kind": i.kind,
        "description": i.description,
        "owner": i.owner_id,
        "due_on": i.due_on,
        "status": i.status,
    }


def _group(g: StakeholderGroup) -> dict[str, Any]:
    fields = ("name", "size", "what_changes", "impact", "target_users", "target_on")
    return {
        "id": g.pk,
        "org_unit": g.org_unit_id,
        **{f: getattr(g, f) for f in fields},
        "interventions": [_intervention(i) for i in g.interventions.all()],
    }


def plan_out(plan: ChangePlan, ov: PlanOverview) -> dict[str, Any]:
    """The plan as the API shows it; groups and interventions must be prefetched."""
    a, f = ov.adoption, ov.figures
    champion = plan.champion
    return {
        "id": plan.pk,
        "use_case": plan.use_case_id,
        "use_case_title": plan.use_case.title,
        "stage": plan.use_case.stage,
        "summary": plan.summary,
        "champion": plan.champion_id,
        "champion_name": "" if champion is None else champion.get_full_name() or champion.username,
        "go_live_on": plan.go_live_on,
        "status": plan.status,
        "version": plan.version,
        "ready": ov.ready,
        "reasons": ov.reasons,
        "required": ov.required,
        "adoption": {
            "target": a.target,
            "target_on": a.target_on,
            "active_users": a.actual,
            "measured_to": a.measured_to,
            "share": a.share,
            "state": str(a.state),
            "feedback_rating": f.rating,
            "feedback_count": f.ratings,
        },
        "groups": [_group(g) for g in plan.groups.all()],
    }


def _plan_answer(request: HttpRequest, use_case_id: int) -> dict[str, Any]:
    uc = use_case_for(request, use_case_id).use_case
    plan = plan_with_contents(uc)
    if plan is None:
        raise Http404(f"use case {use_case_id} has no change plan")
    return plan_out(plan, overviews([uc])[uc.pk])


def _plan_of(request: HttpRequest, use_case_id: int) -> ChangePlan:
    uc = use_case_for(request, use_case_id).use_case
    plan = ChangePlan.objects.filter(use_case=uc).select_related("use_case__org_unit").first()
    if plan is None:
        raise Http404(f"use case {use_case_id} has no change plan")
    return plan


@router.get(
    "/use-cases/{int:use_case_id}/change-plan",
    response=ChangePlanOut,
    summary="A use case's change plan, with readiness and adoption against target",
)
def get_plan(request: HttpRequest, use_case_id: int) -> dict[str, Any]:
    return _plan_answer(request, use_case_id)


@router.put(
    "/use-cases/{int:use_case_id}/change-plan",
    response=ChangePlanOut,
    summary="Create the change plan or change the fields sent (send `version` against races)",
)
def put_plan(request: HttpRequest, use_case_id: int, payload: ChangePlanIn) -> dict[str, Any]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    services.save_plan(actor=request.user, use_case=uc, expected_version=version, **changes)
    return _plan_answer(request, use_case_id)


@router.post(
    "/use-cases/{int:use_case_id}/change-plan/groups",
    response={201: GroupOut},
    summary="Add a stakeholder group to the change plan",
)
def add_group(request: HttpRequest, use_case_id: int, payload: GroupIn) -> Status[Any]:
    require_scope(request, "write")
    plan = _plan_of(request, use_case_id)
    group = services.add_group(actor=request.user, plan=plan, **payload.model_dump())
    return Status(201, _group(group))


def _group_in(request: HttpRequest, use_case_id: int, group_id: int) -> StakeholderGroup:
    plan = _plan_of(request, use_case_id)
    group = StakeholderGroup.objects.filter(plan=plan, pk=group_id).first()
    if group is None:
        raise Http404(f"no stakeholder group {group_id} in this plan")
    return group


def _intervention_in(
    request: HttpRequest, use_case_id: int, group_id: int, intervention_id: int
) -> Intervention:
    group = _group_in(request, use_case_id, group_id)
    found = Intervention.objects.filter(group=group, pk=intervention_id).first()
    if found is None:
        raise Http404(f"no intervention {intervention_id} in this group")
    return found


GROUP = "/use-cases/{int:use_case_id}/change-plan/groups/{int:group_id}"
INTERVENTION = GROUP + "/interventions/{int:intervention_id}"


@router.patch(GROUP, response=GroupOut, summary="Change a stakeholder group")
def patch_group(
    request: HttpRequest, use_case_id: int, group_id: int, payload: GroupPatch
) -> dict[str, Any]:
    require_scope(request, "write")
    group = _group_in(request, use_case_id, group_id)
    changes = payload.model_dump(exclude_unset=True)
    services.update_group(actor=request.user, group=group, **changes)
    return _group(StakeholderGroup.objects.get(pk=group.pk))


@router.delete(GROUP, response={204: None}, summary="Remove a group and its interventions")
def delete_group(request: HttpRequest, use_case_id: int, group_id: int) -> Status[None]:
    require_scope(request, "write")
    group = _group_in(request, use_case_id, group_id)
    services.remove_group(actor=request.user, group=group)
    return Status(204, None)


@router.patch(INTERVENTION, response=InterventionOut, summary="Change an intervention")
def patch_intervention(
    request: HttpRequest,
    use_case_id: int,
    group_id: int,
    intervention_id: int,
    payload: InterventionPatch,
) -> dict[str, Any]:
    require_scope(request, "write")
    found = _intervention_in(request, use_case_id, group_id, intervention_id)
    changes = payload.model_dump(exclude_unset=True)
    return _intervention(
        services.update_intervention(actor=request.user, intervention=found, **changes)
    )


@router.delete(INTERVENTION, response={204: None}, summary="Remove an intervention")
def delete_intervention(
    request: HttpRequest, use_case_id: int, group_id: int, intervention_id: int
) -> Status[None]:
    require_scope(request, "write")
    found = _intervention_in(request, use_case_id, group_id, intervention_id)
    services.remove_intervention(actor=request.user, intervention=found)
    return Status(204, None)


@router.post(
    "/use-cases/{int:use_case_id}/change-plan/groups/{int:group_id}/interventions",
    response={201: InterventionOut},
    summary="Plan an intervention for a stakeholder group",
)
def add_intervention(
    request: HttpRequest, use_case_id: int, group_id: int, payload: InterventionIn
) -> Status[Any]:
    require_scope(request, "write")
    group = _group_in(request, use_case_id, group_id)
    intervention = services.add_intervention(
        actor=request.user, group=group, **payload.model_dump()
    )
    return Status(201, _intervention(intervention))


@router.get(
    "/change-plans", response=list[ChangePlanOut], summary="Change plans across the portfolio"
)
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, stage: str = "", org_unit: int | None = None) -> Any:
    unit = None
    if org_unit is not None:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        if unit is None:
            raise Http404(f"no org unit {org_unit}")
    cases = scoped_use_cases(request.user, stage, unit)
    return _PlanPage(
        ChangePlan.objects.filter(use_case__in=cases)
        .select_related("use_case__org_unit", "champion")
        .order_by("use_case__title", "pk")
    )


class _PlanPage:
    """A queryset the paginator slices; each slice is turned into ChangePlanOut dicts in batch."""

    def __init__(self, plans: Any) -> None:
        self.plans = plans

    def count(self) -> int:
        return int(self.plans.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        contents = Prefetch(
            "groups",
            queryset=StakeholderGroup.objects.prefetch_related("interventions"),
        )
        plans = list(self.plans.prefetch_related(contents)[index])
        found = overviews([p.use_case for p in plans])
        return [plan_out(p, found[p.use_case_id]) for p in plans]
