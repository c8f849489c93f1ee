"""Exports: formula injection neutralised, XLSX never evaluated, round trips, visibility."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from aiom.core.tabular import neutralise
from aiom.inventory.exporter import OMB_2025_COLUMNS, export, select
from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.organisation.models import OrgUnit
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_import, omb_row

INJECTIONS = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]


def test_neutralise() -> None:
    assert [neutralise(v) for v in INJECTIONS] == ["'" + v for v in INJECTIONS]
    assert neutralise("Plain = fine") == "Plain = fine"
    assert neutralise("'-already quoted") == "''-already quoted"  # the import strips one


@pytest.mark.django_db
def test_csv_and_xlsx_exports_neutralise_formulas(tmp_path: Path) -> None:
    rows = [
        omb_row(id=f"F-{i}", use_case_name=f"Case {i}", problem_solved=v)
        for i, v in enumerate(INJECTIONS)
    ]
    rows.append(omb_row(id="F-T", use_case_name='=HYPERLINK("http://x","y")'))
    omb_import(omb_csv(tmp_path, rows))
    assert UseCase.objects.filter(title__startswith="=HYPERLINK").exists()  # stored as text
    use_cases = select()
    text = export("csv", use_cases).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    book = load_workbook(io.BytesIO(export("xlsx", use_cases)))
    values = [str(c.value or "") for row in book.active.iter_rows() for c in row]  # type: ignore[union-attr]
    assert '\'=HYPERLINK("http://x","y")' in values
    assert not [v for v in values if v[:1] in ("=", "+", "-", "@")]
    omb = export("omb-2025", use_cases).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(omb))) == OMB_2025_COLUMNS
    assert "'=HYPERLINK" in omb


@pytest.mark.django_db
def test_xlsx_import_never_evaluates_formulas(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["agency", "agency_name", "id", "use_case_name", "agency_bureau", "development_stage"]
    )
    sheet.append(["CFTC", "CFTC", "X-1", '=HYPERLINK("http://x","y")', "DCR", "Pilot"])
    sheet.append(["CFTC", "CFTC", "X-2", "Plain", "DCR", "Pilot"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    report = run_import(path, actor=None, mapping=load_preset("omb-2025"), skip_invalid=True)
    # data_only: a formula without a cached value reads as blank, never as a computed value
    assert report.created == 1
    # the omb-2025 preset skips a row without a title (skip_rows) and names it
    assert [(a.line, a.reason) for a in report.set_aside] == [(2, "blank_title")]
    assert UseCase.objects.get().title == "Plain"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_round_trip_into_an_empty_database(tmp_path: Path, world: World, fmt: str) -> None:
    portfolio.update_use_case(
        actor=None,
        use_case=world.alice_uc,
        title='=HYPERLINK("x") — summariser',
        problem="'-a value that starts quoted\nline two",
        personal_data=True,
        vendor="Acme",
        expected_benefit_amount="1200.50",
    )
    data = export(fmt, select())
    expected = _portfolio()
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    UseCase.objects.all().delete()
    report = run_import(path, actor=None, mapping=None)  # the aiom preset is detected
    assert report.preset == "aiom"
    assert report.written, [str(p) for p in report.problems]
    assert (report.created, report.invalid) == (3, 0)
    assert _portfolio() == expected


@pytest.mark.django_db
def test_round_trip_recreates_the_org_unit_tree(tmp_path: Path) -> None:
    rows = [
        omb_row(id="A-1", use_case_name="Alpha", development_stage="Deployed"),
        omb_row(id="A-2", use_case_name="Beta", agency_bureau="Office / of things"),
        omb_row(agency="ED", agency_name="Education", id="E-1", use_case_name="Gamma"),
    ]
    omb_import(omb_csv(tmp_path, rows))
    expected = _portfolio()
    units = sorted(OrgUnit.objects.values_list("code", "name", "depth"))
    path = tmp_path / "export.json"
    path.write_bytes(export("json", select()))
    UseCase.objects.all().delete()
    for unit in OrgUnit.objects.order_by("-depth"):
        unit.delete()
    report = run_import(path, actor=None, mapping=None)
    assert report.created == 3
    assert sorted(OrgUnit.objects.values_list("code", "name", "depth")) == units
    assert _portfolio() == expected
    assert set(UseCase.objects.values_list("external_id", flat=True)) == {
        "omb-2025:CFTC:A-1",
        "omb-2025:CFTC:A-2",
        "omb-2025:ED:E-1",
    }


def _portfolio() -> list[tuple[object, ...]]:
    return sorted(
        (
            uc.title,
            uc.stage,
            uc.org_unit.code,
            uc.org_unit.name,
            uc.problem,
            uc.personal_data,
            uc.vendor,
            uc.confidential,
            uc.owner_id,
            uc.theme_id,
            str(uc.expected_benefit_amount),
            uc.proposed_on,
            uc.ai_type,
        )
        for uc in UseCase.objects.select_related("org_unit")
    )


@pytest.mark.django_db
def test_export_command_respects_visibility_and_filters(tmp_path: Path, world: World) -> None:
    out = tmp_path / "all.json"
    call_command("export", "--format", "json", "-o", str(out))
    titles = {r["title"] for r in json.loads(out.read_text())["use_cases"]}
    assert titles == {
        "Mortgage document summariser",
        "Branch closure predictor",
        "Client churn early warning",
    }
    call_command("export", "--format", "json", "--as", "bob", "-o", str(out))
    bob_sees = {r["title"] for r in json.loads(out.read_text())["use_cases"]}
    assert bob_sees == set(UseCase.objects.visible_to(world.bob).values_list("title", flat=True))
    assert "Client churn early warning" not in bob_sees
    call_command("export", "--format", "csv", "--org-unit", world.wealth.code, "-o", str(out))
    assert "Client churn" in out.read_text(encoding="utf-8-sig")
    assert "Mortgage" not in out.read_text(encoding="utf-8-sig")


# No NUL: PostgreSQL cannot store it (imports strip it; see test_broken_files.py).
CONTROL_TEXT = "Bell\x07 us\x1f esc\x1b[31m tab\t line\n vt\x0b del\x7f end"


@pytest.mark.django_db
def test_control_characters_in_stored_text_never_break_an_export(
    tmp_path: Path, world: World
) -> None:
    """Stored before services refused them (or written around them): every format exports."""
    UseCase.objects.filter(pk=world.alice_uc.pk).update(
        title="Title\x01", problem=CONTROL_TEXT, vendor="=Acme\x02"
    )
    out = tmp_path / "all.xlsx"
    call_command("export", "--format", "xlsx", "-o", str(out))  # crashed the whole export
    book = load_workbook(out)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in next(sheet.iter_rows())]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(values_only=True)]
    cell = next(r for r in rows if r["title"] == "Title\u2401")
    assert cell["problem"] == "Bell\u2407 us\u241f esc\u241b[31m tab\t line\n vt\u240b del\x7f end"
    assert cell["vendor"] == "'=Acme\u2402"  # still neutralised, then made XLSX-safe
    csv_text = export("csv", select()).decode("utf-8-sig")
    records = {r["title"]: r for r in csv.DictReader(io.StringIO(csv_text, newline=""))}
    assert records["Title\x01"]["problem"] == CONTROL_TEXT  # CSV keeps every character
    document = json.loads(export("json", select()))
    assert {r["problem"] for r in document["use_cases"]} >= {CONTROL_TEXT}
    assert export("omb-2025", select())  # the federal columns too
