"""Which use cases a person may see, as one query filter (the rules: permissions.py).

It sits below the models, which filter with it (`UseCase.objects.visible_to(user)`), so it
reads only who the person is; the per-object checks of `permissions` sit above them.
"""

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from aiom.organisation.access import access_for
from aiom.organisation.models import Role


def _under_any(paths: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(org_unit__path__startswith=p) for p in paths), Q(pk__in=[]))


def visibility_filter(user: Any) -> Q | None:
    """A Q selecting the use cases `user` may see; None when they may see none."""
    access = access_for(user)
    if not access.is_authenticated:
        return None
    if access.is_admin or access.is_global_reviewer:
        return Q()
    if access.is_external:
        if Role.PARTNER in access.global_roles:
            return Q(confidential=False)
        return Q(confidential=False) & _under_any(access.partner_paths())
    return (
        Q(confidential=False)
        | Q(owner_id=access.user_id)
        | Q(sponsor_id=access.user_id)
        | _under_any(access.member_paths() + access.reviewer_paths())
    )
