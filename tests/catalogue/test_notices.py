"""A quality drop below the floor tells each consuming use case once."""

import datetime as dt

from aiom.catalogue import services
from aiom.catalogue.alerts import drop_key
from aiom.catalogue.models import DataProduct
from aiom.core.models import AuditEvent
from aiom.notifications.models import Notice
from aiom.portfolio import services as portfolio
from tests.catalogue.conftest import Catalogue, today
from tests.conftest import World


def test_quality_drop_notifies_each_dependent_use_case_once(world: World, cat: Catalogue) -> None:
    other = portfolio.create_use_case(
        actor=world.bob,
        title="Mortgage fraud flags",
        org_unit=world.retail,
        owner=world.bob,
        sponsor=world.ada,
    )
    for uc in (world.alice_uc, other):
        services.link_use_case(actor=world.ada, use_case=uc, product=cat.applications, purpose="x")
    services.link_use_case(actor=world.alice, use_case=world.alice_secret, product=cat.customers)

    services.record_quality(actor=cat.sam, product=cat.applications, score=75)  # above: none
    assert not Notice.objects.exists()

    services.record_quality(actor=cat.sam, product=cat.applications, score=40)
    notices = list(Notice.objects.order_by("use_case_id"))
    assert [n.use_case for n in notices] == [world.alice_uc, other]
    assert notices[0].key == drop_key(world.alice_uc.pk, cat.applications.pk, today())
    assert notices[0].key == (
        f"data_quality_drop:uc={world.alice_uc.pk}:product={cat.applications.pk}:checked={today()}"
    )
    assert notices[0].kind == "data_quality_drop"
    assert notices[0].recipients == ["alice@example.com"]
    assert notices[1].recipients == ["bob@example.com", "ada@example.com"]
    assert "scored 40" in notices[0].body and "floor of 70" in notices[0].body
    assert AuditEvent.objects.filter(action="notify").count() == 2

    # Still below the floor, same day or later: no new drop, no new notice.
    services.record_quality(actor=cat.sam, product=cat.applications, score=30)
    services.record_quality(actor=cat.sam, product=cat.applications, score=35)
    assert Notice.objects.count() == 2


def test_a_new_drop_after_recovery_is_a_new_event(world: World, cat: Catalogue) -> None:
    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.customers)
    first = today() - dt.timedelta(days=2)
    services.record_quality(actor=cat.sam, product=cat.customers, score=20, checked_on=first)
    services.record_quality(
        actor=cat.sam, product=cat.customers, score=90, checked_on=first + dt.timedelta(days=1)
    )
    services.record_quality(actor=cat.sam, product=cat.customers, score=10)
    assert sorted(Notice.objects.values_list("key", flat=True)) == sorted(
        drop_key(world.alice_uc.pk, cat.customers.pk, day) for day in (first, today())
    )


def test_the_same_drop_is_never_recorded_twice(world: World, cat: Catalogue) -> None:
    from aiom.catalogue.alerts import notify_quality_drop

    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.customers)
    services.record_quality(actor=cat.sam, product=cat.customers, score=10)
    checked = DataProduct.objects.get(pk=cat.customers.pk)
    again = notify_quality_drop(actor=None, product=checked, floor=70)
    assert again == []
    assert Notice.objects.count() == 1
