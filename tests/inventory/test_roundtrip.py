"""Source attributes and lossless exports, one test per class of loss (small hand-made files)."""

import csv
import io
import json
from pathlib import Path

import pytest

from aiom.core.models import AuditEvent
from aiom.inventory.exporter import export, select
from aiom.inventory.importer import run_import
from aiom.inventory.mapping import TextSpec, load_preset
from aiom.inventory.roundtrip import NORMALISATIONS, Cell, compare_files
from aiom.inventory.source_format import decompose
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import OMB_HEADER, omb_csv, omb_import, omb_row

HEADER = [*OMB_HEADER, "is_withheld", "Local Notes", "have_ato"]
DESCRIPTION = TextSpec(
    ["system_outputs", "data_description"],
    {"system_outputs": "System outputs", "data_description": "Data"},
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {"system_outputs": "", "data_description": ""}),
        ("System outputs: a", {"system_outputs": "a", "data_description": ""}),
        ("Data: b", {"system_outputs": "", "data_description": "b"}),
        ("System outputs: a\n\nData: b", {"system_outputs": "a", "data_description": "b"}),
        # a blank line inside a part, and a later label's word without its place
        (
            "System outputs: a\n\nb Data: c",
            {"system_outputs": "a\n\nb Data: c", "data_description": ""},
        ),
        # text typed in aiom, without the labels: the first column (or free_text's)
        ("Flags anomalies", {"system_outputs": "Flags anomalies", "data_description": ""}),
        # the labels out of their order: not the import's join, kept whole
        (
            "Data: b\n\nSystem outputs: a",
            {"system_outputs": "", "data_description": "b\n\nSystem outputs: a"},
        ),
    ],
)
def test_decompose_undoes_the_labelled_join(text: str, expected: dict[str, str]) -> None:
    assert decompose(DESCRIPTION, text) == expected


def test_decompose_unlabelled_and_free_text_column() -> None:
    assert decompose(TextSpec(["a"]), "x") == {"a": "x"}
    assert decompose(DESCRIPTION, "free", "data_description") == {
        "system_outputs": "",
        "data_description": "free",
    }


def _cell(original: str, exported: str, role: str = "", **kw: object) -> Cell:
    values: dict[str, object] = {
        "column": "c",
        "original": original,
        "exported": exported,
        "fields": (),
        "role": role,
        "same_dates": False,
        "mapping": load_preset("omb-2025"),
    }
    values.update(kw)
    return Cell(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "cell", "holds"),
    [
        ("whitespace trimmed", _cell(" a \n", "a"), True),
        ("whitespace trimmed", _cell("a b", "ab"), False),
        ("control characters removed", _cell("a\x00b", "ab"), True),
        ("line ends as LF", _cell("a\r\nb\rc", "a\nb\nc"), True),
        ("line ends as LF", _cell("a\r\nb", "ab"), False),
        ("control characters removed", _cell("ab", "a"), False),
        ("spreadsheet formula escape undone", _cell("'=1+1", "=1+1"), True),
        ("spreadsheet formula escape undone", _cell("'abc", "abc"), False),
        (
            "date as ISO at its precision",
            _cell("9/1/2019", "2019-09-01", "date", same_dates=True),
            True,
        ),
        ("date as ISO at its precision", _cell("9/1/2019", "2019-01-09", "date"), False),
        ("text cut to the field's limit", _cell("v" * 130, "v" * 120, fields=("vendor",)), True),
        ("text cut to the field's limit", _cell("v" * 100, "v" * 90, fields=("vendor",)), False),
        (
            "org unit as first spelled (case, spacing)",
            _cell("Office  of X", "office of x", "org"),
            True,
        ),
        (
            "org unit as first spelled (case, spacing)",
            _cell("Office of X", "Office of Y", "org"),
            False,
        ),
        ("owner e-mail as the user's", _cell("A@X.GOV", "a@x.gov", "owner"), True),
        ("owner e-mail as the user's", _cell("a@x.gov", "b@x.gov", "owner"), False),
    ],
)
def test_each_normalisation_holds_only_for_its_own_difference(
    rule: str, cell: Cell, holds: bool
) -> None:
    assert NORMALISATIONS[rule](cell) is holds


def _file(tmp_path: Path, *rows: dict[str, str], name: str = "inv.csv") -> Path:
    return omb_csv(tmp_path, list(rows), header=HEADER, name=name)


def _row(**values: str) -> dict[str, str]:
    return omb_row(**{"id": "C-1", "use_case_name": "Claims triage", **values})


def _export_rows(fmt: str = "omb-2025") -> list[dict[str, str]]:
    text = export(fmt, select()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_import_keeps_unmapped_and_only_interpreted_columns_as_read(tmp_path: Path) -> None:
    row = _row(
        **{"Local Notes": "  kept as read  ", "have_ato": "", "is_withheld": "No"},
        classification="Classical ML",
        problem_solved="Backlog",
    )
    assert omb_import(_file(tmp_path, row)).written
    uc = UseCase.objects.get()
    assert uc.source_attributes == {
        "agency": "CFTC",  # only in the id and code templates: its text is kept
        "development_stage": "Pilot",  # only interpreted (a stage)
        "classification": "Classical ML",  # only interpreted (an AI type rule)
        "is_withheld": "No",
        "Local Notes": "  kept as read  ",  # header as in the file, value as read
    }  # blank have_ato dropped; title, problem, bureau, id: held by fields


@pytest.mark.django_db
def test_reimport_a_changed_unmapped_cell_is_an_update_identical_is_unchanged(
    tmp_path: Path,
) -> None:
    omb_import(_file(tmp_path, _row(**{"Local Notes": "one"})))
    again = omb_import(_file(tmp_path, _row(**{"Local Notes": "one"}), name="b.csv"))
    assert (again.updated, again.unchanged) == (0, 1)
    changed = omb_import(_file(tmp_path, _row(**{"Local Notes": "two"}), name="c.csv"))
    assert (changed.updated, changed.unchanged) == (1, 0)
    uc = UseCase.objects.get()
    assert uc.source_attributes["Local Notes"] == "two"
    event = AuditEvent.objects.filter(action="update").get()
    assert event.before["source_attributes"]["Local Notes"] == "one"
    assert event.after["source_attributes"]["Local Notes"] == "two"
    blanked = omb_import(_file(tmp_path, _row(), name="d.csv"))
    assert blanked.updated == 1
    assert "Local Notes" not in UseCase.objects.get().source_attributes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "why"),
    [
        (
            {"problem_solved": "=SUM(A1)", "benefits": "-2 days", "system_outputs": "@risk"},
            "formula",
        ),
        ({"vendor_name": "N/A", "problem_solved": "TBD"}, "placeholder read as blank"),
        ({"vendor_name": "V" * 130}, "text cut to the field's limit"),
        ({"agency_bureau": "B" * 130}, "unit name cut"),
        ({"agency_bureau": "Commodity Futures Trading Commission"}, "bureau named like agency"),
        ({"operational_date": "sometime soon"}, "unreadable date"),
        ({"operational_date": "2019/11"}, "partial date"),
        (
            {
                "is_high_impact": "High-impact",
                "HI_justification": "Decides benefits",
                "hi_potential_impacts": "Wrong denials",
                "system_outputs": "Scores",
                "data_description": "Claims history",
            },
            "composite fields",
        ),
        ({"id": "", "agency_bureau": "DCR"}, "no id: derived from bureau and name"),
        ({"id": "TBD"}, "placeholder id"),
        ({"problem_solved": "a\r\nb", "Local Notes": "x\r\ny\rz"}, "line ends as LF"),
    ],
)
def test_omb_round_trip_is_exact_or_a_listed_normalisation(
    tmp_path: Path, cells: dict[str, str], why: str
) -> None:
    original = _file(tmp_path, _row(**cells), omb_row(id="C-2", use_case_name="Other case"))
    assert omb_import(original).written, why
    exported = tmp_path / "export.csv"
    exported.write_bytes(export("omb-2025", select()))
    comparison = compare_files(original, exported, load_preset("omb-2025"))
    assert comparison.matched == 2
    assert comparison.differences == 0, "\n".join(comparison.lines())
    again = omb_import(exported)
    assert (again.created, again.updated, again.unchanged, again.invalid) == (0, 0, 2, 0), why


@pytest.mark.django_db
def test_formula_cells_come_back_as_the_same_text(tmp_path: Path) -> None:
    omb_import(_file(tmp_path, _row(problem_solved="=SUM(A1)", benefits="'=kept")))
    rows = _export_rows()
    assert rows[0]["problem_solved"] == "'=SUM(A1)"  # a spreadsheet shows it, never runs it
    uc = UseCase.objects.get()
    assert uc.problem == "=SUM(A1)"
    assert uc.value_hypothesis == "=kept"  # the file's own escape was undone on import


@pytest.mark.django_db
def test_export_writes_aiom_values_changed_since_the_import(tmp_path: Path) -> None:
    row = _row(
        classification="Classical ML",
        development_stage="Pilot",
        system_outputs="Scores",
        data_description="Claims",
        is_high_impact="Not High-impact",
    )
    omb_import(_file(tmp_path, row))
    uc = UseCase.objects.get()
    portfolio.update_use_case(
        actor=None,
        use_case=uc,
        title="Claims triage v2",
        ai_type="generative",
        description="Typed in aiom",
        risk_notes="Reviewed by the board",
    )
    UseCase.objects.filter(pk=uc.pk).update(stage="operational")  # as a lifecycle move would
    out = _export_rows()[0]
    assert out["use_case_name"] == "Claims triage v2"
    assert out["classification"] == "Generative AI"  # aiom's value through the table
    assert out["development_stage"] == "Deployed"
    assert (out["system_outputs"], out["data_description"]) == ("Typed in aiom", "")
    assert out["HI_justification"] == "Reviewed by the board"  # free text: export.free_text
    assert out["is_high_impact"] == ""


@pytest.mark.django_db
def test_use_cases_from_elsewhere_are_filled_from_aiom_fields(world: World) -> None:
    out = _export_rows()
    assert len(out) == UseCase.objects.count()
    uc = UseCase.objects.order_by("pk").first()
    assert uc is not None
    row = next(r for r in out if r["use_case_name"] == uc.title)
    assert row["id"] == f"AIOM-{uc.pk}"
    assert row["development_stage"] == {"intake": "Pre-deployment", "pilot": "Pilot"}.get(
        uc.stage, row["development_stage"]
    )
    assert row["classification"]  # from aiom's AI type
    assert row["demographic_features"] == "[]"  # export.defaults


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_aiom_formats_carry_contact_and_source_attributes(tmp_path: Path, fmt: str) -> None:
    row = _row(**{"Local Notes": "x", "contact_email": "ai-team@cftc.gov"})
    omb_import(_file(tmp_path, row))
    uc = UseCase.objects.get()
    assert uc.contact == "ai-team@cftc.gov" and uc.owner is None
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(export(fmt, select()))
    if fmt == "json":
        record = json.loads(path.read_text(encoding="utf-8"))["use_cases"][0]
        assert record["source_attributes"]["Local Notes"] == "x"
    again = run_import(path, actor=None, mapping=load_preset("aiom"))
    assert (again.updated, again.unchanged) == (0, 1)
    # into another aiom: the same source attributes and contact
    UseCase.objects.all().delete()
    fresh = run_import(path, actor=None, mapping=load_preset("aiom"))
    assert fresh.created == 1
    copy = UseCase.objects.get()
    assert copy.source_attributes == uc.source_attributes
    assert copy.contact == "ai-team@cftc.gov"
    assert copy.external_source == "omb-2025"


USER_MAPPING = """
name: city-register
external_id: {column: ref}
org_units: [{name: department}]
fields:
  title: name
  proposed_on: {column: proposed, day_first: true}
  stage_entered_on: {column: live since, day_first: true, stages: [operational]}
stage:
  column: status
  values: {idea: intake, live: operational}
  blank: intake
unescape_formulas: true
export:
  columns: [ref, name, department, status, proposed, live since, notes]
  values:
    stage: {intake: idea, operational: live}
"""


@pytest.mark.django_db
def test_a_user_mapping_round_trips_dates_it_reads_only_in_some_stages(tmp_path: Path) -> None:
    """A date column the mapping reads only in some stages keeps its text in the others, and
    the export writes that text back (not a day aiom derived); read dates come back as ISO."""
    from aiom.inventory.exporter import to_csv
    from aiom.inventory.mapping import load_mapping
    from aiom.inventory.readers import read_source
    from aiom.inventory.roundtrip import compare
    from aiom.inventory.source_format import Writer

    mapping = load_mapping(USER_MAPPING)
    original = tmp_path / "register.csv"
    original.write_text(
        "ref,name,department,status,proposed,live since,notes\r\n"
        "A1,Parking scan car,Mobility,idea,02-01-2020,01-05-2021,planned start\r\n"
        "B2,Chat assistant,Services,live,01-01-2020,04-03-2021,\r\n",
        encoding="utf-8",
    )
    assert run_import(original, actor=None, mapping=mapping).written
    a1 = UseCase.objects.get(title="Parking scan car")
    assert a1.stage_entered_on is None  # not read in this stage
    assert a1.source_attributes["live since"] == "01-05-2021"  # not read in this stage: kept
    writer = Writer(mapping)
    rows = writer.rows(UseCase.objects.order_by("external_id"))
    assert rows[0]["live since"] == "01-05-2021" and rows[0]["proposed"] == "2020-01-02"
    assert rows[1]["live since"] == "2021-03-04"
    exported = tmp_path / "export.csv"
    exported.write_bytes(to_csv(rows, writer.columns))
    comparison = compare(read_source(original), read_source(exported), mapping)
    assert comparison.differences == 0, "\n".join(comparison.lines())
    assert comparison.normalised == {"date as ISO at its precision": 3}
    again = run_import(exported, actor=None, mapping=mapping)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
