"""Read CSV, XLSX and JSON inventories into numbered rows of text keyed by normalised header.

Real files are dirty: a CSV or JSON file is decoded by `core.tabular`'s one rule (UTF-16
with a byte-order mark, UTF-8 with or without one, else Windows-1252; the report says
which; a byte none of them reads refuses the file, naming its offset); CSV records too
(CRLF, quoted multi-line cells, a stray quote read as text). XLSX is loaded read-only
with `data_only=True`, so formulas are never evaluated (a formula cell reads as its cached
value, or as blank).

Hostile files are refused with a ReadError naming the problem, never a crash: an XLSX
is checked as a zip first (the declared unpacked sizes and compression ratios, then the
bytes actually inflated, against AIOM_IMPORT_MAX_UNPACKED_BYTES) before openpyxl reads
it; CSV and JSON files count against the same limit; every format against
AIOM_IMPORT_MAX_CELLS (rows x columns); an unclosed quote, an over-long cell, NUL bytes
in a CSV header and deeply nested JSON are named.
"""

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from aiom.core import tabular

FORMATS = ("csv", "xlsx", "json")
MAX_RATIO = 250  # a part that inflates more than this from its compressed size is a bomb
_RATIO_FLOOR = 1024 * 1024  # ... once it is bigger than this (small parts may compress well)
_CHUNK = 1 << 16
# Dropped from headers: control characters that are not whitespace, and invisible format
# characters (byte-order mark, zero-width spaces, bidi marks, soft hyphen).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


class ReadError(Exception):
    """The file cannot be read at all (wrong format, broken JSON or XLSX, no header)."""


_SIZE_SETTING = "AIOM_IMPORT_MAX_UNPACKED_BYTES"


def max_unpacked_bytes() -> int:
    return int(settings.AIOM_IMPORT_MAX_UNPACKED_BYTES)


def max_cells() -> int:
    return int(settings.AIOM_IMPORT_MAX_CELLS)


def _too_big(name: str, what: str, size: int) -> ReadError:
    limit = max_unpacked_bytes()
    return ReadError(
        str(tabular.too_big(name, what, size, limit, _SIZE_SETTING, measured=" unpacked"))
    )


def _too_many_cells(name: str, cells: int) -> ReadError:
    return ReadError(
        f"{name}: more than {max_cells():,} cells (rows x columns; at least {cells:,}); "
        "split the file, or an administrator raises the setting AIOM_IMPORT_MAX_CELLS"
    )


def normalise_header(name: object) -> str:
    """Trim and collapse inner whitespace (newlines included); headers compare casefolded."""
    return " ".join(_INVISIBLE.sub("", str(name or "")).split())


def cell_text(value: object) -> str:
    """A cell as text: None is blank, booleans are true/false, whole floats lose their .0,
    a workbook's dates and times are ISO (a date-time at midnight is its date)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass
class Source:
    """What a file holds: its headers, its rows (file line number, values) and how it was read."""

    name: str
    format: str
    encoding: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # XLSX: the headers of the cells that were numbers, by line (a date column's numbers
    # are Excel day numbers, counted from 1904 in a workbook that says so)
    numeric: dict[int, set[str]] = field(default_factory=dict)
    epoch_1904: bool = False


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix == "json":
        return "json"
    return "csv"


def read_source(path: Path, *, name: str = "", fmt: str = "", json_records: str = "") -> Source:
    """Read `path` as `fmt` (default: from the file name's extension)."""
    name = name or path.name
    fmt = fmt or detect_format(name)
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{name}: the file is empty")
    if size > max_unpacked_bytes():  # a workbook is never smaller unpacked than packed
        raise _too_big(name, "the file is", size)
    data = path.read_bytes()
    if fmt == "xlsx":
        return _read_xlsx(data, name)
    try:
        decoded = tabular.decode(data, name)
        if fmt == "json":
            return _read_json(decoded.text, name, decoded.encoding, json_records)
        return _read_csv(decoded, name)
    except tabular.TableError as exc:
        raise ReadError(str(exc)) from exc


def _read_csv(decoded: tabular.Text, name: str) -> Source:
    records = tabular.records(decoded.text, name)
    if not records:
        raise ReadError(f"{name}: the file is empty")
    (_, raw_headers), rows = records[0], records[1:]
    if any("\x00" in h for h in raw_headers):
        raise ReadError(
            f"{name}: the header holds NUL bytes: not a text CSV file (a spreadsheet or "
            "UTF-16 file saved with a .csv name?)"
        )
    headers = [normalise_header(h) for h in raw_headers]
    source = Source(name, "csv", decoded.encoding, headers)
    if "\r\n" in decoded.text[:100_000]:
        source.notes.append("Windows (CRLF) line ends")
    cells, limit = 0, max_cells()
    for line, values in rows:
        source.rows.append((line, _row(headers, values)))
        cells += max(len(headers), len(values))
        if cells > limit:
            raise _too_many_cells(name, cells)
    return source


def _row(headers: list[str], values: list[Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for i, header in enumerate(headers):
        if header and header not in row:
            row[header] = cell_text(values[i]) if i < len(values) else ""
    return row


def check_xlsx_archive(data: bytes, name: str) -> None:
    """Refuse what is not a workbook, or would unpack past the limit, before openpyxl."""
    limit = max_unpacked_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ReadError(
            f"{name}: not an XLSX workbook (not a zip archive, or a truncated one: {exc})"
        ) from exc
    with archive:
        members = archive.infolist()
        if not any(m.filename.endswith("workbook.xml") for m in members):
            raise ReadError(f"{name}: a zip archive without a workbook (no xl/workbook.xml)")
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise _too_big(name, "the workbook declares that it unpacks to", declared)
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
                raise ReadError(
                    f"{name}: the part {member.filename} inflates {ratio:,.0f} times "
                    f"(the limit is {MAX_RATIO}): a zip bomb, not an inventory"
                )
        inflated = 0  # what the parts really unpack to: a central directory can lie
        try:
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise _too_big(name, "the workbook unpacks to more than", limit)
        except ReadError:
            raise
        except Exception as exc:  # zlib, CRC and truncation errors of a broken archive
            raise ReadError(f"{name}: a damaged XLSX workbook ({exc})") from exc


def _read_xlsx(data: bytes, name: str) -> Source:
    from openpyxl import load_workbook

    check_xlsx_archive(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ReadError(f"{name}: not a readable XLSX workbook ({exc})") from exc
    try:
        return _xlsx_rows(book, name)
    except ReadError:
        raise
    except Exception as exc:  # a sheet's XML can be broken past the workbook's
        raise ReadError(f"{name}: a damaged XLSX worksheet ({type(exc).__name__}: {exc})") from exc
    finally:
        book.close()


def _xlsx_rows(book: Any, name: str) -> Source:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    if not book.worksheets:
        raise ReadError(f"{name}: the workbook has no worksheet")
    sheet = book.worksheets[0]
    rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    try:
        headers = [normalise_header(h) for h in next(rows)]
    except StopIteration:
        raise ReadError(f"{name}: the first sheet is empty") from None
    source = Source(name, "xlsx", "xlsx", headers)
    source.epoch_1904 = getattr(book, "epoch", None) == CALENDAR_MAC_1904
    cells, limit = 0, max_cells()
    for number, values in enumerate(rows, start=2):
        cells += max(len(headers), len(values))
        if cells > limit:
            raise _too_many_cells(name, cells)
        if any(cell_text(v).strip() for v in values):
            source.rows.append((number, _row(headers, list(values))))
            numbers = {h for h, v in zip(headers, values, strict=False) if _is_number(v)}
            if numbers:
                source.numeric[number] = numbers
    return source


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read_json(text: str, name: str, encoding: str, records_key: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{name}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise ReadError(f"{name}: the JSON is nested too deeply to be an inventory") from exc
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise ReadError(f"{name}: not valid JSON for an inventory ({exc})") from exc
    if isinstance(data, dict):
        keys = [records_key] if records_key else ["records", "use_cases", "results", "data"]
        found = next((data[k] for k in keys if isinstance(data.get(k), list)), None)
        if found is None:
            raise ReadError(f"{name}: no list of records under {', '.join(keys)}")
        data = found
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ReadError(f"{name}: expected a list of objects (one per use case)")
    headers: list[str] = []
    for record in data:
        for key in record:
            if normalise_header(key) not in headers:
                headers.append(normalise_header(key))
    if len(data) * max(len(headers), 1) > max_cells():
        raise _too_many_cells(name, len(data) * len(headers))
    source = Source(name, "json", encoding, headers)
    for number, record in enumerate(data, start=1):
        try:
            row = {normalise_header(k): cell_text(v) for k, v in record.items()}
        except (RecursionError, ValueError) as exc:
            raise ReadError(f"{name}: record {number} cannot be read as text ({exc})") from exc
        source.rows.append((number, {h: row.get(h, "") for h in headers}))
    return source
