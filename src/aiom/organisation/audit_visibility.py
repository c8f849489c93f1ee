"""Who may read the audit trail as a whole, and org units' events (registered from ready()).

An administrator reads every event; every internal person reads the org units' events
(the structure is no secret inside the organisation).
"""

from typing import Any

from django.db.models import Q

from aiom.core.visibility import visibility_rule
from aiom.organisation.access import access_for

ORG_UNIT = "organisation.orgunit"


def administrators_read_everything(user: Any) -> Q | None:
    return Q() if access_for(user).is_admin else None


def org_unit_events(user: Any) -> Q | None:
    return Q(object_type=ORG_UNIT) if access_for(user).is_internal else None


def register() -> None:
    """Add these rules to the audit trail's (called from organisation's ready())."""
    visibility_rule(administrators_read_everything)
    visibility_rule(org_unit_events)
