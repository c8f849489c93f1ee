"""The maturity page (self-assessed beside evidence) and the self-assessment questionnaire.

Partners get 403 on both. The questionnaire re-renders with status 422 naming each
unanswered question; the service decides who may answer for which unit.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.ids import parse_id
from aiom.insights.maturity import report, services
from aiom.insights.maturity.model import Dimension, Question, current
from aiom.maturity.models import SelfAssessment
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit

HISTORY_PAGE = 10


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    chosen: str
    error: str


def _internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("maturity is for people inside the organisation")


def _unit(raw: str | None) -> OrgUnit | None:
    if not raw:
        return None
    unit_id = parse_id(raw)
    found = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if found is None:
        raise Http404("No such org unit.")
    return found


def _units() -> list[OrgUnit]:
    return list(OrgUnit.objects.only("id", "name", "path", "depth").order_by("path"))


def _labelled(units: list[OrgUnit]) -> list[tuple[OrgUnit, str]]:
    """Each unit with its name indented by depth, for a flat <select>."""
    return [(u, "\u2003" * u.depth + u.name) for u in units]


@login_required
def maturity_page(request: HttpRequest) -> HttpResponse:
    _internal(request)
    unit = _unit(request.GET.get("org_unit"))
    built = report.build(unit, user=request.user)
    label = built.level_label
    rows = [
        {
            "label": row.label,
            "self_score": row.self_score,
            "self_label": label(row.self_level),
            "evidence_score": row.evidence.score,
            "evidence_label": label(row.evidence.level),
            "higher_than_evidence": row.higher_than_evidence,
            "inputs": row.evidence.inputs,
            "missing": row.evidence.missing,
        }
        for row in built.rows
    ]
    recs = [
        {**vars(rec), "level_label": label(rec.level), "next_label": label(rec.next_level)}
        if rec.next_level
        else {**vars(rec), "level_label": label(rec.level), "next_label": ""}
        for rec in built.recommendations
    ]
    context = {
        "report": built,
        "units": _labelled(_units()),
        "unit": unit,
        "levels": built.model.levels,
        "rows": rows,
        "recommendations": recs,
        "radar": built.radar(),
        "self_label": label(built.latest.overall_level) if built.latest else "",
        "evidence_label": label(built.evidence.overall_level),
    }
    return render(request, "insights/maturity/page.html", context)


def _sections(
    answers: dict[str, Any], errors: dict[str, str]
) -> list[tuple[Dimension, list[QuestionRow]]]:
    return [
        (
            dim,
            [
                QuestionRow(q, str(answers.get(q.key, "")), errors.get(q.key, ""))
                for q in dim.questions
            ],
        )
        for dim in current().model.dimensions
    ]


def _form(
    request: HttpRequest,
    unit: OrgUnit | None,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    latest = services.latest(unit)
    if answers is None:
        answers = dict(latest.answers) if latest is not None else {}
    errors = errors or {}
    history = Paginator(
        SelfAssessment.objects.filter(org_unit=unit).select_related("assessed_by"), HISTORY_PAGE
    ).get_page(request.GET.get("page"))
    known = {q.key for _, q in current().model.questions()}
    context = {
        "unit": unit,
        "units": _labelled([u for u in _units() if services.can_self_assess(request.user, u)]),
        "may_org": services.can_self_assess(request.user, None),
        "sections": _sections(answers, errors),
        "errors": errors,
        "other_errors": {k: v for k, v in errors.items() if k not in known},
        "history": history,
        "latest": latest,
        "levels": {lv.key: lv.label for lv in current().model.levels},
    }
    return render(
        request, "insights/maturity/self_assessment.html", context, status=422 if errors else 200
    )


@login_required
def self_assessment(request: HttpRequest) -> HttpResponse:
    _internal(request)
    raw = request.POST.get("org_unit") if request.method == "POST" else request.GET.get("org_unit")
    unit = _unit(raw)
    if not services.can_self_assess(request.user, unit):
        raise PermissionDenied("only the unit's lead (or a lead above it) or an administrator")
    if request.method != "POST":
        return _form(request, unit)
    given = {q.key: request.POST.get(q.key, "") for _, q in current().model.questions()}
    try:
        row = services.self_assess(actor=request.user, org_unit=unit, answers=given)
    except InvalidInput as exc:
        return _form(request, unit, answers=given, errors=exc.errors)
    level = current().model.level(row.overall_level).label
    messages.success(request, f"Self-assessment saved: {level} ({row.overall_score}).")
    target = reverse("maturity:page")
    return redirect(f"{target}?org_unit={unit.pk}" if unit else target)
