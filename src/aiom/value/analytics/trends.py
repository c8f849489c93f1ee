"""Per-quarter figures for the diagnostics' sparklines: one query over the facts.

Caveat: history aiom does not keep cannot be trended — owners are read as they are now
(per proposal-quarter cohort), the operational share from each use case's last spell in
operation, and KPI coverage and hand-over have no trend (None).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from aiom.value.analytics import facts
from aiom.value.analytics.base import last_quarters, quarter_end, quarter_start
from aiom.value.models import UseCaseFacts

Trend = list[tuple[str, float | None]]
Facts = QuerySet[UseCaseFacts]


def pct(count: int, of: int) -> float | None:
    return None if of == 0 else round(100 * count / of, 1)


@dataclass(frozen=True)
class Quarterly:
    owner: Trend  # of the use cases proposed in each quarter, the share (%) owned now
    operational: Trend  # operational / not rejected (%) at each quarter's end
    at_intake: Trend  # of those first assessed in each quarter, the share (%) at intake


def quarterly(fq: Facts, today: dt.date, intake: str) -> Quarterly:
    """The three per-quarter trends over the last four quarters: the two cohort trends
    in one pass over the last year's rows (an index range each), the operational share
    from counts the indexes answer."""
    keys = last_quarters(today)
    spans = [(quarter_start(k), min(quarter_end(k), today)) for k in keys]
    proposed = _cohorts(fq, "proposed_on", spans, Q(has_owner=True))
    assessed = _cohorts(fq, "first_assessed_on", spans, Q(first_assessed_in=intake))
    operational = _operational(fq, [quarter_end(k) for k in keys])
    return Quarterly(
        owner=[(k, pct(*c)) for k, c in zip(keys, proposed, strict=True)],
        operational=[(k, pct(*c)) for k, c in zip(keys, operational, strict=True)],
        at_intake=[(k, pct(*c)) for k, c in zip(keys, assessed, strict=True)],
    )


def _cohorts(
    fq: Facts, day: str, spans: list[tuple[dt.date, dt.date]], good: Q
) -> list[tuple[int, int]]:
    """(good, all) of the rows whose `day` falls in each span, in one aggregate."""
    counts: dict[str, Any] = {}
    for i, (start, end) in enumerate(spans):
        inside = Q(**{f"{day}__gte": start, f"{day}__lte": end})
        counts |= {
            f"n{i}": Count(day, filter=inside),
            f"good{i}": Count(day, filter=inside & good),
        }
    if facts.whole(fq):  # the last year's rows only, read from the index on `day`
        fq = fq.filter(**{f"{day}__gte": spans[0][0], f"{day}__lte": spans[-1][1]})
    agg = fq.order_by().aggregate(**counts)
    return [(agg[f"good{i}"], agg[f"n{i}"]) for i in range(len(spans))]


def _operational(fq: Facts, ends: list[dt.date]) -> list[tuple[int, int]]:
    """(operational, created and not rejected) at each day in `ends`.

    A scope is a few rows: one pass. The whole organisation: four index counts per day
    (a use case leaves operation only after entering it, so operational = entered by
    then - left by then), instead of eight conditions tested on every row."""
    if not facts.whole(fq):
        counts: dict[str, Any] = {}
        for i, end in enumerate(ends):
            counts[f"op{i}"] = Count(
                "pk", filter=Q(operational_from__lte=end) & ~Q(operational_until__lte=end)
            )
            counts[f"base{i}"] = Count(
                "pk", filter=Q(created_on__lte=end) & ~Q(rejected_on__lte=end)
            )
        agg = fq.order_by().aggregate(**counts)
        return [(agg[f"op{i}"], agg[f"base{i}"]) for i in range(len(ends))]
    result = []
    for end in ends:
        entered = fq.filter(operational_from__lte=end).count()
        left = fq.filter(operational_until__lte=end).count()
        created = fq.filter(created_on__lte=end).count()
        rejected = fq.filter(rejected_on__lte=end, created_on__lte=end).count()
        result.append((entered - left, created - rejected))
    return result


def from_map(values: dict[str, float | None], today: dt.date, scale: float = 1) -> Trend:
    """A trend over the last four quarters from {quarter: value} (missing => None)."""
    trend: Trend = []
    for key in last_quarters(today):
        value = values.get(key)
        trend.append((key, None if value is None else round(value * scale, 1)))
    return trend


def empty(today: dt.date) -> Trend:
    return [(k, None) for k in last_quarters(today)]
