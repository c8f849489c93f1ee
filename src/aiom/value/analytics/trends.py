"""Per-quarter figures for the diagnostics' sparklines: one grouped query each.

Caveat: history aiom does not keep cannot be trended — owners are read as they are now
(per proposal-quarter cohort), and KPI coverage and hand-over have no trend (None).
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from aiom.governance.models import RiskAssessment
from aiom.lifecycle.models import StageChange
from aiom.portfolio.models import UseCase
from aiom.value.analytics.base import in_scope, last_quarters, quarter_end, quarter_start
from aiom.value.analytics.sql import by_quarter, year_month

Trend = list[tuple[str, float | None]]


def pct(count: int, of: int) -> float | None:
    return None if of == 0 else round(100 * count / of, 1)


def owner_cohorts(qs: QuerySet[UseCase], today: dt.date) -> Trend:
    """Share (%) of the use cases proposed in each quarter that have an owner now."""
    keys = last_quarters(today)
    rows = by_quarter(
        qs.filter(proposed_on__gte=quarter_start(keys[0]), proposed_on__lte=today)
        .annotate(ym=year_month("proposed_on"))
        .order_by()
        .values("ym")
        .annotate(n=Count("pk"), owned=Count("pk", filter=Q(owner__isnull=False))),
        ("n", "owned"),
    )
    return [(k, pct(rows[k]["owned"], rows[k]["n"]) if k in rows else None) for k in keys]


def operational_share(qs: QuerySet[UseCase], today: dt.date) -> Trend:
    """Operational / not-rejected (%) at each quarter's end, replayed from stage changes."""
    fields = ("new", "rejected", "op_in", "op_out")
    rows = by_quarter(
        StageChange.objects.filter(in_scope(qs))
        .annotate(ym=year_month("on"))
        .order_by()
        .values("ym")
        .annotate(
            new=Count("pk", filter=Q(from_stage="")),
            rejected=Count("pk", filter=Q(to_stage="rejected")),
            op_in=Count("pk", filter=Q(to_stage="operational")),
            op_out=Count("pk", filter=Q(from_stage="operational")),
        ),
        fields,
    )
    history = [(quarter_end(key), r) for key, r in sorted(rows.items())]
    trend: Trend = []
    for key in last_quarters(today):
        end = quarter_end(key)
        upto = [r for day, r in history if day <= end]
        base = sum(r["new"] - r["rejected"] for r in upto)
        trend.append((key, pct(sum(r["op_in"] - r["op_out"] for r in upto), base)))
    return trend


def at_intake(qs: QuerySet[UseCase], today: dt.date, intake: str) -> Trend:
    """Of the use cases first assessed in each quarter, the share (%) assessed at intake."""
    keys = last_quarters(today)
    earlier = RiskAssessment.objects.filter(
        use_case=OuterRef("use_case"), assessed_at__lt=OuterRef("assessed_at")
    )
    rows = by_quarter(
        RiskAssessment.objects.filter(in_scope(qs), assessed_at__date__gte=quarter_start(keys[0]))
        .filter(~Exists(earlier))
        .annotate(ym=year_month("assessed_at"))
        .order_by()
        .values("ym")
        .annotate(n=Count("pk"), early=Count("pk", filter=Q(stage_at_assessment=intake))),
        ("n", "early"),
    )
    return [(k, pct(rows[k]["early"], rows[k]["n"]) if k in rows else None) for k in keys]


def from_map(values: dict[str, float | None], today: dt.date, scale: float = 1) -> Trend:
    """A trend over the last four quarters from {quarter: value} (missing => None)."""
    trend: Trend = []
    for key in last_quarters(today):
        value = values.get(key)
        trend.append((key, None if value is None else round(value * scale, 1)))
    return trend


def empty(today: dt.date) -> Trend:
    return [(k, None) for k in last_quarters(today)]
