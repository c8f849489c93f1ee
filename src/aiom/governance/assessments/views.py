"""The risk questionnaire page and the tier override, for one use case.

Both re-render the questionnaire page with status 422 when the service refuses the input;
permission failures are the service's PermissionDenied, which Django answers with 403.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.assessments import services as assessments
from aiom.governance.assessments import tier_confirmation
from aiom.governance.policy.schema import TIERS, Question
from aiom.governance.policy.versions import active_policy
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    chosen: frozenset[str]
    error: str


def _given(request: HttpRequest) -> dict[str, str | list[str]]:
    policy = active_policy().policy
    given: dict[str, str | list[str]] = {}
    for q in policy.questionnaire:
        if q.type == "multiple":
            given[q.key] = request.POST.getlist(q.key)
        elif request.POST.get(q.key):
            given[q.key] = request.POST[q.key]
    return given


def _page(
    request: HttpRequest,
    uc: UseCase,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    override_errors: dict[str, str] | None = None,
    lowering_errors: dict[str, str] | None = None,
) -> HttpResponse:
    active = active_policy()
    current = assessments.current_assessment(uc)
    if answers is None:
        answers = dict(current.answers) if current is not None else {}
    errors = errors or {}
    sections: dict[str, list[QuestionRow]] = {}
    for q in active.policy.questionnaire:
        value = answers.get(q.key)
        chosen = frozenset(value if isinstance(value, list) else [value] if value else [])
        row = QuestionRow(q, frozenset(map(str, chosen)), errors.get(q.key, ""))
        sections.setdefault(q.section, []).append(row)
    context = {
        "uc": uc,
        "sections": sections.items(),
        "assessment": current,
        "errors": errors,
        "other_errors": {k: v for k, v in errors.items() if active.policy.question(k) is None},
        "policy_version": active.version,
        "can_override": current is not None
        and not (current.prohibited or current.stale)
        and assessments.can_override(request.user, uc, active.policy),
        "override_errors": override_errors or {},
        "lowering_errors": lowering_errors or {},
        "lowering_refusal": None
        if current is None or not current.lowered_to
        else tier_confirmation.why_not_confirm(request.user, current, uc, active.policy),
        "override_values": request.POST if override_errors else {},
        "tiers": TIERS,
    }
    status = 422 if errors or override_errors or lowering_errors else 200
    return render(request, "governance/assessment_form.html", context, status=status)


@login_required
def assessment_form(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    if not assessments.can_assess(request.user, uc):
        raise PermissionDenied("you may not assess this use case's risk")
    if request.method != "POST":
        return _page(request, uc)
    given = _given(request)
    try:
        row = assessments.assess(
            actor=request.user,
            use_case=uc,
            answers=given,
            update_facts=request.POST.get("update_facts") == "1",
        )
    except InvalidInput as exc:
        return _page(request, uc, answers=given, errors=exc.errors)
    if row.lowered_to:
        messages.success(
            request,
            f"Risk assessed: {row.lowered_to} tier proposed; {row.tier} governs until a second "
            "reviewer confirms it.",
        )
        return redirect("portfolio:detail", pk=uc.pk)
    messages.success(request, f"Risk assessed: {row.tier} tier.")
    return redirect("portfolio:detail", pk=uc.pk)


@login_required
@require_POST
def override_tier(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    current = assessments.current_assessment(uc)
    if current is None:
        raise Http404("This use case has not been assessed.")
    try:
        row = assessments.override_tier(
            actor=request.user,
            assessment=current,
            tier=request.POST.get("tier", ""),
            justification=request.POST.get("justification", ""),
        )
    except InvalidInput as exc:
        return _page(request, uc, override_errors=exc.errors)
    if row.lowered_to:
        messages.success(
            request, f"Override to {row.lowered_to} proposed: a second reviewer must confirm it."
        )
    else:
        messages.success(
            request, f"Tier overridden: now {row.tier} (computed {row.computed_tier})."
        )
    return redirect("portfolio:detail", pk=uc.pk)


@login_required
@require_POST
def confirm_lowering(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    try:
        row = tier_confirmation.confirm_lowering(actor=request.user, use_case=uc)
    except InvalidInput as exc:
        return _page(request, uc, lowering_errors=exc.errors)
    messages.success(request, f"Lower tier confirmed: now {row.tier}.")
    return redirect("portfolio:detail", pk=uc.pk)


@login_required
@require_POST
def reject_lowering(request: HttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    try:
        row = tier_confirmation.reject_lowering(
            actor=request.user, use_case=uc, reason=request.POST.get("reason", "")
        )
    except InvalidInput as exc:
        return _page(request, uc, lowering_errors=exc.errors)
    messages.success(request, f"The {row.tier} tier stays.")
    return redirect("portfolio:detail", pk=uc.pk)
