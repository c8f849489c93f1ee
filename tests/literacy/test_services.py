import datetime as dt
from typing import Any

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.literacy import services
from aiom.literacy.models import TrainingRecord
from aiom.organisation import services as org

D = dt.date(2026, 1, 10)


def _record(actor: Any, person: Any, **over: Any) -> TrainingRecord:
    values: dict[str, Any] = {
        "course": "AI Act basics",
        "provider": "Academy",
        "level": "awareness",
        "completed_on": D,
        "expires_on": dt.date(2028, 1, 10),
    }
    return services.record_training(actor=actor, person=person, **(values | over))


def test_admin_records_training_with_row_and_audit(world):
    record = _record(world.ada, world.bob)
    stored = TrainingRecord.objects.get()
    assert stored == record and stored.person == world.bob and stored.recorded_by == world.ada
    assert (stored.level, stored.source, stored.completed_on) == ("awareness", "manual", D)
    event = AuditEvent.objects.get(action="training.record")
    assert event.actor == world.ada and event.object_id == str(record.pk)
    assert event.after["course"] == "AI Act basics" and event.after["person"] == world.bob.pk


def test_unit_lead_records_for_their_subtree_only(world):
    org.update_org_unit(actor=None, unit=world.retail, lead=world.alice)
    assert _record(world.alice, world.bob).person == world.bob
    with pytest.raises(PermissionDenied):
        _record(world.alice, world.charlie)


@pytest.mark.parametrize("name", ["bob", "charlie", "pat", "rita"])
def test_others_may_not_record(world, name):
    with pytest.raises(PermissionDenied):
        _record(getattr(world, name), world.bob)
    assert not TrainingRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="training.record").exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"course": "  "}, "course"),
        ({"level": "guru"}, "level"),
        ({"expires_on": D}, "expires_on"),
        ({"completed_on": dt.date(2999, 1, 1), "expires_on": None}, "completed_on"),
        ({"provider": "x" * 201}, "provider"),
    ],
)
def test_bad_values_are_refused(world, over, field):
    with pytest.raises(InvalidInput) as exc:
        _record(world.ada, world.bob, **over)
    assert field in exc.value.errors
    assert not TrainingRecord.objects.exists()
