"""Pilot outcomes: how many pilots scaled, stopped, stalled or are still running.

A pilot "started" with a stage change into `pilot` (its cohort is the quarter of that
day). It was decided when it left pilot for scaling (scaled) or stopped (stopped), read
from the stage change out of pilot or the pilot plan's decision. Stalled = still in pilot
past the plan's end date with no decision; running = in pilot, not stalled.
Caveat: a use case that (under some policy) entered pilot twice counts in both cohorts.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When

from aiom.lifecycle.models import StageChange
from aiom.value.analytics.base import Scope, in_scope
from aiom.value.analytics.sql import quarter_text

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


def _left_for(stage: str) -> Exists:
    return Exists(
        StageChange.objects.filter(
            use_case=OuterRef("use_case"), from_stage="pilot", to_stage=stage
        )
    )


def _outcome(today: dt.date) -> Case:
    plan = "use_case__pilot_plan__"
    return Case(
        When(Q(_left_for("scaling")) | Q(**{f"{plan}decision": "scale"}), then=Value("scaled")),
        When(Q(_left_for("stopped")) | Q(**{f"{plan}decision": "stop"}), then=Value("stopped")),
        When(Q(use_case__stage="pilot", **{f"{plan}ends_on__lt": today}), then=Value("stalled")),
        When(use_case__stage="pilot", then=Value("running")),
        default=Value("other"),
        output_field=CharField(),
    )


def cohort_counts(scope: Scope, *, today: dt.date, user: Any = None) -> list[Cohort]:
    """One grouped query: pilots started per quarter, by outcome; oldest quarter first."""
    rows = (
        StageChange.objects.filter(in_scope(scope.use_cases(user)), to_stage="pilot")
        .annotate(quarter=quarter_text("on"), outcome=_outcome(today))
        .order_by()
        .values("quarter", "outcome")
        .annotate(n=Count("use_case", distinct=True))
    )
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = table.setdefault(r["quarter"], {})
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


def pilot_outcomes(scope: Scope, *, today: dt.date, user: Any = None) -> PilotOutcomes:
    """Pilots started in scope and what became of them, overall and per start quarter."""
    return summarise(cohort_counts(scope, today=today, user=user))
