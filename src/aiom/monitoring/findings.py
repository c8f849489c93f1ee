"""What the sweep finds about monitoring: reviews overdue, KPIs outside their thresholds.

Read-only, a fixed number of queries each, plain `Finding`s with a dedupe key:
- `monitoring_overdue:uc=<id>:plan=<id>:due=<date>`: recording a review moves the due
  date, so the next lapse is a new event;
- `kpi_out_of_bounds:uc=<id>:check=<id>:measurement=<id>`: one event per measurement
  outside the check's thresholds (a later measurement still outside is a new event).
Use cases in a terminal stage are not watched any more.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery

from aiom.core.audit import jsonable
from aiom.governance.policy.schema import Policy
from aiom.monitoring import rules
from aiom.monitoring.models import MonitoringCheck, MonitoringPlan
from aiom.notifications import finders
from aiom.notifications.findings import Finding, use_case_url
from aiom.notifications.models import NoticeKind
from aiom.portfolio.models import UseCase
from aiom.value.models import Measurement

UC_PEOPLE = ("use_case__owner", "use_case__sponsor", "use_case__org_unit")


def _emails(users: Iterable[User | None]) -> tuple[str, ...]:
    found = (u.email.strip().lower() for u in users if u and u.is_active and u.email.strip())
    return tuple(dict.fromkeys(found))


def _terminal(policy: Policy) -> list[str]:
    return [s.key for s in policy.stages if s.terminal]


def _num(value: Any) -> str:
    """A decimal without trailing zeros and never in exponent form (12.5, 300)."""
    return "—" if value is None else f"{Decimal(value).normalize():f}"


def _finding(
    kind: str,
    key: str,
    uc: UseCase,
    subject: str,
    text: str,
    extra: Iterable[User | None],
    **facts: Any,
) -> Finding:
    body = f"{text}\n\n{use_case_url(uc.pk)}\n"
    recipients = _emails([uc.owner, uc.sponsor, *extra])
    return Finding(kind, key, uc.pk, uc.title, subject, body, recipients, jsonable(facts))


def overdue_reviews(today: dt.date, policy: Policy) -> list[Finding]:
    """Plans whose next review is past due; the owner, sponsor and reviewer are told."""
    plans = (
        MonitoringPlan.objects.exclude(use_case__stage__in=_terminal(policy))
        .select_related("reviewer", *UC_PEOPLE)
        .order_by("use_case_id")
    )
    out = []
    for plan in plans:
        due = rules.review_due_on(plan.last_reviewed_on, plan.starts_on, plan.review_every_days)
        if not rules.review_overdue(due, today):
            continue
        uc, late = plan.use_case, (today - due).days
        last = plan.last_reviewed_on or "never"
        text = (
            f"The monitoring of “{uc.title}” is reviewed every {plan.review_every_days} days. "
            f"Last review: {last}. The next was due on {due}, {late} day(s) ago. "
            "Review the monitoring evidence and record the outcome on the use case's page."
        )
        key = f"{NoticeKind.MONITORING_OVERDUE}:uc={uc.pk}:plan={plan.pk}:due={due}"
        out.append(
            _finding(
                NoticeKind.MONITORING_OVERDUE,
                key,
                uc,
                f"Monitoring review overdue: {uc.title}",
                text,
                [plan.reviewer],
                plan=plan.pk,
                due_on=due,
                days_late=late,
                last_reviewed_on=plan.last_reviewed_on,
            )
        )
    return out


def kpis_out_of_bounds(today: dt.date, policy: Policy) -> list[Finding]:
    """KPI checks whose KPI's latest measurement (up to today) lies outside the thresholds."""
    latest = Measurement.objects.filter(kpi_id=OuterRef("kpi_id"), measured_on__lte=today)
    latest = latest.order_by("-measured_on", "-id")
    checks = (
        MonitoringCheck.objects.filter(kpi__isnull=False)
        .exclude(plan__use_case__stage__in=_terminal(policy))
        .annotate(
            m_id=Subquery(latest.values("id")[:1]),
            m_value=Subquery(latest.values("value")[:1]),
            m_on=Subquery(latest.values("measured_on")[:1]),
        )
        .select_related("kpi__owner", "plan__reviewer", *(f"plan__{p}" for p in UC_PEOPLE))
        .order_by("plan__use_case_id", "id")
    )
    out = []
    for check in checks:
        m_id, value, m_on = (getattr(check, f, None) for f in ("m_id", "m_value", "m_on"))
        if m_id is None or value is None or check.kpi is None:
            continue
        side = rules.out_of_bounds(Decimal(value), check.lower, check.upper)
        if side is None:
            continue
        uc, kpi, plan = check.plan.use_case, check.kpi, check.plan
        bound = check.lower if side == "below" else check.upper
        unit = f" {kpi.unit}" if kpi.unit else ""
        text = (
            f"The KPI “{kpi.name}” of “{uc.title}” measured {_num(value)}{unit} on {m_on}, "
            f"{side} the monitoring threshold of {_num(bound)}{unit} "
            f"({check.description}). Investigate; report an incident if people were harmed."
        )
        key = f"{NoticeKind.KPI_OUT_OF_BOUNDS}:uc={uc.pk}:check={check.pk}:measurement={m_id}"
        out.append(
            _finding(
                NoticeKind.KPI_OUT_OF_BOUNDS,
                key,
                uc,
                f"KPI outside its threshold: {kpi.name} ({uc.title})",
                text,
                [plan.reviewer, kpi.owner],
                check=check.pk,
                kpi={"id": kpi.pk, "name": kpi.name},
                value=_num(value),  # the same text on SQLite and PostgreSQL (72.5000)
                measured_on=m_on,
                side=side,
                lower=None if check.lower is None else _num(check.lower),
                upper=None if check.upper is None else _num(check.upper),
            )
        )
    return out


def register() -> None:
    """Put monitoring's finders in the sweep (called from monitoring's ready())."""
    finders.register(NoticeKind.MONITORING_OVERDUE, overdue_reviews, order=60)
    finders.register(NoticeKind.KPI_OUT_OF_BOUNDS, kpis_out_of_bounds, order=70)
