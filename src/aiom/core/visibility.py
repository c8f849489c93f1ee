"""Which audit events a user may read: what the apps' rules grant, and nothing more.

Core knows no domain, so it does not know who may see a use case or an org unit: each app
adds a rule (`visibility_rule`, the registry's `audit_visibility` store) from its
AppConfig.ready(). A rule takes the reader and answers the events it lets them read as a
`Q` over `AuditEvent`, `Q()` for all of them, or None for none. A reader reads the union
of what the rules grant; an event no rule grants (and every event, for a reader no rule
grants anything) stays hidden: a new kind of object is invisible until its app says who
may read it.
"""

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from aiom.core import registry
from aiom.core.models import AuditEvent

STORE = "audit_visibility"
Rule = Callable[[Any], Q | None]


def visibility_rule(rule: Rule) -> None:
    """Let readers read the events `rule(reader)` grants (registered under its dotted name)."""
    registry.add(STORE, f"{rule.__module__}.{rule.__qualname__}", rule)


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    grants = [q for rule in registry.entries(STORE).values() if (q := rule(user)) is not None]
    if not grants:
        return events.none()
    if any(not q for q in grants):  # Q(): every event
        return events
    return events.filter(reduce(or_, grants))
