"""XLSX files are checked as zips before openpyxl reads them: declared unpacked sizes,
compression ratios, and the bytes the parts really inflate to (a lying central directory).

The bombs are built here from zeros; no binary is committed.
"""

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from aiom.inventory.readers import MAX_RATIO
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import OMB_HEADER, omb_import, omb_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZEROS = 8 * 1024 * 1024  # 8 MB of zeros deflate to about 8 KB


def _workbook(extra: dict[str, bytes] | None = None) -> bytes:
    """A real one-row workbook, with `extra` parts added to its zip."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(OMB_HEADER)
    sheet.append(list(omb_row(id="X-1", use_case_name="From a workbook").values()))
    buffer = io.BytesIO()
    book.save(buffer)
    if extra:
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in extra.items():
                archive.writestr(name, data)
    return buffer.getvalue()


def _lying(data: bytes, part: str, claimed: int) -> bytes:
    """The zip with `part`'s uncompressed size in the central directory set to `claimed`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
    name = part.encode()
    # central directory header: signature ... name; the size field is 24 bytes in
    at = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    assert data[at + 46 : at + 46 + len(name)] == name
    patched = bytearray(data)
    struct.pack_into("<I", patched, at + 24, claimed)
    assert info.file_size != claimed
    return bytes(patched)


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if openpyxl is asked to open the file at all."""
    import openpyxl

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl was given a file the zip check should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.django_db
def test_a_real_workbook_is_read(tmp_path: Path) -> None:
    path = tmp_path / "inv.xlsx"
    path.write_bytes(_workbook())
    report = omb_import(path)
    assert report.written
    assert UseCase.objects.get().title == "From a workbook"


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_by_its_ratio_before_openpyxl(
    tmp_path: Path, no_openpyxl: None
) -> None:
    data = _workbook({"xl/media/zeros.bin": bytes(ZEROS)})
    assert len(data) < 100_000  # a small file ...
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    (problem,) = omb_import(path).errors
    assert "the part xl/media/zeros.bin inflates" in problem.message
    assert f"(the limit is {MAX_RATIO}): a zip bomb" in problem.message


@pytest.mark.django_db
def test_declared_sizes_past_the_limit_are_refused_naming_the_setting(
    tmp_path: Path, settings: Any, no_openpyxl: None
) -> None:
    settings.AIOM_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook({"xl/media/noise.bin": bytes(range(256)) * 8000}))  # 2 MB
    (problem,) = omb_import(path).errors
    assert "the workbook declares that it unpacks to" in problem.message
    assert "the limit is 1,000,000 bytes (977 KB) unpacked" in problem.message
    assert "raise it with the setting AIOM_IMPORT_MAX_UNPACKED_BYTES" in problem.message


@pytest.mark.django_db
def test_a_lying_central_directory_is_refused_before_openpyxl(
    tmp_path: Path, no_openpyxl: None
) -> None:
    # 8 MB of zeros declared as 1,000 bytes: under every declared-size and ratio check.
    data = _lying(_workbook({"xl/media/zeros.bin": bytes(ZEROS)}), "xl/media/zeros.bin", 1_000)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(data)
    (problem,) = omb_import(path).errors
    assert problem.message.startswith("liar.xlsx: a damaged XLSX workbook")


@pytest.mark.django_db
def test_inflated_bytes_are_counted_against_the_limit(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, no_openpyxl: None
) -> None:
    """A part that inflates past what it declared is stopped by the count of real bytes."""
    settings.AIOM_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    data = _workbook({"xl/media/small.bin": b"declared small"})
    real_open = zipfile.ZipFile.open

    def inflating(self: zipfile.ZipFile, member: Any, *args: Any, **kwargs: Any) -> Any:
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        if name == "xl/media/small.bin":  # as a zip reader trusting the stream would see it
            return io.BytesIO(bytes(2_000_000))
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", inflating)
    path = tmp_path / "counted.xlsx"
    path.write_bytes(data)
    (problem,) = omb_import(path).errors
    assert "the workbook unpacks to more than 1,000,000 bytes" in problem.message
    assert "AIOM_IMPORT_MAX_UNPACKED_BYTES" in problem.message


@pytest.mark.django_db
def test_the_command_and_the_page_refuse_a_bomb(
    tmp_path: Path, login: Any, no_openpyxl: None
) -> None:
    data = _workbook({"xl/media/zeros.bin": bytes(ZEROS)})
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), "--preset", "omb-2025", stdout=out)
    assert "a zip bomb, not an inventory" in out.getvalue()
    upload = SimpleUploadedFile("bomb.xlsx", data, content_type=XLSX)
    response = login("ada").post(
        reverse("inventory:upload"), {"file": upload, "preset": "omb-2025"}
    )
    assert response.status_code == 400
    assert "a zip bomb, not an inventory" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["big.csv", "big.json", "big.xlsx"])
def test_a_file_larger_than_the_limit_is_refused_unread(
    tmp_path: Path, settings: Any, name: str
) -> None:
    settings.AIOM_IMPORT_MAX_UNPACKED_BYTES = 1_000
    path = tmp_path / name
    path.write_bytes(b"x" * 1_001)
    (problem,) = omb_import(path).errors
    assert problem.message == (
        f"{name}: the file is 1,001 bytes; the limit is 1,000 bytes (1 KB) unpacked "
        "(an administrator can raise it with the setting AIOM_IMPORT_MAX_UNPACKED_BYTES)"
    )
