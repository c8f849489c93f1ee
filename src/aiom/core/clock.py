"""Backdating for services that record history (imports, the demo): a moment on a day."""

import datetime as dt

from django.utils import timezone


def moment(day: dt.date | None) -> dt.datetime:
    """Now, or the current time of day on `day` when that day is in the past."""
    now = timezone.now()
    if day is None or day >= now.date():
        return now
    return now.replace(year=day.year, month=day.month, day=day.day)
