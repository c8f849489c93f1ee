"""Lifecycle actions from the use-case page: move, ask for review, plan and extend pilots.

A refused move re-renders the use-case page (409) with every reason the policy gave.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aiom.core.errors import GateBlocked, InvalidInput
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import overrides, services
from aiom.lifecycle.models import PilotPlan
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for

CRITERIA_ROWS = 5


def _refused(request: HttpRequest, pk: int, title: str, reasons: list[str]) -> HttpResponse:
    context = panels.page_context(request, use_case_for(request, pk).use_case)
    context["refusal"] = {"title": title, "reasons": reasons}
    return render(request, panels.PAGE, context, status=409)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    to_stage = request.POST.get("to_stage", "")
    try:
        services.transition(
            actor=request.user,
            use_case=uc,
            to_stage=to_stage,
            reason=request.POST.get("reason", ""),
        )
    except GateBlocked as exc:
        return _refused(request, pk, f"Cannot move to {to_stage.replace('_', ' ')}", exc.reasons)
    messages.success(request, f"Moved to {to_stage.replace('_', ' ')}.")
    return redirect("portfolio:detail", pk=pk)


@login_required
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    to_stage = request.POST.get("to_stage", "")
    try:
        review = reviews.request_review(actor=request.user, use_case=uc, to_stage=to_stage)
    except GateBlocked as exc:
        return _refused(request, pk, "Cannot ask for a review yet", exc.reasons)
    except InvalidInput as exc:
        return _refused(request, pk, "Cannot ask for a review", list(exc.errors.values()))
    messages.success(request, f"Review requested; due {review.due_on:%d %b %Y}.")
    return redirect("portfolio:detail", pk=pk)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    try:
        overrides.override_gate(
            actor=request.user,
            use_case=uc,
            to_stage=request.POST.get("to_stage", ""),
            check=request.POST.get("check", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        return _refused(request, pk, "Cannot record the override", list(exc.errors.values()))
    messages.success(request, "Override recorded; the review and the decisions register show it.")
    return redirect("portfolio:detail", pk=pk)


def _criteria_from(post: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(CRITERIA_ROWS):
        metric = post.get(f"metric_{i}", "").strip()
        if not metric:
            continue
        rows.append(
            {
                "metric": metric,
                "baseline": post.get(f"baseline_{i}", "").strip() or None,
                "target": post.get(f"target_{i}", "").strip(),
                "unit": post.get(f"unit_{i}", ""),
                "direction": post.get(f"direction_{i}", "higher"),
            }
        )
    return rows


@login_required
def pilot_plan(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    plan = PilotPlan.objects.filter(use_case=uc).first()
    errors: dict[str, str] = {}
    rows = list(plan.exit_criteria) if plan else []
    ends_on = plan.ends_on.isoformat() if plan else ""
    if request.method == "POST":
        rows, ends_on = _criteria_from(request.POST), request.POST.get("ends_on", "")
        try:
            end = dt.date.fromisoformat(ends_on)
        except ValueError:
            errors["ends_on"] = "a date (YYYY-MM-DD) is needed"
        if not errors:
            try:
                services.plan_pilot(
                    actor=request.user, use_case=uc, exit_criteria=rows, ends_on=end
                )
            except InvalidInput as exc:
                errors = exc.errors
            else:
                messages.success(request, "Pilot plan saved.")
                return redirect("portfolio:detail", pk=pk)
    padded = rows + [{}] * (CRITERIA_ROWS - len(rows))
    return render(
        request,
        "lifecycle/pilot_plan.html",
        {
            "uc": uc,
            "rows": padded[:CRITERIA_ROWS],
            "ends_on": ends_on,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def extend_pilot(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    try:
        end = dt.date.fromisoformat(request.POST.get("ends_on", ""))
        services.extend_pilot(
            actor=request.user, use_case=uc, ends_on=end, reason=request.POST.get("reason", "")
        )
    except ValueError:
        return _refused(request, pk, "Cannot extend the pilot", ["A new end date is needed."])
    except InvalidInput as exc:
        return _refused(request, pk, "Cannot extend the pilot", list(exc.errors.values()))
    messages.success(request, "Pilot extended.")
    return redirect("portfolio:detail", pk=pk)
