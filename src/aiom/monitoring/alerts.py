"""Telling people about a serious incident: one notice, emailed and posted after commit.

The notice goes through `notifications.services.record_notice` (key
`incident:uc=<id>:incident=<id>`, so an incident is notified once however often its
severity changes) to the use case's owner and sponsor and the risk and compliance
reviewers covering its unit. Once the incident's transaction commits it is emailed
(`email_notices`, as the sweep does) and each webhook delivery gets one attempt;
a delivery that fails stays pending and the next sweep retries it with back-off.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aiom.core import audit
from aiom.monitoring.models import Incident
from aiom.notifications import webhooks
from aiom.notifications.findings import Finding, use_case_url
from aiom.notifications.models import DeliveryStatus, Notice, NoticeKind, WebhookDelivery
from aiom.notifications.services import email_notices, record_notice
from aiom.organisation.models import REVIEWER_ROLES, RoleAssignment
from aiom.portfolio.models import UseCase

AWAITING = (
    "\n\nIts severity awaits confirmation by the use case's owner or a risk or compliance"
    " reviewer; once confirmed, the risk assessment is re-opened and moves that need a"
    " current assessment are blocked."
)


def incident_key(incident: Incident) -> str:
    return f"{NoticeKind.INCIDENT}:uc={incident.use_case_id}:incident={incident.pk}"


def _emails(people: Iterable[User | None]) -> tuple[str, ...]:
    emails = (u.email.strip().lower() for u in people if u and u.is_active and u.email.strip())
    return tuple(dict.fromkeys(emails))


def reviewers_of(use_case: UseCase) -> list[User]:
    """Active risk and compliance reviewers, global or scoped over the use case's unit."""
    path = use_case.org_unit.path
    rows = (
        RoleAssignment.objects.filter(role__in=REVIEWER_ROLES, user__is_active=True)
        .filter(Q(org_unit__isnull=True) | Q(org_unit__path__in=_ancestors(path)))
        .select_related("user")
        .order_by("user__username", "id")
    )
    return [ra.user for ra in rows]


def _ancestors(path: str) -> list[str]:
    """Every prefix of a materialised path that ends at a separator, and the path itself."""
    out = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    return [*out, path]


def _webhook_urls() -> list[str]:
    try:
        return webhooks.configured_urls()
    except webhooks.WebhookConfigError:
        return []  # the sweep reports the misconfiguration; reporting must not fail on it


def _finding(incident: Incident, reason: str | None) -> Finding:
    uc = incident.use_case
    harms = ", ".join(incident.harm_labels()) or "not stated"
    affected = "unknown" if incident.people_affected is None else str(incident.people_affected)
    text = (
        f"A {incident.severity}-severity AI incident was reported for “{uc.title}”: "
        f"{incident.title}.\n\nOccurred: {timezone.localtime(incident.occurred_at):%Y-%m-%d %H:%M}."
        f" Harm: {harms}. People affected: {affected}."
        + (f" Model: {incident.model_name}." if incident.model_name else "")
        + (
            f"\n\nThe risk assessment is re-opened: {reason}."
            if reason
            else AWAITING
            if not incident.severity_confirmed
            else "\n\nThe use case has no current assessment to re-open; assess it."
        )
        + f"\n\n{use_case_url(uc.pk)}\n"
    )
    people = [uc.owner, uc.sponsor, *reviewers_of(uc)]
    return Finding(
        kind=NoticeKind.INCIDENT,
        key=incident_key(incident),
        use_case_id=uc.pk,
        use_case_title=uc.title,
        subject=f"{incident.severity.capitalize()} AI incident: {uc.title}",
        body=text,
        recipients=_emails(people),
        facts=audit.jsonable(
            {
                "incident": incident.pk,
                "severity": incident.severity,
                "harms": list(incident.harms),
                "people_affected": incident.people_affected,
                "occurred_at": incident.occurred_at,
                "assessment_reopened": reason is not None,
                "severity_confirmed": incident.severity_confirmed,
            }
        ),
    )


def send_now(notice: Notice) -> None:
    """Email `notice` and give each of its pending webhook deliveries one attempt."""
    email_notices([notice])
    pending = WebhookDelivery.objects.filter(notice=notice, status=DeliveryStatus.PENDING)
    for delivery in pending.select_related("notice__use_case"):
        lease = timezone.now() + dt.timedelta(minutes=5)
        claimed = WebhookDelivery.objects.filter(
            pk=delivery.pk, attempts=delivery.attempts, status=DeliveryStatus.PENDING
        ).update(next_attempt_at=lease)
        if claimed:  # a concurrent sweep did not take it first
            webhooks.deliver(delivery, retries=0)


def notify_incident(
    *, actor: audit.Actor, incident: Incident, reason: str | None, policy_version: int | None
) -> Notice | None:
    """Record the incident's notice (once) and send it when the caller's transaction commits."""
    urls = _webhook_urls()
    finding = _finding(incident, reason)
    notice = record_notice(actor=actor, finding=finding, urls=urls, policy_version=policy_version)
    if notice is not None:
        transaction.on_commit(lambda: send_now(notice))
    return notice
