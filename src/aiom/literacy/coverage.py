"""Literacy coverage of an org unit's people, counted in one database query.

People in scope are those whose home unit is the unit or below it (everyone with a home
unit when no unit is given); external partners and inactive accounts are left out.
Leaders are unit leads and executive sponsors; reviewers hold a risk or compliance
reviewer role anywhere and count as trained with current *reviewer* training whatever the
policy requires (the per-role rows follow the policy). The pure reference is
`rules.coverage`; tests hold both to the same answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from aiom.literacy.models import TrainingRecord
from aiom.literacy.policy import LiteracyRules
from aiom.literacy.requirements import literacy_policy
from aiom.literacy.rules import ANY, Coverage, RoleCoverage, satisfying
from aiom.organisation.models import REVIEWER_ROLES, OrgUnit, Person, Role, RoleAssignment

LEADER_ROLES = frozenset({Role.EXECUTIVE_SPONSOR.value})


def role_levels(policy: LiteracyRules) -> dict[str, tuple[str, str]]:
    """Role → (label, level that counts as trained for it): the policy's, else any level."""
    required = policy.levels()
    return {
        role.value: (role.label, required.get(role.value, ANY))
        for role in Role
        if role != Role.PARTNER
    }


def _current(level: str, today: dt.date) -> Exists:
    return Exists(
        TrainingRecord.objects.filter(
            person_id=OuterRef("user_id"),
            level__in=satisfying(level),
            completed_on__lte=today,
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
    )


def _holds(roles: frozenset[str] | set[str]) -> Exists:
    return Exists(RoleAssignment.objects.filter(user_id=OuterRef("user_id"), role__in=roles))


def people_in_scope(org_unit: OrgUnit | None) -> QuerySet[Person]:
    people = Person.objects.filter(org_unit__isnull=False, user__is_active=True).exclude(
        user__role_assignments__role=Role.PARTNER
    )
    if org_unit is not None:
        people = people.filter(org_unit__path__startswith=org_unit.path)
    return people


def coverage(
    *, org_unit: OrgUnit | None = None, today: dt.date, policy: LiteracyRules | None = None
) -> Coverage:
    """Coverage in scope against the policy's target (reads the active policy if not given)."""
    policy = policy or literacy_policy()
    levels = role_levels(policy)
    leads = Exists(OrgUnit.objects.filter(lead_id=OuterRef("user_id")))
    notes: dict[str, Any] = {
        "any_current": _current(ANY, today),
        "leader_current": _current("leader", today),
        "reviewer_current": _current("reviewer", today),
        "is_leader": leads | _holds(LEADER_ROLES),
        "is_reviewer": _holds({str(r) for r in REVIEWER_ROLES}),
    }
    sums: dict[str, Any] = {
        "people": Count("pk"),
        "trained": Count("pk", filter=Q(any_current=True)),
        "leaders": Count("pk", filter=Q(is_leader=True)),
        "trained_leaders": Count("pk", filter=Q(is_leader=True, leader_current=True)),
        "reviewers": Count("pk", filter=Q(is_reviewer=True)),
        "trained_reviewers": Count("pk", filter=Q(is_reviewer=True, reviewer_current=True)),
    }
    for i, (role, (_, level)) in enumerate(levels.items()):
        notes[f"r{i}"] = _holds({role})
        notes[f"t{i}"] = _current(level, today)
        sums[f"r{i}_n"] = Count("pk", filter=Q(**{f"r{i}": True}))
        sums[f"r{i}_t"] = Count("pk", filter=Q(**{f"r{i}": True, f"t{i}": True}))
    row = people_in_scope(org_unit).annotate(**notes).aggregate(**sums)
    by_role = [
        RoleCoverage(role, str(label), level, row[f"r{i}_n"], row[f"r{i}_t"])
        for i, (role, (label, level)) in enumerate(levels.items())
    ]
    return Coverage(
        target=policy.target,
        people=row["people"],
        trained=row["trained"],
        leaders=row["leaders"],
        trained_leaders=row["trained_leaders"],
        reviewers=row["reviewers"],
        trained_reviewers=row["trained_reviewers"],
        by_role=by_role,
    )


def coverage_by_unit(
    *, today: dt.date, policy: LiteracyRules | None = None
) -> list[tuple[OrgUnit, Coverage]]:
    """Coverage of every org unit's subtree, in tree order (one query per unit).

    Fine for the hundreds of units an organisation has; a single grouped query would be
    the next step if that ever grows.
    """
    policy = policy or literacy_policy()
    return [
        (unit, coverage(org_unit=unit, today=today, policy=policy))
        for unit in OrgUnit.objects.order_by("path")
    ]
