"""Catalogue services: each returns the row it stored and writes one audit event."""

import datetime as dt

import pytest

from aiom.catalogue import services
from aiom.catalogue.models import AccessStatus, DataProduct, UseCaseDataProduct
from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from tests.catalogue.conftest import Catalogue, today
from tests.conftest import World


def last_event(obj: object) -> AuditEvent:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
        object_id=str(obj.pk),  # type: ignore[attr-defined]
    ).latest("seq")


def test_create_returns_stores_and_audits(world: World, cat: Catalogue) -> None:
    made = services.create_data_product(
        actor=cat.sam,
        name="  Card transactions ",
        domain=world.cards.pk,
        steward=cat.sam.pk,
        classification="restricted",
        upstream=[cat.customers.pk],
        external_sources="Card switch\n\nVisa feed",
        tags="Cards, fraud, cards",
    )
    row = DataProduct.objects.get(pk=made.pk)
    assert (row.name, row.domain, row.steward) == ("Card transactions", world.cards, cat.sam)
    assert list(row.upstream.all()) == [cat.customers]
    assert row.external_sources == ["Card switch", "Visa feed"]
    assert row.tag_list == ["cards", "fraud"]
    event = last_event(row)
    assert (event.action, event.actor, event.after["steward"]["id"]) == (
        "create",
        cat.sam,
        cat.sam.pk,
    )
    assert event.after["upstream"] == [cat.customers.pk]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"classification": "secret"}, "classification"),
        ({"access_status": "retired"}, "access_status"),
        ({"steward": "bob"}, "steward"),
        ({"colour": "blue"}, "colour"),
        ({"tags": ["x" * 51]}, "tags"),
    ],
)
def test_create_refuses_bad_input(world: World, cat: Catalogue, fields: dict, field: str) -> None:
    values = {"name": "Branch footfall", "domain": world.retail, **fields}
    with pytest.raises(InvalidInput) as exc:
        services.create_data_product(actor=cat.sam, **values)
    assert field in exc.value.errors
    assert not DataProduct.objects.filter(name="Branch footfall").exists()


def test_steward_must_hold_the_role_over_the_domain(world: World, cat: Catalogue) -> None:
    for who in (world.bob, cat.wendy):  # no steward role / steward of another domain
        with pytest.raises(InvalidInput) as exc:
            services.create_data_product(
                actor=cat.sam, name="Branches", domain=world.retail, steward=who
            )
        assert "is no data steward of Retail Banking" in exc.value.errors["steward"]
    made = services.create_data_product(
        actor=cat.sam, name="Branches", domain=world.cards, steward=cat.gina
    )
    assert made.steward == cat.gina  # global stewards steward every domain


def test_names_are_unique_within_a_domain(world: World, cat: Catalogue) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.create_data_product(actor=cat.sam, name="retail CUSTOMERS", domain=world.retail)
    assert "already has" in exc.value.errors["name"]


def test_update_returns_stores_and_audits_before_and_after(cat: Catalogue) -> None:
    updated = services.update_data_product(
        actor=cat.sam, product=cat.applications, classification="confidential", tags=["loans"]
    )
    assert updated.classification == "confidential"
    assert DataProduct.objects.get(pk=cat.applications.pk).tags == "loans"
    event = last_event(cat.applications)
    assert event.action == "update"
    assert (event.before["classification"], event.after["classification"]) == (
        "internal",
        "confidential",
    )


def test_update_refuses_self_upstream(cat: Catalogue) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.update_data_product(actor=cat.sam, product=cat.customers, upstream=[cat.customers])
    assert "its own upstream" in exc.value.errors["upstream"]


def test_retire_needs_a_reason_and_is_audited(cat: Catalogue) -> None:
    with pytest.raises(InvalidInput):
        services.retire_data_product(actor=cat.sam, product=cat.customers, reason=" ")
    retired = services.retire_data_product(
        actor=cat.sam, product=cat.customers, reason="Replaced by the CRM export"
    )
    assert retired.access_status == AccessStatus.RETIRED
    event = last_event(cat.customers)
    assert (event.action, event.message) == ("retire", "Replaced by the CRM export")
    with pytest.raises(InvalidInput):
        services.retire_data_product(actor=cat.sam, product=cat.customers, reason="again")


def test_record_quality_stores_and_audits(cat: Catalogue) -> None:
    day = today() - dt.timedelta(days=3)
    stored = services.record_quality(actor=cat.sam, product=cat.customers, score=91, checked_on=day)
    assert (stored.quality_score, stored.quality_checked_on) == (91, day)
    event = last_event(cat.customers)
    assert (event.action, event.before["quality_score"], event.after["quality_score"]) == (
        "quality",
        None,
        91,
    )


@pytest.mark.parametrize(
    ("score", "days_ago", "field"),
    [(101, 0, "score"), (-1, 0, "score"), (80, -1, "checked_on"), (80, 5, "checked_on")],
)
def test_record_quality_refuses(cat: Catalogue, score: int, days_ago: int, field: str) -> None:
    # applications was checked today, so a check five days ago is older than the stored one
    with pytest.raises(InvalidInput) as exc:
        services.record_quality(
            actor=cat.sam,
            product=cat.applications,
            score=score,
            checked_on=today() - dt.timedelta(days=days_ago),
        )
    assert field in exc.value.errors


def test_link_and_unlink_return_store_and_audit_on_the_use_case(
    world: World, cat: Catalogue
) -> None:
    link = services.link_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        product=cat.applications,
        purpose=" Training data ",
    )
    stored = UseCaseDataProduct.objects.get(pk=link.pk)
    assert (stored.use_case, stored.data_product, stored.purpose) == (
        world.alice_uc,
        cat.applications,
        "Training data",
    )
    event = last_event(world.alice_uc)
    assert event.action == "link_data"
    assert event.after == {
        "data_product": {"id": cat.applications.pk, "name": "Mortgage applications"},
        "purpose": "Training data",
    }
    with pytest.raises(InvalidInput) as exc:
        services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.applications)
    assert "already linked" in exc.value.errors["data_product"]

    services.unlink_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.applications)
    assert not UseCaseDataProduct.objects.filter(use_case=world.alice_uc).exists()
    assert last_event(world.alice_uc).action == "unlink_data"
    with pytest.raises(InvalidInput):
        services.unlink_use_case(
            actor=world.alice, use_case=world.alice_uc, product=cat.applications
        )


def test_a_retired_product_cannot_be_linked(world: World, cat: Catalogue) -> None:
    services.retire_data_product(actor=cat.sam, product=cat.customers, reason="gone")
    with pytest.raises(InvalidInput) as exc:
        services.link_use_case(
            actor=world.alice,
            use_case=world.alice_uc,
            product=DataProduct.objects.get(pk=cat.customers.pk),
        )
    assert "retired" in exc.value.errors["data_product"]
