"""The sweep: record a notice per new finding, email it once, post it to the webhooks.

A notice is created at most once per dedupe key, in its own short transaction
(get_or_create on a unique key), and only the sweep that created it emails it, so two
sweeps running at once never send twice. Email and HTTP happen after the commit, never
inside a transaction, so email is at most once: a failed send is kept on the notice
(`email_error`) and a crash between commit and send loses it; neither is retried.
Webhooks are at least once per URL until delivered (see `webhooks`).
"""

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from aiom.core import anchors, audit
from aiom.notifications import findings as finders
from aiom.notifications import webhooks
from aiom.notifications.findings import Finding
from aiom.notifications.models import DeliveryStatus, Notice, NoticeKind, WebhookDelivery

log = logging.getLogger(__name__)
KEY_BATCH = 500


@dataclass
class KindCounts:
    found: int = 0
    new: int = 0
    emailed: int = 0
    webhooks_delivered: int = 0
    webhooks_failed: int = 0
    webhooks_pending: int = 0


@dataclass
class SweepReport:
    """What one sweep found and did, per notice kind."""

    today: dt.date
    policy_version: int | None
    dry_run: bool = False
    sent: bool = True
    seconds: float = 0.0
    kinds: dict[str, KindCounts] = field(
        default_factory=lambda: {kind: KindCounts() for kind in NoticeKind.values}
    )
    findings: list[dict[str, Any]] = field(default_factory=list)
    anchor: str = ""  # the audit anchor this sweep wrote, or why none could be (aiom.core.anchors)

    def total(self) -> KindCounts:
        sums = {name: sum(getattr(c, name) for c in self.kinds.values()) for name in KIND_FIELDS}
        return KindCounts(**sums)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "today": self.today.isoformat(),
            "policy_version": self.policy_version,
            "dry_run": self.dry_run,
            "sent": self.sent,
            "seconds": round(self.seconds, 3),
            "kinds": {kind: asdict(counts) for kind, counts in self.kinds.items()},
            "total": asdict(self.total()),
            "anchor": self.anchor,
        }
        if self.dry_run:
            data["findings"] = self.findings
        return data


KIND_FIELDS = tuple(KindCounts.__dataclass_fields__)


def existing_keys(keys: Iterable[str]) -> set[str]:
    """The keys among `keys` that already have a notice (a few batched queries)."""
    keys, found = list(keys), set[str]()
    for i in range(0, len(keys), KEY_BATCH):
        batch = keys[i : i + KEY_BATCH]
        found.update(Notice.objects.filter(key__in=batch).values_list("key", flat=True))
    return found


@transaction.atomic
def record_notice(
    *, actor: audit.Actor, finding: Finding, urls: list[str], policy_version: int | None = None
) -> Notice | None:
    """The new notice for `finding` with its webhook deliveries; None if one already exists.

    Safe against a concurrent sweep: the unique key decides, the loser gets None.
    """
    notice, created = Notice.objects.get_or_create(
        key=finding.key,
        defaults={
            "kind": finding.kind,
            "use_case_id": finding.use_case_id,
            "subject": finding.subject[:200],
            "body": finding.body,
            "payload": audit.jsonable(finding.facts),
            "recipients": list(finding.recipients),
        },
    )
    if not created:
        return None
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(notice=notice, url=url, next_attempt_at=now) for url in urls]
    )
    audit.record(
        actor=actor,
        action="notify",
        obj=notice,
        after={"kind": notice.kind, "key": notice.key, "recipients": notice.recipients},
        message=notice.subject,
        policy_version=policy_version,
    )
    return notice


def email_notices(notices: list[Notice]) -> list[Notice]:
    """Email each notice to its recipients; returns those sent. Failures are kept, logged."""
    to_send = [n for n in notices if n.recipients]
    sent: list[Notice] = []
    if not to_send:
        return sent
    with mailers.default as mailer:  # one connection for the whole run
        for notice in to_send:
            message = EmailMessage(
                subject=f"[aiom] {notice.subject}",
                body=notice.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=list(notice.recipients),
            )
            try:
                mailer.send_messages([message])
            except (OSError, smtplib.SMTPException) as exc:
                log.error("notice %s: email not sent: %s", notice.key, exc)
                Notice.objects.filter(pk=notice.pk).update(email_error=str(exc)[:1000])
                continue
            Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
            sent.append(notice)
    return sent


def sweep(
    *, actor: audit.Actor = None, today: dt.date | None = None, send: bool = True
) -> SweepReport:
    """Find what is overdue, record each new event once, email and post the new ones.

    `send=False` records notices without emailing or posting them, ever: a baseline for
    a portfolio that already has a backlog. Pending webhook deliveries from earlier runs
    are retried once their back-off has passed. Raises WebhookConfigError when webhook
    URLs are configured without a secret (nothing is written then).
    """
    started = time.monotonic()
    urls = webhooks.configured_urls() if send else []
    today = today or timezone.localdate()
    version, policy = finders.policy_in_force()
    report = SweepReport(today=today, policy_version=version, sent=send)
    found = finders.find_all(today, policy)
    known = existing_keys(f.key for f in found)
    created: list[Notice] = []
    for finding in found:
        report.kinds[finding.kind].found += 1
        if finding.key in known:
            continue
        notice = record_notice(actor=actor, finding=finding, urls=urls, policy_version=version)
        if notice is not None:
            report.kinds[notice.kind].new += 1
            created.append(notice)
    if send:
        for notice in email_notices(created):
            report.kinds[notice.kind].emailed += 1
        if urls:
            for delivery in webhooks.deliver_due(urls):
                counts = report.kinds[delivery.notice.kind]
                if delivery.status == DeliveryStatus.DELIVERED:
                    counts.webhooks_delivered += 1
                elif delivery.status == DeliveryStatus.FAILED:
                    counts.webhooks_failed += 1
                else:
                    counts.webhooks_pending += 1
    report.anchor = anchor_audit_chain(post=send)
    report.seconds = time.monotonic() - started
    return report


def anchor_audit_chain(*, post: bool = True) -> str:
    """Anchor the audit chain's head when AIOM_AUDIT_ANCHOR_HOURS say it is due; what was
    done, for the report. A failure is logged and reported, never stops the sweep."""
    try:
        done = anchors.anchor_if_due(post=post)
    except (
        anchors.AnchorFileError,
        anchors.AnchorRefusedError,
        ImproperlyConfigured,
        OSError,
    ) as exc:
        log.error("audit chain not anchored: %s", exc)
        return f"not anchored: {exc}"
    if done is None:
        return ""
    posted = f"; not posted: {done.post_error}" if done.post_error else ""
    return f"anchored #{done.anchor.seq} in {done.path}{posted}"


def dry_run(*, today: dt.date | None = None) -> SweepReport:
    """What a sweep would find and which findings would be new; reads only."""
    started = time.monotonic()
    today = today or timezone.localdate()
    version, policy = finders.policy_in_force()
    report = SweepReport(today=today, policy_version=version, dry_run=True, sent=False)
    found = finders.find_all(today, policy)
    known = existing_keys(f.key for f in found)
    for finding in found:
        counts = report.kinds[finding.kind]
        counts.found += 1
        counts.new += finding.key not in known
        report.findings.append({**finding.as_dict(), "new": finding.key not in known})
    report.seconds = time.monotonic() - started
    return report
