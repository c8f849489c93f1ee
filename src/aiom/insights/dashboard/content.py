"""What the dashboard and the board report show, assembled from the portfolio analytics.

Every figure comes from `aiom.insights.analytics` over `Scope.use_cases(user)`, so a viewer
never sees (not even as a count) a use case hidden from them. Caveat: "value realised" is
the *expected* annual benefit of the use cases that reached a KPI target, not money
measured in the books.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.urls import reverse

from aiom.core.ids import parse_id
from aiom.core.memo import live
from aiom.governance.models import ReviewRequest, ReviewStatus, RiskAssessment
from aiom.governance.policy.versions import active_policy
from aiom.insights import analytics
from aiom.insights.analytics import Scope
from aiom.insights.analytics import figure as fig
from aiom.insights.analytics.base import in_scope
from aiom.insights.analytics.diagnostics import embedded, ownership, time_to_value_figure
from aiom.insights.analytics.figure import Figure, text_of, whole
from aiom.insights.analytics.pilots import OUTCOMES
from aiom.insights.analytics.stage_reach import stage_reach
from aiom.insights.maturity import fetch, services
from aiom.insights.maturity.model import current
from aiom.lifecycle.models import PilotDecision, PilotPlan
from aiom.organisation.models import OrgUnit
from aiom.portfolio.vocabulary import StageRole

PILOT_SERIES = list(OUTCOMES)
RISK_LIST_LIMIT = 10


@dataclass(frozen=True)
class Headline:
    """A headline figure (figure.py) and where it links to."""

    figure: Figure
    link: str = ""

    @property
    def label(self) -> str:
        return self.figure.label

    @property
    def value(self) -> str:
        return self.figure.text

    @property
    def note(self) -> str:
        return self.figure.note


@dataclass(frozen=True)
class RiskList:
    key: str
    title: str
    note: str
    total: int
    rows: list[dict[str, Any]]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def total_text(self) -> str:
        return fig.count_text(self.total)

    @property
    def figure(self) -> str:
        """The figure this list's count is, where the page shows it elsewhere too."""
        return {"stalled": "pilots_stalled", "overdue": "reviews_overdue"}.get(self.key, "")


def selected_unit(request: HttpRequest) -> tuple[OrgUnit | None, str]:
    """The `org_unit` GET filter as a unit, or None with a problem to show if it is bad."""
    raw = request.GET.get("org_unit", "").strip()
    if not raw:
        return None, ""
    unit_id = parse_id(raw)
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return (unit, "") if unit else (None, f"No org unit {raw!r}; showing the whole organisation.")


def days(value: float | None) -> str:
    """Days as every figure shows them (figure.py: whole days, half up)."""
    return text_of("days", None if value is None else whole(value))


@live
def headlines(scope: Scope, user: Any, today: dt.date) -> tuple[list[Headline], Any, Any]:
    """The six headline figures, plus the pilot outcomes and time to value they came from.

    Each is built by the same function as its diagnostic (diagnostics.py), so the
    headline, the diagnostic's sentence and the board report show one number."""
    coverage = analytics.coverage(scope, today=today, user=user)
    pilots = analytics.pilot_outcomes(scope, today=today, user=user)
    ttv = analytics.time_to_value(scope, user=user)
    operational = analytics.embedding(scope, today=today, user=user)
    timing = analytics.governance_timing(scope, today=today, user=user)
    overdue = timing.reviews_open_overdue
    figures = [
        Headline(
            fig.count(
                "use_cases",
                "Use cases",
                coverage.total,
                sentence="{text} use cases in scope, all stages.",
                note="in scope, all stages",
            )
        ),
        Headline(ownership(coverage)),
        Headline(pilots.figure),
        Headline(time_to_value_figure(ttv)),
        Headline(embedded(operational.operational, operational.adoption)),
        Headline(
            fig.count(
                "reviews_overdue",
                "Overdue reviews",
                overdue,
                sentence="{text} open reviews are past their SLA.",
                note="open past their SLA",
            ),
            reverse("reviews:queue"),
        ),
    ]
    return figures, pilots, ttv


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    entered: int
    now: int
    unrecorded: int
    sentence: str


@live
def funnel_rows(scope: Scope, user: Any, today: dt.date) -> list[FunnelRow]:
    """Ever entered (once per use case, whatever the entry's day) and there now, along
    the policy's live stages (stage_reach.py: ever entered is never below there now)."""
    policy = active_policy().policy
    return [
        FunnelRow(r.key, policy.label(r.key), r.entered, r.now, r.unrecorded, r.sentence)
        for r in stage_reach(scope, policy.live_stages(), user=user)
    ]


def cohort_rows(pilots: Any) -> list[tuple[str, dict[str, int]]]:
    return [
        (
            c.quarter,
            {outcome: getattr(c, outcome) for outcome in OUTCOMES},
        )
        for c in pilots.cohorts
    ]


@live
def value_by_theme(scope: Scope, user: Any) -> list[tuple[str, float, int]]:
    """(theme, sum of expected benefit, use cases) over those whose value was realised."""
    rows = (
        scope.use_cases(user)
        .filter(value_realised_on__isnull=False, expected_benefit_amount__isnull=False)
        .order_by()
        .values("theme__name", "expected_benefit_currency")
        .annotate(total=Sum("expected_benefit_amount"), n=Count("pk"))
    )
    currencies = {r["expected_benefit_currency"] for r in rows}
    result = []
    for r in rows:
        name = r["theme__name"] or "No theme"
        if len(currencies) > 1:
            name = f"{name} ({r['expected_benefit_currency'] or 'no currency'})"
        result.append((name, float(r["total"] or Decimal(0)), r["n"]))
    return sorted(result, key=lambda row: -row[1])


def currency(rows: list[tuple[str, float, int]], scope: Scope, user: Any) -> str:
    if not rows:
        return ""
    found = (
        scope.use_cases(user)
        .filter(value_realised_on__isnull=False)
        .exclude(expected_benefit_currency="")
        .order_by()
        .values_list("expected_benefit_currency", flat=True)
        .distinct()[:2]
    )
    codes = list(found)
    return codes[0] if len(codes) == 1 else ""


def _refs(qs: QuerySet[Any], prefix: str = "") -> list[dict[str, Any]]:
    fields = ["id", "title", "org_unit__name", "stage", "tier"]
    names = [f"{prefix}{f}" for f in fields]
    rows = qs.values(*names)[:RISK_LIST_LIMIT]
    return [{f: row[n] for f, n in zip(fields, names, strict=True)} for row in rows]


@live
def top_risks(scope: Scope, user: Any, today: dt.date) -> list[RiskList]:
    """High-tier, prohibited, stalled and overdue items, each capped with its total count."""
    policy = active_policy().policy
    visible = scope.use_cases(user)
    scoped = in_scope(visible)
    high = visible.filter(tier="high", stage__in=policy.live_stages()).order_by("stage", "title")
    prohibited = RiskAssessment.objects.filter(scoped, is_current=True, prohibited=True).order_by(
        "-assessed_at"
    )
    stalled = (
        PilotPlan.objects.filter(
            scoped, use_case__stage=policy.stage_with_role(StageRole.PILOT).key, ends_on__lt=today
        )
        .exclude(decision__in=(PilotDecision.SCALE, PilotDecision.STOP))
        .order_by("ends_on")
    )
    overdue = ReviewRequest.objects.filter(
        scoped, status=ReviewStatus.OPEN, due_on__lt=today
    ).order_by("due_on")
    lists = [
        RiskList(
            "high",
            "High risk tier",
            "Active use cases the assessment put in the high tier.",
            high.count(),
            _refs(high),
        ),
        RiskList(
            "prohibited",
            "Blocked",
            "The current assessment found a prohibited practice.",
            prohibited.count(),
            _refs(prohibited, "use_case__"),
        ),
        RiskList(
            "stalled",
            "Stalled pilots",
            "Past their end date with no scale or stop decision.",
            stalled.count(),
            _refs(stalled, "use_case__"),
        ),
        RiskList(
            "overdue",
            "Overdue reviews",
            "Reviews still open past their SLA date.",
            overdue.count(),
            _refs(overdue, "use_case__"),
        ),
    ]
    return lists


def org_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.order_by("path").only("pk", "name", "depth", "path")


@dataclass(frozen=True)
class MaturityRow:
    key: str
    label: str
    self_score: float | None
    self_level: str
    evidence_score: float | None
    evidence_level: str
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Maturity:
    rows: list[MaturityRow]
    assessed_on: dt.date | None
    overall_self: str
    overall_evidence: str

    @property
    def assessed(self) -> bool:
        return self.assessed_on is not None

    def radar(self) -> list[tuple[str, float | None, float | None]]:
        return [(r.label, r.self_score, r.evidence_score) for r in self.rows]


@live
def maturity(unit: OrgUnit | None, user: Any, today: dt.date) -> Maturity:
    """Self-assessment (the latest for the unit, or the organisation) beside evidence."""
    model = current().model
    latest = services.latest(unit)
    found = fetch.gather(unit.pk if unit else None, today=today, user=user)

    def level(key: str | None) -> str:
        return model.level(key).label if key else "not measured"

    rows = []
    for dim in model.dimensions:
        ev = found.dimensions.get(dim.key)
        self_score = float(latest.dimension_scores[dim.key]) if latest else None
        rows.append(
            MaturityRow(
                key=dim.key,
                label=dim.label,
                self_score=self_score,
                self_level=level(latest.dimension_levels.get(dim.key))
                if latest
                else "not assessed",
                evidence_score=ev.score if ev else None,
                evidence_level=level(ev.level if ev else None),
                gaps=tuple(g.text for g in found.gaps_for(dim.key)),
            )
        )
    return Maturity(
        rows,
        latest.assessed_at.date() if latest else None,
        level(latest.overall_level) if latest else "not assessed",
        level(found.overall_level),
    )
