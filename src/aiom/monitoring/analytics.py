"""Incident and monitoring figures for the diagnostics and the evidence-based maturity.

`incident_counts(use_cases, today=..., policy=...)` takes any UseCase queryset (the
caller's scope: visible, one unit, everything) and answers in three queries whatever
its size (four without `policy`). Shares are None when there is nothing to divide by.
`governance_evidence(counts)` is PURE: 0..1 figures the maturity's Governance
dimension can score.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from aiom.governance.policy.schema import Policy
from aiom.monitoring import rules
from aiom.monitoring.models import Incident, IncidentStatus, MonitoringPlan
from aiom.monitoring.policy import MonitoringRules
from aiom.notifications.findings import policy_in_force
from aiom.portfolio.models import UseCase

HIGH = ("high", "critical")


def _policy() -> Policy:
    return policy_in_force()[1]


def incident_counts(
    use_cases: QuerySet[UseCase], *, today: dt.date | None = None, policy: Policy | None = None
) -> dict[str, Any]:
    """Open incidents, high-severity ones in the last 12 months, monitoring coverage.

    - `open_incidents`: not closed; `incidents_12m` / `high_severity_12m`: occurred in the
      365 days up to today; `closed_with_lessons_12m`: of those, closed;
    - `operational`: use cases in the policy's `monitoring_required_for_stages`;
      `with_plan` / `plan_share` among them; `overdue_reviews` / `overdue_share` among
      those with a plan.
    """
    today = today or timezone.localdate()
    policy = policy or _policy()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time()))
    recent = Q(occurred_at__gte=since)
    agg = Incident.objects.filter(use_case__in=use_cases).aggregate(
        open=Count("id", filter=~Q(status=IncidentStatus.CLOSED)),
        recent=Count("id", filter=recent),
        high=Count("id", filter=recent & Q(severity__in=HIGH)),
        closed=Count("id", filter=recent & Q(status=IncidentStatus.CLOSED)),
    )
    stages = policy.section(MonitoringRules).monitoring_required_for_stages
    operational = use_cases.filter(stage__in=stages)
    n_operational = operational.count()
    plans = MonitoringPlan.objects.filter(use_case__in=operational).values_list(
        "last_reviewed_on", "starts_on", "review_every_days"
    )
    with_plan, overdue = 0, 0
    for last, starts, every in plans:
        with_plan += 1
        overdue += rules.review_overdue(rules.review_due_on(last, starts, every), today)
    return {
        "open_incidents": agg["open"],
        "incidents_12m": agg["recent"],
        "high_severity_12m": agg["high"],
        "closed_12m": agg["closed"],
        "operational": n_operational,
        "with_plan": with_plan,
        "plan_share": with_plan / n_operational if n_operational else None,
        "overdue_reviews": overdue,
        "overdue_share": overdue / with_plan if with_plan else None,
    }


def governance_evidence(counts: dict[str, Any]) -> dict[str, float | None]:
    """PURE: 0..1 evidence for the Governance dimension from `incident_counts`.

    - `monitoring_coverage`: share of operational use cases with a plan;
    - `monitoring_discipline`: share of plans reviewed on time;
    - `incident_closure`: share of last year's incidents closed (None: none happened,
      which is no evidence either way).
    """
    overdue = counts.get("overdue_share")
    recent = counts.get("incidents_12m") or 0
    return {
        "monitoring_coverage": counts.get("plan_share"),
        "monitoring_discipline": None if overdue is None else 1 - overdue,
        "incident_closure": counts.get("closed_12m", 0) / recent if recent else None,
    }
