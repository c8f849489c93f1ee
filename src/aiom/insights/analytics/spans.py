"""The period rules of core/date_periods.py as ranges over the facts' kept period ends.

A partial date is kept in the facts as its period's first day (`<name>_on`), its
precision, and its period's last day (`<name>_until`, facts.periods_ends). The rules
"wholly inside a span", "wholly before a day", "straddles a bound" then need no condition
per precision: each is one or two range tests an index answers, and the same rows as
`date_periods.inside_q`/`before_q`/`straddles_q`/`straddles_day_q` over the date and its
precision column (tests/value/test_spans.py compares them). An unknown date (None) is in
none of them, as there.

`rows(filter)` counts rows as `COUNT(1)`: it reads no column, so an index holding the
filtered columns answers it without visiting the table (`Count("pk")` would read the
primary key, which on SQLite is not the row id of the facts table).
"""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Value

from aiom.insights.analytics import facts
from aiom.value.models import UseCaseFacts


def rows(filter: Q | None = None) -> Count:
    """How many rows (that match `filter`): COUNT(1), answered from an index if one holds
    the filter's columns."""
    return Count(Value(1), filter=filter)


def inside_q(name: str, since: dt.date | None, until: dt.date | None) -> Q:
    """Rows whose `<name>_on` period lies wholly in [since, until] (None: unbounded)."""
    q = Q(**{f"{name}_on__isnull": False})
    if since is not None:
        q &= Q(**{f"{name}_on__gte": since})
    if until is not None:
        q &= Q(**{f"{name}_until__lte": until})
    return q


def before_q(name: str, cutoff: dt.date) -> Q:
    """Rows whose `<name>_on` period lies wholly before `cutoff`."""
    return Q(**{f"{name}_until__lt": cutoff})


def straddles_day_q(name: str, cutoff: dt.date) -> Q:
    """Rows whose period holds `cutoff` past its first day: cannot tell before or after."""
    return Q(**{f"{name}_on__lt": cutoff, f"{name}_until__gte": cutoff})


def straddles_q(name: str, since: dt.date | None, until: dt.date | None) -> Q:
    """Rows whose period overlaps [since, until] without lying wholly in it."""
    q = Q(pk__in=[])
    if since is not None:
        q |= straddles_day_q(name, since)
    if until is not None:
        q |= Q(**{f"{name}_on__lte": until, f"{name}_until__gt": until})
    return q


def scope_keys(fq: QuerySet[UseCaseFacts]) -> tuple[str, ...]:
    """Leading GROUP BY keys for a grouped query over `fq`: none for the whole organisation
    (the groups are read in the order of an index over the grouped columns), the org unit
    for a scope, so the planner finds a scope's few rows by the unit's index instead of
    walking every row in that order (the groups are summed in Python either way)."""
    return () if facts.whole(fq) else ("org_unit_id",)
