"""The audit trail is append-only and hash-chained; verify names the first broken event."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from aiom.core import audit
from aiom.core.models import GENESIS_HASH, AuditEvent
from aiom.organisation.models import OrgUnit
from tests.conftest import World


def test_events_link_each_to_the_one_before(world: World) -> None:
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) > 10
    assert events[0].seq == 1
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.seq == earlier.seq + 1
        assert later.prev_hash == earlier.hash
        assert later.hash == audit.compute_hash(later)


def test_verify_passes_on_a_good_chain(world: World) -> None:
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()
    call_command("audit", "verify")


def _tamper(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_fails_naming_the_event_altered_in_the_database(world: World) -> None:
    target = AuditEvent.objects.get(
        object_type="portfolio.usecase", action="create", object_id=str(world.alice_secret.pk)
    )
    _tamper(
        f"UPDATE {AuditEvent._meta.db_table} SET message = %s WHERE seq = %s",
        ["nothing to see here", target.seq],
    )
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == target.seq
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"BROKEN at event #{target.seq}"):
        call_command("audit", "verify")


def test_verify_fails_when_an_event_is_deleted(world: World) -> None:
    last = AuditEvent.objects.order_by("seq").last()
    assert last is not None
    middle = last.seq // 2
    _tamper(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [middle])
    report = audit.verify_chain()
    assert report.broken_seq == middle
    assert "missing" in report.reason


def test_verify_fails_when_the_tail_is_cut(world: World) -> None:
    last = AuditEvent.objects.order_by("seq").last()
    assert last is not None
    _tamper(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [last.seq])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == last.seq


def test_verify_fails_when_a_rehashed_event_no_longer_links(world: World) -> None:
    # An attacker who alters a row and recomputes its hash still breaks the next link.
    event = AuditEvent.objects.order_by("seq")[3]
    event.message = "rewritten"
    new_hash = audit.compute_hash(event)
    _tamper(
        f"UPDATE {AuditEvent._meta.db_table} SET message = %s, hash = %s WHERE seq = %s",
        ["rewritten", new_hash, event.seq],
    )
    report = audit.verify_chain()
    assert report.broken_seq == event.seq + 1
    assert "does not link" in report.reason


def test_the_application_cannot_update_or_delete_events(world: World) -> None:
    event = AuditEvent.objects.order_by("seq").first()
    assert event is not None
    event.message = "changed"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(seq=event.seq).update(message="x")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.all().delete()


def test_record_refuses_to_run_outside_a_transaction(world: World) -> None:
    unit = OrgUnit.objects.first()
    assert unit is not None
    # pytest-django wraps each test in a transaction; step outside it explicitly.
    with transaction.atomic():
        audit.record(actor=None, action="note", obj=unit)
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError, match="inside the service's transaction"):
            audit.record(actor=None, action="note", obj=unit)
    finally:
        connection.in_atomic_block = saved


def test_a_failed_service_leaves_neither_change_nor_event(world: World) -> None:
    from aiom.core.errors import InvalidInput
    from aiom.portfolio import services

    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput):
        services.create_use_case(
            actor=world.alice, title="x" * 501, org_unit=world.retail, owner=world.alice
        )
    assert AuditEvent.objects.count() == before


def test_snapshot_values_hash_the_same_after_a_database_round_trip(world: World) -> None:
    from decimal import Decimal

    from aiom.portfolio import services

    uc = services.create_use_case(
        actor=world.alice,
        title="Ünïcode — “quotes” 🚀",
        org_unit=world.retail,
        owner=world.alice,
        expected_benefit_amount=Decimal("1234.50"),
    )
    stored = AuditEvent.objects.get(object_type="portfolio.usecase", object_id=str(uc.pk))
    assert stored.after["expected_benefit_amount"] == "1234.50"
    assert audit.compute_hash(stored) == stored.hash


def test_record_many_extends_the_same_chain(world: World) -> None:
    units = list(OrgUnit.objects.all())
    before = AuditEvent.objects.count()
    with transaction.atomic():
        events = audit.record_many(
            actor=world.ada,
            entries=[audit.Entry("note", u, after={"name": u.name}) for u in units],
        )
        audit.record(actor=None, action="note", obj=units[0])
    assert AuditEvent.objects.count() == before + len(units) + 1
    assert [e.seq for e in events] == list(range(before + 1, before + len(units) + 1))
    stored = AuditEvent.objects.get(seq=events[-1].seq)
    assert stored.hash == audit.compute_hash(stored)
    assert stored.actor_name == "Ada Example"
    assert audit.verify_chain().ok
