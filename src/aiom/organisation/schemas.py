"""JSON shapes of org units and people, and the references every app's API answers with
(`Ref` to a named object, `PersonRef` to a person)."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.organisation.models import Role


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    username: str
    name: str


def person_ref(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or user.username}


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


class OrgUnitOut(Schema):
    id: int
    name: str
    code: str
    description: str
    parent: Ref | None
    lead: PersonRef | None
    depth: int

    @staticmethod
    def resolve_parent(obj: Any) -> dict[str, Any] | None:
        return ref(obj.parent)

    @staticmethod
    def resolve_lead(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.lead)


class OrgUnitCreate(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=120)
    code: str = Field("", max_length=40)
    parent: int | None = None
    lead: int | None = None
    description: str = Field("", max_length=2_000)


class OrgUnitPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    parent: int | None = None
    lead: int | None = None
    description: str | None = Field(None, max_length=2_000)


class RoleOut(Schema):
    id: int
    role: Role
    org_unit: Ref | None

    @staticmethod
    def resolve_org_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.org_unit)


def person_name(user: Any) -> str:
    """A person's full name, else their username (every schema that names a person)."""
    return str(user.get_full_name() or user.username)


def job_title(user: Any) -> str:
    person = getattr(user, "person", None)
    return person.job_title if person else ""


class _PersonNames(Schema):
    """The resolvers of a person's shown name and job title, one rule for every schema
    that shows a person (fields are declared by each schema, in its own order)."""

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return person_name(obj)

    @staticmethod
    def resolve_job_title(obj: Any) -> str:
        return job_title(obj)


class PersonOut(_PersonNames):
    id: int
    username: str
    name: str
    email: str
    is_active: bool
    job_title: str
    org_unit: Ref | None
    roles: list[RoleOut]

    @staticmethod
    def resolve_org_unit(obj: Any) -> dict[str, Any] | None:
        person = getattr(obj, "person", None)
        return ref(person.org_unit) if person else None

    @staticmethod
    def resolve_roles(obj: Any) -> list[Any]:
        return list(obj.role_assignments.all())


class PersonCreate(Schema):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(..., min_length=1, max_length=150)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    org_unit: int | None = None
    job_title: str = Field("", max_length=120)


class PersonPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    is_active: bool | None = None
    org_unit: int | None = None
    job_title: str | None = Field(None, max_length=120)


class RoleGrant(Schema):
    model_config = ConfigDict(extra="forbid")

    role: Role
    org_unit: int | None = Field(None, description="Scope; omit for a global role")


class PersonMatch(_PersonNames):
    """A person picker's suggestion: enough to tell namesakes apart, nothing more."""

    id: int
    label: str
    name: str
    username: str
    job_title: str
    org_unit: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        from aiom.organisation.people_search import label

        return label(obj)

    @staticmethod
    def resolve_org_unit(obj: Any) -> str:
        person = getattr(obj, "person", None)
        return person.org_unit.name if person and person.org_unit else ""
