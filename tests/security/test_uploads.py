"""Uploaded inventories: size and type refused, never served, never evaluated; exports escaped."""

import csv
import io
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from aiom.inventory import uploads
from aiom.inventory.exporter import export
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_import, omb_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "problem"),
    [
        ("inv.exe", b"MZ", "application/octet-stream", "only .csv, .xlsx and .json"),
        ("inv.html", b"<script>", "text/html", "only .csv, .xlsx and .json"),
        ("inv.csv", b"a,b\n", "text/html", "cannot have the content type text/html"),
        ("inv.xlsx", b"a,b\n1,2\n", XLSX, "is not an Excel workbook"),
        ("inv.csv", b"PK\x03\x04\x00\x00binary", "text/csv", "is not text"),
        ("inv.json", b"{\x00}", "application/json", "is not text"),
        ("inv.csv", b"a,b\n1,2\n", "text/csv", None),
        ("inv.xlsx", _xlsx_bytes([["a"], [1]]), XLSX, None),
    ],
)
def test_type_checks(name: str, data: bytes, content_type: str, problem: str | None) -> None:
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    found = uploads.check(upload)
    assert (found is None) if problem is None else (problem in (found or ""))
    assert upload.read() == data  # the check leaves the file readable from the start


def test_an_oversized_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_BYTES", 10)
    upload = SimpleUploadedFile("inv.csv", b"a,b\n" * 10, content_type="text/csv")
    assert "the limit is 20 MB" in (uploads.check(upload) or "")


def test_the_web_import_refuses_oversize_and_wrong_types(login: object, world: World) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    url = reverse("inventory:upload")
    fake = SimpleUploadedFile("inv.xlsx", b"<html>", content_type=XLSX)
    response = client.post(url, {"file": fake})
    assert response.status_code == 422  # the upload form's field error
    assert "not an Excel workbook" in response.content.decode()
    huge = client.post(url, {"file": fake}, CONTENT_LENGTH=str(uploads.MAX_BYTES + 1_000_000))
    assert huge.status_code == 413


def test_a_stored_upload_is_private_and_outside_the_web_root(settings: object) -> None:
    upload = SimpleUploadedFile("inv.csv", b"a,b\n1,2\n", content_type="text/csv")
    stored, _ = uploads.store(upload)
    path = uploads.path_of(stored)
    assert path is not None
    try:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert not str(path).startswith(str(settings.STATIC_ROOT))  # type: ignore[attr-defined]
        assert path.name == stored and "inv" not in path.name
        assert uploads.path_of("../../etc/passwd") is None
    finally:
        path.unlink()


@pytest.mark.django_db
def test_a_csv_cell_starting_with_equals_is_stored_as_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    rows = [
        omb_row(id="F-1", use_case_name="=1+1", problem_solved=formula),
        omb_row(id="F-2", use_case_name="@SUM(A1)", problem_solved="+cmd|' /C calc'!A0"),
    ]
    report = omb_import(omb_csv(tmp_path, rows))
    assert report.created == 2
    first = UseCase.objects.get(title="=1+1")
    assert first.problem == formula
    assert UseCase.objects.get(title="@SUM(A1)").problem == "+cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_an_xlsx_formula_is_never_evaluated(tmp_path: Path) -> None:
    header = ["agency", "agency_name", "id", "use_case_name", "agency_bureau"]
    data = _xlsx_bytes(
        [
            [*header, "development_stage", "problem_solved"],
            ["CFTC", "CFTC", "X-1", "Sums", "DCR", "Pilot", "=1+1"],
            ["CFTC", "CFTC", "X-2", "Calls out", "DCR", "Pilot", '=WEBSERVICE("http://x.test")'],
        ]
    )
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    report = omb_import(path)
    assert report.created == 2
    # read-only with data_only: a formula without a cached value is blank, never computed
    assert UseCase.objects.get(title="Sums").problem == ""
    assert UseCase.objects.get(title="Calls out").problem == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_exports_escape_cells_a_spreadsheet_would_run(world: World, start: str) -> None:
    UseCase.objects.filter(pk=world.alice_uc.pk).update(title=f"{start}2+3 pwned")
    world.alice_uc.refresh_from_db()
    csv_rows = list(csv.reader(io.StringIO(export("csv", [world.alice_uc]).decode())))
    cells = [cell for row in csv_rows[1:] for cell in row]
    assert f"'{start}2+3 pwned" in cells
    assert not any(cell.startswith(start + "2+3") for cell in cells)
    book = load_workbook(io.BytesIO(export("xlsx", [world.alice_uc])), read_only=True)
    values = [v for row in book.worksheets[0].iter_rows(values_only=True) for v in row]
    assert f"'{start}2+3 pwned" in values
