"""Partial dates: a day known only to its month, quarter or year, and how it is shown.

A partial date is stored as the first day of its period plus a precision, so it sorts
and compares like a date, and is shown as the period it is ("2022-03", "Q3 2023",
"2022"), never as a made-up day. An unknown date is None, shown as "unknown".
"""

import datetime as dt

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"
    YEAR = "year", "year"


def start_of(day: dt.date, precision: str) -> dt.date:
    """The first day of the period `day` falls in at `precision`."""
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision == Precision.QUARTER:
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


def shown(day: dt.date | None, precision: str = Precision.DAY, unknown: str = "unknown") -> str:
    """The date as its precision allows: 2022-03-14, 2022-03, Q1 2022, 2022, or `unknown`."""
    if day is None:
        return unknown
    if precision == Precision.YEAR:
        return f"{day.year}"
    if precision == Precision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == Precision.MONTH:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def known(day: dt.date | None) -> dt.date:
    """`day`, which the caller knows is set (aiom's own records, the demo); else an error."""
    if day is None:
        raise ValueError("a date that must be known is unknown")
    return day
