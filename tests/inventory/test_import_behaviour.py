"""Dry run, all-or-nothing, skip-invalid, re-import updates, owners by e-mail, audit events."""

from pathlib import Path

import pytest

from aiom.core.audit import verify_chain
from aiom.core.models import AuditEvent
from aiom.inventory.models import ImportRun
from aiom.inventory.services import record_import_run
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_import, omb_row


def _rows() -> list[dict[str, str]]:
    return [
        omb_row(id="A-1", use_case_name="Alpha", development_stage="Deployed"),
        omb_row(id="A-2", use_case_name="Beta", agency_bureau=""),
        omb_row(id="A-3", use_case_name="Gamma", development_stage="Sideways"),
    ]


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    events = AuditEvent.objects.count()  # the migrations' default themes
    report = omb_import(omb_csv(tmp_path, _rows()[:2]), dry_run=True)
    assert (report.created, report.invalid, report.written) == (2, 0, False)
    assert report.org_units_to_create == [
        "Commodity Futures Trading Commission (omb-cftc)",
        "Commodity Futures Trading Commission / DCR (omb-cftc-dcr)",
    ]
    assert report.by_stage == {"operational": 1, "pilot": 1}
    assert UseCase.objects.count() == OrgUnit.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_strict_import_is_all_or_nothing(tmp_path: Path) -> None:
    report = omb_import(omb_csv(tmp_path, _rows()))
    assert not report.written
    assert report.invalid == 1
    assert (report.errors[0].line, report.errors[0].column) == (4, "development_stage")
    assert UseCase.objects.count() == OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_the_valid_rows(tmp_path: Path) -> None:
    report = omb_import(omb_csv(tmp_path, _rows()), skip_invalid=True)
    assert report.written
    assert (report.created, report.invalid) == (2, 1)
    beta = UseCase.objects.get(title="Beta")
    assert beta.org_unit.code == "omb-cftc"  # no bureau: the agency itself
    alpha = UseCase.objects.get(title="Alpha")
    assert (alpha.org_unit.code, alpha.stage, alpha.environment) == (
        "omb-cftc-dcr",
        "operational",
        "production",
    )
    assert alpha.stage_changes.get().to_stage == "operational"
    event = AuditEvent.objects.get(object_type="portfolio.usecase", object_id=str(alpha.pk))
    assert event.action == "create"
    assert "imported from inv.csv (preset omb-2025" in event.message
    assert event.after["external_id"] == "omb-2025:CFTC:A-1"
    assert verify_chain().ok


@pytest.mark.django_db
def test_reimport_updates_facts_and_reports_stage_differences(tmp_path: Path) -> None:
    omb_import(omb_csv(tmp_path, _rows()[:2]))
    before = AuditEvent.objects.count()
    changed = [
        omb_row(id="A-1", use_case_name="Alpha v2", development_stage="Retired"),
        omb_row(id="A-2", use_case_name="Beta", agency_bureau=""),
    ]
    report = omb_import(omb_csv(tmp_path, changed, name="again.csv"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    alpha = UseCase.objects.get(external_id="omb-2025:CFTC:A-1")
    assert (alpha.title, alpha.stage, alpha.version) == ("Alpha v2", "operational", 2)
    assert report.stage_differences == [
        "line 2 omb-2025:CFTC:A-1: stage differs: file says Retired ('Retired'), "
        "aiom has Operational"
    ]
    (event,) = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.before["title"], event.after["title"]) == (
        "update",
        "Alpha",
        "Alpha v2",
    )
    assert "again.csv" in event.message


@pytest.mark.django_db
def test_owner_is_matched_by_contact_email_case_insensitively(tmp_path: Path, world: World) -> None:
    rows = [
        omb_row(id="A-1", use_case_name="Owned", contact_email=" ALICE@Example.com "),
        omb_row(id="A-2", use_case_name="Shared inbox", contact_email="caio@agency.gov"),
        omb_row(id="A-3", use_case_name="Partner", contact_email="pat@example.com"),
    ]
    report = omb_import(omb_csv(tmp_path, rows), actor=world.ada)
    assert report.owners_matched == 1
    assert UseCase.objects.get(title="Owned").owner == world.alice
    assert UseCase.objects.get(title="Shared inbox").owner is None
    assert UseCase.objects.get(title="Partner").owner is None  # external: not an owner
    assert any("external partner" in p.message for p in report.warnings)
    assert UseCase.objects.get(title="Owned").proposed_by == world.ada


@pytest.mark.django_db
def test_org_unit_root_puts_the_tree_under_one_unit(tmp_path: Path, world: World) -> None:
    omb_import(omb_csv(tmp_path, _rows()[:1]), org_unit_root="Group")
    agency = OrgUnit.objects.get(code="omb-cftc")
    assert agency.parent == world.group
    assert OrgUnit.objects.get(code="omb-cftc-dcr").path.startswith(world.group.path)


@pytest.mark.django_db
def test_import_run_is_recorded_and_audited(tmp_path: Path, world: World) -> None:
    report = omb_import(omb_csv(tmp_path, _rows()[:2]), actor=world.ada)
    run = record_import_run(actor=world.ada, report=report, skip_invalid=False)
    assert (run.created, run.sha256, run.actor) == (2, report.sha256, world.ada)
    event = AuditEvent.objects.get(object_type="inventory.importrun")
    assert event.after["file_name"] == "inv.csv"
    assert ImportRun.objects.count() == 1
