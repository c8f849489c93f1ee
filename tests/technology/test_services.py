"""Registry services: each returns the row it stored and writes one audit event."""

from typing import Any

import pytest

from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.technology import services
from aiom.technology.models import AIModel, Platform, UseCaseModel, UseCaseVendor, Vendor
from tests.conftest import World
from tests.technology.conftest import Registry


def last_event(obj: Any) -> AuditEvent:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).latest("seq")


def test_create_vendor_returns_stores_and_audits(world: World, reg: Registry) -> None:
    made = services.create_vendor(
        actor=reg.ian,
        name="  Mistral ",
        website="https://mistral.ai",
        contract_owner=world.alice.pk,
        contract_start="2026-01-01",
        contract_end="2027-12-31",
        dpa_signed=True,
        risk_notes="EU hosting.",
    )
    row = Vendor.objects.get(pk=made.pk)
    assert (row.name, row.contract_owner, row.dpa_signed) == ("Mistral", world.alice, True)
    assert row.contract_end is not None and row.contract_end.year == 2027
    event = last_event(row)
    assert (event.action, event.actor) == ("create", reg.ian)
    assert event.after["contract_owner"] == {"id": world.alice.pk, "name": "Alice Example"}
    assert event.after["contract_start"] == "2026-01-01"


def test_create_model_returns_stores_and_audits(world: World, reg: Registry) -> None:
    row = AIModel.objects.get(pk=reg.gpt.pk)
    assert (row.vendor, row.model_type, list(row.owners.all())) == (
        reg.openai,
        "generative_llm",
        [world.bob],
    )
    assert not row.in_house and AIModel.objects.get(pk=reg.fraud.pk).in_house
    event = last_event(row)
    assert event.action == "create" and event.after["vendor"]["name"] == "OpenAI"
    assert event.after["owners"] == [{"id": world.bob.pk, "name": "Bob Example"}]


def test_create_platform_normalises_environments(world: World, reg: Registry) -> None:
    row = Platform.objects.get(pk=reg.gateway.pk)
    assert row.environments == ["sandbox", "production"]
    assert last_event(row).after["environments"] == ["sandbox", "production"]


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("vendor", {"name": ""}, "name"),
        ("vendor", {"name": "openai"}, "name"),  # unique whatever the case
        ("vendor", {"name": "V", "website": "ftp://x"}, "website"),
        (
            "vendor",
            {"name": "V", "contract_start": "2026-05-01", "contract_end": "2026-01-01"},
            "contract_end",
        ),
        ("vendor", {"name": "V", "contract_start": "soon"}, "contract_start"),
        ("vendor", {"name": "V", "dpa_signed": "yes"}, "dpa_signed"),
        ("vendor", {"name": "V", "colour": "blue"}, "colour"),
        ("model", {"name": "M"}, "model_type"),
        ("model", {"name": "M", "model_type": "magic"}, "model_type"),
        ("model", {"name": "gpt-4O", "version": "2024-08", "model_type": "nlp"}, "name"),
        ("model", {"name": "M", "model_type": "nlp", "evaluated_on": "2999-01-01"}, "evaluated_on"),
        ("model", {"name": "M", "model_type": "nlp", "vendor": 9999}, "vendor"),
        ("model", {"name": "M", "model_type": "nlp", "runs_where": "moon"}, "runs_where"),
        ("platform", {"name": "llm GATEWAY"}, "name"),
        ("platform", {"name": "P", "environments": ["x" * 41]}, "environments"),
    ],
)
def test_create_refuses_bad_input(reg: Registry, kind: str, fields: dict, field: str) -> None:
    create = {"vendor": services.create_vendor, "model": services.create_model}.get(
        kind, services.create_platform
    )
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        create(actor=reg.ian, **fields)
    assert field in exc.value.errors
    assert AuditEvent.objects.count() == before


def test_same_model_name_at_another_version_is_fine(reg: Registry) -> None:
    newer = services.create_model(
        actor=reg.ian, name="GPT-4o", version="2025-01", model_type="generative_llm"
    )
    assert str(newer) == "GPT-4o 2025-01"


def test_update_audits_before_and_after_and_skips_no_change(world: World, reg: Registry) -> None:
    changed = services.update_record(
        actor=reg.ian, record=reg.gpt, status="deprecated", owners=[world.alice]
    )
    assert changed.status == "deprecated"
    assert list(AIModel.objects.get(pk=reg.gpt.pk).owners.all()) == [world.alice]
    event = last_event(reg.gpt)
    assert event.action == "update"
    assert (event.before["status"], event.after["status"]) == ("active", "deprecated")
    assert event.after["owners"][0]["id"] == world.alice.pk
    count = AuditEvent.objects.count()
    services.update_record(actor=reg.ian, record=reg.gpt, status="deprecated")
    assert AuditEvent.objects.count() == count


def test_link_stores_and_audits_on_the_use_case(world: World, reg: Registry) -> None:
    link = services.link(
        actor=world.alice, use_case=world.alice_uc, record=reg.fraud, purpose=" score "
    )
    assert UseCaseModel.objects.get(pk=link.pk).purpose == "score"
    event = last_event(world.alice_uc)
    assert (event.action, event.actor) == ("link_model", world.alice)
    assert event.after == {
        "model": {"id": reg.fraud.pk, "name": "Fraud scorer"},
        "purpose": "score",
    }


@pytest.mark.parametrize("case", ["duplicate", "deprecated", "long purpose"])
def test_link_refusals(world: World, reg: Registry, case: str) -> None:
    record, purpose = reg.gpt, ""
    if case == "deprecated":
        services.update_record(actor=reg.ian, record=reg.fraud, status="deprecated")
        record = AIModel.objects.get(pk=reg.fraud.pk)
    elif case == "long purpose":
        record, purpose = reg.fraud, "x" * 501
    with pytest.raises(InvalidInput):
        services.link(actor=world.alice, use_case=world.alice_uc, record=record, purpose=purpose)


def test_unlink_removes_and_audits(world: World, reg: Registry) -> None:
    services.unlink(actor=world.alice, use_case=world.alice_uc, record=reg.openai)
    assert not UseCaseVendor.objects.filter(use_case=world.alice_uc).exists()
    event = last_event(world.alice_uc)
    assert event.action == "unlink_vendor" and event.before["vendor"]["name"] == "OpenAI"
    with pytest.raises(InvalidInput):
        services.unlink(actor=world.alice, use_case=world.alice_uc, record=reg.openai)


def test_a_linked_record_cannot_be_deleted(reg: Registry) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        reg.gateway.delete()
