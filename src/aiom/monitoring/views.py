"""Incident pages: the filtered list, the report form, one incident with its actions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.core.ids import parse_id
from aiom.monitoring import queries, services
from aiom.monitoring.access import incident_for
from aiom.monitoring.forms import ActionForm, IncidentForm, StatusForm
from aiom.monitoring.models import IncidentStatus, Severity
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase

PAGE_SIZE = 50


@login_required
def incident_list(request: HtmxHttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("status", "severity", "org_unit")}
    found = queries.filtered(queries.incidents(request.user), **params)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        **params,
        "statuses": IncidentStatus.choices,
        "severities": Severity.choices,
        "units": OrgUnit.objects.order_by("path"),
        "can_report": access_for(request.user).is_internal,
    }
    if request.htmx:
        return render(request, "monitoring/incidents.html#results", context)
    return render(request, "monitoring/incidents.html", context)


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("only internal people report incidents")
    use_cases = UseCase.objects.visible_to(request.user)
    initial = {"use_case": parse_id(request.GET.get("use_case"))}
    form = IncidentForm(request.POST or None, use_cases=use_cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(
                actor=request.user, use_case=form.cleaned_data["use_case"], **form.service_fields()
            )
        except InvalidInput as exc:
            exc.add_to(form)
        else:
            messages.success(request, f"Incident “{incident.title}” reported.")
            return redirect("monitoring:incident", pk=incident.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "monitoring/incident_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    access = incident_for(request, pk)
    incident = access.incident
    context = {
        "incident": incident,
        "can_handle": access.may_handle,
        "can_confirm": access.may_confirm_severity,
        "severities": Severity.choices,
        "status_form": forms.get("status_form") or StatusForm(initial={"status": incident.status}),
        "action_form": forms.get("action_form") or ActionForm(),
        "user_id": request.user.pk,
    }
    return render(request, "monitoring/incident.html", context, status=status)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@require_POST
def incident_status(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for(request, pk).incident
    form = StatusForm(request.POST)
    if form.is_valid():
        lessons = form.cleaned_data["lessons_learned"] or None
        try:
            services.change_status(
                actor=request.user,
                incident=incident,
                status=form.cleaned_data["status"],
                lessons_learned=lessons,
            )
        except InvalidInput as exc:
            exc.add_to(form)
        else:
            messages.success(request, f"Incident is now {form.cleaned_data['status']}.")
            return redirect("monitoring:incident", pk=pk)
    return _detail(request, pk, 422, status_form=form)


@login_required
@require_POST
def incident_confirm_severity(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner or a reviewer confirms the severity (or confirms a corrected one)."""
    incident = incident_for(request, pk).incident
    severity = request.POST.get("severity", "").strip() or None
    try:
        confirmed = services.confirm_severity(
            actor=request.user, incident=incident, severity=severity
        )
    except InvalidInput as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, f"Severity confirmed as {confirmed.severity}.")
    return redirect("monitoring:incident", pk=pk)


@login_required
@require_POST
def incident_add_action(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for(request, pk).incident
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_action(actor=request.user, incident=incident, **form.cleaned_data)
        except InvalidInput as exc:
            exc.add_to(form)
        else:
            messages.success(request, "Corrective action added.")
            return redirect("monitoring:incident", pk=pk)
    return _detail(request, pk, 422, action_form=form)


@login_required
@require_POST
def incident_action_done(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    incident = incident_for(request, pk).incident
    action = next((a for a in incident.actions.all() if a.pk == action_id), None)
    if action is None:
        raise Http404(f"incident {pk} has no action {action_id}")
    try:
        done = request.POST.get("done", "1") == "1"
        services.complete_action(actor=request.user, action=action, done=done)
    except InvalidInput as exc:
        messages.error(request, exc.sentence)
    return redirect("monitoring:incident", pk=pk)
