"""Literacy pages: coverage per unit and role against the target, a person's records with
the record form, and the CSV upload for administrators.

Coverage is for internal users; a person's records show to themselves, administrators
and the leads of their unit (others get 404, as if the person had none to show).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.ids import parse_id
from aiom.literacy import services
from aiom.literacy.coverage import coverage, coverage_by_unit
from aiom.literacy.forms import RecordForm, UploadForm
from aiom.literacy.imports import import_training_csv
from aiom.literacy.models import TrainingRecord
from aiom.literacy.requirements import literacy_policy
from aiom.literacy.rules import Coverage, is_current
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit


def pct(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def bars(cov: Coverage) -> list[dict[str, Any]]:
    """The three headline shares as rows the bar template draws."""
    rows = [
        ("People with current training", cov.people_share, cov.trained, cov.people),
        ("Leaders with leader training", cov.leader_share, cov.trained_leaders, cov.leaders),
        (
            "Reviewers with reviewer training",
            cov.reviewer_share,
            cov.trained_reviewers,
            cov.reviewers,
        ),
    ]
    target = cov.target
    return [
        {
            "label": label,
            "pct": pct(s),
            "part": part,
            "whole": whole,
            "ok": s is None or s >= target,
        }
        for label, s, part, whole in rows
    ]


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_internal:
        raise PermissionDenied("literacy coverage is for internal users")
    unit = None
    if unit_id := parse_id(request.GET.get("org_unit", "")):
        unit = OrgUnit.objects.filter(pk=unit_id).first()
    today, policy = timezone.localdate(), literacy_policy()
    cov = coverage(org_unit=unit, today=today, policy=policy)
    units = [
        (u, c, pct(c.people_share), c.people_share is None or c.people_share >= c.target)
        for u, c in coverage_by_unit(today=today, policy=policy)
    ]
    context = {
        "section": "literacy",
        "unit": unit,
        "cov": cov,
        "target_pct": pct(cov.target),
        "bars": bars(cov),
        "roles": [(r, pct(r.share), (r.share or 0) >= cov.target) for r in cov.by_role if r.people],
        "units": units,
        "is_admin": access.is_admin,
    }
    return render(request, "literacy/coverage.html", context)


def _may_see(viewer: Any, person: User) -> bool:
    return viewer.pk == person.pk or services.may_record(viewer, person)


@login_required
def person_records(request: HttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None or not _may_see(request.user, person):
        raise Http404("No such person, or not one whose training you may see.")
    can_record = services.may_record(request.user, person)
    form = RecordForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("only an administrator or the unit lead records training")
        if form.is_valid():
            try:
                services.record_training(actor=request.user, person=person, **form.cleaned_data)
            except InvalidInput as exc:
                exc.add_to(form)
            else:
                messages.success(request, "Training recorded.")
                return redirect("literacy:person", user_id=person.pk)
    today = timezone.localdate()
    records = [(r, is_current(r, today)) for r in TrainingRecord.objects.filter(person=person)]
    context = {
        "section": "literacy",
        "person": person,
        "records": records,
        "form": form if can_record else None,
    }
    return render(request, "literacy/person.html", context, status=422 if form.errors else 200)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).is_admin:
        raise PermissionDenied("only an administrator imports training records")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            report = import_training_csv(actor=request.user, file=form.cleaned_data["file"])
        except InvalidInput as exc:
            problems = exc.errors
        else:
            messages.success(
                request,
                f"Imported {report.created} record(s) for {report.people} people"
                f" ({report.skipped} already stored).",
            )
            return redirect("literacy:coverage")
    status = 422 if problems or form.errors else 200
    context = {"section": "literacy", "form": form, "problems": problems}
    return render(request, "literacy/import.html", context, status=status)
