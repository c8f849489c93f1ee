"""Every analytics figure as a plain table (header + rows), for CSV export and pages.

Caveat: cells are raw values here; `safe_cell` escapes spreadsheet formulas on export.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from aiom.value.analytics.base import Scope, Share
from aiom.value.analytics.coverage import coverage
from aiom.value.analytics.diagnostics import diagnostics
from aiom.value.analytics.dwell import dwell
from aiom.value.analytics.embedding import embedding
from aiom.value.analytics.funnel import funnel
from aiom.value.analytics.governance import governance_timing
from aiom.value.analytics.pilots import pilot_outcomes
from aiom.value.analytics.time_to_value import time_to_value
from aiom.value.analytics.vendors import vendor_dependence

Table = tuple[list[str], list[list[Any]]]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERIOD_DAYS = 90


def safe_cell(value: Any) -> Any:
    """Text starting like a formula gets a leading ' so a spreadsheet shows, not runs, it."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _share_row(name: str, s: Share | None) -> list[Any]:
    if s is None:
        return [name, "", "", "not measured"]
    return [name, s.count, s.of, "" if s.share is None else round(s.share, 4)]


def _funnel(scope: Scope, today: dt.date, user: Any) -> Table:
    f = funnel(scope, since=today - dt.timedelta(days=PERIOD_DAYS), until=today, user=user)
    rows = [[stage, n, f.entered.get(stage, 0)] for stage, n in f.per_stage.items()]
    return ["stage", "now", f"entered {f.since} to {f.until}"], rows


def _pilots(scope: Scope, today: dt.date, user: Any) -> Table:
    p = pilot_outcomes(scope, today=today, user=user)
    rows = [
        [c.quarter, c.started, c.scaled, c.stopped, c.stalled, c.running, c.scale_rate]
        for c in p.cohorts
    ]
    head = ["quarter started", "started", "scaled", "stopped", "stalled", "running", "scale rate"]
    return head, rows


def _ttv(scope: Scope, today: dt.date, user: Any) -> Table:
    t = time_to_value(scope, user=user)
    return ["time to value", "use cases"], [*map(list, t.buckets), ["not yet", t.not_yet]]


def _dwell(scope: Scope, today: dt.date, user: Any) -> Table:
    d = dwell(scope, today=today, user=user)
    rows = [[r.id, r.title, r.org_unit, r.stage, r.days, r.sla_days] for r in d.over]
    return ["id", "title", "org unit", "stage", "days in stage", "sla days"], rows


def _coverage(scope: Scope, today: dt.date, user: Any) -> Table:
    c = coverage(scope, today=today, user=user)
    rows = [
        _share_row("owner", c.owner),
        _share_row("sponsor", c.sponsor),
        _share_row("kpis measured", c.kpis_measured),
        _share_row("data ready", c.data_ready),
    ]
    return ["measure", "count", "of", "share"], rows


def _governance(scope: Scope, today: dt.date, user: Any) -> Table:
    g = governance_timing(scope, today=today, user=user)
    rows = [
        _share_row("first assessed at intake", g.at_intake),
        _share_row("reviews decided within SLA", g.reviews_within_sla),
        ["review median days", g.review_median_days, "", ""],
        ["open reviews overdue", g.reviews_open_overdue, "", ""],
    ]
    return ["measure", "count", "of", "share"], rows


def _embedding(scope: Scope, today: dt.date, user: Any) -> Table:
    e = embedding(scope, today=today, user=user)
    return ["month", "active users", "usage"], [list(row) for row in e.adoption]


def _vendors(scope: Scope, today: dt.date, user: Any) -> Table:
    v = vendor_dependence(scope, user=user)
    rows = [[name, n, round(share, 4)] for name, n, share in v.top]
    return ["vendor", "use cases", "share of bought and partnered"], rows


def _diagnostics(scope: Scope, today: dt.date, user: Any) -> Table:
    rows = [
        [d.key, d.question, d.answer, d.figure, d.unit, len(d.laggards)]
        for d in diagnostics(scope, today=today, user=user)
    ]
    return ["key", "question", "answer", "figure", "unit", "named laggards"], rows


TABLES: dict[str, Callable[[Scope, dt.date, Any], Table]] = {
    "funnel": _funnel,
    "pilots": _pilots,
    "time-to-value": _ttv,
    "dwell": _dwell,
    "coverage": _coverage,
    "governance": _governance,
    "embedding": _embedding,
    "vendors": _vendors,
    "diagnostics": _diagnostics,
}


def table(name: str, scope: Scope, *, today: dt.date, user: Any = None) -> Table:
    """The named table (KeyError for an unknown name)."""
    return TABLES[name](scope, today, user)
