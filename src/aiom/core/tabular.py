"""Tables people upload: bytes to text by one rule, CSV records by one rule, safe cells.

Three importers read CSV files (inventories, a use case's measurements, training
records); each used to decode and parse on its own, so one accepted Windows-1252, one
refused it and one replaced what it could not read. Here is the one rule:

- **Size**: a file past the caller's limit is refused before it is decoded, naming the
  limit and the setting that raises it (`read_limited`, `too_big`).
- **Encoding**: UTF-16 when the file starts with its byte-order mark; else UTF-8 (a
  byte-order mark is dropped); else Windows-1252, what spreadsheets on Windows save.
  A byte that none of them reads (0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in
  Windows-1252) refuses the file, naming the file and the byte's offset.
- **Records**: the csv module, strictly first; a quote inside an unquoted cell is then
  read leniently as text (a strict parse would refuse the whole file for it). An
  unclosed quote, an over-long cell and anything else the csv module refuses are named
  with the line the record began on. Blank records are skipped; every record carries
  the line it began on (a quoted cell may span lines).
- **Cells**: text starting like a spreadsheet formula (`FORMULA_START`) is never
  evaluated on import, and is neutralised with a leading `'` on export.

No delimiter sniffing: every importer reads commas (a mapping names its columns, and
real inventories came as comma-separated files).
"""

import csv
import io
import re
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

from aiom.core.errors import InvalidInput

# What a spreadsheet would run as a formula (OWASP's list: tab and carriage return too).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CLASS = "[" + re.escape("".join(FORMULA_START)) + "]"
# A cell an export neutralised: one or more leading quotes, then a formula start.
NEUTRALISED = re.compile("^'+" + _FORMULA_CLASS)
# ... with exactly one quote (what the `aiom` preset strips on import).
NEUTRALISED_ONCE = re.compile("^'" + _FORMULA_CLASS)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


class TableError(Exception):
    """The file cannot be read as a table. `reason` says why (and `line` where, when a
    record is to blame); str() names the file too."""

    def __init__(self, name: str, reason: str, *, line: int | None = None) -> None:
        self.name, self.reason, self.line = name, reason, line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{name}: {where}{reason}")


@dataclass(frozen=True)
class Text:
    """A file's text and the encoding it was read with ("utf-8-sig" when a byte-order
    mark was seen, "utf-8", "utf-16" or "cp1252")."""

    text: str
    encoding: str


def human_size(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def too_big(
    name: str, what: str, size: int, limit: int, setting: str, *, measured: str = ""
) -> TableError:
    """The one refusal for a file past its limit: the size, the limit (`measured`: how,
    e.g. " unpacked") and who raises it."""
    return TableError(
        name,
        f"{what} {size:,} bytes; the limit is {limit:,} bytes ({human_size(limit)}){measured} "
        f"(an administrator can raise it with the setting {setting})",
    )


def read_limited(file: IO[bytes] | Any, name: str, limit: int, setting: str) -> bytes:
    """An upload's bytes, refused (`too_big`) past `limit` without reading much more."""
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_big(name, "the file is", size, limit, setting)
    data = file.read(limit + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise too_big(name, "the file is more than", limit, limit, setting)
    return bytes(data)


def decode(data: bytes, name: str) -> Text:
    """The file's text by the module's one rule; TableError naming the first byte that
    no candidate encoding reads."""
    if data[:2] in _UTF16_BOMS:
        try:
            return Text(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass  # two bytes that only looked like a byte-order mark
    try:
        return Text(data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == _UTF8_BOM else "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return Text(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(
            name,
            f"byte {exc.start:,} (0x{data[exc.start]:02X}) is neither UTF-8 nor Windows-1252 "
            f"(the file stops being UTF-8 at byte {first_bad:,}); save the file as UTF-8 "
            "and import it again",
        ) from exc


Records = list[tuple[int, list[str]]]  # (the line a record began on, its cells)


class _StrayQuoteError(Exception):
    """A strict parse met a quote inside an unquoted cell (read leniently instead)."""


def records(text: str, name: str) -> Records:
    """Every non-blank CSV record with the line it began on (the header is the first)."""
    try:
        return _records(text, name, strict=True)
    except _StrayQuoteError:
        return _records(text, name, strict=False)


def uploaded_records(file: IO[bytes] | Any) -> Records:
    """An uploaded CSV file's records (size limit `AIOM_TABLE_UPLOAD_MAX_BYTES`, then the
    rules above); what is wrong is InvalidInput keyed "file" or "line N", as a form shows it.
    """
    name = str(getattr(file, "name", "") or "the file")
    try:
        data = read_limited(
            file, name, settings.AIOM_TABLE_UPLOAD_MAX_BYTES, "AIOM_TABLE_UPLOAD_MAX_BYTES"
        )
        return records(decode(data, name).text, name)
    except TableError as exc:
        key = "file" if exc.line is None else f"line {exc.line}"
        raise InvalidInput({key: str(exc) if exc.line is None else exc.reason}) from exc


def _records(text: str, name: str, *, strict: bool) -> Records:
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    found: Records = []
    started = 1  # the line the record being read began on
    try:
        for values in reader:
            if any(v.strip() for v in values):
                found.append((started, values))
            started = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_problem(name, str(exc), started, reader.line_num) from exc
    return found


def _csv_problem(name: str, message: str, started: int, line: int) -> Exception:
    if "unexpected end of data" in message:
        return TableError(
            name,
            'a quoted cell is never closed (a " without its closing quote runs to the end '
            "of the file)",
            line=started,
        )
    if "field larger than field limit" in message:
        return TableError(
            name,
            f"a cell is longer than {csv.field_size_limit():,} characters (an unclosed "
            "quote, or not a table)",
            line=started,
        )
    if "expected after" in message:
        return _StrayQuoteError(message)
    return TableError(name, f"not a readable CSV file ({message})", line=line)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run this cell: importers refuse such a number or date."""
    return text.startswith(FORMULA_START)


def neutralise(value: str) -> str:
    """Text a spreadsheet will show, never run: a leading formula character gets a `'`.

    Text that already looks neutralised (`'=...`) gets one more, so that an import that
    strips exactly one gives the original back.
    """
    if looks_like_formula(value.lstrip("'")):
        return "'" + value
    return value
