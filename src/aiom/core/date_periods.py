"""Whether a date known only to its period is certainly inside a span or before a day.

A partial date (core/partial_dates.py) is stored as the first day of its period plus a
precision: an event known only to "2022" happened on some day of 2022. A figure over a
span [since, until] counts it only when its WHOLE period lies inside the span; a period
that lies wholly outside is certainly not in it; a period that straddles a bound cannot
be placed, so the figure leaves it out and says so. An unknown date (None) is always left
out. The same rules in Python (`inside`, `before`: True, False or None = cannot tell)
and as ORM filters over a date column and its precision column (`*_q`), so a figure
computed in the database and a page computed in Python agree.

An open bound (None) is unbounded: callers pass `until=None` for a span ending today,
because the events counted (a proposal, a stage entry) are past, so a period that runs
past today still ended, for them, by today.
"""

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q

from aiom.core.partial_dates import Precision, start_of

PRECISIONS: tuple[str, ...] = tuple(Precision.values)
DAY = dt.timedelta(days=1)


def next_start(day: dt.date, precision: str) -> dt.date:
    """The first day of the period after the one `day` falls in."""
    start = start_of(day, precision)
    if precision == Precision.YEAR:
        return start.replace(year=start.year + 1)
    if precision in (Precision.QUARTER, Precision.MONTH):
        months = 3 if precision == Precision.QUARTER else 1
        month = start.month - 1 + months
        return start.replace(year=start.year + month // 12, month=month % 12 + 1)
    return day + DAY


def end_of(day: dt.date, precision: str) -> dt.date:
    """The last day of the period `day` falls in."""
    return next_start(day, precision) - DAY


def open_until(until: dt.date, today: dt.date) -> dt.date | None:
    """`until`, or None (unbounded) when the span reaches today: past events only."""
    return None if until >= today else until


def inside(
    day: dt.date | None, precision: str, since: dt.date | None, until: dt.date | None
) -> bool | None:
    """True: the whole period is in [since, until]; False: none of it; None: cannot tell."""
    if day is None:
        return None
    first, last = start_of(day, precision), end_of(day, precision)
    after_start = since is None or first >= since
    before_end = until is None or last <= until
    if after_start and before_end:
        return True
    if (until is not None and first > until) or (since is not None and last < since):
        return False
    return None


def before(day: dt.date | None, precision: str, cutoff: dt.date) -> bool | None:
    """True: the whole period is before `cutoff`; False: none of it is; None: cannot tell."""
    if day is None:
        return None
    if end_of(day, precision) < cutoff:
        return True
    if start_of(day, precision) >= cutoff:
        return False
    return None


def _any(parts: list[Q]) -> Q:
    return reduce(or_, parts, Q(pk__in=[]))


def inside_q(field: str, precision: str, since: dt.date | None, until: dt.date | None) -> Q:
    """Rows whose `field` (at the precision in column `precision`) is wholly in the span."""
    parts = []
    for p in PRECISIONS:
        q = Q(**{precision: p, f"{field}__isnull": False})
        if since is not None:
            q &= Q(**{f"{field}__gte": since})
        if until is not None:
            q &= Q(**{f"{field}__lt": start_of(until + DAY, p)})  # its period ends by `until`
        parts.append(q)
    return _any(parts)


def straddles_q(field: str, precision: str, since: dt.date | None, until: dt.date | None) -> Q:
    """Rows whose partial `field` overlaps the span without lying wholly in it."""
    parts = []
    for p in PRECISIONS:
        if p == Precision.DAY:
            continue
        if since is not None and start_of(since, p) < since:
            parts.append(Q(**{precision: p, field: start_of(since, p)}))
        if until is not None and next_start(until, p) > until + DAY:
            parts.append(Q(**{precision: p, field: start_of(until, p)}))
    return _any(parts)


def before_q(field: str, precision: str, cutoff: dt.date) -> Q:
    """Rows whose `field` is wholly before `cutoff` (whatever its precision)."""
    return _any([Q(**{precision: p, f"{field}__lt": start_of(cutoff, p)}) for p in PRECISIONS])


def straddles_day_q(field: str, precision: str, cutoff: dt.date) -> Q:
    """Rows whose partial `field`'s period holds `cutoff` past its first day: cannot tell."""
    parts = [
        Q(**{precision: p, field: start_of(cutoff, p)})
        for p in PRECISIONS
        if p != Precision.DAY and start_of(cutoff, p) < cutoff
    ]
    return _any(parts)
