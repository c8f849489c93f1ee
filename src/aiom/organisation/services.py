"""Every write to org units, people and roles: atomic, permission-checked, audited.

`actor=None` means the system itself (bootstrap, demo loader, CLI run without --as).
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.organisation.access import access_for, roles_changed
from aiom.organisation.models import OrgUnit, Person, Role, RoleAssignment


def require_admin(actor: audit.Actor, what: str) -> None:
    if actor is None:
        return
    if not access_for(actor).is_admin:
        raise PermissionDenied(f"only administrators may {what}")


def org_unit_snapshot(unit: OrgUnit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "code": unit.code,
        "description": unit.description,
        "parent": unit.parent_id,
        "lead": unit.lead_id,
        "path": unit.path,
    }


def _check_lead(lead: User | None, errors: dict[str, str]) -> None:
    if lead is not None and not lead.is_active:
        errors["lead"] = f"{lead.get_username()} is not an active user"


@transaction.atomic
def create_org_unit(
    *,
    actor: audit.Actor,
    name: str,
    code: str = "",
    parent: OrgUnit | None = None,
    lead: User | None = None,
    description: str = "",
) -> OrgUnit:
    require_admin(actor, "create org units")
    errors: dict[str, str] = {}
    name = name.strip()
    code = slugify(code or name)[:40]
    if not name:
        errors["name"] = "an org unit needs a name"
    elif len(name) > 120:
        errors["name"] = "at most 120 characters"
    if not code:
        errors["code"] = "an org unit needs a code (letters, digits, dashes)"
    elif OrgUnit.objects.filter(code=code).exists():
        errors["code"] = f"the code '{code}' is taken"
    if name and OrgUnit.objects.filter(parent=parent, name=name).exists():
        errors["name"] = f"'{name}' already exists under {parent or 'the top level'}"
    _check_lead(lead, errors)
    if errors:
        raise InvalidInput(errors)
    unit = OrgUnit.objects.create(
        name=name, code=code, parent=parent, lead=lead, description=description, path="/"
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    roles_changed()
    audit.record(actor=actor, action="create", obj=unit, after=org_unit_snapshot(unit))
    return unit


@transaction.atomic
def update_org_unit(*, actor: audit.Actor, unit: OrgUnit, **changes: Any) -> OrgUnit:
    """Rename, re-describe, change lead, or move under another parent (subtree follows)."""
    require_admin(actor, "change org units")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = org_unit_snapshot(unit)
    errors: dict[str, str] = {}
    unknown = set(changes) - {"name", "description", "lead", "parent"}
    if unknown:
        errors.update(dict.fromkeys(sorted(unknown), "not a field that can be changed here"))
    if "name" in changes:
        name = str(changes["name"] or "").strip()
        if not name or len(name) > 120:
            errors["name"] = "a name of 1 to 120 characters is needed"
        unit.name = name
    if "description" in changes:
        unit.description = str(changes["description"] or "")
    if "lead" in changes:
        _check_lead(changes["lead"], errors)
        unit.lead = changes["lead"]
    old_path = unit.path
    if "parent" in changes:
        parent: OrgUnit | None = changes["parent"]
        if parent is not None and parent.path.startswith(unit.path):
            errors["parent"] = "an org unit cannot move under itself or its own subtree"
        else:
            unit.parent = parent
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
            unit.depth = parent.depth + 1 if parent else 0
    if (
        not errors
        and OrgUnit.objects.filter(parent=unit.parent, name=unit.name).exclude(pk=unit.pk).exists()
    ):
        errors["name"] = f"'{unit.name}' already exists under {unit.parent or 'the top level'}"
    if errors:
        raise InvalidInput(errors)
    unit.save()
    if unit.path != old_path:
        shift = unit.depth - _depth_of(old_path)
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.depth + shift
            child.save(update_fields=["path", "depth"])
    roles_changed()
    audit.record(
        actor=actor, action="update", obj=unit, before=before, after=org_unit_snapshot(unit)
    )
    return unit


def _depth_of(path: str) -> int:
    return len([p for p in path.strip("/").split("/") if p]) - 1


def person_snapshot(user: User) -> dict[str, Any]:
    person = Person.objects.filter(user=user).first()
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "org_unit": person.org_unit_id if person else None,
        "job_title": person.job_title if person else "",
    }


@transaction.atomic
def create_person(
    *,
    actor: audit.Actor,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    org_unit: OrgUnit | None = None,
    job_title: str = "",
    password: str | None = None,
) -> User:
    require_admin(actor, "add people")
    errors: dict[str, str] = {}
    username = username.strip()
    if not username or len(username) > 150:
        errors["username"] = "a username of 1 to 150 characters is needed"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"the username '{username}' is taken"
    if email and "@" not in email:
        errors["email"] = f"'{email}' is not an email address"
    if errors:
        raise InvalidInput(errors)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Person.objects.create(user=user, org_unit=org_unit, job_title=job_title)
    audit.record(actor=actor, action="create", obj=user, after=person_snapshot(user))
    return user


@transaction.atomic
def update_person(*, actor: audit.Actor, user: User, **changes: Any) -> User:
    require_admin(actor, "change people")
    before = person_snapshot(user)
    allowed = {"first_name", "last_name", "email", "is_active", "org_unit", "job_title"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "not a field that can be changed here"))
    email = changes.get("email")
    if email and "@" not in email:
        raise InvalidInput({"email": f"'{email}' is not an email address"})
    for key in ("first_name", "last_name", "email", "is_active"):
        if key in changes:
            setattr(user, key, changes[key])
    user.save()
    person, _ = Person.objects.get_or_create(user=user)
    if "org_unit" in changes:
        person.org_unit = changes["org_unit"]
    if "job_title" in changes:
        person.job_title = changes["job_title"] or ""
    person.save()
    roles_changed()
    audit.record(actor=actor, action="update", obj=user, before=before, after=person_snapshot(user))
    return user


@transaction.atomic
def assign_role(
    *, actor: audit.Actor, user: User, role: str, org_unit: OrgUnit | None = None
) -> RoleAssignment:
    require_admin(actor, "assign roles")
    if role not in Role.values:
        raise InvalidInput({"role": f"unknown role '{role}'; one of {', '.join(Role.values)}"})
    if role == Role.ADMINISTRATOR and org_unit is not None:
        raise InvalidInput({"org_unit": "the administrator role is global"})
    existing = RoleAssignment.objects.filter(user=user, role=role, org_unit=org_unit).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment.objects.create(user=user, role=role, org_unit=org_unit)
    roles_changed()
    audit.record(
        actor=actor,
        action="assign_role",
        obj=user,
        after={"role": role, "org_unit": org_unit.pk if org_unit else None},
        message=f"{assignment} granted to {user.get_username()}",
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor: audit.Actor, assignment: RoleAssignment) -> None:
    require_admin(actor, "revoke roles")
    user = assignment.user
    before = {"role": assignment.role, "org_unit": assignment.org_unit_id}
    message = f"{assignment} revoked from {user.get_username()}"
    assignment.delete()
    roles_changed()
    audit.record(actor=actor, action="revoke_role", obj=user, before=before, message=message)
