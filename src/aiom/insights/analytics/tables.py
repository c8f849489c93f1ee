"""Every analytics figure as a plain table (header + rows), for CSV export and pages.

Caveat: cells are raw values here; `safe_cell` escapes spreadsheet formulas on export.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from aiom.core import tabular
from aiom.insights.analytics.base import Scope, Share, left_out_note
from aiom.insights.analytics.coverage import coverage
from aiom.insights.analytics.diagnostics import diagnostics
from aiom.insights.analytics.dwell import dwell
from aiom.insights.analytics.embedding import embedding
from aiom.insights.analytics.figure import percent_of, text_of, whole
from aiom.insights.analytics.funnel import funnel
from aiom.insights.analytics.governance import governance_timing
from aiom.insights.analytics.pilots import pilot_outcomes
from aiom.insights.analytics.time_to_value import time_to_value
from aiom.insights.analytics.vendors import vendor_dependence

Table = tuple[list[str], list[list[Any]]]
PERIOD_DAYS = 90
LEFT_OUT = "left out"
PROPOSED = "proposed in the period"


def safe_cell(value: Any) -> Any:
    """Text starting like a formula gets a leading ' so a spreadsheet shows, not runs, it."""
    if value is None:
        return ""
    if isinstance(value, str) and tabular.looks_like_formula(value):
        return "'" + value
    return value


def days_text(value: float | None) -> str:
    return text_of("days", None if value is None else whole(value))


def rate(count: int, of: int) -> str:
    """A share as every page shows it (figure.py's one rounding)."""
    return text_of("%", percent_of(count, of))


def left_out_row(n: int, reason: str) -> list[Any]:
    """The trailing row of a table whose figure needs a date (docs/analytics-contract.md):
    "left out", how many use cases, and the sentence every page shows ("" when none)."""
    return [LEFT_OUT, n, left_out_note(n, reason)]


def _share_row(name: str, s: Share | None) -> list[Any]:
    """count, of, the share as a fraction, and as every page shows it."""
    if s is None:
        return [name, "", "", "", "not measured"]
    return [name, s.count, s.of, "" if s.share is None else round(s.share, 4), rate(s.count, s.of)]


def _funnel(scope: Scope, today: dt.date, user: Any) -> Table:
    f = funnel(scope, since=today - dt.timedelta(days=PERIOD_DAYS), until=today, user=user)
    rows = [[stage, n, f.entered.get(stage, 0)] for stage, n in f.per_stage.items()]
    rows.append([PROPOSED, "", f.proposed])
    rows.append(left_out_row(f.left_out, f.left_out_reason))
    rows.append(left_out_row(f.entered_left_out, f.entered_left_out_reason))
    return ["stage", "now", f"entered {f.since} to {f.until}"], rows


def _pilots(scope: Scope, today: dt.date, user: Any) -> Table:
    p = pilot_outcomes(scope, today=today, user=user)
    rows = [
        [c.quarter, c.started, c.scaled, c.stopped, c.stalled, c.running, rate(c.scaled, c.decided)]
        for c in p.cohorts
    ]
    f = p.figure
    rows.append(["all", p.started, p.scaled, p.stopped, p.stalled, p.running, f.text])
    rows.append(left_out_row(p.left_out, p.left_out_reason))
    head = ["quarter started", "started", "scaled", "stopped", "stalled", "running", "scale rate"]
    return head, rows


def _ttv(scope: Scope, today: dt.date, user: Any) -> Table:
    t = time_to_value(scope, user=user)
    rows = [*map(list, t.buckets), ["not yet", t.not_yet]]
    return ["time to value", "use cases"], [*rows, left_out_row(t.left_out, t.left_out_reason)]


def _dwell(scope: Scope, today: dt.date, user: Any) -> Table:
    d = dwell(scope, today=today, user=user)
    rows = [[r.id, r.title, r.org_unit, r.stage, r.days, r.sla_days] for r in d.over]
    rows.append(left_out_row(d.left_out, d.left_out_reason))
    return ["id", "title", "org unit", "stage", "days in stage", "sla days"], rows


def _coverage(scope: Scope, today: dt.date, user: Any) -> Table:
    c = coverage(scope, today=today, user=user)
    rows = [
        _share_row("owner", c.owner),
        _share_row("sponsor", c.sponsor),
        _share_row("kpis measured", c.kpis_measured),
        _share_row("data ready", c.data_ready),
    ]
    return ["measure", "count", "of", "share", "shown"], rows


def _governance(scope: Scope, today: dt.date, user: Any) -> Table:
    g = governance_timing(scope, today=today, user=user)
    rows = [
        _share_row("first assessed at intake", g.at_intake),
        _share_row("reviews decided within SLA", g.reviews_within_sla),
        ["review median days", g.review_median_days, "", "", days_text(g.review_median_days)],
        ["open reviews overdue", g.reviews_open_overdue, "", "", g.reviews_open_overdue],
    ]
    return ["measure", "count", "of", "share", "shown"], rows


def _embedding(scope: Scope, today: dt.date, user: Any) -> Table:
    e = embedding(scope, today=today, user=user)
    return ["month", "active users", "usage"], [list(row) for row in e.adoption]


def _vendors(scope: Scope, today: dt.date, user: Any) -> Table:
    v = vendor_dependence(scope, user=user)
    rows = [[name, n, round(share, 4)] for name, n, share in v.top]
    return ["vendor", "use cases", "share of use cases with a vendor dependency"], rows


def _diagnostics(scope: Scope, today: dt.date, user: Any) -> Table:
    rows = [
        [
            d.key,
            d.question,
            d.answer,
            d.figure.text,
            d.figure.value,
            d.figure.numerator,
            d.figure.denominator,
            d.unit,
            d.figure.left_out,
            d.figure.counted,
            len(d.laggards),
        ]
        for d in diagnostics(scope, today=today, user=user)
    ]
    head = ["key", "question", "answer", "figure", "value", "numerator", "denominator", "unit"]
    return [*head, "left out", "counted", "named laggards"], rows


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
