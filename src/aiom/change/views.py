"""The change-plan panel on the use-case page and the writes it posts.

`panel_context(request, use_case)` is registered with `portfolio.panels`; every write
answers the panel again to htmx (422 with the reasons on a refusal) and redirects to the
use-case page otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from aiom.change import services
from aiom.change.forms import GroupForm, InterventionForm, PlanForm
from aiom.change.models import ChangePlan, Intervention, InterventionStatus, StakeholderGroup
from aiom.change.overview import overviews, plan_with_contents
from aiom.core.errors import InvalidInput, StaleVersion
from aiom.core.htmx import HtmxHttpRequest
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

PANEL = "change/_panel.html"


def panel_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """What `change/_panel.html` needs, under one key: `change`."""
    plan = plan_with_contents(use_case)
    can_edit = services.may_edit(request.user, use_case) and request.user.is_authenticated
    groups = list(plan.groups.all()) if plan else []
    context: dict[str, Any] = {
        "use_case": use_case,
        "plan": plan,
        # (group, its edit form, its new-intervention form); forms only for editors
        "rows": [
            (g, GroupForm.for_group(g), InterventionForm(prefix=f"iv-{g.pk}"))
            if can_edit
            else (g, None, None)
            for g in groups
        ],
        "overview": overviews([use_case])[use_case.pk],
        "can_edit": can_edit,
    }
    if can_edit:
        context.update(plan_form=PlanForm.for_plan(plan), group_form=GroupForm(prefix="newgroup"))
    return {"change": context}


def register_panel() -> None:
    """Show this panel on the use-case page (called by ChangeConfig.ready)."""
    panels.register("change", "change/_panel.html", panel_context, order=50)


def _answer(
    request: HtmxHttpRequest,
    uc: UseCase,
    *,
    error: str = "",
    done: str = "",
    **forms_: Any,
) -> HttpResponse:
    """htmx gets the panel again (422 with the reason on a refusal); others a redirect."""
    return panels.answer(request, uc, "change", error=error, done=done, **forms_)


def _problems(exc: InvalidInput | StaleVersion) -> str:
    if isinstance(exc, InvalidInput):
        return " ".join(f"{field.replace('_', ' ')}: {msg}." for field, msg in exc.errors.items())
    changed = ", ".join(sorted(exc.changed)) or "some fields"
    return (
        f"Someone else saved this plan while you were editing (now version {exc.current}; "
        f"changed: {changed}). Reload to see their changes, then edit again."
    )


def _form_problems(form: forms.Form) -> str:
    return " ".join(
        f"{field.replace('_', ' ')}: {' '.join(map(str, errs))}"
        for field, errs in form.errors.items()
    )


def _submit(
    request: HtmxHttpRequest,
    uc: UseCase,
    form: forms.Form,
    save: Callable[[dict[str, Any]], str],
    *,
    keep: str = "",
) -> HttpResponse:
    """Validate `form` and `save` its data (which returns the done message); a refusal
    answers the panel with the reasons, and `form` again under the context name `keep`."""
    again: dict[str, Any] = {keep: form} if keep else {}
    if not form.is_valid():
        return _answer(request, uc, error=_form_problems(form), **again)
    try:
        done = save(form.cleaned_data)
    except (InvalidInput, StaleVersion) as exc:
        return _answer(request, uc, error=_problems(exc), **again)
    return _answer(request, uc, done=done)


def _plan_of(request: HttpRequest, pk: int) -> tuple[UseCase, ChangePlan]:
    uc = use_case_for(request, pk).use_case
    plan = ChangePlan.objects.filter(use_case=uc).first()
    if plan is None:
        raise Http404("This use case has no change plan yet.")
    return uc, plan


def _group_of(request: HttpRequest, group_id: int) -> tuple[UseCase, StakeholderGroup]:
    group = StakeholderGroup.objects.select_related("plan").filter(pk=group_id).first()
    if group is None:
        raise Http404("No such stakeholder group.")
    return use_case_for(request, group.plan.use_case_id).use_case, group


def _intervention_of(request: HttpRequest, pk: int) -> tuple[UseCase, Intervention]:
    found = Intervention.objects.select_related("group__plan").filter(pk=pk).first()
    if found is None:
        raise Http404("No such intervention.")
    return use_case_for(request, found.group.plan.use_case_id).use_case, found


@login_required
@require_POST
def save_plan(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Create the plan, or change its summary, champion, go-live date and status."""
    uc = use_case_for(request, pk).use_case
    form = PlanForm(request.POST, prefix="plan")

    def save(data: dict[str, Any]) -> str:
        services.save_plan(
            actor=request.user,
            use_case=uc,
            expected_version=data.get("version"),
            **form.service_fields(),
        )
        return "Change plan saved."

    return _submit(request, uc, form, save, keep="plan_form")


@login_required
@require_POST
def add_group(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc, plan = _plan_of(request, pk)

    def save(data: dict[str, Any]) -> str:
        return f"Added “{services.add_group(actor=request.user, plan=plan, **data).name}”."

    form = GroupForm(request.POST, prefix="newgroup")
    return _submit(request, uc, form, save, keep="group_form")


@login_required
@require_POST
def edit_group(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    uc, group = _group_of(request, group_id)

    def save(data: dict[str, Any]) -> str:
        services.update_group(actor=request.user, group=group, **data)
        return f"Saved “{data['name']}”."

    return _submit(request, uc, GroupForm(request.POST, prefix=f"group-{group.pk}"), save)


@login_required
@require_POST
def remove_group(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    uc, group = _group_of(request, group_id)
    services.remove_group(actor=request.user, group=group)
    return _answer(request, uc, done=f"Removed “{group.name}”.")


@login_required
@require_POST
def add_intervention(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    uc, group = _group_of(request, group_id)

    def save(data: dict[str, Any]) -> str:
        services.add_intervention(actor=request.user, group=group, **data)
        return f"Intervention added for “{group.name}”."

    return _submit(request, uc, InterventionForm(request.POST, prefix=f"iv-{group.pk}"), save)


@login_required
@require_POST
def intervention_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark an intervention done (or planned again)."""
    uc, found = _intervention_of(request, pk)
    status = request.POST.get("status", InterventionStatus.DONE)
    try:
        services.update_intervention(actor=request.user, intervention=found, status=status)
    except InvalidInput as exc:
        return _answer(request, uc, error=_problems(exc))
    return _answer(request, uc, done="Intervention updated.")


@login_required
@require_POST
def remove_intervention(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc, found = _intervention_of(request, pk)
    services.remove_intervention(actor=request.user, intervention=found)
    return _answer(request, uc, done="Intervention removed.")


@login_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel alone (htmx refresh, and for tests)."""
    uc = use_case_for(request, pk).use_case
    return render(request, PANEL, panel_context(request, uc))
