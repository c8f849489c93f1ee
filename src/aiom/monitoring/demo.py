"""Demo monitoring: plans on the operational use cases (one overdue), a few incidents.

Most operational use cases get a plan reviewed recently, with a drift check and, where
the use case has a measured KPI, a KPI check whose bounds hold its latest value; the
first plan has never been reviewed and is overdue; one operational use case has no plan.
Incidents: a high-severity one closed with lessons learned (handled at the time, so it
re-opens nothing today), an open medium one, a mitigated low one. Deterministic for a
given `rng` seed and `today`; run after the value seed (it reads KPIs).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from aiom.monitoring import services
from aiom.monitoring.models import CheckKind, MonitoringPlan, ReviewOutcome
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI, Direction

INCIDENTS = [
    # days ago, severity, status, harms, people, title, description, lessons
    (
        150,
        "high",
        "closed",
        ["people", "legal"],
        214,
        "Wrong answers about fee refunds",
        "For two days the assistant told customers that overdraft fees could not be "
        "refunded, contradicting the updated policy. A retrieval index was not refreshed.",
        "Index refreshes are now part of the policy-change checklist and a nightly test "
        "asks the assistant about every changed policy before it goes live.",
    ),
    (
        6,
        "medium",
        "open",
        ["organisation"],
        None,
        "Scores drifted after a data feed change",
        "The monitoring dashboard shows the score distribution shifted after the upstream "
        "feed changed its date format. Under investigation.",
        "",
    ),
    (
        40,
        "low",
        "mitigated",
        ["security"],
        0,
        "Prompt injection attempt logged",
        "A user tried to make the model reveal its instructions; the guardrail held but the "
        "attempt was not alerted on.",
        "",
    ),
]


def _at(today: dt.date, days_ago: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9)))


def _reviewer(uc: UseCase, reviewers: list[User]) -> User | None:
    return reviewers[uc.pk % len(reviewers)] if reviewers else uc.owner


def _kpi_check(plan: MonitoringPlan, kpi: KPI) -> None:
    latest = kpi.measurements.order_by("-measured_on", "-id").first()
    if latest is None:
        return
    value = Decimal(latest.value)
    margin = abs(value) * Decimal("0.25") or Decimal(1)
    lower, upper = (
        (value - margin, None) if kpi.direction == Direction.HIGHER else (None, value + margin)
    )
    services.add_check(
        actor=None,
        plan=plan,
        kind=CheckKind.PERFORMANCE_KPI,
        description=f"{kpi.name} stays within its agreed range",
        kpi=kpi,
        lower=lower,
        upper=upper,
    )


def _plans(today: dt.date, rng: random.Random, cases: list[UseCase]) -> int:
    reviewers = list(
        User.objects.filter(role_assignments__role=Role.RISK_REVIEWER, is_active=True)
        .order_by("username")
        .distinct()
    )
    made = 0
    for n, uc in enumerate(cases[:-1] if len(cases) > 2 else cases):
        overdue = n == 0
        start = today - dt.timedelta(days=rng.randint(120, 400))
        plan = services.save_plan(
            actor=None,
            use_case=uc,
            reviewer=_reviewer(uc, reviewers),
            review_every_days=90,
            notes="Monthly dashboard review; quarterly sign-off by the reviewer.",
            today=start,
        )
        services.add_check(
            actor=None,
            plan=plan,
            kind=CheckKind.DRIFT,
            description="Input and score distributions against the validation baseline",
        )
        services.add_check(
            actor=None,
            plan=plan,
            kind=CheckKind.COMPLAINTS,
            description="Complaints mentioning the AI feature, from the complaints system",
        )
        kpi = KPI.objects.filter(use_case=uc, is_active=True).order_by("pk").first()
        if kpi is not None:
            _kpi_check(plan, kpi)
        if not overdue:
            outcome = rng.choice([ReviewOutcome.OK, ReviewOutcome.OK, ReviewOutcome.CONCERNS])
            services.record_review(
                actor=None,
                plan=plan,
                outcome=outcome,
                note="" if outcome == ReviewOutcome.OK else "Complaints up slightly; watching.",
                reviewed_on=today - dt.timedelta(days=rng.randint(5, 60)),
            )
        made += 1
    return made


def _incidents(today: dt.date, cases: list[UseCase]) -> int:
    made = 0
    for (days, severity, status, harms, people, title, text, lessons), uc in zip(
        INCIDENTS, cases, strict=False
    ):
        incident = services.report_incident(
            actor=None,
            use_case=uc,
            reopen=False,
            title=title,
            description=text,
            model_name="",
            occurred_at=_at(today, days),
            detected_at=_at(today, max(days - 1, 0)),
            severity=severity,
            harms=harms,
            people_affected=people,
        )
        action = services.add_action(
            actor=None,
            incident=incident,
            description="Find the root cause and fix it; add a regression test.",
            owner=uc.owner,
            due_on=today + dt.timedelta(days=14) if status == "open" else today,
        )
        if status in ("mitigated", "closed"):
            services.complete_action(actor=None, action=action)
            services.change_status(
                actor=None, incident=incident, status=status, lessons_learned=lessons or None
            )
        made += 1
    return made


def seed(*, today: dt.date, rng: random.Random) -> dict[str, int]:
    """Create the demo's monitoring plans and incidents; returns how many of each."""
    cases = list(UseCase.objects.filter(stage="operational").select_related("owner").order_by("pk"))
    return {"plans": _plans(today, rng, cases), "incidents": _incidents(today, cases[1:])}
