"""Rules that hold for every audited write, whatever route or service made it.

External partners read what they were granted and change nothing: each service refuses
them on its own, and this guard (registered with `core.audit_hooks.guard`) refuses any audited
write whose actor is one, so a route or service added later cannot forget it.
"""

from aiom.core import audit
from aiom.core.errors import PermissionDenied
from aiom.organisation.access import access_for


def external_partners_write_nothing(actor: audit.Actor) -> None:
    if actor is not None and access_for(actor).is_external:
        raise PermissionDenied(
            "external partners can read what they were granted; they change nothing"
        )
