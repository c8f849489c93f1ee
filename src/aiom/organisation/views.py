"""Org unit and people pages. External partners are not shown the organisation."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aiom.core.errors import PermissionDenied
from aiom.organisation.access import access_for
from aiom.organisation.api import people_queryset
from aiom.organisation.models import OrgUnit, Role
from aiom.portfolio.models import UseCase

User = get_user_model()


def require_internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("external partners cannot browse the organisation")


def visible_counts(user: Any) -> dict[int, int]:
    """Use cases per org unit, counting only those this user may see."""
    rows = (
        UseCase.objects.visible_to(user).order_by().values_list("org_unit").annotate(n=Count("id"))
    )
    return dict(rows)


@login_required
def org_unit_list(request: HttpRequest) -> HttpResponse:
    require_internal(request)
    counts = visible_counts(request.user)
    units = list(OrgUnit.objects.select_related("lead").order_by("path"))
    for unit in units:
        unit.visible_use_cases = counts.get(unit.pk, 0)  # type: ignore[attr-defined]
        unit.subtree_use_cases = sum(  # type: ignore[attr-defined]
            counts.get(other.pk, 0) for other in units if other.path.startswith(unit.path)
        )
    return render(request, "organisation/org_units.html", {"units": units})


@login_required
def org_unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_internal(request)
    unit = OrgUnit.objects.select_related("lead", "parent").filter(pk=pk).first()
    if unit is None:
        raise Http404("No such org unit.")
    use_cases = (
        UseCase.objects.visible_to(request.user)
        .with_relations()
        .filter(org_unit__path__startswith=unit.path)
        .order_by("stage", "title")
    )
    return render(
        request,
        "organisation/org_unit_detail.html",
        {
            "unit": unit,
            "ancestors": OrgUnit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("path"),
            "children": unit.children.select_related("lead").order_by("name"),
            "members": people_queryset().filter(person__org_unit=unit),
            "use_cases": use_cases[:200],
            "use_case_count": use_cases.count(),
        },
    )


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    require_internal(request)
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    found = people_queryset()
    if q:
        found = found.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(person__job_title__icontains=q)
        )
    if role in Role.values:
        found = found.filter(role_assignments__role=role).distinct()
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/people.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_internal(request)
    person = people_queryset().filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    visible = UseCase.objects.visible_to(request.user).with_relations()
    return render(
        request,
        "organisation/person_detail.html",
        {
            "person": person,
            "owned": visible.filter(owner=person).order_by("stage", "title"),
            "sponsored": visible.filter(sponsor=person).order_by("stage", "title"),
            "led_units": OrgUnit.objects.filter(lead=person),
        },
    )
