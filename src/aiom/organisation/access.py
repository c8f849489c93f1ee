"""What a user may see and do, computed once per request from their roles.

Scoped roles cover an org unit and everything below it, so every check reduces to
"does one of this user's unit paths prefix the object's unit path".

An API token carries scopes (`read`, `write`, `admin`). The administrator role is the
`admin` scope: a user reached through a token without it (`api_support.BearerToken` marks
the user with the token's scopes) is computed here as the same person without the
administrator role, so every administrator check in every app refuses such a token.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Value

from aiom.core.context import request_in_progress
from aiom.core.tokens import TOKEN_SCOPES_ATTR
from aiom.organisation.models import REVIEWER_ROLES, OrgUnit, Person, Role, RoleAssignment


@dataclass(frozen=True)
class Access:
    user_id: int | None = None
    is_admin: bool = False
    is_external: bool = False
    home_path: str | None = None
    global_roles: frozenset[str] = frozenset()
    scoped_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    led_paths: tuple[str, ...] = ()
    # An administrator reached through a token without the `admin` scope (is_admin False).
    admin_withheld: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_internal(self) -> bool:
        return self.is_authenticated and not self.is_external

    def has_role(self, role: str, unit_path: str | None = None) -> bool:
        """True if `role` is held globally, or (given a unit) within that unit's ancestry."""
        if role in self.global_roles:
            return True
        if unit_path is None:
            return False
        return any(unit_path.startswith(p) for p in self.scoped_paths.get(role, ()))

    @property
    def is_global_reviewer(self) -> bool:
        return bool(self.global_roles & REVIEWER_ROLES)

    def reviewer_paths(self) -> tuple[str, ...]:
        return tuple(p for role in REVIEWER_ROLES for p in self.scoped_paths.get(role, ()))

    def member_paths(self) -> tuple[str, ...]:
        """Units whose confidential work this user belongs to: home, led, and role scopes."""
        paths = {p for role, ps in self.scoped_paths.items() if role != Role.PARTNER for p in ps}
        paths.update(self.led_paths)
        if self.home_path:
            paths.add(self.home_path)
        return tuple(sorted(paths))

    def partner_paths(self) -> tuple[str, ...]:
        return self.scoped_paths.get(Role.PARTNER, ())

    def leads_or_above(self, unit_path: str) -> bool:
        return any(unit_path.startswith(p) for p in self.led_paths)

    @property
    def visibility_key(self) -> str:
        """Equal for two users who see the same objects: all who see everything share one."""
        if self.is_admin or self.is_global_reviewer:
            return "everything"
        return f"user:{self.user_id}"


ANONYMOUS = Access()

# Bumped whenever roles, leads or home units change in this process, so an Access cached
# on a long-lived user object (CLI runs, tests, background jobs) is never used stale.
_generation = 0


def roles_changed() -> None:
    global _generation
    _generation += 1


@dataclass(frozen=True)
class Held:
    """What the database says a user holds: role assignments (path None: global), the home
    unit's path and the paths of the units they lead."""

    roles: tuple[tuple[str, str | None], ...]
    home_path: str | None
    led_paths: tuple[str, ...]


# Within one request what a user holds is read once per user id, whichever user object
# asks: request.user, the token's user, the same person loaded again as a use case's owner.
_held_in_request: ContextVar[tuple[str, int, dict[int, Held]] | None] = ContextVar(
    "aiom_held_in_request", default=None
)


# Kinds of row in the one query below that are not roles (no role key starts with a space).
_HOME, _LEAD = " home", " lead"


def _by_role(row: tuple[str, str | None]) -> tuple[str, str]:
    return row[0], row[1] or ""


def _read_held(user_id: int) -> Held:
    """One query: the role assignments, the home unit and the led units, as (kind, path)."""
    roles = RoleAssignment.objects.filter(user_id=user_id).values_list("role", "org_unit__path")
    home = Person.objects.filter(user_id=user_id).values_list(
        Value(_HOME, output_field=CharField()), "org_unit__path"
    )
    led = OrgUnit.objects.filter(lead_id=user_id).values_list(
        Value(_LEAD, output_field=CharField()), "path"
    )
    rows = list(roles.order_by().union(home.order_by(), led.order_by(), all=True))
    return Held(
        roles=tuple(sorted(((k, p) for k, p in rows if k not in (_HOME, _LEAD)), key=_by_role)),
        home_path=next((p for k, p in rows if k == _HOME), None),
        led_paths=tuple(sorted(p for k, p in rows if k == _LEAD)),
    )


def held_by(user_id: int) -> Held:
    """What `user_id` holds: read once per request (and generation), every time outside one."""
    request = request_in_progress()
    if request is None:
        return _read_held(user_id)
    kept = _held_in_request.get()
    if kept is None or kept[0] != request or kept[1] != _generation:
        kept = (request, _generation, {})
        _held_in_request.set(kept)
    held = kept[2].get(user_id)
    if held is None:
        held = kept[2][user_id] = _read_held(user_id)
    return held


def access_for(user: Any) -> Access:
    """The user's Access, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_aiom_access", None)
    if isinstance(cached, tuple) and cached[0] == _generation:
        return cached[1]  # type: ignore[no-any-return]
    held = held_by(user.pk)
    global_roles: set[str] = set()
    scoped: dict[str, list[str]] = {}
    for role, path in held.roles:
        if path is None:
            global_roles.add(role)
        else:
            scoped.setdefault(role, []).append(path)
    home_path = held.home_path
    led = held.led_paths
    holds_admin = bool(user.is_superuser) or Role.ADMINISTRATOR in global_roles
    token_scopes = getattr(user, TOKEN_SCOPES_ATTR, None)
    withheld = holds_admin and token_scopes is not None and "admin" not in token_scopes
    if withheld:  # the person without the administrator role, wherever it was granted
        global_roles.discard(Role.ADMINISTRATOR)
        scoped.pop(Role.ADMINISTRATOR, None)
    is_admin = holds_admin and not withheld
    holds_partner = Role.PARTNER in global_roles or Role.PARTNER in scoped
    access = Access(
        user_id=user.pk,
        is_admin=is_admin,
        is_external=holds_partner and not is_admin,
        home_path=home_path,
        global_roles=frozenset(global_roles),
        scoped_paths={role: tuple(paths) for role, paths in scoped.items()},
        led_paths=led,
        admin_withheld=withheld,
    )
    user._aiom_access = (_generation, access)
    return access
