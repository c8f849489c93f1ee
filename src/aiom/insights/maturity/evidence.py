"""Maturity scored from live data: each dimension's inputs, their values, and the gaps.

Every input is a health figure from 0 (bad) to 1 (good) or None when not measured; a
dimension scores the mean of its measured inputs and names the missing ones, and a
dimension with nothing measured has no score at all — never a made-up one. The figures
come from `aiom.insights.analytics` over what `user` may see (all use cases when None).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from aiom.insights.analytics.figure import NOT_MEASURED, percent_of, text_of, whole
from aiom.insights.maturity.model import DIMENSIONS, MaturityModel, level_for

TREND_MONTHS = 3  # adoption trend: the latest month against the one this many months earlier


@dataclass(frozen=True)
class CaseRef:
    id: int
    title: str


@dataclass(frozen=True)
class Input:
    """One figure behind a dimension: `health` 0..1 (None = not measured), `shown` for people.

    `text` is the figure as every page shows it (insights/analytics/figure.py's rounding) and
    `figure` the key of the portfolio figure it is, when it is one ("pilot_to_scale")."""

    key: str
    label: str
    health: float | None
    shown: str
    text: str = NOT_MEASURED
    figure: str = ""

    @property
    def detail(self) -> str:
        """What `shown` adds after the figure's text (" (3 of 4)")."""
        return self.shown[len(self.text) :] if self.shown.startswith(self.text) else ""


@dataclass(frozen=True)
class Gap:
    """Something in the data holding a dimension back, with the use cases where it shows."""

    dimension: str
    text: str
    refs: tuple[CaseRef, ...] = ()


@dataclass(frozen=True)
class DimensionEvidence:
    key: str
    score: float | None
    level: str | None
    inputs: tuple[Input, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    dimensions: dict[str, DimensionEvidence]
    overall_score: float | None
    overall_level: str | None
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    def gaps_for(self, dimension: str) -> list[Gap]:
        return [g for g in self.gaps if g.dimension == dimension]


# Pure: figures -> health, inputs -> scores.


def share_input(key: str, label: str, count: int, of: int, figure: str = "") -> Input:
    """A share as an input; nothing to count (of == 0) is 'not measured'. Shown with the
    portfolio figures' one rounding (whole percent, half up)."""
    if of <= 0:
        return Input(key, label, None, NOT_MEASURED, figure=figure)
    text = text_of("%", percent_of(count, of))
    return Input(key, label, count / of, f"{text} ({count:,} of {of:,})", text, figure)


def ratio_input(
    key: str, label: str, value: float | None, detail: str = "", figure: str = ""
) -> Input:
    if value is None:
        return Input(key, label, None, NOT_MEASURED, figure=figure)
    value = min(1.0, max(0.0, value))
    text = text_of("%", whole(100 * value))
    return Input(key, label, value, text + (f" ({detail})" if detail else ""), text, figure)


def adoption_health(series: Sequence[tuple[str, int, int]]) -> float | None:
    """0.5 = flat active users; +50% or more over TREND_MONTHS = 1; halving or worse = 0.

    Needs a month TREND_MONTHS before the latest with users; otherwise not measured.
    """
    months = sorted(series)
    if len(months) <= TREND_MONTHS:
        return None
    before = months[-1 - TREND_MONTHS][1]
    latest = months[-1][1]
    if before <= 0:
        return None
    return min(1.0, max(0.0, 0.5 + (latest / before - 1)))


def concentration_health(hhi: float | None) -> float | None:
    """1 - HHI (accepting 0..1 or 0..10000); one vendor for everything scores 0."""
    if hhi is None:
        return None
    normal = hhi / 10_000 if hhi > 1 else hhi
    return min(1.0, max(0.0, 1 - normal))


def rating_health(average: float | None) -> float | None:
    """A 1-5 average rating as 0..1 (1 -> 0, 5 -> 1)."""
    return None if average is None else min(1.0, max(0.0, (average - 1) / 4))


def within_sla(stages: Iterable[tuple[int, int | None, int]]) -> tuple[int, int]:
    """(within, of) over stages that have an SLA: (count, sla_days, over) per stage."""
    of = sum(count for count, sla, _ in stages if sla is not None)
    over = sum(over for count, sla, over in stages if sla is not None)
    return of - over, of


def dimension_evidence(
    model: MaturityModel, key: str, inputs: Sequence[Input]
) -> DimensionEvidence:
    measured = [i.health for i in inputs if i.health is not None]
    missing = tuple(i.label for i in inputs if i.health is None)
    if not measured:
        return DimensionEvidence(key, None, None, tuple(inputs), missing)
    score = round(100 * sum(measured) / len(measured), 1)
    return DimensionEvidence(key, score, level_for(model, score), tuple(inputs), missing)


def combine(
    model: MaturityModel, inputs: Mapping[str, Sequence[Input]], gaps: Sequence[Gap] = ()
) -> Evidence:
    """Scores per dimension and overall (the mean of the dimensions that have a score)."""
    dims = {key: dimension_evidence(model, key, inputs.get(key, ())) for key in DIMENSIONS}
    scored = [d.score for d in dims.values() if d.score is not None]
    if not scored:
        return Evidence(dims, None, None, tuple(gaps))
    overall = round(sum(scored) / len(scored), 1)
    return Evidence(dims, overall, level_for(model, overall), tuple(gaps))


def count_gap(
    dimension: str, n: int, one: str, many: str, refs: Iterable[CaseRef] = ()
) -> list[Gap]:
    """'1 stalled pilot' / '3 stalled pilots' as a gap, or nothing when n is 0."""
    if n <= 0:
        return []
    text = f"{n} {one if n == 1 else many}"
    return [Gap(dimension, text, tuple(refs)[:10])]
