"""Time-to-value: days from a use case's proposal to the first KPI that met its target.

Median and 75th percentile come from the sorted day counts, fetched from the use cases'
facts (`days_to_value`, kept on write) as one list of month and integer pairs (one row
per use case that realised value). Only a proposal known to the day counts: a use case
that realised value but whose proposal date is unknown, or known only to its month,
quarter or year, is left out (its days would be made up) and counted (`left_out`).
Caveat: a value date before the proposal date (bad imported data) counts as 0 days.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from aiom.core.memo import live
from aiom.insights.analytics import facts
from aiom.insights.analytics.base import Scope, date_reason, left_out_note, percentile
from aiom.insights.analytics.sql import quarter_of, year_month
from aiom.insights.analytics.tally import tally

BUCKETS: list[tuple[str, int | None]] = [
    ("≤ 90 d", 90),
    ("91–180 d", 180),  # noqa: RUF001 - an en dash, on purpose
    ("181–365 d", 365),  # noqa: RUF001
    ("> 1 y", None),
]

PROPOSAL = "proposal date"


@dataclass(frozen=True)
class TimeToValue:
    realised: int
    median_days: float | None
    p75_days: float | None
    buckets: list[tuple[str, int]]
    not_yet: int = 0  # active use cases (not retired/rejected/stopped) with no value yet
    by_quarter: dict[str, float | None] = field(default_factory=dict)  # median per realised Q
    left_out: int = 0  # realised value, proposal date not known to the day
    left_out_reason: str = f"without a {PROPOSAL}"

    @property
    def left_out_note(self) -> str:
        """The sentence under the figure (base.left_out_note; "" when none is left out)."""
        return left_out_note(self.left_out, self.left_out_reason)


def undated(scope: Scope, *, user: Any = None) -> tuple[int, int]:
    """(unknown, partial): use cases that realised value whose proposal date is unknown,
    or known only to its month, quarter or year (no `days_to_value`; from the tally)."""
    t = tally(scope, today=timezone.localdate(), user=user)
    return t.realised_unknown, t.realised_partial


@live
def realised_days(scope: Scope, *, user: Any = None) -> list[tuple[str, int]]:
    """('YYYY-MM' value was realised, days) for every use case in scope that realised
    value, from the facts (plain strings and integers: no date built per row)."""
    rows = (
        facts.of(scope, user)
        .filter(days_to_value__isnull=False)
        .annotate(ym=year_month("value_realised_on"))
        .order_by()
        .values_list("ym", "days_to_value")
    )
    return [(ym, d) for ym, d in rows if d is not None]


def not_yet(scope: Scope, *, user: Any = None) -> int:
    """Active use cases (not retired, rejected or stopped) with no value yet (the tally)."""
    return tally(scope, today=timezone.localdate(), user=user).no_value_yet


def summarise(
    rows: list[tuple[str, int]], pending: int, left_out: tuple[int, int] = (0, 0)
) -> TimeToValue:
    """The figures from ('YYYY-MM' or a date, days) pairs; `left_out` = (unknown, partial)
    proposal dates of use cases that realised value."""
    days = sorted(d for _, d in rows)
    counts, below = [], 0
    for _, top in BUCKETS:
        upto = len(days) if top is None else bisect_right(days, top)
        counts.append(upto - below)
        below = upto
    per_month: dict[str, list[int]] = {}
    for month, d in rows:
        per_month.setdefault(str(month)[:7], []).append(d)
    per_quarter: dict[str, list[int]] = {}
    for month, values in per_month.items():
        per_quarter.setdefault(quarter_of(month), []).extend(values)
    return TimeToValue(
        realised=len(days),
        median_days=percentile(days, 0.5),
        p75_days=percentile(days, 0.75),
        buckets=[(label, n) for (label, _), n in zip(BUCKETS, counts, strict=True)],
        not_yet=pending,
        by_quarter={k: percentile(sorted(v), 0.5) for k, v in sorted(per_quarter.items())},
        left_out=sum(left_out),
        left_out_reason=date_reason(PROPOSAL, *left_out),
    )


@live
def time_to_value(scope: Scope, *, user: Any = None) -> TimeToValue:
    """Median, p75 and buckets of proposal-to-value days; "not yet" counted separately."""
    return summarise(
        realised_days(scope, user=user), not_yet(scope, user=user), undated(scope, user=user)
    )
