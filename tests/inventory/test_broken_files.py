"""Hand-made broken files: every row that cannot be imported is named by line and column,
and a file that cannot be read at all is one named problem (CLI, web import), never a crash."""

import html
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

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
    assert "column 'development_stage' (required, " in report.errors[0].message
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
        omb_row(id="A-1", use_case_name="T" * 501),
        omb_row(id="A-2", use_case_name="Fine", problem_solved="p" * 50_000),
    ]
    report = omb_import(omb_csv(tmp_path, rows), skip_invalid=True)
    (error,) = report.errors
    assert (error.line, error.column) == (2, "use_case_name")
    assert "501 characters; the limit is 500" in error.message
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
            development_stage="Pilot",
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
    # operational_date is a pilot's start (the file's dictionary), here known to the month
    assert (chat.stage, str(chat.stage_entered_on)) == ("pilot", "2024-01-01")
    assert (chat.stage_entered_precision, chat.proposed_on) == ("month", None)
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


# --- files that are not inventories at all: a named problem, never a crash -------------------


def _workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(OMB_HEADER)
    sheet.append(list(omb_row(id="X-1", use_case_name="From a workbook").values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _damaged_sheet() -> bytes:
    """The workbook with its sheet's XML cut in half (the zip itself is sound)."""
    with zipfile.ZipFile(io.BytesIO(_workbook_bytes())) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    return _zip(parts)


BROKEN: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, bytes, what the problem says)
    "truncated xlsx": ("inv.xlsx", _workbook_bytes()[:1500], "not an XLSX workbook"),
    "xlsx that is not a zip": ("inv.xlsx", b"agency,id\nCFTC,1\n", "not a zip archive"),
    "zip without a workbook": (
        "inv.xlsx",
        _zip({"hello.txt": b"hello"}),
        "a zip archive without a workbook",
    ),
    "damaged worksheet": ("inv.xlsx", _damaged_sheet(), "a damaged XLSX worksheet"),
    "json with a 5000-digit number": (
        "inv.json",
        b'[{"id": ' + b"7" * 5000 + b"}]",
        "not valid JSON for an inventory",
    ),
    "nul bytes in a csv header": (
        "inv.csv",
        b"agency\x00,id\x00\nCFTC,1\n",
        "the header holds NUL bytes",
    ),
    "unclosed quote": (
        "inv.csv",
        b'agency,id,use_case_name\nCFTC,1,ok\nCFTC,2,"never closed\nCFTC,3,x\n',
        'line 3: a quoted cell is never closed (a " without its closing quote',
    ),
    "huge field": (
        "inv.csv",
        b"agency,id,use_case_name\nCFTC,1," + b'"' + b"x" * 200_000 + b'"\n',
        "line 2: a cell is longer than 131,072 characters",
    ),
    "deeply nested json": ("inv.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "json that is a number": ("inv.json", b"42", "expected a list of objects"),
    "json list of lists": ("inv.json", b"[[1, 2]]", "expected a list of objects"),
    "json object without records": ("inv.json", b'{"x": 1}', "no list of records under"),
    "empty csv": ("inv.csv", b"", "the file is empty"),
    "blank csv": ("inv.csv", b"\r\n  \n", "the file is empty"),
    "empty json": ("inv.json", b"", "the file is empty"),
    "empty xlsx": ("inv.xlsx", b"", "the file is empty"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_named_problems_of_the_importer(tmp_path: Path, case: str) -> None:
    name, data, message = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(data)
    report = omb_import(path)
    assert not report.written
    (problem,) = report.errors
    assert problem.line == 0
    assert message in problem.message, problem.message
    assert problem.message.startswith(f"{name}: ")
    assert UseCase.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_through_the_command(tmp_path: Path, case: str) -> None:
    name, data, message = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError, match="the file could not be read"):
        call_command("import", str(path), "--preset", "omb-2025", "--dry-run", stdout=out)
    assert f"file, -: error: {name}: " in out.getvalue()
    assert message in out.getvalue()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), stdout=io.StringIO())


CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_through_the_web_import(login: Any, case: str) -> None:
    name, data, message = BROKEN[case]
    upload = SimpleUploadedFile(name, data, content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response = login("ada").post(reverse("inventory:upload"), {"file": upload})
    # 422: the upload form refuses it, with its field errors; 400: the importer cannot read it
    assert response.status_code in (400, 422), case
    body = response.content.decode()
    # Refused at upload (empty, not text, not a workbook), or named by the importer.
    assert any(
        text in body
        for text in (
            html.escape(message),
            "The submitted file is empty",
            "is not text",
            "is not an Excel workbook",
        )
    ), body[-3000:]
    assert UseCase.objects.count() == 3  # the personas' own


@pytest.mark.django_db
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = omb_csv(tmp_path, [omb_row(id="U-1", use_case_name="Wide café")], encoding="utf-16")
    report = omb_import(path)
    assert (report.encoding, report.created) == ("utf-16", 1)
    assert UseCase.objects.get().title == "Wide café"


@pytest.mark.django_db
def test_bytes_in_no_known_encoding_refuse_the_file_naming_the_byte(tmp_path: Path) -> None:
    """core.tabular's one rule: a byte neither UTF-8 nor Windows-1252 reads is named, and
    nothing is imported (it used to be read as U+FFFD with a warning: a corrupted title)."""
    path = omb_csv(tmp_path, [omb_row(id="E-1", use_case_name="Caf\u00e9 X")], encoding="cp1252")
    data = path.read_bytes().replace(b" X", b" \x81\x8d")  # undefined in cp1252
    path.write_bytes(data)
    report = omb_import(path)
    assert not report.written and not UseCase.objects.filter(external_id__contains="E-1")
    (problem,) = report.errors
    assert problem.line == 0
    assert problem.message.startswith(f"{path.name}: byte {data.index(b'\x81'):,} (0x81)")
    assert "neither UTF-8" in problem.message and "Windows-1252" in problem.message


@pytest.mark.django_db
def test_control_characters_are_removed_from_imported_text_with_a_warning(
    tmp_path: Path,
) -> None:
    rows = [
        omb_row(id="C-1\x00", use_case_name="Bell\x07 and escape\x1b[31m", problem_solved="ok"),
        omb_row(id="C-2", use_case_name="Tab\tand\nline kept"),
    ]
    report = omb_import(omb_csv(tmp_path, rows))
    assert report.written
    titles = set(UseCase.objects.values_list("title", flat=True))
    assert titles == {"Bell and escape[31m", "Tab\tand\nline kept"}
    assert UseCase.objects.filter(external_id="omb-2025:CFTC:C-1").exists()
    warned = {(p.line, p.column) for p in report.warnings if "control characters" in p.message}
    assert warned == {(2, "id"), (2, "use_case_name")}


@pytest.mark.django_db
def test_json_with_nul_and_lone_surrogates_is_cleaned(tmp_path: Path) -> None:
    record = omb_row(id="J-1", use_case_name="Nul\\u0000 and \\ud800 half", agency="CFTC")
    text = "[" + ", ".join(f'"{k}": "{v}"' for k, v in record.items()).join("{}") + "]"
    path = tmp_path / "inv.json"
    path.write_text(text, encoding="utf-8")
    report = omb_import(path)
    assert report.written, [str(p) for p in report.problems]
    assert UseCase.objects.get().title == "Nul and  half"
    assert any("control characters removed" in p.message for p in report.warnings)


@pytest.mark.django_db
def test_a_file_past_the_cell_limit_is_refused_naming_the_setting(
    tmp_path: Path, settings: Any
) -> None:
    settings.AIOM_IMPORT_MAX_CELLS = 40
    rows = [omb_row(id=f"R-{i}", use_case_name=f"Row {i}") for i in range(5)]
    report = omb_import(omb_csv(tmp_path, rows))
    (problem,) = report.errors
    assert "more than 40 cells" in problem.message
    assert "AIOM_IMPORT_MAX_CELLS" in problem.message
