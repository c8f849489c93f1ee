"""Pilot outcomes: how many pilots scaled, stopped, stalled or are still running.

A pilot "started" with the use case's first stage change into `pilot` (its cohort is the
quarter of that day). It was decided when it left pilot for scaling (scaled) or stopped
(stopped), read from the stage change out of pilot or the pilot plan's decision. Stalled
= still in pilot past the plan's end date with no decision; running = in pilot, not
stalled. All of it is read from the use cases' facts (facts.py), kept on write.
Stalled pilots count as decided and not scaled in the scale rate unless the policy's
`analytics.stalled_pilots` is `excluded` (then they are left out of it); the rate's
sentence says which (`scaled_figure`).
Caveat: a use case that (under some policy) entered pilot twice counts once, in the
cohort of its first entry.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics import base, facts
from aiom.insights.analytics import figure as fig
from aiom.insights.analytics.base import Scope
from aiom.insights.analytics.spans import rows, scope_keys
from aiom.insights.analytics.sql import quarter_of
from aiom.portfolio.vocabulary import StageRole
from aiom.value.policy import AnalyticsRules

OUTCOMES = ("scaled", "stopped", "stalled", "running")
NOT_SCALED, EXCLUDED = "not_scaled", "excluded"


@dataclass(frozen=True)
class Cohort:
    quarter: str
    started: int = 0
    scaled: int = 0
    stopped: int = 0
    stalled: int = 0
    running: int = 0
    stalled_counted: str = NOT_SCALED

    @property
    def decided(self) -> int:
        """Scaled + stopped, and the stalled ones when they count as not scaled."""
        stalled = self.stalled if self.stalled_counted == NOT_SCALED else 0
        return self.scaled + self.stopped + stalled

    @property
    def scale_rate(self) -> float | None:
        return None if self.decided == 0 else self.scaled / self.decided


@dataclass(frozen=True)
class PilotOutcomes:
    decided: int
    scaled: int
    stopped: int
    stalled: int
    running: int
    scale_rate: float | None  # scaled / decided; None when nothing is decided yet
    stopped_share: float | None  # stopped / started
    stalled_share: float | None  # stalled / started
    cohorts: list[Cohort] = field(default_factory=list)
    started: int = 0
    stalled_counted: str = NOT_SCALED  # or EXCLUDED: the policy's analytics.stalled_pilots
    left_out: int = 0  # pilots in the totals whose start no quarter can hold: not in `cohorts`
    left_out_reason: str = "whose pilot start date is unknown or known only to the year"

    @property
    def left_out_note(self) -> str:
        """Under the per-quarter chart: the pilots no quarter can hold (base.left_out_note)."""
        return base.left_out_note(self.left_out, self.left_out_reason)

    @property
    def figure(self) -> fig.Figure:
        """The scale rate as shown everywhere."""
        return scaled_figure(self)


@live
def cohort_counts(
    scope: Scope,
    *,
    today: dt.date,
    user: Any = None,
    stalled_counted: str | None = None,
    pilot_stage: str | None = None,
) -> list[Cohort]:
    """One grouped query over the facts: pilots started per quarter, by outcome; oldest
    quarter first. `stalled_counted` and `pilot_stage` (default: the active policy's rule
    and pilot stage) save a caller holding the policy a read of it."""
    if stalled_counted is None or pilot_stage is None:
        policy = active_policy().policy
        stalled_counted = policy.section(AnalyticsRules).stalled_pilots
        pilot_stage = policy.stage_with_role(StageRole.PILOT).key
    # every pilot counts in the totals; one whose start day is unknown or known only to
    # its year cannot be placed in a quarter: its cohort is "" (summarise counts it apart).
    # Grouped by the stored columns in the order of their index (no expression per row,
    # no sort); each group's quarter and outcome are read off it: scaled or stopped as
    # decided, else in pilot past the plan's end stalled, in pilot running, else other.
    late = Q(pilot_ends_on__lt=today)
    by_year = Q(pilot_started_precision="year")
    fq = facts.of(scope, user)
    groups = (
        fq.exclude(pilot_started_precision="")
        .order_by()
        .values(*scope_keys(fq), "pilot_started_on", "pilot_outcome", "stage")
        .annotate(
            n=rows(),
            late=rows(late),
            year=rows(by_year),
            late_year=rows(late & by_year),
        )
    )
    table: dict[str, dict[str, int]] = {}

    def add(key: str, outcome: str, n: int) -> None:
        if n:
            counts = table.setdefault(key, {})
            counts[outcome] = counts.get(outcome, 0) + n

    for r in groups:
        day, done = r["pilot_started_on"], r["pilot_outcome"]
        key = "" if day is None else quarter_of(day.isoformat())
        if done in ("scaled", "stopped"):
            add(key, done, r["n"] - r["year"])
            add("", done, r["year"])
            continue
        if r["stage"] != pilot_stage:
            add(key, "other", r["n"] - r["year"])
            add("", "other", r["year"])
            continue
        add(key, "stalled", r["late"] - r["late_year"])
        add("", "stalled", r["late_year"])
        add(key, "running", r["n"] - r["late"] - r["year"] + r["late_year"])
        add("", "running", r["year"] - r["late_year"])
    rule = stalled_counted
    return [
        Cohort(
            quarter=key,
            started=sum(counts.values()),
            stalled_counted=rule,
            **{k: counts.get(k, 0) for k in OUTCOMES},
        )
        for key, counts in sorted(table.items())
    ]


def summarise(cohorts: list[Cohort], stalled_counted: str | None = None) -> PilotOutcomes:
    """The totals; `stalled_counted` defaults to the cohorts' (the policy's) rule."""
    rule = stalled_counted or (cohorts[0].stalled_counted if cohorts else NOT_SCALED)
    totals = {k: sum(getattr(c, k) for c in cohorts) for k in OUTCOMES}
    started = sum(c.started for c in cohorts)
    decided = totals["scaled"] + totals["stopped"]
    if rule == NOT_SCALED:
        decided += totals["stalled"]
    undated = sum(c.started for c in cohorts if not c.quarter)
    return PilotOutcomes(
        decided=decided,
        scale_rate=None if decided == 0 else totals["scaled"] / decided,
        stopped_share=None if started == 0 else totals["stopped"] / started,
        stalled_share=None if started == 0 else totals["stalled"] / started,
        cohorts=[c for c in cohorts if c.quarter],
        started=started,
        stalled_counted=rule,
        left_out=undated,
        **totals,
    )


def stalled_note(p: PilotOutcomes) -> str:
    """How the stalled pilots were counted, in words ('' when there are none)."""
    if not p.stalled:
        return ""
    n = f"{p.stalled:,} stalled pilot{'' if p.stalled == 1 else 's'}"
    if p.stalled_counted == NOT_SCALED:
        return f"{n} (past the end date, no decision) counted as not scaled"
    return f"{n} (past the end date, no decision) left out of the rate"


def scaled_figure(p: PilotOutcomes) -> fig.Figure:
    """The pilot-to-scale rate: scaled of decided pilots, saying how stalled ones counted."""
    counted = stalled_note(p)
    tail = f"; {counted}" if counted else ""
    running = f"; {p.running:,} running" if p.running else ""
    return fig.share(
        "pilot_to_scale",
        "Pilots scaled",
        p.scaled,
        p.decided,
        sentence="{text} of {of} decided pilots scaled ({scaled} scaled, {stopped} stopped)"
        + tail
        + running
        + ".",
        empty="No pilot has been decided yet" + tail + running + ".",
        note="of {of} decided pilots" + tail,
        counted=counted,
        scaled=f"{p.scaled:,}",
        stopped=f"{p.stopped:,}",
    )


@live
def pilot_outcomes(scope: Scope, *, today: dt.date, user: Any = None) -> PilotOutcomes:
    """Pilots started in scope and what became of them, overall and per start quarter."""
    return summarise(cohort_counts(scope, today=today, user=user))
