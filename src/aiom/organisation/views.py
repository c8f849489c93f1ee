"""Org unit and people pages. External partners are not shown the organisation.

The use cases these pages list come from portfolio's template tags (`{% load portfolio %}`):
organisation sits below portfolio and imports nothing from it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aiom.core.errors import PermissionDenied
from aiom.organisation.access import access_for
from aiom.organisation.api import people_queryset
from aiom.organisation.models import OrgUnit, Role

User = get_user_model()


def require_internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("external partners cannot browse the organisation")


@login_required
def org_unit_list(request: HttpRequest) -> HttpResponse:
    require_internal(request)
    units = list(OrgUnit.objects.select_related("lead").order_by("path"))
    return render(request, "organisation/org_units.html", {"units": units})


@login_required
def org_unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_internal(request)
    unit = OrgUnit.objects.select_related("lead", "parent").filter(pk=pk).first()
    if unit is None:
        raise Http404("No such org unit.")
    return render(
        request,
        "organisation/org_unit_detail.html",
        {
            "unit": unit,
            "ancestors": OrgUnit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("path"),
            "children": unit.children.select_related("lead").order_by("name"),
            "members": people_queryset().filter(person__org_unit=unit),
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
    return render(
        request,
        "organisation/person_detail.html",
        {
            "person": person,
            "led_units": OrgUnit.objects.filter(lead=person),
        },
    )
