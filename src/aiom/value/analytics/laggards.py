"""The use cases that drag each diagnostic down: one bounded query per question.

Each list holds at most LIMIT use cases, oldest problem first, each with a short reason.
The question is asked of the use cases' facts (`facts.of(scope, user)`), ordered by the
day they entered their stage (an index), then the LIMIT named are read from the use cases.
Caveat: only the first LIMIT are named; the figure itself counts them all.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from aiom.portfolio.models import UseCase
from aiom.value.analytics.base import REF_FIELDS, UseCaseRef, ref
from aiom.value.analytics.tally import handed_over_q, unmeasured_q
from aiom.value.models import UseCaseFacts

LIMIT = 25
Facts = QuerySet[UseCaseFacts]
Reason = str | Callable[[dict[str, Any]], str]


def named(
    fq: Facts, today: dt.date, reason: Reason, *extra: str, limit: int = LIMIT
) -> list[UseCaseRef]:
    """The first `limit` of `fq` by stage entry, as references with their reasons;
    `extra` facts fields are handed to a callable reason beside the reference fields."""
    rows = list(
        fq.order_by("stage_entered_on", "use_case_id").values("use_case_id", *extra)[:limit]
    )
    if not rows:
        return []
    ids = [r["use_case_id"] for r in rows]
    named = {r["id"]: r for r in UseCase.objects.filter(pk__in=ids).order_by().values(*REF_FIELDS)}
    refs = []
    for r in rows:
        row = {**named[r["use_case_id"]], **r}
        refs.append(ref(row, today, reason(row) if callable(reason) else reason))
    return refs


def without_owner(fq: Facts, today: dt.date, terminal: list[str]) -> list[UseCaseRef]:
    gaps = fq.filter(has_owner=False).exclude(stage__in=terminal)
    return named(gaps, today, "no accountable owner")


def unmeasured(fq: Facts, today: dt.date) -> list[UseCaseRef]:
    gaps = fq.filter(unmeasured_q(today))
    return named(gaps, today, "no KPI with baseline and target measured within its cadence")


def data_not_ready(fq: Facts, today: dt.date) -> list[UseCaseRef]:
    from aiom.catalogue.models import UseCaseDataProduct
    from aiom.value.analytics.coverage import failing_q

    failing = UseCaseDataProduct.objects.filter(failing_q(today)).values("use_case_id")
    gaps = fq.filter(use_case_id__in=failing).exclude(stage__in=["retired", "rejected", "stopped"])
    return named(gaps, today, "a data product it consumes is not ready")


def stalled_q(today: dt.date) -> Q:
    """Still in pilot past its plan's end date, no decision."""
    return Q(stage="pilot", pilot_ends_on__lt=today, pilot_outcome="")


def stalled_pilots(fq: Facts, today: dt.date) -> list[UseCaseRef]:
    return named(
        fq.filter(stalled_q(today)),
        today,
        lambda r: f"pilot past its end date ({r['pilot_ends_on']:%Y-%m-%d}), no decision",
        "pilot_ends_on",
    )


def no_value_yet(fq: Facts, today: dt.date) -> list[UseCaseRef]:
    gaps = fq.filter(stage="operational", value_realised_on__isnull=True)
    return named(gaps, today, "operational, but no KPI has met its target yet")


def scaling_over_sla(fq: Facts, today: dt.date, sla: int | None) -> list[UseCaseRef]:
    if sla is None:
        return []
    late = fq.filter(stage="scaling", stage_entered_on__lt=today - dt.timedelta(days=sla))
    return [
        UseCaseRef(**{**r.__dict__, "sla_days": sla})
        for r in named(late, today, f"scaling longer than its {sla}-day SLA")
    ]


def not_handed_over(fq: Facts, today: dt.date) -> list[UseCaseRef]:
    def reason(r: dict[str, Any]) -> str:
        if r["stage"] == "scaling":
            return "scaling, not yet handed over to operations"
        if not r["has_owner"]:
            return "operational without an accountable owner"
        return "operational but not in production"

    gaps = fq.filter(stage__in=["scaling", "operational"]).exclude(handed_over_q())
    return named(gaps, today, reason, "has_owner")


def late_governance(
    fq: Facts, today: dt.date, intake: str, terminal: list[str]
) -> list[UseCaseRef]:
    gaps = fq.exclude(stage__in=terminal).filter(
        Q(review_overdue_from__lt=today) | (~Q(stage=intake) & ~Q(first_assessed_in=intake))
    )

    def reason(r: dict[str, Any]) -> str:
        due = r["review_overdue_from"]
        if due is not None and due < today:
            return "a review is open past its SLA"
        if not r["first_assessed_in"]:
            return "past intake and never assessed"
        return f"first assessed in {r['first_assessed_in'].replace('_', ' ')}, not at intake"

    return named(gaps, today, reason, "review_overdue_from", "first_assessed_in")
