"""The eight diagnostic questions of PRODUCT.md, answered live from the portfolio.

Each answer is a `Figure` (figure.py): the number, what it is of, its one rounding and
the plain sentence carrying it; a figure aiom cannot measure yet says so ("not
measured"), never a made-up 0. Caveat: the whole call is a fixed number of queries (about 30,
pinned in tests), independent of the portfolio's size, most of them over the use cases'
facts (facts.py); only the time-to-value day list grows with the portfolio (one integer
per use case that realised value).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics import facts, trends
from aiom.insights.analytics import figure as fig
from aiom.insights.analytics import laggards as lag
from aiom.insights.analytics.base import Scope, Share, UseCaseRef
from aiom.insights.analytics.coverage import Coverage, coverage
from aiom.insights.analytics.embedding import adoption
from aiom.insights.analytics.governance import GovernanceTiming, governance_timing
from aiom.insights.analytics.pilots import cohort_counts, scaled_figure, summarise
from aiom.insights.analytics.tally import Tally, tally
from aiom.insights.analytics.time_to_value import TimeToValue, time_to_value
from aiom.portfolio.vocabulary import StageRole
from aiom.value.policy import AnalyticsRules

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
    figure: fig.Figure
    trend: list[tuple[str, float | None]]
    laggards: list[UseCaseRef] = field(default_factory=list)

    @property
    def answer(self) -> str:
        return self.figure.sentence

    @property
    def unit(self) -> str:
        return self.figure.unit


def _p(share: Share) -> str:
    """A share as the one rounding shows it (for a second share inside a sentence)."""
    return fig.text_of("%", fig.percent_of(share.count, share.of))


def _days(value: float | None) -> str:
    return "—" if value is None else f"{fig.whole(value):,}"


def ownership(cov: Coverage) -> fig.Figure:
    return fig.share(
        "ownership",
        "With an accountable owner",
        cov.owner.count,
        cov.owner.of,
        sentence="{text} of the {of} use cases have an accountable owner; {missing} do not.",
        empty=EMPTY,
        note="{count} of {of}",
        missing=f"{cov.total - cov.owner.count:,}",
    )


def data_readiness(cov: Coverage) -> fig.Figure:
    ready = cov.data_ready or Share(0, 0)
    return fig.share(
        "data_readiness",
        "Data ready",
        ready.count,
        ready.of,
        sentence="{text} of the {of} use cases that consume data products have data "
        "that is stewarded, classified, good enough and recently checked.",
        empty="Not measured: no use case here is linked to a data product yet.",
        note="{count} of {of}",
    )


def success_measured(cov: Coverage) -> fig.Figure:
    return fig.share(
        "success_measured",
        "KPIs measured",
        cov.kpis_measured.count,
        cov.kpis_measured.of,
        sentence="{text} of the {of} use cases have a KPI with a baseline and a target, "
        "measured within its cadence.",
        empty=EMPTY,
        note="{count} of {of}",
    )


def time_to_value_figure(ttv: TimeToValue) -> fig.Figure:
    left, why = ttv.left_out, ttv.left_out_reason
    return fig.days(
        "time_to_value",
        "Median time to value",
        ttv.median_days if ttv.realised else None,
        ttv.realised,
        sentence="Median time from proposal to value is {text} (75% within {p75} days) "
        "over {of} use cases; {waiting} have not realised value yet.",
        empty="Not measured yet: no use case has realised value ({waiting} waiting).",
        note="{of} reached a target",
        left_out=left,
        left_out_reason=why,
        p75=_days(ttv.p75_days),
        waiting=f"{ttv.not_yet:,}",
    )


def embedded(operational: Share, months: list[tuple[str, int, int]]) -> fig.Figure:
    latest = (
        f"{months[-1][1]:,} active users in {months[-1][0]}"
        if months
        else "no adoption recorded in the last 12 months"
    )
    return fig.share(
        "embedded",
        "Operational",
        operational.count,
        operational.of,
        sentence="{text} of the {of} use cases not rejected are operational; {latest}.",
        empty="Not measured: no use case in this scope is live or in the pipeline; {latest}.",
        note="{count} of {of}",
        latest=latest,
    )


def handover(t: Tally) -> fig.Figure:
    return fig.share(
        "handover",
        "Handed over",
        t.handed_over,
        t.past_pilot,
        sentence="{text} of the {of} use cases past pilot (scaling or operational) run in "
        "production with an accountable owner, handed over to operations.",
        empty="Not measured: no use case is past pilot (scaling or operational) yet.",
        note="{count} of {of}",
    )


def governance_early(gov: GovernanceTiming, intake: str) -> fig.Figure:
    reviews = (
        f"{_p(gov.reviews_within_sla)} of {gov.reviews_within_sla.of:,} decided reviews kept "
        f"their SLA (median {_days(gov.review_median_days)} days)"
        if gov.reviews_within_sla.of
        else "no review has been decided yet"
    )
    tail = f"; {reviews}; {gov.reviews_open_overdue:,} open reviews are overdue."
    return fig.share(
        "governance_early",
        "Assessed at intake",
        gov.at_intake.count,
        gov.at_intake.of,
        sentence="{text} of the {of} assessed use cases were first assessed at {stage}" + tail,
        empty="Not measured: no use case has been assessed yet" + tail,
        note="{count} of {of}",
        stage=intake.replace("_", " "),
    )


@live
def diagnostics(scope: Scope, *, today: dt.date, user: Any = None) -> list[Diagnostic]:
    """All eight answers for `scope` as `user` may see it (None = the whole portfolio)."""
    policy = active_policy().policy
    terminal = policy.terminal_stages()
    intake = policy.first_stage
    fq = facts.of(scope, user)
    t = tally(scope, today=today, user=user)
    quarterly = trends.quarterly(fq, today, intake)
    cov = coverage(scope, today=today, user=user)
    cohorts = cohort_counts(
        scope,
        today=today,
        user=user,
        stalled_counted=policy.section(AnalyticsRules).stalled_pilots,
        pilot_stage=policy.stage_with_role(StageRole.PILOT).key,
    )
    ttv = time_to_value(scope, user=user)
    months = adoption(scope, today=today, user=user)
    gov = governance_timing(scope, today=today, user=user)
    built = [
        (ownership(cov), quarterly.owner, lag.without_owner(fq, today, terminal)),
        (
            data_readiness(cov),
            trends.empty(today),
            lag.data_not_ready(fq, today, terminal) if cov.data_ready is not None else lag.NOTHING,
        ),
        (success_measured(cov), trends.empty(today), lag.unmeasured(fq, today, policy)),
        (
            scaled_figure(summarise(cohorts)),
            trends.from_map({c.quarter: c.scale_rate for c in cohorts}, today, 100),
            lag.stalled_pilots(fq, today, policy),
        ),
        (
            time_to_value_figure(ttv),
            trends.from_map(ttv.by_quarter, today),
            lag.no_value_yet(fq, today, policy),
        ),
        (
            embedded(Share(t.operational, t.not_rejected), months),
            quarterly.operational,
            lag.scaling_over_sla(fq, today, policy.stage_with_role(StageRole.SCALING)),
        ),
        (handover(t), trends.empty(today), lag.not_handed_over(fq, today, policy)),
        (
            governance_early(gov, intake),
            quarterly.at_intake,
            lag.late_governance(fq, today, intake, terminal),
        ),
    ]
    named = lag.resolve(today, *(pending for _, _, pending in built))  # one query names all
    return [
        Diagnostic(f.key, QUESTIONS[f.key], f, trend, refs)
        for (f, trend, _), refs in zip(built, named, strict=True)
    ]
