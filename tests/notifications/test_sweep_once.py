"""A sweep notifies each event once: a second run creates nothing and sends nothing."""

import smtplib
from typing import Any

import pytest

from aiom.core.audit import verify_chain
from aiom.core.models import AuditEvent
from aiom.notifications import services
from aiom.notifications.models import Notice, WebhookDelivery
from aiom.notifications.webhooks import WebhookConfigError
from aiom.organisation.models import Role
from tests.conftest import World
from tests.notifications.conftest import (
    Receiver,
    days_ago,
    make_assessment,
    make_pilot,
    make_review,
    make_use_case,
)
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db
TODAY = days_ago(0)


@pytest.fixture
def overdue(world: World) -> dict[str, Any]:
    """One event of each kind, Alice's; world's own use cases are fresh and not overdue."""
    pilot = make_use_case(world, "Stalled pilot", stage="pilot", entered=days_ago(200))
    plan = make_pilot(pilot, days_ago(3))
    review = make_use_case(world, "Late review", stage="risk_review", entered=days_ago(10))
    make_review(review, days_ago(1), [{"role": Role.RISK_REVIEWER, "count": 1}])
    stage = make_use_case(world, "Long intake", stage="intake", entered=days_ago(15))
    make_assessment(review, days_ago(181), tier="medium")
    make_assessment(stage, days_ago(1), stale=True, stale_reason="it became customer-facing")
    return {"pilot": pilot, "plan": plan, "review": review, "stage": stage}


def test_first_sweep_records_emails_and_audits_each_event(
    overdue: dict[str, Any], mailoutbox: list[Any]
) -> None:
    report = services.sweep(actor=None, today=TODAY)
    kinds = {kind: (c.found, c.new, c.emailed) for kind, c in report.kinds.items()}
    assert kinds == {
        "stalled_pilot": (1, 1, 1),
        "review_overdue": (1, 1, 1),
        "stage_overdue": (1, 1, 1),
        "assessment_due": (1, 1, 1),
        "assessment_stale": (1, 1, 1),
        "data_quality_drop": (0, 0, 0),  # recorded by the catalogue, not found by the sweep
        "incident": (0, 0, 0),  # recorded when an incident is reported
        "monitoring_overdue": (0, 0, 0),
        "kpi_out_of_bounds": (0, 0, 0),
        "condition_overdue": (0, 0, 0),
    }
    assert Notice.objects.count() == 5
    assert len(mailoutbox) == 5
    pilot = Notice.objects.get(kind="stalled_pilot")
    assert pilot.use_case == overdue["pilot"]
    assert pilot.key == f"stalled_pilot:uc={overdue['pilot'].pk}:ends={days_ago(3).isoformat()}"
    assert pilot.emailed_at is not None
    mail = next(m for m in mailoutbox if m.subject == "[aiom] Pilot stalled: Stalled pilot")
    assert mail.to == ["alice@example.com"]
    assert mail.from_email == "aiom@localhost"
    assert f"/use-cases/{overdue['pilot'].pk}/" in mail.body
    review_mail = next(m for m in mailoutbox if "Review overdue" in m.subject)
    assert review_mail.to == ["alice@example.com", "rita@example.com"]
    event = AuditEvent.objects.get(action="notify", object_id=str(pilot.pk))
    assert event.object_type == "notifications.notice"
    assert event.actor_name == "system"
    assert event.after == {"kind": pilot.kind, "key": pilot.key, "recipients": pilot.recipients}
    assert verify_chain().ok


def test_second_sweep_creates_nothing_and_sends_nothing(
    overdue: dict[str, Any], mailoutbox: list[Any]
) -> None:
    services.sweep(today=TODAY)
    notices, events, sent = Notice.objects.count(), AuditEvent.objects.count(), len(mailoutbox)
    again = services.sweep(today=TODAY)
    assert again.total().found == 5
    assert again.total().new == 0
    assert again.total().emailed == 0
    assert (Notice.objects.count(), AuditEvent.objects.count(), len(mailoutbox)) == (
        notices,
        events,
        sent,
    )


def test_an_extended_pilot_stalling_again_is_notified_again(
    overdue: dict[str, Any], mailoutbox: list[Any]
) -> None:
    services.sweep(today=TODAY)
    plan = overdue["plan"]
    plan.ends_on, plan.decision = days_ago(1), "extend"
    plan.save()
    report = services.sweep(today=TODAY)
    assert report.kinds["stalled_pilot"].new == 1
    assert Notice.objects.filter(kind="stalled_pilot").count() == 2
    assert sum("Pilot stalled" in m.subject for m in mailoutbox) == 2


def test_without_send_notices_are_recorded_but_never_sent(
    overdue: dict[str, Any], mailoutbox: list[Any], hooks: Receiver
) -> None:
    report = services.sweep(today=TODAY, send=False)
    assert report.total().new == 5
    assert report.total().emailed == 0
    assert not WebhookDelivery.objects.exists()
    services.sweep(today=TODAY)
    assert mailoutbox == []
    assert hooks.requests == []
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 0


def test_webhook_urls_without_a_secret_refuse_to_sweep(
    overdue: dict[str, Any], settings: Any, mailoutbox: list[Any]
) -> None:
    settings.AIOM_WEBHOOK_URLS = ["http://127.0.0.1:9/hook"]
    settings.AIOM_WEBHOOK_SECRET = ""
    with pytest.raises(WebhookConfigError, match="AIOM_WEBHOOK_SECRET is empty"):
        services.sweep(today=TODAY)
    assert not Notice.objects.exists()
    assert mailoutbox == []


def test_a_webhook_url_must_be_http(overdue: dict[str, Any], settings: Any) -> None:
    settings.AIOM_WEBHOOK_URLS = ["file:///etc/passwd"]
    settings.AIOM_WEBHOOK_SECRET = "x"
    with pytest.raises(WebhookConfigError, match="not an http"):
        services.sweep(today=TODAY)


class FailingBackend:
    """An email backend whose server refuses every message."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> "FailingBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"no such user")})


def test_a_failed_email_is_kept_on_the_notice_and_not_resent(world: World, settings: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    make_use_case(world, "Long intake", stage="intake", entered=days_ago(15))
    report = services.sweep(today=TODAY)
    notice = Notice.objects.get()
    assert (report.total().new, report.total().emailed) == (1, 0)
    assert notice.emailed_at is None
    assert "alice@example.com" in notice.email_error
    assert services.sweep(today=TODAY).total().new == 0


def test_a_use_case_without_owner_or_sponsor_gets_a_notice_but_no_email(
    world: World, mailoutbox: list[Any]
) -> None:
    from aiom.portfolio import services as portfolio

    portfolio.create_use_case(
        actor=None,
        require_owner=False,
        title="Imported, unowned",
        org_unit=world.retail,
        proposed_on=days_ago(30),
    )
    report = services.sweep(today=TODAY)
    assert (report.total().new, report.total().emailed) == (1, 0)
    assert Notice.objects.get().recipients == []
    assert mailoutbox == []


def test_recording_an_already_recorded_event_returns_none_and_writes_nothing(
    overdue: dict[str, Any], hooks: Receiver
) -> None:
    """What the loser of a race between two sweeps sees (the unique key decides)."""
    from aiom.notifications.findings import find_all, policy_in_force

    finding = find_all(TODAY, policy_in_force()[1])[0]
    first = services.record_notice(actor=None, finding=finding, urls=[hooks.url])
    events = AuditEvent.objects.count()
    again = services.record_notice(actor=None, finding=finding, urls=[hooks.url])
    assert first is not None
    assert again is None
    assert AuditEvent.objects.count() == events
    assert WebhookDelivery.objects.count() == 1


def test_a_sweep_with_nothing_new_costs_a_fixed_number_of_queries(
    overdue: dict[str, Any], query_budget: Budget
) -> None:
    services.sweep(today=TODAY)
    # policy, eight finders (10 queries), the known keys
    with query_budget("sweep_with_nothing_new"):
        services.sweep(today=TODAY)
