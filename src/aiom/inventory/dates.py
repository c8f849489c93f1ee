"""Read one date cell the way real inventories write it: the first day of its period and
its precision, or the reason it is not a date. Pure: no database, no clock (`today` is given).

Forms read: ISO dates and timestamps (fractions, `Z`, offsets: the date as written, not
moved to UTC), `9/1/2019 0:00`, `09/24/2024 12:00:00 AM`, `2019/11`, `2019-11`, `03-2022`,
`2022`, quarters (`Q3 2023`, `2023-Q3`, `3rd quarter 2023`, `T3 2023`, `3e kwartaal 2023`),
month names in English, Dutch, French, German, Spanish and Italian, full or abbreviated,
with or without a day (`15 March 2022`, `March 15, 2022`, `1er février 2021`, `1. März
2022`, `15 de marzo de 2022`), Excel's month displays (`Mar-22` and `24-Nov` are March 2022
and November 2024: Excel turns a typed "Nov-24" into the 24th of November and shows
`24-Nov`; a day without a year is never a date, so the number is read as the year only when
it is joined to the month by a hyphen), a date followed by a note (`2022-08 (estimated)`,
`2022-09-13 Technical kickoff`), and Excel serial numbers (only for cells that were numbers
in a workbook, 1900 or 1904 epoch). A numeric `a/b/yyyy` whose parts could both be a month
needs the column's order (see `settle`); dotted `a.b.yyyy` is day first, as everywhere that
writes it. Years before 1950 are unreadable (no AI use case is that old: a typo); a date
after `today` is a `Future` (the caller keeps it unknown).
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from aiom.core.partial_dates import Precision, start_of
from aiom.inventory.date_words import FILLER, MONTHS, QUARTER_LETTERS, QUARTER_WORDS

EARLIEST_YEAR = 1950
MAX_LENGTH = 200  # a longer cell is a text, not a date (and costs no regex time)


class Order(StrEnum):
    DAY_FIRST = "day first"
    MONTH_FIRST = "month first"


@dataclass(frozen=True)
class Reading:
    day: dt.date  # the first day of the period
    precision: Precision


@dataclass(frozen=True)
class Unreadable:
    reason: str
    ambiguous: bool = False  # a numeric day/month whose order nothing settled


@dataclass(frozen=True)
class Future:
    reading: Reading


Result = Reading | Unreadable | Future


@dataclass(frozen=True)
class Hints:
    """What the mapping and the file say about a column: order, format, workbook numbers."""

    order: Order | None = None
    date_format: str = ""  # strptime, from the mapping
    excel_serial: bool = False  # this cell was a number in an XLSX workbook
    epoch_1904: bool = False  # ... whose dates count from 1904 (old Mac Excel)
    fiscal_year_start: int = 0  # the month a fiscal year starts (10: US federal); 0 unknown


NO_HINTS = Hints()


_TIME = re.compile(
    r"(?:t|\s+|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:am|pm|a\.m\.|p\.m\.|h|uhr)?"
    r"\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_YMD = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_LETTER = f"[{QUARTER_LETTERS}]"
_QUARTER = (
    re.compile(rf"^{_LETTER}\s*([1-4])\s*[-/.,]?\s*(\d{{4}})$"),
    re.compile(rf"^(\d{{4}})\s*[-/.,]?\s*{_LETTER}\s*([1-4])$"),
)
_WORDS = "|".join(sorted(QUARTER_WORDS))
_QUARTER_WORDED = re.compile(
    rf"^([1-4])\s*(?:st|nd|rd|th|e|er|eme|de|ste|\.)?\s*(?:{_WORDS})\s*(?:of\s+|de\s+)?(\d{{4}})$"
)
_FISCAL = re.compile(r"fy\s*'?\d{2,4}\b|\bfy\b")
_FISCAL_QUARTER = (
    re.compile(r"^q\s*([1-4])\s*[-/ ]?\s*fy\s*'?(\d{4}|\d{2})$"),
    re.compile(r"^fy\s*'?(\d{4}|\d{2})\s*[-/ ]?\s*q\s*([1-4])$"),
)
_FISCAL_YEAR = re.compile(r"^fy\s*'?(\d{4}|\d{2})$")
_EPOCH_1900 = dt.date(1899, 12, 30)  # Excel's day 0 (counting its phantom 29 Feb 1900)
_NOTE = re.compile(r"\([^)]*\)")
_LEADING = re.compile(
    r"^(\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4})(?=[\s;,]|$)"
)
_TOKEN = re.compile(r"[a-z]+|\d+")
_NAMED_CHARS = re.compile(r"^[a-z0-9\s,./'-]+$")


def parse(text: str, hints: Hints = NO_HINTS, *, today: dt.date) -> Result | None:
    """The date in `text` (None: blank), its reason for being unreadable, or a Future."""
    raw = " ".join(text.split())
    if not raw:
        return None
    if len(raw) > MAX_LENGTH:
        return Unreadable(f"{len(raw):,} characters: a text, not a date")
    result = _read(raw, hints)
    if isinstance(result, Reading):
        if result.day.year < EARLIEST_YEAR:
            typed_year = (result.day - _EPOCH_1900).days
            if result.precision == Precision.DAY and EARLIEST_YEAR <= typed_year <= today.year:
                # a year typed into a date cell: Excel stores 2024 as day 2024, 1905-07-16
                return Reading(dt.date(typed_year, 1, 1), Precision.YEAR)
            return Unreadable(f"the year {result.day.year} is before {EARLIEST_YEAR} (a typo?)")
        if result.day > today:
            return Future(result)
    return result


def _read(raw: str, hints: Hints) -> Reading | Unreadable:
    if hints.date_format:
        found = _strptime(raw, hints.date_format)
        if found is not None:
            return found
    if hints.excel_serial:
        serial = _serial(raw, hints.epoch_1904)
        if serial is not None:
            return serial
    order = hints.order or format_order(hints.date_format)
    text = fold(raw)
    attempts = [text]
    if "(" in text:
        attempts.append(" ".join(_NOTE.sub(" ", text).split()).strip(" ;,"))
    leading = _LEADING.match(text)
    if leading:
        attempts.append(leading.group(1))
    for attempt in attempts:
        read = _forms(attempt, order)
        if read is not None:
            return read
    if _FISCAL.search(text):
        return _fiscal(text, hints.fiscal_year_start)
    return Unreadable("not a date aiom reads")


def fold(text: str) -> str:
    """Casefolded, accents dropped, dashes made hyphens, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub("[\u2010-\u2015\u2212]", "-", plain)
    return " ".join(plain.split())


def _forms(text: str, order: Order | None) -> Reading | Unreadable | None:
    """`text` (folded) read by the first form that fits; None when no form fits."""
    text = _TIME.sub("", text).strip()
    try:
        if m := _YMD.match(text):
            return _day(int(m[1]), int(m[3]), int(m[4]))
        if m := _COMPACT.match(text):
            return _day(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            return _numeric(int(m[1]), int(m[3]), _year(m[4]), m[2], order)
        if m := _YM.match(text):
            return _month(int(m[1]), int(m[2]))
        if m := _MY.match(text):
            return _month(int(m[2]), int(m[1]))
        if m := _YEAR.match(text):
            return Reading(dt.date(int(m[1]), 1, 1), Precision.YEAR)
        for pattern in _QUARTER:
            if m := pattern.match(text):
                year, quarter = (m[2], m[1]) if pattern is _QUARTER[0] else (m[1], m[2])
                return _quarter(int(year), int(quarter))
        if m := _QUARTER_WORDED.match(text):
            return _quarter(int(m[2]), int(m[1]))
        return _named(text)
    except ValueError:  # a day the calendar does not have (31/2/2022), a year 0
        return Unreadable("no such day or month")


def _fiscal(text: str, start: int) -> Reading | Unreadable:
    """`Q4 FY25`, `FY2025 Q4`, `FY25`: calendar dates once the mapping says when FY starts.

    Fiscal year N starts in month `start` of year N-1 (US federal: October), or of year N
    when it starts in January. A quarter is a calendar quarter only when the year starts on
    one (January, April, July, October); a fiscal year is a calendar year only in January.
    """
    why = "a fiscal-year date: set fiscal_year_start for this field in the mapping"
    if not start:
        return Unreadable(why)
    for i, pattern in enumerate(_FISCAL_QUARTER):
        if m := pattern.match(text):
            quarter, year = (int(m[1]), _year(m[2])) if i == 0 else (int(m[2]), _year(m[1]))
            if (start - 1) % 3:
                return Unreadable("a fiscal quarter that is no calendar quarter")
            months = (start - 1) + 3 * (quarter - 1) + (12 * (year - 1) if start > 1 else 12 * year)
            return Reading(dt.date(months // 12, months % 12 + 1, 1), Precision.QUARTER)
    if m := _FISCAL_YEAR.match(text):
        if start != 1:
            return Unreadable("a fiscal year spans two calendar years (give the quarter or month)")
        return Reading(dt.date(_year(m[1]), 1, 1), Precision.YEAR)
    return Unreadable("not a date aiom reads")


def _day(year: int, month: int, day: int) -> Reading:
    return Reading(dt.date(year, month, day), Precision.DAY)


def _month(year: int, month: int) -> Reading:
    return Reading(dt.date(year, month, 1), Precision.MONTH)


def _quarter(year: int, quarter: int) -> Reading:
    return Reading(dt.date(year, 3 * quarter - 2, 1), Precision.QUARTER)


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one as strptime's %y reads it (69-99: 1900s)."""
    value = int(text)
    if len(text) > 2:
        return value
    return 1900 + value if value >= 69 else 2000 + value


def _numeric(a: int, b: int, year: int, sep: str, order: Order | None) -> Reading | Unreadable:
    """`a<sep>b<sep>year`: which of a and b is the day."""
    if a > 12 and b > 12:
        return Unreadable("neither the first nor the second number is a month")
    if a == b:
        return _day(year, a, a)
    if a > 12 or b > 12:
        found = Order.DAY_FIRST if a > 12 else Order.MONTH_FIRST
        if order is not None and order != found:
            return Unreadable(f"{max(a, b)} is not a month (the column is {order.value})")
        order = found
    if order is None:
        if sep != ".":
            return Unreadable("day/month order unknown", ambiguous=True)
        order = Order.DAY_FIRST  # dotted dates are day first wherever they are written
    return _day(year, b, a) if order == Order.DAY_FIRST else _day(year, a, b)


def _named(text: str) -> Reading | Unreadable | None:
    """A date with a month's name: `15 March 2022`, `March 15, 2022`, `Mar-22`, `24-Nov`."""
    if not _NAMED_CHARS.match(text):
        return None
    tokens = _TOKEN.findall(text)
    if any(not t.isdigit() and t not in MONTHS and t not in FILLER for t in tokens):
        return None
    tokens = [t for t in tokens if t not in FILLER]
    months = [i for i, t in enumerate(tokens) if t in MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) != 1 or len(tokens) != len(numbers) + 1 or not 1 <= len(numbers) <= 2:
        return None
    month = MONTHS[tokens[months[0]]]
    years = [n for n in numbers if len(n) == 4]
    if len(numbers) == 1:
        if years:
            return _month(int(years[0]), month)
        if "-" in text and len(numbers[0]) == 2:  # Excel's "Mar-22" / "24-Nov": month, year
            return _month(_year(numbers[0]), month)
        return Unreadable("a day and month without a year")
    if len(years) > 1 or any(len(n) > 4 or len(n) == 3 for n in numbers):
        return None
    if years:
        day = next(n for n in numbers if len(n) != 4)
        return _day(int(years[0]), month, int(day))
    return _day(_year(numbers[-1]), month, int(numbers[0]))  # "15-mar-22": the last is the year


def _serial(raw: str, epoch_1904: bool) -> Reading | Unreadable | None:
    """A workbook number: a year (1950-2100), else days since the workbook's epoch."""
    try:
        value = float(raw)
    except ValueError:
        return None
    if value.is_integer() and EARLIEST_YEAR <= value <= 2100:
        return Reading(dt.date(int(value), 1, 1), Precision.YEAR)
    if not 0 < value < 2_958_466:  # Excel's last day is 9999-12-31
        return Unreadable(f"{raw} is not a day number Excel uses")
    base = dt.date(1904, 1, 1) if epoch_1904 else _EPOCH_1900
    return Reading(base + dt.timedelta(days=int(value)), Precision.DAY)


def _strptime(raw: str, fmt: str) -> Reading | None:
    try:
        day = dt.datetime.strptime(raw, fmt).date()
    except ValueError:
        return None
    precision = format_precision(fmt)
    return Reading(start_of(day, precision), precision)


def format_precision(fmt: str) -> Precision:
    directives = set(re.findall(r"%([A-Za-z])", fmt))
    if directives & {"d", "j"}:
        return Precision.DAY
    if directives & {"m", "b", "B"}:
        return Precision.MONTH
    return Precision.YEAR


def format_order(fmt: str) -> Order | None:
    day, month = fmt.find("%d"), max(fmt.find("%m"), fmt.find("%b"), fmt.find("%B"))
    if day < 0 or month < 0:
        return None
    return Order.DAY_FIRST if day < month else Order.MONTH_FIRST


def replaces(
    current: dt.date | None, current_precision: str, new: dt.date, new_precision: str
) -> bool:
    """Whether a file's date should replace the one aiom has (None: unknown in aiom).

    The same date and precision, or a coarser one whose period holds aiom's date, agree.
    """
    if current is None:
        return True
    if (new, new_precision) == (current, current_precision):
        return False
    coarser = _RANK[new_precision] > _RANK.get(current_precision, 0)
    return not (coarser and start_of(current, new_precision) == new)


_RANK = {p: n for n, p in enumerate(Precision.values)}


def evidence(text: str) -> Order | None:
    """The order a numeric `a/b/yyyy` value proves (a part over 12 is the day), else None."""
    if len(text) > MAX_LENGTH:
        return None
    m = _NUMERIC.match(_TIME.sub("", fold(text)).strip())
    if not m:
        return None
    a, b = int(m[1]), int(m[3])
    if a > 12 >= b:
        return Order.DAY_FIRST
    if b > 12 >= a:
        return Order.MONTH_FIRST
    return None


@dataclass(frozen=True)
class Settlement:
    """A column's day/month order as its values prove it, with an example of each order."""

    order: Order | None
    day_first_example: str = ""
    month_first_example: str = ""

    @property
    def conflict(self) -> bool:
        return bool(self.day_first_example and self.month_first_example)


def settle(values: Iterable[str]) -> Settlement:
    """Day first if some value can only be D/M and none only M/D, and vice versa."""
    examples: dict[Order, str] = {}
    for value in values:
        found = evidence(value)
        if found is not None and found not in examples:
            examples[found] = " ".join(value.split())
            if len(examples) == 2:
                break
    day, month = examples.get(Order.DAY_FIRST, ""), examples.get(Order.MONTH_FIRST, "")
    order = None if day and month else (Order.DAY_FIRST if day else None)
    if month and not day:
        order = Order.MONTH_FIRST
    return Settlement(order, day, month)
