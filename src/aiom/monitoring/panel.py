"""The use-case page's monitoring panel: its incidents and its monitoring plan.

`panel_context(request, use_case)` is registered with `portfolio.panels` (key
`monitoring`); the plan, check and review forms post here and answer the partial
`monitoring/_panel.html` to htmx (422 with the reason on a refusal), a redirect otherwise.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput
from aiom.core.htmx import HtmxHttpRequest
from aiom.monitoring import permissions, queries, services
from aiom.monitoring.forms import CheckForm, PlanForm, ReviewForm
from aiom.monitoring.models import Incident, MonitoringPlan
from aiom.monitoring.policy import MonitoringRules
from aiom.notifications.findings import policy_in_force
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

RECENT = 5


def panel_context(request: Any, use_case: UseCase) -> dict[str, Any]:
    """What `monitoring/_panel.html` needs, under one key: `monitoring`."""
    plan = queries.plan_of(use_case)
    incidents = list(Incident.objects.filter(use_case=use_case).order_by("-occurred_at")[:RECENT])
    can_handle = permissions.can_handle(request.user, use_case)
    policy = policy_in_force()[1].section(MonitoringRules)
    initial = {
        "review_every_days": plan.review_every_days if plan else policy.default_review_days,
        "reviewer": plan.reviewer_id if plan else None,
        "notes": plan.notes if plan else "",
    }
    return {
        "monitoring": {
            "use_case": use_case,
            "plan": plan,
            "required": use_case.stage in policy.monitoring_required_for_stages,
            "incidents": incidents,
            "open_incidents": sum(i.status != "closed" for i in incidents),
            "can_report": permissions.can_report(request.user, use_case),
            "can_handle": can_handle,
            "can_review": plan is not None and permissions.can_review(request.user, plan),
            "plan_form": PlanForm(initial=initial) if can_handle else None,
            "check_form": CheckForm(use_case=use_case) if can_handle and plan else None,
            "review_form": ReviewForm(),
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by MonitoringConfig.ready)."""
    panels.register("monitoring", "monitoring/_panel.html", panel_context, order=60)


def _answer(
    request: HtmxHttpRequest, uc: UseCase, *, error: str = "", done: str = ""
) -> HttpResponse:
    return panels.answer(request, uc, "monitoring", error=error, done=done)


def _errors(form: Any) -> str:
    return " ".join(f"{f}: {' '.join(m)}" for f, m in form.errors.items())


@login_required
@require_POST
def save_plan(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _answer(request, uc, error=_errors(form))
    try:
        services.save_plan(actor=request.user, use_case=uc, **form.cleaned_data)
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    return _answer(request, uc, done="Monitoring plan saved.")


def _plan(uc: UseCase) -> MonitoringPlan:
    plan = MonitoringPlan.objects.filter(use_case=uc).first()
    if plan is None:
        raise Http404("this use case has no monitoring plan yet")
    return plan


@login_required
@require_POST
def add_check(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    plan = _plan(uc)
    form = CheckForm(request.POST, use_case=uc)
    if not form.is_valid():
        return _answer(request, uc, error=_errors(form))
    try:
        services.add_check(actor=request.user, plan=plan, **form.cleaned_data)
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    return _answer(request, uc, done="Check added.")


@login_required
@require_POST
def record_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    plan = _plan(uc)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _answer(request, uc, error=_errors(form))
    try:
        services.record_review(actor=request.user, plan=plan, **form.cleaned_data)
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    return _answer(request, uc, done="Review recorded.")
