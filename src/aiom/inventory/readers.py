"""Read CSV, XLSX and JSON inventories into numbered rows of text keyed by normalised header.

Real files are dirty: the CSV reader tries UTF-8 (with or without a byte-order mark) and
falls back to Windows-1252, saying which it used; CRLF and quoted multi-line cells are
handled by the csv module. XLSX is loaded read-only with `data_only=True`, so formulas are
never evaluated (a formula cell reads as its cached value, or as blank if it has none).
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = ("csv", "xlsx", "json")


class ReadError(Exception):
    """The file cannot be read at all (wrong format, broken JSON or XLSX, no header)."""


def normalise_header(name: object) -> str:
    """Trim and collapse inner whitespace (newlines included); headers compare casefolded."""
    return " ".join(str(name or "").replace("\ufeff", "").split())


def cell_text(value: object) -> str:
    """A cell as text: None is blank, booleans are true/false, whole floats lose their .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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
    data = path.read_bytes()
    if fmt == "xlsx":
        return _read_xlsx(data, name)
    text, encoding = decode(data)
    if fmt == "json":
        return _read_json(text, name, encoding, json_records)
    return _read_csv(text, name, encoding)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a byte-order mark is dropped) or, failing that, Windows-1252."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _read_csv(text: str, name: str, encoding: str) -> Source:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise ReadError(f"{name}: the file is empty") from None
    except csv.Error as exc:
        raise ReadError(f"{name}: not a readable CSV file ({exc})") from exc
    headers = [normalise_header(h) for h in raw_headers]
    source = Source(name, "csv", encoding, headers)
    if "\r\n" in text[:100_000]:
        source.notes.append("Windows (CRLF) line ends")
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num - text_lines(values) + 1
            source.rows.append((line, _row(headers, values)))
    except csv.Error as exc:
        raise ReadError(f"{name}: line {reader.line_num}: {exc}") from exc
    return source


def text_lines(values: list[str]) -> int:
    """How many physical lines a parsed record spanned (quoted cells may hold newlines)."""
    return 1 + sum(v.count("\n") for v in values)


def _row(headers: list[str], values: list[Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for i, header in enumerate(headers):
        if header and header not in row:
            row[header] = cell_text(values[i]) if i < len(values) else ""
    return row


def _read_xlsx(data: bytes, name: str) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ReadError(f"{name}: not a readable XLSX workbook ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        try:
            headers = [normalise_header(h) for h in next(rows)]
        except StopIteration:
            raise ReadError(f"{name}: the first sheet is empty") from None
        source = Source(name, "xlsx", "xlsx", headers)
        for number, values in enumerate(rows, start=2):
            if any(cell_text(v).strip() for v in values):
                source.rows.append((number, _row(headers, list(values))))
    finally:
        book.close()
    return source


def _read_json(text: str, name: str, encoding: str, records_key: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{name}: not valid JSON ({exc})") from exc
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
    source = Source(name, "json", encoding, headers)
    for number, record in enumerate(data, start=1):
        row = {normalise_header(k): cell_text(v) for k, v in record.items()}
        source.rows.append((number, {h: row.get(h, "") for h in headers}))
    return source
