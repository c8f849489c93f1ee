"""Who curates which data product, and who may be named its steward.

Curating (create, change, retire, record quality) is for administrators and data
stewards whose role covers the product's domain (granted globally, or scoped to the
domain or a unit above it). Linking a product to a use case is for whoever may edit
the use case. External partners never write, whatever roles they hold.
"""

from typing import Any

from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit, Role


def stewards_domain(user: Any, domain: OrgUnit) -> bool:
    """True if `user` holds the data-steward role over `domain` (globally or above it)."""
    access = access_for(user)
    return access.is_internal and access.has_role(Role.DATA_STEWARD, domain.path)


def can_curate(user: Any, domain: OrgUnit) -> bool:
    """May `user` create or change data products of `domain`? `None` is the system."""
    if user is None:
        return True
    access = access_for(user)
    return access.is_internal and (access.is_admin or stewards_domain(user, domain))


def can_curate_any(user: Any) -> bool:
    """May `user` create a data product in some domain (shows the 'new' button)."""
    access = access_for(user)
    return access.is_internal and (
        access.is_admin
        or Role.DATA_STEWARD in access.global_roles
        or bool(access.scoped_paths.get(Role.DATA_STEWARD))
    )
