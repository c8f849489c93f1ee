"""Who sees and who changes which use case. One place, used by pages, API and CLI.

- Administrators and global reviewers see everything.
- Internal people see every non-confidential use case; a confidential one only if they
  own or sponsor it, or belong to its org unit or an ancestor (home unit, led unit, or a
  role scoped there), or review for that part of the organisation.
- External partners see only non-confidential use cases where their partner role is
  scoped (everything non-confidential if granted globally), and never write.

The same rule as a query filter is `visibility.visibility_filter`: it sits below the models
(`UseCase.objects.visible_to` filters with it), these per-object checks above them.
"""

from typing import Any

from aiom.organisation.access import Access, access_for
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase


def can_see(user: Any, use_case: UseCase) -> bool:
    access = access_for(user)
    if not access.is_authenticated:
        return False
    if access.is_admin or access.is_global_reviewer:
        return True
    path = use_case.org_unit.path
    if access.is_external:
        return not use_case.confidential and (
            Role.PARTNER in access.global_roles
            or any(path.startswith(p) for p in access.partner_paths())
        )
    return (
        not use_case.confidential
        or access.user_id in (use_case.owner_id, use_case.sponsor_id)
        or any(path.startswith(p) for p in access.member_paths() + access.reviewer_paths())
    )


def can_contribute(user: Any, use_case: UseCase) -> bool:
    """Add to a use case without editing it (feedback): internal people who can see it.

    Every write permission starts from `is_internal`; seeing is never enough on its own,
    since external partners see use cases and never write.
    """
    return access_for(user).is_internal and can_see(user, use_case)


def can_review(user: Any, use_case: UseCase) -> bool:
    """A risk or compliance reviewer covering its unit (globally, or scoped to the unit or
    one above it); internal people only."""
    access = access_for(user)
    if not access.is_internal:
        return False
    path = use_case.org_unit.path
    return access.is_global_reviewer or any(path.startswith(p) for p in access.reviewer_paths())


def can_create(user: Any) -> bool:
    return access_for(user).is_internal


def can_edit(user: Any, use_case: UseCase) -> bool:
    """Owner, sponsor, the lead of its unit or any unit above, global AI experts, admins."""
    access: Access = access_for(user)
    if not access.is_internal:
        return False
    if access.is_admin:
        return True
    return (
        access.user_id in (use_case.owner_id, use_case.sponsor_id)
        or access.leads_or_above(use_case.org_unit.path)
        or Role.AI_EXPERT in access.global_roles
    )
