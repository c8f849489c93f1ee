"""Two sweeps at the same moment on the same findings notify each event exactly once."""

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
from django.db import connection

from aiom.core.audit import compute_hash
from aiom.core.models import AuditEvent
from aiom.notifications import services
from aiom.notifications.models import Notice, WebhookDelivery
from aiom.notifications.services import SweepReport
from tests.conftest import World
from tests.notifications.conftest import Receiver, days_ago, make_use_case

EVENTS = 12


def assert_chain_links(events: Iterable[AuditEvent]) -> None:
    """Each event intact and linked to the one before it: no two writers shared a seq.

    (Only the events of this test: whatever earlier transactional tests left is not ours.)
    """
    for event in events:
        previous = AuditEvent.objects.get(seq=event.seq - 1)
        assert event.prev_hash == previous.hash
        assert compute_hash(event) == event.hash


# Not serialized_rollback: the flush after any other transactional test re-runs post_migrate,
# which recreates the content types with other ids, and reloading the serialized ones then
# collides with them. post_migrate also recreates what this test needs (themes, policy).
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_notify_each_event_once(
    world: World, hooks: Receiver, mailoutbox: list[Any]
) -> None:
    for i in range(EVENTS):
        make_use_case(world, f"Long intake {i}", stage="intake", entered=days_ago(15 + i))
    start = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            reports.append(services.sweep(today=days_ago(0)))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(reports) == 2
    assert [r.total().found for r in reports] == [EVENTS, EVENTS]
    assert sum(r.total().new for r in reports) == EVENTS
    assert Notice.objects.count() == EVENTS
    assert AuditEvent.objects.filter(action="notify").count() == EVENTS
    assert_chain_links(AuditEvent.objects.filter(action="notify"))
    assert len(mailoutbox) == EVENTS
    assert len({m.subject for m in mailoutbox}) == EVENTS
    keys = Counter(r.json()["key"] for r in hooks.requests)
    assert len(keys) == EVENTS
    assert set(keys.values()) == {1}
    assert WebhookDelivery.objects.filter(status="delivered").count() == EVENTS
