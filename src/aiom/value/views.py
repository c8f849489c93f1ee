"""The value panel on a use-case page and the forms it posts to.

`value_context` is merged into the use-case page's context (key `value`). Each form posts
here; success redirects to the use case, a refusal renders a small form page (422) with
the posted values and the service's messages.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle.gates import kpi_facts, pilot_facts
from aiom.lifecycle.models import PilotPlan
from aiom.lifecycle.success_measures import success_measures
from aiom.portfolio import panels, permissions
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from aiom.value import services
from aiom.value.charts import SPARK_H, SPARK_W, sparkline
from aiom.value.models import KPI, Adoption, Direction, Feedback, Measurement, PriorityScore
from aiom.value.policy import Prioritisation
from aiom.value.rules import can_score, may_record

FEEDBACK_SHOWN = 5
ADOPTION_SHOWN = 6


def value_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """What `value/_value.html` needs, under one key so it cannot clash with the page's."""
    kpis = list(
        KPI.objects.filter(use_case=use_case)
        .select_related("owner")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "id"))
        )
        .order_by("-is_active", "name")
    )
    rows = []
    for kpi in kpis:
        kpi.use_case = use_case  # avoid a query per KPI in may_record
        series = [(m.measured_on, m.value) for m in kpi.measurements.all()]
        rows.append(
            {
                "kpi": kpi,
                "latest": series[-1][1] if series else None,
                "count": len(series),
                "spark": sparkline(series, kpi.target),
                "can_record": kpi.is_active and may_record(request.user, kpi),
            }
        )
    feedback = Feedback.objects.filter(use_case=use_case)
    rules = active_policy().policy.optional_section(Prioritisation)
    plan = PilotPlan.objects.filter(use_case=use_case).first()
    plan_facts = pilot_facts(plan)
    measures = success_measures(  # what the gate check reads (success_measures.py)
        kpi_facts(k for k in kpis if k.is_active), plan_facts.criteria if plan_facts else ()
    )
    can_edit = permissions.can_edit(request.user, use_case)
    return {
        "value": {
            "kpis": rows,
            "measures": measures,
            "active_kpis": [r["kpi"] for r in rows if r["can_record"]],
            "can_edit": can_edit,
            "can_feedback": permissions.can_contribute(request.user, use_case),
            "feedback": list(feedback.select_related("given_by")[:FEEDBACK_SHOWN]),
            "rating": feedback.aggregate(avg=Avg("rating"), n=Count("id")),
            "adoption": list(
                Adoption.objects.filter(use_case=use_case).order_by("-period_start")[
                    :ADOPTION_SHOWN
                ]
            ),
            "priority": PriorityScore.objects.filter(use_case=use_case, is_current=True)
            .select_related("scored_by")
            .first(),
            "criteria": [
                {"c": c, "chosen": request.POST.get(f"c_{c.key}", "")}
                for c in (rules.criteria if rules else [])
            ],
            "scale": ["1", "2", "3", "4", "5"],
            "can_score": bool(rules)
            and use_case.stage in (rules.stages if rules else [])
            and can_score(request.user, use_case),
            "directions": Direction.choices,
            "today": timezone.localdate(),
            "spark_w": SPARK_W,
            "spark_h": SPARK_H,
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by ValueConfig.ready)."""
    panels.register("value", "value/_value.html", value_context, order=30)


def _refused(
    request: HttpRequest, uc: UseCase, form: str, errors: dict[str, str], **extra: Any
) -> HttpResponse:
    context = value_context(request, uc)
    context.update(uc=uc, form=form, errors=errors, data=request.POST, **extra)
    return render(request, "value/action.html", context, status=422)


def _date(text: str, field: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = "a date (YYYY-MM-DD) is needed"
        return None


def _int(text: str, field: str, errors: dict[str, str]) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        errors[field] = "a whole number is needed"
        return None


def _done(request: HttpRequest, uc: UseCase, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portfolio:detail", pk=uc.pk)


def _attempt(
    request: HttpRequest,
    uc: UseCase,
    form: str,
    errors: dict[str, str],
    action: Callable[[], str],
) -> HttpResponse:
    """Run the service call `action` unless parsing failed; back to the use case with its
    message, or the form again (422) with the parse or service errors."""
    if not errors:
        try:
            message = action()
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return _done(request, uc, message)
    return _refused(request, uc, form, errors)


@login_required
@require_POST
def add_kpi(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    post = request.POST
    errors: dict[str, str] = {}
    cadence = _int(post.get("cadence_days", "30") or "30", "cadence_days", errors)

    def action() -> str:
        kpi = services.define_kpi(
            actor=request.user,
            use_case=uc,
            name=post.get("name", ""),
            unit=post.get("unit", ""),
            direction=post.get("direction", "higher"),
            baseline=post.get("baseline", ""),
            target=post.get("target", ""),
            owner=post.get("owner", "") or None,
            cadence_days=cadence or 0,
        )
        return f"KPI “{kpi.name}” added."

    return _attempt(request, uc, "kpi", errors, action)


@login_required
@require_POST
def record_measurement(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    post = request.POST
    errors: dict[str, str] = {}
    kpi = KPI.objects.filter(use_case=uc, pk=_int(post.get("kpi", ""), "kpi", errors) or 0).first()
    day = _date(post.get("measured_on", ""), "measured_on", errors)
    if kpi is None:
        errors.setdefault("kpi", "choose one of this use case's KPIs")

    def action() -> str:
        assert kpi is not None  # parsing refused it otherwise
        services.record_measurement(
            actor=request.user,
            kpi=kpi,
            value=post.get("value", ""),
            measured_on=day,
            source=post.get("source", ""),
            note=post.get("note", ""),
        )
        return f"Measurement of “{kpi.name}” recorded."

    return _attempt(request, uc, "measurement", errors, action)


@login_required
@require_POST
def import_csv(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, uc, "import", {"file": "choose a CSV file to upload"})
    try:
        report = services.import_measurements_csv(actor=request.user, use_case=uc, file=upload)
    except InvalidInput as exc:
        return _refused(request, uc, "import", exc.errors)
    return _done(request, uc, f"Imported {report.created} measurements.")


@login_required
@require_POST
def record_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    post = request.POST
    errors: dict[str, str] = {}
    start = _date(post.get("period_start", ""), "period_start", errors)
    end = _date(post.get("period_end", ""), "period_end", errors)
    users = _int(post.get("active_users", ""), "active_users", errors)
    usage = _int(post.get("usage", ""), "usage", errors)

    def action() -> str:
        services.record_adoption(
            actor=request.user,
            use_case=uc,
            period_start=start,
            period_end=end,
            active_users=users,
            usage=usage,
            source=post.get("source", ""),
        )
        return "Adoption recorded."

    return _attempt(request, uc, "adoption", errors, action)


@login_required
@require_POST
def give_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    errors: dict[str, str] = {}
    rating = _int(request.POST.get("rating", ""), "rating", errors)

    def action() -> str:
        services.give_feedback(
            actor=request.user,
            use_case=uc,
            rating=rating,
            comment=request.POST.get("comment", ""),
        )
        return "Thank you for your feedback."

    return _attempt(request, uc, "feedback", errors, action)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    errors: dict[str, str] = {}
    rules = active_policy().policy.optional_section(Prioritisation)
    criteria: dict[str, int] = {}
    for c in rules.criteria if rules else []:
        number = _int(request.POST.get(f"c_{c.key}", ""), f"criteria.{c.key}", errors)
        if number is not None:
            criteria[c.key] = number

    def action() -> str:
        services.score_priority(
            actor=request.user,
            use_case=uc,
            criteria=criteria,
            rationale=request.POST.get("rationale", ""),
        )
        return "Priority scored."

    return _attempt(request, uc, "priority", errors, action)
