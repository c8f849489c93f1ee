"""/api/v1/org-units and /api/v1/people. External partners see neither."""

from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from aiom.core.api_support import require_scope
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.organisation import people_search, services
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit, RoleAssignment
from aiom.organisation.schemas import (
    OrgUnitCreate,
    OrgUnitOut,
    OrgUnitPatch,
    PersonCreate,
    PersonMatch,
    PersonOut,
    PersonPatch,
    RoleGrant,
    RoleOut,
)

User = get_user_model()

org_units = Router(tags=["org units"])
people = Router(tags=["people"])


def require_internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("external partners cannot list the organisation")


def referenced[M: Model](model: type[M], pk: int | None, field: str) -> M | None:
    """The row an input field points at, or a 422 naming the field."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise InvalidInput({field: f"no {model._meta.verbose_name} with id {pk}"})
    return found


def resolve_refs(changes: dict[str, Any], refs: dict[str, type[Model]]) -> dict[str, Any]:
    return {
        key: referenced(refs[key], value, key) if key in refs else value
        for key, value in changes.items()
    }


ORG_UNIT_REFS: dict[str, type[Model]] = {"parent": OrgUnit, "lead": User}
PERSON_REFS: dict[str, type[Model]] = {"org_unit": OrgUnit}


@org_units.get("", response=list[OrgUnitOut], summary="List org units (tree order)")
@paginate(LimitOffsetPagination)
def list_org_units(request: HttpRequest, q: str | None = None, parent: int | None = None) -> Any:
    require_internal(request)
    units = OrgUnit.objects.select_related("parent", "lead").order_by("path")
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if parent is not None:
        units = units.filter(parent_id=parent)
    return units


@org_units.get("/{int:unit_id}", response=OrgUnitOut, summary="Get one org unit")
def get_org_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    require_internal(request)
    unit = OrgUnit.objects.select_related("parent", "lead").filter(pk=unit_id).first()
    if unit is None:
        raise Http404(f"no org unit {unit_id}")
    return unit


@org_units.post("", response={201: OrgUnitOut}, summary="Add an org unit (administrators)")
def create_org_unit(request: HttpRequest, payload: OrgUnitCreate) -> Status[OrgUnit]:
    require_scope(request, "write")
    fields = resolve_refs(payload.model_dump(), ORG_UNIT_REFS)
    return Status(201, services.create_org_unit(actor=request.user, **fields))


@org_units.patch("/{int:unit_id}", response=OrgUnitOut, summary="Change an org unit")
def update_org_unit(request: HttpRequest, unit_id: int, payload: OrgUnitPatch) -> OrgUnit:
    require_scope(request, "write")
    unit = get_org_unit(request, unit_id)
    changes = resolve_refs(payload.model_dump(exclude_unset=True), ORG_UNIT_REFS)
    services.update_org_unit(actor=request.user, unit=unit, **changes)
    return get_org_unit(request, unit_id)


def people_queryset() -> QuerySet[Any]:
    roles = RoleAssignment.objects.select_related("org_unit")
    return (
        User.objects.select_related("person__org_unit")
        .prefetch_related(Prefetch("role_assignments", queryset=roles))
        .order_by("last_name", "first_name", "username")
    )


@people.get("", response=list[PersonOut], summary="List people and their roles")
@paginate(LimitOffsetPagination)
def list_people(
    request: HttpRequest,
    q: str | None = None,
    org_unit: int | None = None,
    role: str | None = None,
) -> Any:
    require_internal(request)
    found = people_queryset()
    if q:
        found = found.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    if org_unit is not None:
        found = found.filter(person__org_unit_id=org_unit)
    if role:
        found = found.filter(role_assignments__role=role).distinct()
    return found


@people.get(
    "/search",
    response=list[PersonMatch],
    url_name="people_search",
    summary="Find people to pick: a person picker's suggestions",
)
def search_people(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=people_search.MAX_QUERY)] = "",
    limit: Annotated[int, Field(ge=1, le=people_search.MAX_RESULTS)] = 10,
    pool: Annotated[str, Field(max_length=40)] = "internal",
) -> Any:
    """Up to `limit` people of the pool (`internal`, or `role:<role>`) matching every word
    of `q` (2 characters at least); internal people only, and a bounded rate per person."""
    require_internal(request)
    if not people_search.allow(int(request.user.pk or 0)):
        raise HttpError(429, "too many searches: wait a few seconds")
    try:
        found = people_search.pool(pool)
    except people_search.UnknownPoolError:
        raise InvalidInput({"pool": "unknown pool: internal, or role:<role>"}) from None
    return people_search.search(found, q, limit)


@people.get("/{int:user_id}", response=PersonOut, summary="Get one person")
def get_person(request: HttpRequest, user_id: int) -> Any:
    require_internal(request)
    person = people_queryset().filter(pk=user_id).first()
    if person is None:
        raise Http404(f"no person {user_id}")
    return person


@people.post("", response={201: PersonOut}, summary="Add a person (administrators)")
def create_person(request: HttpRequest, payload: PersonCreate) -> Status[Any]:
    require_scope(request, "write")
    fields = resolve_refs(payload.model_dump(), PERSON_REFS)
    user = services.create_person(actor=request.user, **fields)
    return Status(201, get_person(request, user.pk))


@people.patch("/{int:user_id}", response=PersonOut, summary="Change a person")
def update_person(request: HttpRequest, user_id: int, payload: PersonPatch) -> Any:
    require_scope(request, "write")
    user = get_person(request, user_id)
    changes = resolve_refs(payload.model_dump(exclude_unset=True), PERSON_REFS)
    services.update_person(actor=request.user, user=user, **changes)
    return get_person(request, user_id)


@people.post("/{int:user_id}/roles", response={201: RoleOut}, summary="Grant a role")
def grant_role(request: HttpRequest, user_id: int, payload: RoleGrant) -> Status[Any]:
    require_scope(request, "write")
    user = get_person(request, user_id)
    unit = referenced(OrgUnit, payload.org_unit, "org_unit")
    return Status(
        201, services.assign_role(actor=request.user, user=user, role=payload.role, org_unit=unit)
    )


@people.delete("/{int:user_id}/roles/{int:role_id}", response={204: None}, summary="Revoke a role")
def revoke_role(request: HttpRequest, user_id: int, role_id: int) -> Status[None]:
    require_scope(request, "write")
    assignment = RoleAssignment.objects.filter(pk=role_id, user_id=user_id).first()
    if assignment is None:
        raise Http404(f"no role assignment {role_id} for person {user_id}")
    services.revoke_role(actor=request.user, assignment=assignment)
    return Status(204, None)
