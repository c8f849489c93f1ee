"""The eight diagnostic questions of PRODUCT.md, answered live from the portfolio.

Each answer is one plain sentence carrying the figure; a figure aiom cannot measure yet
is None and says so. Caveat: the whole call is a fixed number of queries (about 30,
pinned in tests), independent of the portfolio's size, most of them over the use cases'
facts (facts.py); only the time-to-value day list grows with the portfolio (one integer
per use case that realised value).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from aiom.core.memo import live
from aiom.governance.policy import active_policy
from aiom.value.analytics import facts, trends
from aiom.value.analytics import laggards as lag
from aiom.value.analytics.base import Scope, Share, UseCaseRef, whole_days
from aiom.value.analytics.coverage import coverage
from aiom.value.analytics.embedding import adoption
from aiom.value.analytics.governance import governance_timing
from aiom.value.analytics.pilots import cohort_counts, summarise
from aiom.value.analytics.tally import tally
from aiom.value.analytics.time_to_value import time_to_value

QUESTIONS = {
    "ownership": "Who owns each AI use case?",
    "data_readiness": "Is the data clean, governed and accessible?",
    "success_measured": "What does success look like and how is it measured?",
    "pilot_to_scale": "What percentage of pilots scale beyond proof of concept?",
    "time_to_value": "How fast is time-to-value, from idea to impact?",
    "embedded": "Is AI embedded in core workflows?",
    "handover": "Do innovation and operations connect?",
    "governance_early": "Are governance and risk engaged early enough?",
}


EMPTY = "Not measured: there are no use cases in this scope."


@dataclass(frozen=True)
class Diagnostic:
    key: str
    question: str
    answer: str
    figure: float | None
    unit: str
    trend: list[tuple[str, float | None]]
    laggards: list[UseCaseRef] = field(default_factory=list)


def pct(share: Share) -> float | None:
    return None if share.share is None else round(100 * share.share, 1)


def _p(share: Share) -> str:
    return "not measured" if share.share is None else f"{share.share:.0%}"


def _days(value: float | None) -> str:
    return "—" if value is None else str(whole_days(value))


@live
def diagnostics(scope: Scope, *, today: dt.date, user: Any = None) -> list[Diagnostic]:
    """All eight answers for `scope` as `user` may see it (None = the whole portfolio)."""
    policy = active_policy().policy
    terminal = [s.key for s in policy.stages if s.terminal]
    intake = policy.stages[0].key
    scaling = policy.stage("scaling")
    fq = facts.of(scope, user)
    t = tally(scope, today=today, user=user)
    quarterly = trends.quarterly(fq, today, intake)
    d: dict[str, tuple[Diagnostic, lag.Pending]] = {}

    cov = coverage(scope, today=today, user=user)
    d["ownership"] = _make(
        "ownership",
        (
            f"{_p(cov.owner)} of the {cov.total} use cases have an accountable owner; "
            f"{cov.total - cov.owner.count} do not."
            if cov.total
            else EMPTY
        ),
        pct(cov.owner),
        "%",
        quarterly.owner,
        lag.without_owner(fq, today, terminal),
    )
    ready = cov.data_ready
    d["data_readiness"] = _make(
        "data_readiness",
        (
            f"{_p(ready)} of the {ready.of} use cases that consume data products have data "
            "that is stewarded, classified, good enough and recently checked."
            if ready is not None
            else "Not measured: no use case here is linked to a data product yet."
        ),
        pct(ready) if ready is not None else None,
        "%",
        trends.empty(today),
        lag.data_not_ready(fq, today) if ready is not None else lag.NOTHING,
    )
    d["success_measured"] = _make(
        "success_measured",
        (
            f"{_p(cov.kpis_measured)} of the {cov.total} use cases have a KPI with a "
            "baseline and a target, measured within its cadence."
            if cov.total
            else EMPTY
        ),
        pct(cov.kpis_measured),
        "%",
        trends.empty(today),
        lag.unmeasured(fq, today),
    )

    cohorts = cohort_counts(scope, today=today, user=user)
    pilots = summarise(cohorts)
    rate = Share(pilots.scaled, pilots.decided)
    d["pilot_to_scale"] = _make(
        "pilot_to_scale",
        (
            f"{_p(rate)} of the {pilots.decided} decided pilots scaled ({pilots.scaled} "
            f"scaled, {pilots.stopped} stopped); {pilots.stalled} stalled, "
            f"{pilots.running} running."
            if pilots.decided
            else f"No pilot has been decided yet: {pilots.running} running, "
            f"{pilots.stalled} stalled."
        ),
        pct(rate),
        "%",
        trends.from_map({c.quarter: c.scale_rate for c in cohorts}, today, 100),
        lag.stalled_pilots(fq, today),
    )

    ttv = time_to_value(scope, user=user)
    d["time_to_value"] = _make(
        "time_to_value",
        (
            f"Median time from proposal to value is {_days(ttv.median_days)} days (75% within "
            f"{_days(ttv.p75_days)}) over {ttv.realised} use cases; {ttv.not_yet} have not "
            "realised value yet."
            if ttv.realised
            else f"Not measured yet: no use case has realised value ({ttv.not_yet} waiting)."
        ),
        ttv.median_days,
        "days",
        trends.from_map(ttv.by_quarter, today),
        lag.no_value_yet(fq, today),
    )

    op = Share(t.operational, t.not_rejected)
    months = adoption(scope, today=today, user=user)
    latest = (
        f"{months[-1][1]} active users in {months[-1][0]}"
        if months
        else "no adoption recorded in the last 12 months"
    )
    d["embedded"] = _make(
        "embedded",
        (
            f"{_p(op)} of the {op.of} use cases not rejected are operational; {latest}."
            if op.of
            else f"Not measured: no use case in this scope is live or in the pipeline; {latest}."
        ),
        pct(op),
        "%",
        quarterly.operational,
        lag.scaling_over_sla(fq, today, scaling.sla_days if scaling else None),
    )

    handed = Share(t.handed_over, t.past_pilot)
    d["handover"] = _make(
        "handover",
        (
            f"{_p(handed)} of the {handed.of} use cases past pilot (scaling or operational) "
            "run in production with an accountable owner, handed over to operations."
            if handed.of
            else "Not measured: no use case is past pilot (scaling or operational) yet."
        ),
        pct(handed),
        "%",
        trends.empty(today),
        lag.not_handed_over(fq, today),
    )

    gov = governance_timing(scope, today=today, user=user)
    reviews = (
        f"{_p(gov.reviews_within_sla)} of {gov.reviews_within_sla.of} decided reviews kept "
        f"their SLA (median {_days(gov.review_median_days)} days)"
        if gov.reviews_within_sla.of
        else "no review has been decided yet"
    )
    early = (
        f"{_p(gov.at_intake)} of the {gov.assessed} assessed use cases were first assessed "
        f"at {intake.replace('_', ' ')}"
        if gov.assessed
        else "Not measured: no use case has been assessed yet"
    )
    d["governance_early"] = _make(
        "governance_early",
        f"{early}; {reviews}; {gov.reviews_open_overdue} open reviews are overdue.",
        pct(gov.at_intake),
        "%",
        quarterly.at_intake,
        lag.late_governance(fq, today, intake, terminal),
    )
    named = lag.resolve(today, *(d[key][1] for key in QUESTIONS))  # one query names them all
    return [replace(d[key][0], laggards=refs) for key, refs in zip(QUESTIONS, named, strict=True)]


def _make(
    key: str,
    answer: str,
    figure: float | None,
    unit: str,
    trend: list[tuple[str, float | None]],
    laggards: lag.Pending,
) -> tuple[Diagnostic, lag.Pending]:
    return Diagnostic(key, QUESTIONS[key], answer, figure, unit, trend), laggards
