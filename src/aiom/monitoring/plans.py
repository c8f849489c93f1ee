"""Writes to monitoring plans: the plan, its checks, its reviews (re-exported by services).

One plan per use case. A check watching a KPI must name one of the same use case's
KPIs; the sweep compares its latest measurement with the thresholds. Recording a review
moves `last_reviewed_on`, so the next overdue review is a new event.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.policy.versions import active_policy
from aiom.monitoring import permissions, rules
from aiom.monitoring.models import (
    CheckKind,
    MonitoringCheck,
    MonitoringPlan,
    MonitoringReview,
    ReviewOutcome,
)
from aiom.monitoring.policy import MonitoringRules
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI

User = get_user_model()
MAX_REVIEW_DAYS = 3650


def person(value: Any, field: str, errors: dict[str, str]) -> Any:
    """An active user from an instance or a primary key; None stays None."""
    if value is None or value == "":
        return None
    user = value if isinstance(value, User) else User.objects.filter(pk=value).first()
    if user is None or not user.is_active:
        errors[field] = f"no active person {value}"
        return None
    return user


def plan_snapshot(p: MonitoringPlan) -> dict[str, Any]:
    data: dict[str, Any] = {"use_case": p.use_case_id, "reviewer": p.reviewer_id, "notes": p.notes}
    data.update(review_every_days=p.review_every_days, last_reviewed_on=p.last_reviewed_on)
    return audit.jsonable(data)  # type: ignore[no-any-return]


def check_snapshot(c: MonitoringCheck) -> dict[str, Any]:
    data: dict[str, Any] = {
        "plan": c.plan_id,
        "kind": c.kind,
        "description": c.description,
        "kpi": c.kpi_id,
    }
    data.update(lower=c.lower, upper=c.upper)
    return audit.jsonable(data)  # type: ignore[no-any-return]


def _require(actor: audit.Actor, use_case: UseCase) -> None:
    if actor is not None and not permissions.can_handle(actor, use_case):
        raise PermissionDenied("only who may edit the use case or review its risk keep its plan")


def _days(value: Any, errors: dict[str, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REVIEW_DAYS:
        errors["review_every_days"] = f"a whole number of days from 1 to {MAX_REVIEW_DAYS}"
        return 1
    return value


@transaction.atomic
def save_plan(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    reviewer: Any = None,
    review_every_days: int | None = None,
    notes: str = "",
    today: dt.date | None = None,
) -> MonitoringPlan:
    """Create the use case's plan, or change it; the cadence defaults to the policy's."""
    uc = UseCase.objects.select_for_update(of=("self",)).with_relations().get(pk=use_case.pk)
    _require(actor, uc)
    errors: dict[str, str] = {}
    who = person(reviewer, "reviewer", errors)
    if review_every_days is None:
        review_every_days = active_policy().policy.section(MonitoringRules).default_review_days
    days = _days(review_every_days, errors)
    if errors:
        raise InvalidInput(errors)
    plan = MonitoringPlan.objects.filter(use_case=uc).first()
    before = None if plan is None else plan_snapshot(plan)
    if plan is None:
        plan = MonitoringPlan(use_case=uc, starts_on=today or timezone.localdate())
    plan.reviewer, plan.review_every_days, plan.notes = who, days, (notes or "").strip()
    plan.save()
    after = plan_snapshot(plan)
    if after != before:
        action = "create" if before is None else "update"
        audit.record(actor=actor, action=action, obj=plan, before=before, after=after)
    return plan


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors[field] = "a number"
        return None


@transaction.atomic
def add_check(
    *,
    actor: audit.Actor,
    plan: MonitoringPlan,
    kind: str,
    description: str,
    kpi: Any = None,
    lower: Any = None,
    upper: Any = None,
) -> MonitoringCheck:
    """What is watched; a KPI check needs one of the use case's KPIs and a threshold."""
    plan = MonitoringPlan.objects.select_related("use_case__org_unit").get(pk=plan.pk)
    _require(actor, plan.use_case)
    errors: dict[str, str] = {}
    if kind not in CheckKind.values:
        errors["kind"] = f"one of {', '.join(CheckKind.values)}"
    text = (description or "").strip()
    if not text or len(text) > 300:
        errors["description"] = "say what is watched (at most 300 characters)"
    kpi_row = None
    if kpi is not None and kpi != "":
        kpi_id = kpi.pk if isinstance(kpi, KPI) else kpi
        kpi_row = KPI.objects.filter(pk=kpi_id, use_case_id=plan.use_case_id).first()
        if kpi_row is None:
            errors["kpi"] = "not a KPI of this use case"
    low, high = _decimal(lower, "lower", errors), _decimal(upper, "upper", errors)
    errors.update(rules.threshold_problems(low, high))
    if kpi_row is not None and low is None and high is None:
        errors["lower"] = "a KPI check needs a lower or an upper threshold"
    if kpi_row is None and (low is not None or high is not None):
        errors.setdefault("kpi", "thresholds apply to a KPI: choose one")
    if errors:
        raise InvalidInput(errors)
    check = MonitoringCheck.objects.create(
        plan=plan, kind=kind, description=text, kpi=kpi_row, lower=low, upper=high
    )
    audit.record(actor=actor, action="create", obj=check, after=check_snapshot(check))
    return check


@transaction.atomic
def remove_check(*, actor: audit.Actor, check: MonitoringCheck) -> None:
    row = MonitoringCheck.objects.select_related("plan__use_case__org_unit").get(pk=check.pk)
    _require(actor, row.plan.use_case)
    before = check_snapshot(row)
    audit.record(actor=actor, action="delete", obj=row, before=before)
    row.delete()


@transaction.atomic
def record_review(
    *,
    actor: audit.Actor,
    plan: MonitoringPlan,
    outcome: str,
    note: str = "",
    reviewed_on: dt.date | None = None,
) -> MonitoringReview:
    """One review of the plan's evidence; the next review is due a cadence later."""
    plan = (
        MonitoringPlan.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit")
        .get(pk=plan.pk)
    )
    if actor is not None and not permissions.can_review(actor, plan):
        raise PermissionDenied("only the plan's reviewer or who handles the use case review it")
    errors: dict[str, str] = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = f"one of {', '.join(ReviewOutcome.values)}"
    day = reviewed_on or timezone.localdate()
    if day > timezone.localdate():
        errors["reviewed_on"] = "cannot be in the future"
    if outcome != ReviewOutcome.OK and not (note or "").strip():
        errors["note"] = "say what the concern is"
    if errors:
        raise InvalidInput(errors)
    before = plan_snapshot(plan)
    user = actor if actor is not None and actor.is_authenticated else None
    review = MonitoringReview.objects.create(
        plan=plan, reviewed_on=day, reviewed_by=user, outcome=outcome, note=(note or "").strip()
    )
    if plan.last_reviewed_on is None or day > plan.last_reviewed_on:
        plan.last_reviewed_on = day
        plan.save(update_fields=["last_reviewed_on"])
    audit.record(
        actor=actor,
        action="review",
        obj=plan,
        before=before,
        after={**plan_snapshot(plan), "review": {"outcome": outcome, "reviewed_on": day}},
        message=f"Monitoring reviewed: {outcome}.",
    )
    return review
