"""Who reads which audit events: exactly what the apps' visibility rules grant.

The rules moved out of core into the apps that know the objects (organisation, portfolio);
each persona must still read exactly the events the rule of record says: an administrator
all of them; anyone else a use case's events when they may see the use case (a link's only
when they may see both ends), and, when internal, the org units' and themes' events;
nobody signed out reads any.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from aiom.core.models import AuditEvent
from aiom.core.visibility import audit_events_visible_to
from aiom.organisation.access import access_for
from aiom.portfolio.models import UseCase
from aiom.similarity import services as similarity
from aiom.similarity.models import LinkKind
from aiom.value import services as value
from tests.conftest import World

REASON = "Both read applicant documents before a branch decision."
LINKS = ("link_use_case", "unlink_use_case")
INTERNAL_TYPES = ("organisation.orgunit", "portfolio.theme")


def expected(user: Any) -> set[int]:
    """The rule of record, over every event, in Python."""
    access = access_for(user)
    events = list(AuditEvent.objects.all())
    if not access.is_authenticated:
        return set()
    if access.is_admin:
        return {e.seq for e in events}
    visible = {str(pk) for pk in UseCase.objects.visible_to(user).values_list("pk", flat=True)}

    def readable(e: AuditEvent) -> bool:
        if e.action in LINKS:
            snapshot = e.after or e.before or {}
            ends = {str(snapshot["from_use_case"]), str(snapshot["to_use_case"])}
            if not ends <= visible:
                return False
        if e.object_type == "portfolio.usecase":
            return e.object_id in visible
        return access.is_internal and e.object_type in INTERNAL_TYPES

    return {e.seq for e in events if readable(e)}


@pytest.fixture
def trail(world: World) -> World:
    """Events on open and confidential use cases, links across them, and a KPI's."""
    similarity.link(
        actor=world.alice,
        source=world.alice_uc,
        target=world.alice_secret,
        kind=LinkKind.RELATED_TO,
        reason=REASON,
    )
    value.define_kpi(actor=world.alice, use_case=world.alice_uc, name="Reading time", unit="min")
    return world


@pytest.mark.parametrize("who", ["ada", "alice", "bob", "charlie", "pat", "rita", "anonymous"])
def test_each_persona_reads_exactly_what_the_rules_grant(trail: World, who: str) -> None:
    user = AnonymousUser() if who == "anonymous" else getattr(trail, who)
    read = set(audit_events_visible_to(user).values_list("seq", flat=True))
    assert read == expected(user)


def test_one_who_sees_less_reads_less(trail: World) -> None:
    """Charlie (Wealth) sees Alice's open use case but not her confidential one (Retail's):
    not its events, nor the link between them (it names the confidential one); nobody but
    an administrator reads the KPI's own events (no rule grants them)."""
    charlie = set(audit_events_visible_to(trail.charlie).values_list("seq", flat=True))
    alice = set(audit_events_visible_to(trail.alice).values_list("seq", flat=True))
    everything = set(AuditEvent.objects.values_list("seq", flat=True))
    links = set(AuditEvent.objects.filter(action__in=LINKS).values_list("seq", flat=True))

    def of(uc: UseCase) -> set[int]:
        on = AuditEvent.objects.filter(object_type="portfolio.usecase", object_id=str(uc.pk))
        return set(on.exclude(action__in=LINKS).values_list("seq", flat=True))

    assert links and links <= alice and not links & charlie
    assert of(trail.alice_uc) <= charlie and not of(trail.alice_secret) & charlie
    assert alice < everything
    kpi_events = set(
        AuditEvent.objects.filter(object_type="value.kpi").values_list("seq", flat=True)
    )
    assert kpi_events and not kpi_events & alice  # no rule grants a KPI's events
