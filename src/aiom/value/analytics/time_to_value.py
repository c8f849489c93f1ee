"""Time-to-value: days from a use case's proposal to the first KPI that met its target.

Median and 75th percentile come from the sorted day counts, fetched as one list of
integers (one row per use case that realised value). Caveat: a value date before the
proposal date (bad imported data) counts as 0 days.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from aiom.value.analytics.base import TERMINAL_DEFAULT, Scope, percentile, quarter_key
from aiom.value.analytics.sql import DaysBetween

BUCKETS: list[tuple[str, int | None]] = [
    ("≤ 90 d", 90),
    ("91–180 d", 180),  # noqa: RUF001 - an en dash, on purpose
    ("181–365 d", 365),  # noqa: RUF001
    ("> 1 y", None),
]


@dataclass(frozen=True)
class TimeToValue:
    realised: int
    median_days: float | None
    p75_days: float | None
    buckets: list[tuple[str, int]]
    not_yet: int = 0  # active use cases (not retired/rejected/stopped) with no value yet
    by_quarter: dict[str, float | None] = field(default_factory=dict)  # median per realised Q


def realised_days(scope: Scope, *, user: Any = None) -> list[tuple[dt.date, int]]:
    """(value_realised_on, days) for every use case in scope that realised value."""
    rows = (
        scope.use_cases(user)
        .filter(value_realised_on__isnull=False)
        .annotate(days=DaysBetween(F("value_realised_on"), F("proposed_on")))
        .order_by()
        .values_list("value_realised_on", "days")
    )
    return [(on, max(int(days), 0)) for on, days in rows if on is not None]


def not_yet(scope: Scope, *, user: Any = None) -> int:
    return (
        scope.use_cases(user)
        .filter(value_realised_on__isnull=True)
        .exclude(stage__in=TERMINAL_DEFAULT)
        .count()
    )


def summarise(rows: list[tuple[dt.date, int]], pending: int) -> TimeToValue:
    days = sorted(d for _, d in rows)
    counts = [0] * len(BUCKETS)
    for d in days:
        counts[next(i for i, (_, top) in enumerate(BUCKETS) if top is None or d <= top)] += 1
    per_quarter: dict[str, list[int]] = {}
    for on, d in rows:
        per_quarter.setdefault(quarter_key(on), []).append(d)
    return TimeToValue(
        realised=len(days),
        median_days=percentile(days, 0.5),
        p75_days=percentile(days, 0.75),
        buckets=[(label, n) for (label, _), n in zip(BUCKETS, counts, strict=True)],
        not_yet=pending,
        by_quarter={k: percentile(sorted(v), 0.5) for k, v in sorted(per_quarter.items())},
    )


def time_to_value(scope: Scope, *, user: Any = None) -> TimeToValue:
    """Median, p75 and buckets of proposal-to-value days; "not yet" counted separately."""
    return summarise(realised_days(scope, user=user), not_yet(scope, user=user))
