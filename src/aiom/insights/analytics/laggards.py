"""The use cases that drag each diagnostic down: one bounded query per question.

Each list holds at most LIMIT use cases, oldest problem first, each with a short reason.
The question is asked of the use cases' facts (`facts.of(scope, user)`), ordered by the
day they entered their stage (an index): a `Pending` list; `resolve` then names the use
cases of every list at once (one query for all of them).
Caveat: only the first LIMIT are named; the figure itself counts them all.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet

from aiom.catalogue.models import UseCaseDataProduct
from aiom.governance.policy.schema import Policy, Stage
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import REF_FIELDS, UseCaseRef, ref
from aiom.insights.analytics.coverage import failing_q
from aiom.insights.analytics.tally import handed_over_q, unmeasured_q
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole
from aiom.value.models import UseCaseFacts

LIMIT = 25
Facts = QuerySet[UseCaseFacts]
Reason = str | Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Pending:
    """One list's facts rows (use case id and `extra` fields), not yet named."""

    rows: list[dict[str, Any]]
    reason: Reason
    sla_days: int | None = None


NOTHING = Pending([], "")


def pending(fq: Facts, reason: Reason, *extra: str, limit: int = LIMIT) -> Pending:
    """The first `limit` of `fq` by stage entry (one query on an index); `extra` facts
    fields are handed to a callable reason beside the reference fields."""
    rows = facts.by_entry(fq).values("use_case_id", *extra)[:limit]
    return Pending(list(rows), reason)


def resolve(today: dt.date, *lists: Pending) -> list[list[UseCaseRef]]:
    """Name the use cases of every list with one query, each with its reason."""
    ids = {r["use_case_id"] for p in lists for r in p.rows}
    found = UseCase.objects.filter(pk__in=ids).order_by().values(*REF_FIELDS) if ids else []
    names = {r["id"]: r for r in found}
    named = []
    for p in lists:
        refs = []
        for r in p.rows:
            row = {**names[r["use_case_id"]], **r}
            reason = p.reason(row) if callable(p.reason) else p.reason
            refs.append(ref(row, today, reason, sla=p.sla_days))
        named.append(refs)
    return named


def named(
    fq: Facts, today: dt.date, reason: Reason, *extra: str, limit: int = LIMIT
) -> list[UseCaseRef]:
    """One list, named: `pending` then `resolve`."""
    return resolve(today, pending(fq, reason, *extra, limit=limit))[0]


def without_owner(fq: Facts, today: dt.date, terminal: list[str]) -> Pending:
    gaps = fq.filter(has_owner=False).exclude(stage__in=terminal)
    return pending(gaps, "no accountable owner")


def unmeasured(fq: Facts, today: dt.date, policy: Policy) -> Pending:
    gaps = fq.filter(unmeasured_q(today, policy))
    return pending(gaps, "no KPI with baseline and target measured within its cadence")


def data_not_ready(fq: Facts, today: dt.date, terminal: list[str]) -> Pending:
    failing = UseCaseDataProduct.objects.filter(failing_q(today)).values("use_case_id")
    gaps = fq.filter(use_case_id__in=failing).exclude(stage__in=terminal)
    return pending(gaps, "a data product it consumes is not ready")


def stalled_q(today: dt.date, policy: Policy) -> Q:
    """Still in pilot past its plan's end date, no decision."""
    pilot = policy.stage_with_role(StageRole.PILOT).key
    return Q(stage=pilot, pilot_ends_on__lt=today, pilot_outcome="")


def stalled_pilots(fq: Facts, today: dt.date, policy: Policy) -> Pending:
    return pending(
        fq.filter(stalled_q(today, policy)),
        lambda r: f"pilot past its end date ({r['pilot_ends_on']:%Y-%m-%d}), no decision",
        "pilot_ends_on",
    )


def no_value_yet(fq: Facts, today: dt.date, policy: Policy) -> Pending:
    operational = policy.stage_with_role(StageRole.OPERATIONAL).key
    gaps = fq.filter(stage=operational, value_realised_on__isnull=True)
    return pending(gaps, "operational, but no KPI has met its target yet")


def scaling_over_sla(fq: Facts, today: dt.date, scaling: Stage) -> Pending:
    sla = scaling.sla_days
    if sla is None:
        return NOTHING
    cutoff = today - dt.timedelta(days=sla)  # certainly over: never an unknown entry day
    late = fq.filter(spans.before_q("stage_entered", cutoff), stage=scaling.key)
    return replace(pending(late, f"scaling longer than its {sla}-day SLA"), sla_days=sla)


def not_handed_over(fq: Facts, today: dt.date, policy: Policy) -> Pending:
    scaling = policy.stage_with_role(StageRole.SCALING).key

    def reason(r: dict[str, Any]) -> str:
        if r["stage"] == scaling:
            return "scaling, not yet handed over to operations"
        if not r["has_owner"]:
            return "operational without an accountable owner"
        return "operational but not in production"

    past_pilot = policy.stages_with_role(StageRole.SCALING, StageRole.OPERATIONAL)
    gaps = fq.filter(stage__in=past_pilot).exclude(handed_over_q(policy))
    return pending(gaps, reason, "has_owner")


def late_governance(fq: Facts, today: dt.date, intake: str, terminal: list[str]) -> Pending:
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

    return pending(gaps, reason, "review_overdue_from", "first_assessed_in")
