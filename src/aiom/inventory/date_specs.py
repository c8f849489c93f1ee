"""A mapping's word on a date field: its strptime format, day/month order, fiscal year and
the stages whose rows it is read for, checked when the mapping loads."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from aiom.inventory.dates import Order
from aiom.portfolio.vocabulary import STAGE_KEYS

DATE_FIELDS = ("proposed_on", "stage_entered_on")  # the use case's dates an import can set
_FORMAT_DIRECTIVES = set("YymbBdjHIMSfpzZaA%")


@dataclass(frozen=True)
class DateSpec:
    """A mapping's word on one date field: `date_format` (strptime) and/or `day_first`."""

    date_format: str = ""
    day_first: bool | None = None
    fiscal_year_start: int = 0
    stages: tuple[str, ...] = ()  # read only for rows in these aiom stages (empty: all)

    @property
    def order(self) -> Order | None:
        if self.day_first is None:
            return None
        return Order.DAY_FIRST if self.day_first else Order.MONTH_FIRST


def date_spec(fname: str, spec: dict[str, Any], problems: list[str]) -> DateSpec:
    """A date field's entry in a mapping's `fields`; bad keys are added to `problems`."""
    fmt = str(spec.get("date_format") or "")
    if fmt and (why := format_problem(fmt)):
        problems.append(f"fields.{fname}.date_format: {why}")
    day_first = spec.get("day_first")
    if day_first is not None and not isinstance(day_first, bool):
        problems.append(f"fields.{fname}.day_first: true or false, not {day_first!r}")
        day_first = None
    start = spec.get("fiscal_year_start", 0)
    if start not in range(13) or isinstance(start, bool):
        problems.append(f"fields.{fname}.fiscal_year_start: a month, 1 to 12, not {start!r}")
        start = 0
    stages = spec.get("stages") or []
    if not isinstance(stages, list) or any(s not in STAGE_KEYS for s in stages):
        problems.append(f"fields.{fname}.stages: a list of stages ({', '.join(STAGE_KEYS)})")
        stages = []
    return DateSpec(fmt, day_first, start, tuple(stages))


def format_problem(fmt: str) -> str:
    """Why `fmt` is no date format for a column ("" when it is one)."""
    used = re.findall(r"%(.)", fmt.replace("%%", ""))
    odd = sorted({d for d in used if d not in _FORMAT_DIRECTIVES})
    if odd:
        return f"'{fmt}' uses %{', %'.join(odd)}, not a date directive (e.g. %d/%m/%Y)"
    if not {"Y", "y"} & set(used):
        return f"'{fmt}' has no year (%Y or %y)"
    if fmt.replace("%%", "").endswith("%"):
        return f"'{fmt}' ends with a lone %"
    try:
        sample = dt.datetime(2021, 11, 23, 14, 5, 6, tzinfo=dt.UTC).strftime(fmt)
        dt.datetime.strptime(sample, fmt)
    except ValueError as exc:
        return f"'{fmt}' is not a strptime format ({exc})"
    return ""
