"""Per-quarter figures for the diagnostics' sparklines: one query over the facts.

A use case whose proposal (or first stage change) is unknown, or known only to a year that
a quarter's bounds cut, is left out of those trends and counted (`left_out`,
`operational_left_out`), never placed on a made-up day.
Caveat: history aiom does not keep cannot be trended — owners are read as they are now
(per proposal-quarter cohort), the operational share from each use case's last spell in
operation, and KPI coverage and hand-over have no trend (None).
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet

from aiom.core.date_periods import DAY
from aiom.core.partial_dates import start_of
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import (
    date_reason,
    last_quarters,
    left_out_note,
    quarter_end,
    quarter_start,
)
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
    left_out: int = 0  # proposal date unknown or not placeable in a quarter: not in `owner`
    left_out_reason: str = "without a proposal date"
    operational_left_out: int = 0  # first stage change unknown or not placeable
    operational_left_out_reason: str = "without a date for their first stage"

    @property
    def left_out_note(self) -> str:
        """The sentence under the figure (base.left_out_note; "" when none is left out)."""
        return left_out_note(self.left_out, self.left_out_reason)


def quarterly(fq: Facts, today: dt.date, intake: str) -> Quarterly:
    """The three per-quarter trends over the last four quarters: the two cohort trends
    in one pass over the last year's rows (an index range each), the operational share
    from counts the indexes answer."""
    keys = last_quarters(today)
    periods: list[tuple[dt.date, dt.date | None]] = [
        (quarter_start(k), quarter_end(k) if quarter_end(k) < today else None) for k in keys
    ]
    proposed, missed = _cohorts(
        fq,
        "proposed_on",
        periods,
        Q(has_owner=True),
        "proposed",
        # in the same pass: the proposals no quarter can hold
        unknown=spans.rows(Q(proposed_on__isnull=True)),
        partial=spans.rows(_straddling("proposed", periods)),
    )
    assessed, _ = _cohorts(fq, "first_assessed_on", periods, Q(first_assessed_in=intake))
    ends = [quarter_end(k) for k in keys]
    operational, unplaced = _operational(fq, ends)
    missed |= unplaced
    return Quarterly(
        owner=[(k, pct(*c)) for k, c in zip(keys, proposed, strict=True)],
        operational=[(k, pct(*c)) for k, c in zip(keys, operational, strict=True)],
        at_intake=[(k, pct(*c)) for k, c in zip(keys, assessed, strict=True)],
        left_out=missed["unknown"] + missed["partial"],
        left_out_reason=date_reason("proposal date", missed["unknown"], missed["partial"]),
        operational_left_out=missed["no_start"] + missed["start_partial"],
        operational_left_out_reason=date_reason(
            "date for their first stage", missed["no_start"], missed["start_partial"]
        ),
    )


def _straddling(name: str, periods: list[tuple[dt.date, dt.date | None]]) -> Q:
    return reduce(or_, (spans.straddles_q(name, a, b) for a, b in periods), Q(pk__in=[]))


def _cohorts(
    fq: Facts,
    day: str,
    periods: list[tuple[dt.date, dt.date | None]],
    good: Q,
    span: str | None = None,
    **extra: Any,
) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """(good, all) of the rows whose `day` falls in each span (an open end: up to today),
    in one aggregate; a partial date (`<span>_on` with its period's end kept,
    spans.py) counts only in a span that holds its whole period. `extra` aggregates (over
    the rows with an unknown `day` or one since the year of the first span) come back in
    the same pass."""
    counts: dict[str, Any] = dict(extra)
    for i, (start, end) in enumerate(periods):
        if span is not None:
            inside = spans.inside_q(span, start, end)
        else:
            inside = Q(**{f"{day}__gte": start}) & (
                Q() if end is None else Q(**{f"{day}__lte": end})
            )
        counts |= {
            f"n{i}": Count(day, filter=inside),
            f"good{i}": Count(day, filter=inside & good),
        }
    if facts.whole(fq):  # the last year's rows only, read from the index on `day`
        since = start_of(periods[0][0], "year") if extra else periods[0][0]
        recent = Q(**{f"{day}__gte": since})
        fq = fq.filter(recent | Q(**{f"{day}__isnull": True}) if extra else recent)
    agg = fq.order_by().aggregate(**counts)
    cohorts = [(agg[f"good{i}"], agg[f"n{i}"]) for i in range(len(periods))]
    return cohorts, {k: agg[k] or 0 for k in extra}


def _operational(fq: Facts, ends: list[dt.date]) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """(operational, created and not rejected) at each day in `ends`, and the use cases
    left out ({no_start, start_partial}: first stage change unknown, or partial and cut
    by one of the days), counted in the same queries.

    A scope is a few rows: one pass. The whole organisation: four index counts per day
    (a use case leaves operation only after entering it, so operational = entered by
    then - left by then), instead of eight conditions tested on every row. Only use cases
    certainly created by that day count (an unknown first stage, or one known only to a
    year the day cuts, is left out: counted by `quarterly`)."""
    missed = {
        "no_start": spans.rows(Q(created_on__isnull=True)),
        "start_partial": spans.rows(_straddling("created", [(e + DAY, None) for e in ends])),
    }
    if not facts.whole(fq):
        counts: dict[str, Any] = dict(missed)
        for i, end in enumerate(ends):
            made = _created_by(end)
            counts[f"op{i}"] = spans.rows(
                made & Q(operational_from__lte=end) & ~Q(operational_until__lte=end)
            )
            counts[f"base{i}"] = spans.rows(made & ~Q(rejected_on__lte=end))
        agg = fq.order_by().aggregate(**counts)
        ops = [(agg[f"op{i}"], agg[f"base{i}"]) for i in range(len(ends))]
        return ops, {k: agg[k] or 0 for k in missed}
    result, unplaced = [], {}
    for i, end in enumerate(ends):
        by_end = fq.filter(_created_by(end))
        entered = by_end.filter(operational_from__lte=end).count()
        left = by_end.filter(operational_until__lte=end).count()
        if i == 0:  # one pass over the rows counts the left-out ones as well
            agg = fq.order_by().aggregate(created=spans.rows(_created_by(end)), **missed)
            created, unplaced = agg["created"], {k: agg[k] or 0 for k in missed}
        else:
            created = by_end.count()
        rejected = by_end.filter(rejected_on__lte=end).count()
        result.append((entered - left, created - rejected))
    return result, unplaced


def _created_by(end: dt.date) -> Q:
    """Facts rows whose first stage change was certainly on or before `end`."""
    return spans.before_q("created", end + DAY)


def from_map(values: dict[str, float | None], today: dt.date, scale: float = 1) -> Trend:
    """A trend over the last four quarters from {quarter: value} (missing => None)."""
    trend: Trend = []
    for key in last_quarters(today):
        value = values.get(key)
        trend.append((key, None if value is None else round(value * scale, 1)))
    return trend


def empty(today: dt.date) -> Trend:
    return [(k, None) for k in last_quarters(today)]
