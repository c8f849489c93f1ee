"""What a user may see and do, computed once per request from their roles.

Scoped roles cover an org unit and everything below it, so every check reduces to
"does one of this user's unit paths prefix the object's unit path".

An API token carries scopes (`read`, `write`, `admin`). The administrator role is the
`admin` scope: a user reached through a token without it (`api_support.BearerToken` marks
the user with the token's scopes) is computed here as the same person without the
administrator role, so every administrator check in every app refuses such a token.
"""

from dataclasses import dataclass, field
from typing import Any

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


ANONYMOUS = Access()
# Set on a user object by the API's token authentication: the scopes of the token used.
TOKEN_SCOPES_ATTR = "_aiom_token_scopes"  # noqa: S105 - an attribute name, not a secret

# Bumped whenever roles, leads or home units change in this process, so an Access cached
# on a long-lived user object (CLI runs, tests, background jobs) is never used stale.
_generation = 0


def roles_changed() -> None:
    global _generation
    _generation += 1


def access_for(user: Any) -> Access:
    """The user's Access, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_aiom_access", None)
    if isinstance(cached, tuple) and cached[0] == _generation:
        return cached[1]  # type: ignore[no-any-return]
    global_roles: set[str] = set()
    scoped: dict[str, list[str]] = {}
    for role, path in RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "org_unit__path"
    ):
        if path is None:
            global_roles.add(role)
        else:
            scoped.setdefault(role, []).append(path)
    home_path = (
        Person.objects.filter(user_id=user.pk).values_list("org_unit__path", flat=True).first()
    )
    led = tuple(OrgUnit.objects.filter(lead_id=user.pk).values_list("path", flat=True))
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
