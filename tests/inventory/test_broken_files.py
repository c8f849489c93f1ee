"""Hand-made broken files: every row that cannot be imported is named by line and column."""

from pathlib import Path

import pytest

from aiom.inventory.mapping import MappingError, load_mapping, load_preset
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import OMB_HEADER, omb_csv, omb_import, omb_row


@pytest.mark.django_db
def test_windows_1252_is_detected_and_read(tmp_path: Path) -> None:
    path = omb_csv(
        tmp_path,
        [omb_row(id="A-1", use_case_name="Agency\u2019s café assistant")],
        encoding="cp1252",
    )
    report = omb_import(path)
    assert report.encoding == "cp1252"
    assert report.written
    assert UseCase.objects.get().title == "Agency\u2019s café assistant"


@pytest.mark.django_db
def test_bom_crlf_multiline_cells_and_trailing_spaces(tmp_path: Path) -> None:
    text = (
        "\ufeffagency ,agency_name,id,use_case_name,agency_bureau,development_stage \r\n"
        'CFTC,CFTC full,X-1,"Two\r\nline title",DCR,"Deployed \n"\r\n'
        "CFTC,CFTC full,X-2,Plain,DCR, pilot \r\n"
        "CFTC,CFTC full,X-3,Third,DCR,Sideways\r\n"
    )
    path = tmp_path / "dirty.csv"
    path.write_bytes(text.encode("utf-8"))
    report = omb_import(path, skip_invalid=True)
    assert report.encoding == "utf-8-sig"
    assert report.created == 2
    assert {uc.external_id: uc.stage for uc in UseCase.objects.all()} == {
        "omb-2025:CFTC:X-1": "operational",
        "omb-2025:CFTC:X-2": "pilot",
    }
    (problem,) = report.errors
    assert (problem.line, problem.column) == (6, "development_stage")  # lines 2-4: one record
    assert "unknown stage 'Sideways'" in problem.message


@pytest.mark.django_db
def test_a_missing_required_column_refuses_the_file(tmp_path: Path) -> None:
    header = [h for h in OMB_HEADER if h != "development_stage"]
    path = omb_csv(tmp_path, [omb_row(id="A-1", use_case_name="x")], header=header)
    report = omb_import(path, skip_invalid=True)
    assert not report.written
    assert [(p.line, p.column) for p in report.errors] == [(0, "development_stage")]
    assert "required column missing" in report.errors[0].message
    assert UseCase.objects.count() == 0


@pytest.mark.django_db
def test_unknown_stage_blank_stage_and_duplicate_id(tmp_path: Path) -> None:
    rows = [
        omb_row(id="A-1", use_case_name="One", development_stage=""),
        omb_row(id="A-2", use_case_name="Two", development_stage="Sunsetting"),
        omb_row(id="A-1", use_case_name="One again"),
    ]
    report = omb_import(omb_csv(tmp_path, rows), dry_run=True)
    assert report.by_stage == {"intake": 1}  # blank is intake, as reported
    messages = {(p.line, p.column): p.message for p in report.errors}
    assert messages[(3, "development_stage")] == "unknown stage 'Sunsetting' (not mapped)"
    assert "duplicate external id omb-2025:CFTC:A-1 (first at line 2)" in messages[(4, "id")]
    assert report.invalid == 2


@pytest.mark.django_db
def test_length_limits_title_is_an_error_long_text_is_truncated(tmp_path: Path) -> None:
    rows = [
        omb_row(id="A-1", use_case_name="T" * 201),
        omb_row(id="A-2", use_case_name="Fine", problem_solved="p" * 50_000),
    ]
    report = omb_import(omb_csv(tmp_path, rows), skip_invalid=True)
    (error,) = report.errors
    assert (error.line, error.column) == (2, "use_case_name")
    assert "201 characters; the limit is 200" in error.message
    (warning,) = report.warnings
    assert "problem truncated from 50000 to 10000" in warning.message
    assert len(UseCase.objects.get().problem) == 10_000


@pytest.mark.django_db
def test_values_and_heuristics_of_the_omb_2025_mapping(tmp_path: Path) -> None:
    rows = [
        omb_row(
            id="A-1",
            use_case_name="Policy chatbot",
            vendor_name="OpenAI",
            has_pii="Yes",
            is_high_impact="High-impact",
            operational_date="01/2024",
            problem_solved="Questions",
            benefits="Faster answers",
            system_outputs="Answers",
        ),
        omb_row(id="A-2", use_case_name="Forecast", classification="Classical ML"),
    ]
    omb_import(omb_csv(tmp_path, rows))
    chat = UseCase.objects.get(external_id="omb-2025:CFTC:A-1")
    assert (chat.ai_type, chat.sourcing, chat.vendor, chat.personal_data) == (
        "generative",
        "buy",
        "OpenAI",
        True,
    )
    assert chat.risk_notes.startswith("High impact (OMB M-25-21): High-impact")
    assert (chat.problem, chat.value_hypothesis) == ("Questions", "Faster answers")
    assert chat.description == "System outputs: Answers"
    assert str(chat.proposed_on) == "2024-01-01"
    assert chat.owner is None
    assert UseCase.objects.get(external_id="omb-2025:CFTC:A-2").ai_type == "predictive"


def test_a_mapping_file_names_its_problems() -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping("name: x\nfields: {title: t, nonsense: y}\nstage: {values: {a: nowhere}}\n")
    text = str(caught.value)
    assert "fields.nonsense" in text
    assert "'nowhere' is not a stage" in text
    assert "org_units" in text
    with pytest.raises(MappingError, match="quote the key"):
        load_mapping(
            "name: x\nexternal_id: {column: id}\norg_units: [{name: a}]\nfields: {title: t}\n"
            "choices: {personal_data: {column: p, values: {yes: true}}}\n"
        )


@pytest.mark.parametrize(
    "name", ["omb-2025", "us-federal-2024", "us-federal-2023", "uk-atrs", "aiom"]
)
def test_every_preset_loads(name: str) -> None:
    assert load_preset(name).name == name
