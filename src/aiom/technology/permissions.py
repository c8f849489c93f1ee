"""Who keeps the technology registry.

Registry records are created and changed by administrators and by global AI experts
(the central AI / platform team; there is no separate platform role). A record's own
keeper may also change it: a model's owners, a platform's owner, a vendor's contract
owner. Linking a record to a use case is for whoever may edit the use case. External
partners never write, whatever roles they hold.
"""

from typing import Any

from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.technology.models import AIModel, Platform, Vendor


def can_curate(user: Any) -> bool:
    """May `user` add registry records? `None` is the system."""
    if user is None:
        return True
    access = access_for(user)
    return access.is_internal and (access.is_admin or Role.AI_EXPERT in access.global_roles)


def keeper_ids(record: AIModel | Platform | Vendor) -> set[int]:
    """The users who keep this one record (besides the curators)."""
    if isinstance(record, AIModel):
        return set(record.owners.values_list("pk", flat=True)) if record.pk else set()
    if isinstance(record, Platform):
        return {record.owner_id} if record.owner_id else set()
    return {record.contract_owner_id} if record.contract_owner_id else set()


def can_change(user: Any, record: AIModel | Platform | Vendor) -> bool:
    """May `user` change this record: a curator, or its keeper."""
    if can_curate(user):
        return True
    access = access_for(user)
    return access.is_internal and access.user_id in keeper_ids(record)
