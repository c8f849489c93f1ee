"""A high-severity incident re-opens the risk assessment and notifies, once, by mail and webhook.

Real locmem mail outbox, real HTTP receiver on 127.0.0.1; the notice is sent when the
incident's transaction commits.
"""

import datetime as dt
import hashlib
import hmac
from typing import Any

import pytest
import yaml
from django.utils import timezone

from aiom.core.models import AuditEvent
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from aiom.monitoring import services
from aiom.monitoring.alerts import incident_key
from aiom.notifications import services as sweeps
from aiom.notifications import webhooks
from aiom.notifications.models import Notice, WebhookDelivery
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from tests.conftest import World, make_person
from tests.monitoring.conftest import report
from tests.notifications.conftest import SECRET, Receiver, days_ago, make_assessment

pytestmark = pytest.mark.django_db


def test_high_severity_reopens_and_notifies_owner_sponsor_reviewers(
    world: World,
    live: UseCase,
    hooks: Receiver,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    assessment = make_assessment(live, days_ago(20), tier="medium")
    cards_reviewer = make_person("cora", world.cards, (Role.COMPLIANCE_REVIEWER, world.retail))
    make_person("walt", world.wealth, (Role.RISK_REVIEWER, world.wealth))  # not over Retail
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(world, live, severity="high", title="Refunds refused wrongly")

    assessment.refresh_from_db()
    assert assessment.stale
    assert (
        assessment.stale_reason == f"high-severity incident #{incident.pk}: Refunds refused wrongly"
    )
    stale_event = AuditEvent.objects.get(action="assessment_stale")
    assert stale_event.actor == world.alice and stale_event.after["assessment"] == assessment.pk

    notice = Notice.objects.get()
    assert (notice.kind, notice.key) == ("incident", incident_key(incident))
    assert notice.key == f"incident:uc={live.pk}:incident={incident.pk}"
    assert notice.recipients == [
        "alice@example.com",
        "bob@example.com",
        cards_reviewer.email,
        "rita@example.com",
    ]
    assert notice.emailed_at is not None
    [mail] = mailoutbox
    assert mail.subject == f"[aiom] High AI incident: {live.title}"
    assert sorted(mail.to) == sorted(notice.recipients)
    assert "re-opened" in mail.body and "People affected: 12" in mail.body

    [received] = hooks.requests
    expected = hmac.new(SECRET.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Aiom-Signature"] == f"sha256={expected}"
    assert received.headers["X-Aiom-Event"] == "incident"
    body = received.json()
    assert body["key"] == notice.key and body["facts"]["severity"] == "high"
    assert body["facts"]["assessment_reopened"] is True
    assert WebhookDelivery.objects.get().status == "delivered"
    assert AuditEvent.objects.filter(action="notify").count() == 1

    # A later sweep neither re-sends the incident's mail nor re-posts its webhook (it
    # reports the stale assessment once, as for any material change).
    sweeps.sweep(today=days_ago(0))
    assert sorted(Notice.objects.values_list("kind", flat=True)) == ["assessment_stale", "incident"]
    assert [m.subject for m in mailoutbox].count(mail.subject) == 1
    assert [r.headers["X-Aiom-Event"] for r in hooks.requests] == ["incident", "assessment_stale"]
    # Raising it to critical later is the same incident: no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_incident(actor=world.alice, incident=incident, severity="critical")
    assert Notice.objects.filter(kind="incident").count() == 1 and len(mailoutbox) == 2


def test_lower_severity_neither_reopens_nor_notifies(
    world: World, live: UseCase, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    assessment = make_assessment(live, days_ago(20))
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(world, live, severity="medium")
    assessment.refresh_from_db()
    assert not assessment.stale and not Notice.objects.exists() and mailoutbox == []

    # Raised to high afterwards: now it re-opens and notifies.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_incident(actor=world.rita, incident=incident, severity="high")
    assessment.refresh_from_db()
    assert assessment.stale and Notice.objects.get().kind == "incident" and len(mailoutbox) == 1


def test_the_policy_sets_the_threshold(
    world: World, live: UseCase, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["monitoring"] = {"reopen_assessment_from": "critical"}
    activate(actor=None, text=yaml.safe_dump(data))
    with django_capture_on_commit_callbacks(execute=True):
        report(world, live, severity="high")
    assert not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report(world, live, severity="critical")
    assert Notice.objects.get().kind == "incident"


def test_a_dead_receiver_leaves_the_delivery_for_the_sweep(
    world: World,
    live: UseCase,
    hooks: Receiver,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    hooks.script = [500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        report(world, live, severity="critical")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert len(mailoutbox) == 1  # mail does not wait for the webhook
    # The sweep retries once the back-off has passed.

    webhooks.deliver_due([hooks.url], now=timezone.now() + dt.timedelta(minutes=10))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(hooks.requests) == 2
