"""External ids cannot steer imports: unique per source, normalised, set only by imports
and administrators; a re-import updates only its own source's, visible use cases."""

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.inventory.exporter import export, select
from aiom.inventory.importer import run_import
from aiom.portfolio import external_ids
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_import, omb_row

pytestmark = pytest.mark.django_db
REAL_ID = "omb-2025:CFTC:A-1"


@pytest.mark.parametrize(
    ("raw", "shown", "key"),
    [
        ("  OMB-1  ", "OMB-1", "omb-1"),
        ("a  \u00a0 b", "a b", "a b"),  # inner whitespace runs (no-break space too) are one
        ("\uff2f\uff2d\uff22-\uff11", "OMB-1", "omb-1"),  # full width: NFKC
        ("A\u200b-1\u200e", "A-1", "a-1"),  # zero-width and bidi marks dropped
        ("Stra\u00dfe-1", "Stra\u00dfe-1", "strasse-1"),  # casefold, not lower
        ("", "", ""),
    ],
)
def test_the_normalisation_policy(raw: str, shown: str, key: str) -> None:
    assert external_ids.normalise(raw) == shown
    assert external_ids.key_of(raw) == key


@pytest.mark.parametrize("raw", ["A\x00-1", "A\x1b-1", "A\t1", "A\n1"])
def test_control_characters_are_refused_in_an_id(raw: str) -> None:
    with pytest.raises(external_ids.ControlCharacterError):
        external_ids.normalise(raw)


def _patch(client: Client, uc: UseCase, **body: Any) -> Any:
    return client.patch(f"/api/v1/use-cases/{uc.pk}", body, content_type="application/json")


@pytest.mark.parametrize("persona", ["alice", "bob", "rita"])
def test_nobody_but_administrators_sets_an_id_through_the_api(
    login: Any, world: World, persona: str
) -> None:
    client = login(persona)
    response = _patch(client, world.alice_uc, external_id=REAL_ID)
    assert response.status_code in (403, 422)  # bob and rita may not edit at all
    if response.status_code == 422:
        (problem,) = response.json()["detail"]
        assert problem["loc"] == ["body", "external_id"]
        assert problem["msg"] == "only imports and administrators set an external id"
    created = client.post(
        "/api/v1/use-cases",
        {
            "title": "Planted",
            "org_unit": world.retail.pk,
            "owner": world.alice.pk,
            "external_id": REAL_ID,
        },
        content_type="application/json",
    )
    assert created.status_code == 422
    assert created.json()["detail"][0]["loc"] == ["body", "external_id"]
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.external_id == ""
    assert not UseCase.objects.filter(title="Planted").exists()


def test_sending_the_current_id_back_unchanged_is_allowed(login: Any, world: World) -> None:
    portfolio.update_use_case(actor=world.ada, use_case=world.alice_uc, external_id="CRM-7")
    response = _patch(login("alice"), world.alice_uc, external_id="CRM-7", vendor="Acme")
    assert response.status_code == 200
    assert response.json()["external_id"] == "CRM-7"
    assert response.json()["vendor"] == "Acme"


def test_an_administrator_sets_a_normalised_id_by_hand(login: Any, world: World) -> None:
    response = _patch(login("ada"), world.alice_uc, external_id="  crm\u00a0 7 ")
    assert response.status_code == 200
    body = response.json()
    assert (body["external_id"], body["external_source"]) == ("crm 7", "")
    stored = UseCase.objects.get(pk=world.alice_uc.pk)
    assert stored.external_key == "crm 7"
    event = AuditEvent.objects.filter(object_id=str(stored.pk), action="update").last()
    assert event is not None and event.after["external_id"] == "crm 7"
    control = _patch(login("ada"), world.alice_uc, external_id="crm\x007")
    assert control.status_code == 422
    assert control.json()["detail"][0]["loc"] == ["body", "external_id"]


def test_the_planted_id_attack_end_to_end(login: Any, world: World, tmp_path: Path) -> None:
    """A member plants the id of a confidential row; the re-import must not copy it."""
    omb_import(omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="Real", problem_solved="v1")]))
    real = UseCase.objects.get(external_id=REAL_ID)
    assert real.external_source == "omb-2025"
    portfolio.update_use_case(
        actor=None, use_case=real, confidential=True, org_unit=world.wealth
    )  # a confidential use case Alice cannot see

    planted = _patch(login("alice"), world.alice_uc, external_id=REAL_ID)
    assert planted.status_code == 422
    assert "external_id" in str(planted.json())
    # An administrator may set the same id by hand: a reference, never the import's row.
    assert _patch(login("ada"), world.alice_uc, external_id=REAL_ID).status_code == 200

    again = tmp_path / "again"
    again.mkdir()
    row = omb_row(id="A-1", use_case_name="Real", problem_solved="CONFIDENTIAL v2")
    report = omb_import(omb_csv(again, [row]), actor=world.ada)
    assert report.written
    assert (report.created, report.updated, report.invalid) == (0, 1, 0)
    assert UseCase.objects.get(pk=real.pk).problem == "CONFIDENTIAL v2"
    assert UseCase.objects.get(pk=world.alice_uc.pk).problem == ""
    (warning,) = [p for p in report.warnings if p.column == "external id"]
    assert f"use case {world.alice_uc.pk} (set by hand): left alone" in warning.message
    assert f"only use case {real.pk} (source omb-2025) is updated" in warning.message
    seen = login("alice").get(f"/api/v1/use-cases/{world.alice_uc.pk}").json()
    assert "CONFIDENTIAL" not in str(seen)


def test_an_id_only_another_source_holds_refuses_the_row(world: World, tmp_path: Path) -> None:
    portfolio.update_use_case(actor=world.ada, use_case=world.alice_uc, external_id=REAL_ID)
    rows = [omb_row(id="A-1", use_case_name="Real"), omb_row(id="A-2", use_case_name="Other")]
    report = omb_import(omb_csv(tmp_path, rows), actor=world.ada, skip_invalid=True)
    (error,) = report.errors
    assert (error.line, error.column) == (2, "external id")
    assert error.message.startswith(f"ambiguous: external id {REAL_ID} is already on use case")
    assert f"use case {world.alice_uc.pk} (set by hand)" in error.message
    assert report.created == 1
    assert UseCase.objects.filter(external_key=REAL_ID.casefold()).count() == 1
    assert UseCase.objects.get(pk=world.alice_uc.pk).title == "Mortgage document summariser"


def test_a_reimport_never_updates_a_use_case_the_actor_cannot_see(
    world: World, tmp_path: Path
) -> None:
    omb_import(omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="Real")]))
    real = UseCase.objects.get(external_id=REAL_ID)
    portfolio.update_use_case(actor=None, use_case=real, confidential=True, org_unit=world.wealth)
    again = tmp_path / "again"
    again.mkdir()
    path = omb_csv(again, [omb_row(id="A-1", use_case_name="Changed")])
    report = run_import(path, actor=world.bob, mapping=None, dry_run=True)
    (error,) = report.errors
    assert "belongs to a use case you cannot see" in error.message
    assert str(real.pk) not in error.message
    assert (report.created, report.updated) == (0, 0)


def test_ids_that_differ_in_case_space_or_width_are_one_id(world: World, tmp_path: Path) -> None:
    omb_import(omb_csv(tmp_path, [omb_row(id="AB-1", use_case_name="Real")]))
    again = tmp_path / "again"
    again.mkdir()
    variant = omb_row(id=" \uff41\uff42-1 ", use_case_name="Real v2")
    report = omb_import(omb_csv(again, [variant]))
    assert (report.created, report.updated) == (0, 1)
    assert UseCase.objects.get(external_source="omb-2025").title == "Real v2"
    twice = [omb_row(id="X-1", use_case_name="One"), omb_row(id="x-1 ", use_case_name="Two")]
    dup = omb_import(omb_csv(again, twice, name="dup.csv"), dry_run=True)
    (error,) = dup.errors
    assert "duplicate external id omb-2025:CFTC:x-1 (first at line 2)" in error.message


def test_the_database_refuses_a_second_holder_in_one_source(world: World) -> None:
    fields: dict[str, Any] = {"org_unit": world.retail, "require_owner": False}
    first = portfolio.create_use_case(
        actor=None, title="One", external_id="K-1", external_source="src", **fields
    )
    with pytest.raises(InvalidInput) as refused:
        portfolio.create_use_case(
            actor=None, title="Two", external_id=" k-1", external_source="src", **fields
        )
    assert refused.value.errors == {
        "external_id": f"'k-1' is already the external id of use case {first.pk} in source src"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        UseCase.objects.create(
            title="Raw",
            org_unit=world.retail,
            external_id="k-1",
            external_source="src",
            external_key="k-1",
        )  # the constraint, below every service
    by_hand = portfolio.create_use_case(actor=None, title="Ref", external_id="K-1", **fields)
    assert by_hand.external_source == ""  # set by hand: a reference, not unique


def test_by_hand_ids_held_twice_refuse_an_aiom_row_naming_both(
    world: World, tmp_path: Path
) -> None:
    for uc in (world.alice_uc, world.alice_secret):
        portfolio.update_use_case(actor=world.ada, use_case=uc, external_id="CRM-7")
    export_path = tmp_path / "export.csv"
    export_path.write_bytes(export("csv", select().filter(pk=world.alice_uc.pk)))
    report = run_import(export_path, actor=world.ada, mapping=None, dry_run=True)
    assert report.preset == "aiom"
    (error,) = report.errors
    assert "ambiguous: external id CRM-7 is on " in error.message
    assert f"use case {world.alice_uc.pk} and use case {world.alice_secret.pk}" in error.message


def test_an_aiom_export_reimported_updates_the_same_use_cases(world: World, tmp_path: Path) -> None:
    omb_import(omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="Real")]))
    portfolio.update_use_case(actor=world.ada, use_case=world.alice_uc, external_id="CRM-7")
    path = tmp_path / "export.csv"
    path.write_bytes(export("csv", select()))
    before = UseCase.objects.count()
    report = run_import(path, actor=world.ada, mapping=None)
    assert report.written, [str(p) for p in report.problems]
    assert report.unchanged == 2  # the imported one and the one with an id set by hand
    assert report.created == 2  # the two without an id come back as new "aiom:<pk>" ones
    assert UseCase.objects.count() == before + 2


def test_the_migration_gives_sources_from_the_trail_and_settles_duplicates(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    """The data step of portfolio 0007 on rows as they were before it (no source, no key)."""
    from django.apps import apps

    step = importlib.import_module("aiom.portfolio.migrations.0007_external_id_source")
    omb_import(omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="Real")]))
    real = UseCase.objects.get(external_source="omb-2025")
    first = tmp_path / "first"
    first.mkdir()
    omb_import(omb_csv(first, [omb_row(id="C-1", use_case_name="Older")]))
    older = UseCase.objects.get(title="Older")
    UseCase.objects.filter(pk=older.pk).update(external_source="", external_key="")
    second = tmp_path / "second"
    second.mkdir()
    omb_import(omb_csv(second, [omb_row(id="c-1", use_case_name="Newer")]))  # case twin
    newer = UseCase.objects.get(title="Newer")
    # Before the fix a member could plant the real id; the trail shows no import gave it.
    UseCase.objects.filter(pk=world.alice_uc.pk).update(external_id=f" {REAL_ID} ")
    UseCase.objects.all().update(external_source="", external_key="")

    step.backfill(apps, None)

    found = {
        uc.pk: (uc.external_id, uc.external_source, uc.external_key) for uc in UseCase.objects.all()
    }
    assert found[real.pk] == (REAL_ID, "omb-2025", REAL_ID.casefold())
    assert found[world.alice_uc.pk] == (REAL_ID, "", REAL_ID.casefold())  # set by hand
    assert found[older.pk] == ("omb-2025:CFTC:C-1", "omb-2025", "omb-2025:cftc:c-1")
    assert found[newer.pk] == ("omb-2025:CFTC:c-1", "", "omb-2025:cftc:c-1")  # kept as text
    assert f"use case {newer.pk}: external id 'omb-2025:CFTC:c-1'" in capsys.readouterr().out
    assert found[world.alice_secret.pk] == ("", "", "")


def test_an_administrator_clearing_an_id_clears_its_source(world: World, tmp_path: Path) -> None:
    omb_import(omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="Real")]))
    real = UseCase.objects.get(external_id=REAL_ID)
    portfolio.update_use_case(actor=None, use_case=real, owner=world.alice, org_unit=world.retail)
    with pytest.raises(InvalidInput) as refused:  # the owner edits it, but not its id
        portfolio.update_use_case(actor=world.alice, use_case=real, external_id="")
    assert refused.value.errors == {"external_id": external_ids.ONLY_ADMINS}
    portfolio.update_use_case(actor=world.ada, use_case=real, external_id="")
    real.refresh_from_db()
    assert (real.external_id, real.external_source, real.external_key) == ("", "", "")
    again = tmp_path / "again"
    again.mkdir()
    report = omb_import(omb_csv(again, [omb_row(id="A-1", use_case_name="Real")]))
    assert (report.created, report.updated) == (1, 0)  # no longer the import's row


@pytest.mark.parametrize("view", ["create", "edit"])
def test_the_use_case_form_ignores_a_forged_external_id(
    login: Any, world: World, view: str
) -> None:
    from django.urls import reverse

    from aiom.portfolio.forms import UseCaseForm

    form = UseCaseForm(instance=world.alice_uc)
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data = {k: v for k, v in data.items() if v is not False}  # unchecked boxes are absent
    data.update(external_id=REAL_ID, external_source="omb-2025", title=f"Forged {view}")
    url = (
        reverse("portfolio:create")
        if view == "create"
        else reverse("portfolio:edit", args=[world.alice_uc.pk])
    )
    response = login("alice").post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = UseCase.objects.get(title=f"Forged {view}")
    assert (saved.external_id, saved.external_source) == ("", "")
