"""Use-case and theme services: return value, stored row and audit event, every time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Model
from django.utils import timezone

from aiom.core.errors import InvalidInput, PermissionDenied, StaleVersion
from aiom.core.models import AuditEvent
from aiom.portfolio import services
from aiom.portfolio.models import Theme, UseCase
from tests.conftest import World


def events_for(obj: Model) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        ).order_by("seq")
    )


def test_create_use_case_stores_and_audits(world: World) -> None:
    uc = services.create_use_case(
        actor=world.bob,
        title="  Claims triage assistant ",
        org_unit=world.retail,
        owner=world.alice,
        sponsor=world.ada,
        theme=world.theme,
        expected_benefit_amount=Decimal("250000"),
        ai_type="generative",
        sourcing="buy",
        vendor="Anthropic",
        customer_facing=True,
        personal_data=True,
    )
    stored = UseCase.objects.get(pk=uc.pk)
    assert stored.title == "Claims triage assistant"
    assert stored.stage == "intake"
    assert stored.proposed_on == stored.stage_entered_on == timezone.localdate()
    assert stored.expected_benefit_currency == "EUR"
    assert stored.version == 1
    [event] = events_for(uc)
    assert (event.action, event.actor_id, event.actor_name) == (
        "create",
        world.bob.pk,
        "Bob Example",
    )
    assert event.before is None
    assert event.after["title"] == "Claims triage assistant"
    assert event.after["owner"] == {"id": world.alice.pk, "name": "Alice Example"}
    assert event.after["expected_benefit_amount"] == "250000.00"


def test_owner_is_required_for_proposals_but_not_imports(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        services.create_use_case(actor=world.alice, title="Orphan", org_unit=world.retail)
    assert err.value.errors == {"owner": "every use case needs one accountable business owner"}
    imported = services.create_use_case(
        actor=None,
        require_owner=False,
        title="Imported",
        org_unit=world.retail,
        external_id="DOJ-0042",
        stage="operational",
        proposed_on=dt.date(2024, 3, 1),
        stage_entered_on=dt.date(2024, 9, 1),
    )
    assert imported.owner is None
    assert events_for(imported)[0].actor_name == "system"


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"org_unit": 999_999}, "org_unit"),
        ({"org_unit": "abc"}, "org_unit"),
        ({"owner": 999_999}, "owner"),
        ({"theme": 999_999}, "theme"),
        ({"ai_type": "telepathy"}, "ai_type"),
        ({"sourcing": "steal"}, "sourcing"),
        ({"environment": "moon"}, "environment"),
        ({"expected_benefit_amount": "-5"}, "expected_benefit_amount"),
        ({"expected_benefit_amount": "lots"}, "expected_benefit_amount"),
        ({"expected_benefit_currency": "euro"}, "expected_benefit_currency"),
        ({"customer_facing": "yes"}, "customer_facing"),
        ({"stage": "limbo"}, "stage"),
        ({"proposed_on": dt.date(2999, 1, 1)}, "proposed_on"),
        (
            {"proposed_on": dt.date(2025, 5, 1), "stage_entered_on": dt.date(2025, 1, 1)},
            "stage_entered_on",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_create_use_case_names_each_bad_field(world: World, fields: dict, bad: str) -> None:
    base = {"title": "Valid", "org_unit": world.retail.pk, "owner": world.alice.pk}
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.create_use_case(actor=world.alice, **{**base, **fields})
    assert bad in err.value.errors
    assert AuditEvent.objects.count() == before


def test_a_partner_can_neither_propose_nor_own(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_use_case(
            actor=world.pat, title="x", org_unit=world.retail, owner=world.alice
        )
    with pytest.raises(InvalidInput) as err:
        services.create_use_case(
            actor=world.alice, title="x", org_unit=world.retail, owner=world.pat
        )
    assert "external partner" in err.value.errors["owner"]


def test_update_records_before_and_after_and_bumps_version(world: World) -> None:
    uc = services.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        title="Mortgage file summariser",
        environment="production",
        message="renamed after review",
    )
    stored = UseCase.objects.get(pk=uc.pk)
    assert (stored.title, stored.environment, stored.version) == (
        "Mortgage file summariser",
        "production",
        2,
    )
    event = events_for(uc)[-1]
    assert event.action == "update"
    assert event.message == "renamed after review"
    changed = {field for field, _, _ in event.changed_fields()}
    assert changed == {"title", "environment", "version"}
    assert event.before["title"] == "Mortgage document summariser"


def test_an_update_that_changes_nothing_writes_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    uc = services.update_use_case(
        actor=world.alice, use_case=world.alice_uc, title=world.alice_uc.title
    )
    assert uc.version == 1
    assert AuditEvent.objects.count() == before


def test_a_stale_edit_is_refused_with_what_changed(world: World) -> None:
    services.update_use_case(
        actor=world.alice, use_case=world.alice_uc, expected_version=1, vendor="Acme"
    )
    with pytest.raises(StaleVersion) as err:
        services.update_use_case(
            actor=world.ada, use_case=world.alice_uc, expected_version=1, title="Overwrite"
        )
    assert err.value.current == 2
    assert set(err.value.changed) == {"vendor"}
    assert UseCase.objects.get(pk=world.alice_uc.pk).title == "Mortgage document summariser"


def test_stage_is_not_edited_directly(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        services.update_use_case(actor=world.alice, use_case=world.alice_uc, stage="operational")
    assert "transition" in err.value.errors["stage"]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", True),
        ("ada", True),
        ("bob", False),
        ("charlie", False),
        ("pat", False),
        ("rita", False),
    ],
)
def test_who_may_edit(world: World, persona: str, allowed: bool) -> None:
    actor = world.persona(persona)
    if allowed:
        services.update_use_case(actor=actor, use_case=world.alice_uc, vendor=persona)
        assert UseCase.objects.get(pk=world.alice_uc.pk).vendor == persona
    else:
        with pytest.raises(PermissionDenied):
            services.update_use_case(actor=actor, use_case=world.alice_uc, vendor=persona)


def test_unit_leads_above_may_edit(world: World) -> None:
    from aiom.organisation import services as org

    org.update_org_unit(actor=world.ada, unit=world.group, lead=world.charlie)
    services.update_use_case(actor=world.charlie, use_case=world.alice_uc, vendor="lead edit")
    assert UseCase.objects.get(pk=world.alice_uc.pk).vendor == "lead edit"


def test_default_themes_exist_and_new_ones_are_audited(world: World) -> None:
    assert list(Theme.objects.values_list("key", flat=True)) == [
        "cost-reduction",
        "operational-excellence",
        "customer-experience",
        "innovation-acceleration",
        "risk-mitigation",
    ]
    theme = services.create_theme(actor=world.ada, key="sustainability", name="Sustainability")
    assert events_for(theme)[0].after["name"] == "Sustainability"
    with pytest.raises(PermissionDenied):
        services.create_theme(actor=world.alice, key="x", name="X")
    with pytest.raises(InvalidInput):
        services.create_theme(actor=world.ada, key="Bad Key", name="Cost reduction")
    updated = services.update_theme(actor=world.ada, theme=theme, is_active=False)
    assert not Theme.objects.get(pk=updated.pk).is_active
    assert events_for(theme)[-1].before["is_active"] is True
