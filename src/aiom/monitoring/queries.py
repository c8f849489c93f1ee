"""Reads shared by pages and API: permission-scoped incidents, one filter, a plan's state."""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from aiom.core.ids import parse_id
from aiom.monitoring import permissions, rules
from aiom.monitoring.models import (
    CorrectiveAction,
    Incident,
    IncidentStatus,
    MonitoringPlan,
    Severity,
)
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase


def incidents(user: Any) -> QuerySet[Incident]:
    """The incidents `user` may see, with what lists and pages show."""
    actions = Prefetch("actions", CorrectiveAction.objects.select_related("owner"))
    return (
        permissions.incidents_visible_to(user)
        .select_related("use_case__org_unit", "reported_by", "severity_confirmed_by")
        .prefetch_related(actions)
    )


def filtered(
    found: QuerySet[Incident], *, status: str = "", severity: str = "", org_unit: str = ""
) -> QuerySet[Incident]:
    """Incidents by status ('active' = not closed), severity, and org unit (with its subtree)."""
    if status == "active":
        found = found.exclude(status=IncidentStatus.CLOSED)
    elif status in IncidentStatus.values:
        found = found.filter(status=status)
    if severity in Severity.values:
        found = found.filter(severity=severity)
    if org_unit.strip():
        unit_id = parse_id(org_unit)
        unit = OrgUnit.objects.filter(pk=unit_id).only("path").first() if unit_id else None
        found = (
            found.filter(use_case__org_unit__path__startswith=unit.path) if unit else found.none()
        )
    return found


def with_state(plan: MonitoringPlan, today: dt.date | None = None) -> MonitoringPlan:
    """Set `next_review_due_on` and `overdue` on the plan (for templates and the API)."""
    today = today or timezone.localdate()
    due = rules.review_due_on(plan.last_reviewed_on, plan.starts_on, plan.review_every_days)
    plan.next_review_due_on = due  # type: ignore[attr-defined]
    plan.overdue = rules.review_overdue(due, today)  # type: ignore[attr-defined]
    return plan


def plan_of(use_case: UseCase) -> MonitoringPlan | None:
    """The use case's plan with its checks (and their KPIs) and review history, or None."""
    plan = (
        MonitoringPlan.objects.filter(use_case_id=use_case.pk)
        .select_related("reviewer", "use_case__org_unit")
        .prefetch_related("checks__kpi", "reviews__reviewed_by")
        .first()
    )
    return None if plan is None else with_state(plan)
