"""Pilot outcomes: how many pilots scaled, stopped, stalled or are still running.

A pilot "started" with the use case's first stage change into `pilot` (its cohort is the
quarter of that day). It was decided when it left pilot for scaling (scaled) or stopped
(stopped), read from the stage change out of pilot or the pilot plan's decision. Stalled
= still in pilot past the plan's end date with no decision; running = in pilot, not
stalled. All of it is read from the use cases' facts (facts.py), kept on write.
Caveat: a use case that (under some policy) entered pilot twice counts once, in the
cohort of its first entry.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Q, Value, When

from aiom.core.memo import live
from aiom.value.analytics import facts
from aiom.value.analytics.base import Scope
from aiom.value.analytics.sql import quarter_of, year_month

OUTCOMES = ("scaled", "stopped", "stalled", "running")


@dataclass(frozen=True)
class Cohort:
    quarter: str
    started: int = 0
    scaled: int = 0
    stopped: int = 0
    stalled: int = 0
    running: int = 0

    @property
    def decided(self) -> int:
        return self.scaled + self.stopped

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


def _outcome(today: dt.date) -> Case:
    return Case(
        When(pilot_outcome="scaled", then=Value("scaled")),
        When(pilot_outcome="stopped", then=Value("stopped")),
        When(Q(stage="pilot", pilot_ends_on__lt=today), then=Value("stalled")),
        When(stage="pilot", then=Value("running")),
        default=Value("other"),
        output_field=CharField(),
    )


@live
def cohort_counts(scope: Scope, *, today: dt.date, user: Any = None) -> list[Cohort]:
    """One grouped query over the facts: pilots started per quarter, by outcome; oldest
    quarter first."""
    rows = (
        facts.of(scope, user)
        .filter(pilot_started_on__isnull=False)
        .annotate(ym=year_month("pilot_started_on"), outcome=_outcome(today))
        .order_by()
        .values("ym", "outcome")
        .annotate(n=Count("pilot_started_on"))  # an index covers the query
    )
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = table.setdefault(quarter_of(r["ym"]), {})
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + r["n"]
    return [
        Cohort(
            quarter=key,
            started=sum(counts.values()),
            **{k: counts.get(k, 0) for k in OUTCOMES},
        )
        for key, counts in sorted(table.items())
    ]


def summarise(cohorts: list[Cohort]) -> PilotOutcomes:
    totals = {k: sum(getattr(c, k) for c in cohorts) for k in OUTCOMES}
    started = sum(c.started for c in cohorts)
    decided = totals["scaled"] + totals["stopped"]
    return PilotOutcomes(
        decided=decided,
        scale_rate=None if decided == 0 else totals["scaled"] / decided,
        stopped_share=None if started == 0 else totals["stopped"] / started,
        stalled_share=None if started == 0 else totals["stalled"] / started,
        cohorts=cohorts,
        started=started,
        **totals,
    )


@live
def pilot_outcomes(scope: Scope, *, today: dt.date, user: Any = None) -> PilotOutcomes:
    """Pilots started in scope and what became of them, overall and per start quarter."""
    return summarise(cohort_counts(scope, today=today, user=user))
