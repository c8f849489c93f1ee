"""The use cases that drag each diagnostic down: one bounded query per question.

Each list holds at most LIMIT use cases, oldest problem first, each with a short reason.
Caveat: only the first LIMIT are named; the figure itself counts them all.
"""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from aiom.governance.models import ReviewRequest, ReviewStatus
from aiom.lifecycle.models import PilotDecision
from aiom.portfolio.models import UseCase
from aiom.value.analytics.base import REF_FIELDS, UseCaseRef, ref
from aiom.value.analytics.coverage import measured_kpis

LIMIT = 25
IN_USE = ("pilot", "scaling", "operational")


def _refs(qs: QuerySet[UseCase], today: dt.date, reason: Any, *extra: str) -> list[UseCaseRef]:
    rows = qs.order_by("stage_entered_on", "id").values(*REF_FIELDS, *extra)[:LIMIT]
    return [ref(r, today, reason(r) if callable(reason) else reason) for r in rows]


def without_owner(qs: QuerySet[UseCase], today: dt.date, terminal: list[str]) -> list[UseCaseRef]:
    gaps = qs.filter(owner__isnull=True).exclude(stage__in=terminal)
    return _refs(gaps, today, "no accountable owner")


def unmeasured(qs: QuerySet[UseCase], today: dt.date) -> list[UseCaseRef]:
    gaps = qs.filter(stage__in=IN_USE).filter(~Q(measured_kpis(today)))
    return _refs(gaps, today, "no KPI with baseline and target measured within its cadence")


def data_not_ready(qs: QuerySet[UseCase], today: dt.date) -> list[UseCaseRef]:
    from aiom.value.analytics.coverage import unready_links

    gaps = qs.filter(unready_links(today)).exclude(stage__in=["retired", "rejected", "stopped"])
    return _refs(gaps, today, "a data product it consumes is not ready")


def stalled_pilots(qs: QuerySet[UseCase], today: dt.date) -> list[UseCaseRef]:
    stalled = qs.filter(stage="pilot", pilot_plan__ends_on__lt=today).exclude(
        pilot_plan__decision__in=[PilotDecision.SCALE, PilotDecision.STOP]
    )
    return _refs(
        stalled,
        today,
        lambda r: f"pilot past its end date ({r['pilot_plan__ends_on']:%Y-%m-%d}), no decision",
        "pilot_plan__ends_on",
    )


def no_value_yet(qs: QuerySet[UseCase], today: dt.date) -> list[UseCaseRef]:
    gaps = qs.filter(stage="operational", value_realised_on__isnull=True)
    return _refs(gaps, today, "operational, but no KPI has met its target yet")


def scaling_over_sla(qs: QuerySet[UseCase], today: dt.date, sla: int | None) -> list[UseCaseRef]:
    if sla is None:
        return []
    late = qs.filter(stage="scaling", stage_entered_on__lt=today - dt.timedelta(days=sla))
    return [
        UseCaseRef(**{**r.__dict__, "sla_days": sla})
        for r in _refs(late, today, f"scaling longer than its {sla}-day SLA")
    ]


def handed_over_q() -> Q:
    return Q(stage="operational", owner__isnull=False, environment="production")


def not_handed_over(qs: QuerySet[UseCase], today: dt.date) -> list[UseCaseRef]:
    def reason(r: dict[str, Any]) -> str:
        if r["stage"] == "scaling":
            return "scaling, not yet handed over to operations"
        if r["owner_id"] is None:
            return "operational without an accountable owner"
        return "operational but not in production"

    gaps = qs.filter(stage__in=["scaling", "operational"]).exclude(handed_over_q())
    return _refs(gaps, today, reason, "owner_id")


def late_governance(
    qs: QuerySet[UseCase], today: dt.date, intake: str, terminal: list[str]
) -> list[UseCaseRef]:
    overdue = ReviewRequest.objects.filter(
        use_case=OuterRef("pk"), status=ReviewStatus.OPEN, due_on__lt=today
    )
    gaps = (
        qs.exclude(stage__in=terminal)
        .annotate(overdue=Exists(overdue))
        .filter(Q(overdue=True) | (~Q(stage=intake) & ~Q(first_assessed_in=intake)))
    )

    def reason(r: dict[str, Any]) -> str:
        if r["overdue"]:
            return "a review is open past its SLA"
        if not r["first_assessed_in"]:
            return "past intake and never assessed"
        return f"first assessed in {r['first_assessed_in'].replace('_', ' ')}, not at intake"

    return _refs(gaps, today, reason, "overdue", "first_assessed_in")
