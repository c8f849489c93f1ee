"""Pilot exit criteria judged against their KPI's latest measurement (PURE: no ORM).

An exit criterion names a metric; the use case's KPI of the same name (case and spacing
ignored) carries its measurements. The latest one is compared with the criterion's own
target in the criterion's own direction: `higher` is met at or above the target, `lower`
at or below. No KPI or no measurement is *unknown*, and unknown counts as unmet: a pilot
scales on evidence, not on hope.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

MET = "met"
UNMET = "unmet"
UNKNOWN = "unknown"
FACTS_KEY = "exit_measurements"  # GateFacts.extra: {metric key: Measured}


class Criterion(Protocol):
    @property
    def metric(self) -> str: ...
    @property
    def target(self) -> float | None: ...
    @property
    def baseline(self) -> float | None: ...
    @property
    def unit(self) -> str: ...
    @property
    def direction(self) -> str: ...


@dataclass(frozen=True)
class ExitCriterion:
    """A measurable target: a pilot's exit criterion, or a use case's KPI read as one."""

    metric: str
    target: float | None
    baseline: float | None = None
    unit: str = ""
    direction: str = "higher"


@dataclass(frozen=True)
class Measured:
    """The latest measurement of a use case's KPI."""

    value: float
    on: dt.date


@dataclass(frozen=True)
class CriterionResult:
    metric: str
    baseline: float | None
    target: float | None
    unit: str
    direction: str
    state: str  # met, unmet, unknown
    value: float | None = None
    measured_on: dt.date | None = None

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def value_text(self) -> str:
        return "" if self.value is None else number(self.value)

    @property
    def goal(self) -> str:
        """ "≥ 90 %" or "≤ 8 min": the target with the side that counts as met."""
        if self.target is None:
            return "no target"
        side = "≤" if self.direction == "lower" else "≥"
        return f"{side} {number(self.target)}{_unit(self.unit)}"

    @property
    def sentence(self) -> str:
        """One line a reviewer can read: what was measured, against what, and the verdict."""
        if self.state == UNKNOWN:
            why = "no target" if self.target is None else "no measurement yet"
            return f"{self.metric}: {why} (target {self.goal}) — unknown, counts as unmet"
        value, on = self.value or 0.0, self.measured_on
        measured = f"{number(value)}{_unit(self.unit)}" + (f" on {on:%d %b %Y}" if on else "")
        return f"{self.metric}: {measured}, target {self.goal} — {self.state}"


def number(value: float) -> str:
    """84.0 -> "84", 7.25 -> "7.25": as a person writes it."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def metric_key(metric: str) -> str:
    """How an exit criterion finds its KPI: case and runs of whitespace do not matter."""
    return " ".join(metric.split()).casefold()


def target_worse_than_baseline(baseline: float | None, target: float, direction: str) -> bool:
    """A target on the wrong side of the baseline: 'improve' to something worse."""
    if baseline is None:
        return False
    return target > baseline if direction == "lower" else target < baseline


def judge(criterion: Criterion, measured: Measured | None) -> CriterionResult:
    """The criterion's result against its latest measurement (None: none yet)."""
    c = criterion
    if measured is None or c.target is None:
        return CriterionResult(c.metric, c.baseline, c.target, c.unit, c.direction, UNKNOWN)
    met = measured.value <= c.target if c.direction == "lower" else measured.value >= c.target
    state = MET if met else UNMET
    return CriterionResult(
        c.metric, c.baseline, c.target, c.unit, c.direction, state, measured.value, measured.on
    )


def judge_all(
    criteria: Sequence[Criterion], measurements: Mapping[str, Measured]
) -> list[CriterionResult]:
    return [judge(c, measurements.get(metric_key(c.metric))) for c in criteria]
