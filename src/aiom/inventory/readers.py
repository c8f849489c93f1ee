"""Read CSV, XLSX and JSON inventories into numbered rows of text keyed by normalised header.

Real files are dirty: the CSV reader tries UTF-8 (with or without a byte-order mark), UTF-16
(with one) and falls back to Windows-1252, saying which it used; CRLF and quoted multi-line
cells are handled by the csv module. XLSX is loaded read-only with `data_only=True`, so
formulas are never evaluated (a formula cell reads as its cached value, or as blank).

Hostile files are refused with a ReadError naming the problem, never a crash: an XLSX
is checked as a zip first (the declared unpacked sizes and compression ratios, then the
bytes actually inflated, against AIOM_IMPORT_MAX_UNPACKED_BYTES) before openpyxl reads
it; CSV and JSON files count against the same limit; every format against
AIOM_IMPORT_MAX_CELLS (rows x columns); an unclosed quote, an over-long cell, NUL bytes
in a CSV header and deeply nested JSON are named.
"""

import csv
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


def max_unpacked_bytes() -> int:
    return int(settings.AIOM_IMPORT_MAX_UNPACKED_BYTES)


def max_cells() -> int:
    return int(settings.AIOM_IMPORT_MAX_CELLS)


def _too_big(name: str, what: str, size: int) -> ReadError:
    limit = max_unpacked_bytes()
    return ReadError(
        f"{name}: {what} {size:,} bytes; the limit is {limit:,} bytes ({_human(limit)}) unpacked "
        "(an administrator can raise it with the setting AIOM_IMPORT_MAX_UNPACKED_BYTES)"
    )


def _human(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


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
    warnings: list[str] = field(default_factory=list)  # about the whole file
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
    text, encoding = decode(data)
    if fmt == "json":
        source = _read_json(text, name, encoding, json_records)
    else:
        source = _read_csv(text, name, encoding)
    if encoding == "cp1252" and "\ufffd" in text:
        source.warnings.append(
            f"the file is not UTF-8; read as Windows-1252, {text.count(chr(0xFFFD))} bytes "
            "of it are not Windows-1252 either and read as \ufffd (save it as UTF-8)"
        )
    return source


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a byte-order mark is dropped), UTF-16 with a byte-order mark, or Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _read_csv(text: str, name: str, encoding: str) -> Source:
    if not text.strip():
        raise ReadError(f"{name}: the file is empty")
    try:
        return _parse_csv(text, name, encoding, strict=True)
    except _QuoteError:
        return _parse_csv(text, name, encoding, strict=False)  # a stray quote: read as text


class _QuoteError(Exception):
    """A strict parse met a quote inside an unquoted cell (read leniently instead)."""


def _parse_csv(text: str, name: str, encoding: str, *, strict: bool) -> Source:
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    started = 1  # the line the record being read began on
    try:
        raw_headers = next(reader)
        if any("\x00" in h for h in raw_headers):
            raise ReadError(
                f"{name}: the header holds NUL bytes: not a text CSV file (a spreadsheet or "
                "UTF-16 file saved with a .csv name?)"
            )
        headers = [normalise_header(h) for h in raw_headers]
        source = Source(name, "csv", encoding, headers)
        if "\r\n" in text[:100_000]:
            source.notes.append("Windows (CRLF) line ends")
        cells, limit = 0, max_cells()
        started = reader.line_num + 1
        for values in reader:
            if any(v.strip() for v in values):
                line = reader.line_num - text_lines(values) + 1
                source.rows.append((line, _row(headers, values)))
                cells += max(len(headers), len(values))
                if cells > limit:
                    raise _too_many_cells(name, cells)
            started = reader.line_num + 1
    except StopIteration:
        raise ReadError(f"{name}: the file is empty") from None
    except csv.Error as exc:
        raise _csv_problem(name, str(exc), started, reader.line_num) from exc
    return source


def _csv_problem(name: str, message: str, started: int, line: int) -> Exception:
    if "unexpected end of data" in message:
        return ReadError(
            f'{name}: line {started}: a quoted cell is never closed (a " without its closing '
            "quote runs to the end of the file)"
        )
    if "field larger than field limit" in message:
        return ReadError(
            f"{name}: line {started}: a cell is longer than {csv.field_size_limit():,} "
            "characters (an unclosed quote, or not an inventory)"
        )
    if "expected after" in message:
        return _QuoteError(message)
    return ReadError(f"{name}: line {line}: not a readable CSV file ({message})")


def text_lines(values: list[str]) -> int:
    """How many physical lines a parsed record spanned (quoted cells may hold newlines)."""
    return 1 + sum(v.count("\n") for v in values)


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
