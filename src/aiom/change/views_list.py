"""The portfolio's change plans: readiness and adoption against target, filterable."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from aiom.change.models import ChangePlan
from aiom.change.overview import current_rules, overviews
from aiom.core.htmx import HtmxHttpRequest
from aiom.core.ids import parse_id
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import stage_keys, stages

PAGE_SIZE = 50
MISSING_SHOWN = 50


def scoped_use_cases(user: Any, stage: str, unit: OrgUnit | None) -> Any:
    """The use cases `user` may see, narrowed to a stage and an org unit's subtree."""
    found = UseCase.objects.visible_to(user)
    if stage:
        found = found.filter(stage=stage)
    if unit is not None:
        found = found.filter(org_unit__path__startswith=unit.path)
    return found


@login_required
def plan_list(request: HtmxHttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    stage = stage if stage in stage_keys() else ""
    unit_id = request.GET.get("org_unit", "")
    unit_pk = parse_id(unit_id)
    unit = OrgUnit.objects.filter(pk=unit_pk).first() if unit_pk else None
    cases = scoped_use_cases(request.user, stage, unit)
    plans = (
        ChangePlan.objects.filter(use_case__in=cases)
        .select_related("use_case__org_unit", "champion")
        .order_by("use_case__title", "pk")
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    rules = current_rules()
    found = overviews([p.use_case for p in page.object_list], rules=rules)
    rows = [(p, found[p.use_case_id]) for p in page.object_list]
    missing = []
    if rules.required_for_stages:
        missing = list(
            cases.filter(stage__in=rules.required_for_stages, change_plan__isnull=True)
            .select_related("org_unit")
            .order_by("title")[:MISSING_SHOWN]
        )
    context: dict[str, Any] = {
        "page": page,
        "rows": rows,
        "missing": missing,
        "rules": rules,
        "stage": stage,
        "unit": unit,
    }
    if request.htmx:
        return render(request, "change/list.html#results", context)
    context.update(stages=stages(), org_units=OrgUnit.objects.order_by("path"))
    return render(request, "change/list.html", context)
