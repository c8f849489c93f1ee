"""The backstop: no audited write by an external partner, whichever service forgot to check.

Every write records an audit event, so refusing the event refuses the write; the service's
transaction rolls back the row it had already saved.
"""

import pytest
from django.db import transaction

from aiom.core import audit
from aiom.core.errors import PermissionDenied
from aiom.core.models import AuditEvent
from aiom.portfolio.models import Theme
from tests.conftest import World


def write_theme(actor: object, name: str) -> None:
    """A careless 'service': saves a row and records it, checking nobody's permission."""
    with transaction.atomic():
        theme = Theme.objects.create(name=name, key=name.lower().replace(" ", "-"))
        audit.record(actor=actor, action="create", obj=theme)  # type: ignore[arg-type]


def test_a_partners_write_is_refused_and_leaves_nothing(world: World) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="external partners"):
        write_theme(world.pat, "Planted by a partner")
    assert not Theme.objects.filter(name="Planted by a partner").exists()
    assert AuditEvent.objects.count() == events


def test_a_partners_batch_write_is_refused(world: World) -> None:
    theme = Theme.objects.first()
    assert theme is not None
    with pytest.raises(PermissionDenied), transaction.atomic():
        audit.record_many(actor=world.pat, entries=[audit.Entry(action="touch", obj=theme)])


@pytest.mark.parametrize("persona", ["alice", "charlie", "ada"])
def test_internal_people_and_the_system_still_write(world: World, persona: str) -> None:
    write_theme(world.persona(persona), f"Written by {persona}")
    write_theme(None, f"Written by the system for {persona}")
    assert Theme.objects.filter(name__startswith="Written by").count() == 2
