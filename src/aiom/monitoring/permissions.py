"""Who sees and who handles incidents and monitoring plans.

- An incident or a plan is visible to whoever can see its use case.
- Any internal person who can see a use case may report an incident about it.
- Handling an incident (status, actions, lessons) and keeping a monitoring plan is for
  who may edit the use case, risk or compliance reviewers covering its unit, and admins.
- A monitoring review may be recorded by those, and by the plan's named reviewer.
- An incident's severity is confirmed (so that a severe one blocks moves) only by the use
  case's owner or a risk or compliance reviewer covering its unit: not by whoever filed
  it, nor by editors or administrators as such.
"""

from typing import Any

from django.db.models import QuerySet

from aiom.monitoring.models import Incident, MonitoringPlan
from aiom.organisation.access import access_for
from aiom.portfolio import permissions as uc_permissions
from aiom.portfolio.models import UseCase


def incidents_visible_to(user: Any) -> QuerySet[Incident]:
    return Incident.objects.filter(use_case__in=UseCase.objects.visible_to(user))


def can_report(user: Any, use_case: UseCase) -> bool:
    return access_for(user).is_internal and uc_permissions.can_see(user, use_case)


def can_handle(user: Any, use_case: UseCase) -> bool:
    access = access_for(user)
    if not access.is_internal:
        return False
    return (
        access.is_admin
        or uc_permissions.can_edit(user, use_case)
        or uc_permissions.can_review(user, use_case)
    )


def can_confirm_severity(user: Any, use_case: UseCase) -> bool:
    access = access_for(user)
    if not access.is_internal:
        return False
    return access.user_id == use_case.owner_id or uc_permissions.can_review(user, use_case)


def can_review(user: Any, plan: MonitoringPlan) -> bool:
    access = access_for(user)
    if not access.is_internal:
        return False
    return access.user_id == plan.reviewer_id or can_handle(user, plan.use_case)
