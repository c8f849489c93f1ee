"""Webhooks against a real receiver on 127.0.0.1: signed, retried, backed off, timed out."""

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.utils import timezone

from aiom.core import signed_posts
from aiom.notifications import services
from aiom.notifications.models import Notice, WebhookDelivery
from tests.conftest import World
from tests.notifications.conftest import SECRET, Receiver, days_ago, make_use_case

pytestmark = pytest.mark.django_db
TODAY = days_ago(0)


def overdue_intake(world: World, title: str = "Long intake", **fields: Any) -> None:
    make_use_case(world, title, stage="intake", entered=days_ago(15), **fields)


def test_sign_is_hmac_sha256_hex() -> None:
    # RFC 4231, test case 2
    digest = signed_posts.sign("Jefe", b"what do ya want for nothing?")
    assert digest == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


def test_receiver_gets_a_signed_json_notice_once(world: World, hooks: Receiver) -> None:
    overdue_intake(world)
    report = services.sweep(today=TODAY)
    assert report.kinds["stage_overdue"].webhooks_delivered == 1
    [received] = hooks.requests
    expected = hmac.new(SECRET.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Aiom-Signature"] == f"sha256={expected}"
    notice = Notice.objects.get()
    delivery = WebhookDelivery.objects.get()
    assert received.headers["X-Aiom-Event"] == "stage_overdue"
    assert received.headers["X-Aiom-Delivery"] == str(delivery.pk)
    assert received.headers["Content-Type"] == "application/json"
    body = received.json()
    assert body["key"] == notice.key
    assert body["kind"] == "stage_overdue"
    assert body["subject"] == "Intake SLA exceeded: Long intake"
    assert body["use_case"]["title"] == "Long intake"
    assert body["facts"]["sla_days"] == 14
    assert "recipients" not in body  # no email addresses leave through webhooks
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None
    services.sweep(today=TODAY)
    assert len(hooks.requests) == 1


def test_a_wrong_secret_does_not_verify(world: World, hooks: Receiver) -> None:
    overdue_intake(world)
    services.sweep(today=TODAY)
    [received] = hooks.requests
    forged = hmac.new(b"another secret", received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Aiom-Signature"] != f"sha256={forged}"


def test_confidential_use_cases_go_out_without_title_or_text(world: World, hooks: Receiver) -> None:
    overdue_intake(world, "Branch closure plan", confidential=True)
    services.sweep(today=TODAY)
    body = hooks.requests[0].json()
    assert "Branch closure" not in json.dumps(body)
    assert body["use_case"]["confidential"] is True
    assert body["body"] is None


def test_two_failures_then_success_is_delivered_on_the_third_attempt(
    world: World, hooks: Receiver
) -> None:
    hooks.script = [500, 500, 200]
    overdue_intake(world)
    services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert delivery.last_error == ""
    ids = {r.headers["X-Aiom-Delivery"] for r in hooks.requests}
    assert len(hooks.requests) == 3
    assert ids == {str(delivery.pk)}  # one delivery id across retries: receivers can dedupe


def test_a_receiver_that_keeps_failing_is_backed_off_then_given_up(
    world: World, hooks: Receiver
) -> None:
    hooks.always = 500
    overdue_intake(world)
    before = timezone.now()
    report = services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert report.kinds["stage_overdue"].webhooks_pending == 1
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 4, 500)
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at is not None
    wait = delivery.next_attempt_at - before  # 60 s * 2**(4 - 1)
    assert dt.timedelta(seconds=480) <= wait < dt.timedelta(seconds=490)
    services.sweep(today=TODAY)  # not due yet: left alone
    assert len(hooks.requests) == 4
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    report = services.sweep(today=TODAY)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert delivery.next_attempt_at is None
    assert report.kinds["stage_overdue"].webhooks_failed == 1
    assert len(hooks.requests) == 5
    services.sweep(today=TODAY)
    assert len(hooks.requests) == 5


def test_a_pending_delivery_is_delivered_by_a_later_run(
    world: World, hooks: Receiver, settings: Any
) -> None:
    settings.AIOM_WEBHOOK_RETRIES = 0
    hooks.script = [503]
    overdue_intake(world)
    services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - timezone.now() > dt.timedelta(seconds=55)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    report = services.sweep(today=TODAY)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert report.total().new == 0
    assert report.kinds["stage_overdue"].webhooks_delivered == 1


def test_a_receiver_slower_than_the_timeout_is_recorded_as_a_timeout(
    world: World, hooks: Receiver, settings: Any
) -> None:
    settings.AIOM_WEBHOOK_TIMEOUT = 0.3
    settings.AIOM_WEBHOOK_RETRIES = 0
    hooks.script = [1.0]  # sleeps a second before answering
    overdue_intake(world)
    services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert delivery.last_error == "timed out after 0.3 s"


def test_redirects_are_not_followed(world: World, hooks: Receiver, settings: Any) -> None:
    settings.AIOM_WEBHOOK_RETRIES = 0
    hooks.script = [302]
    overdue_intake(world)
    services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert len(hooks.requests) == 1


def test_a_refused_connection_is_a_recorded_failure(
    world: World, hooks: Receiver, settings: Any
) -> None:
    settings.AIOM_WEBHOOK_URLS = ["http://127.0.0.1:9/nothing-listens-here"]
    settings.AIOM_WEBHOOK_RETRIES = 0
    overdue_intake(world)
    services.sweep(today=TODAY)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.last_error.startswith("cannot connect")


def test_once_a_receiver_is_down_its_other_deliveries_wait_for_the_next_run(
    world: World, hooks: Receiver, settings: Any
) -> None:
    settings.AIOM_WEBHOOK_RETRIES = 1
    hooks.always = 500
    overdue_intake(world, "First")
    overdue_intake(world, "Second")
    report = services.sweep(today=TODAY)
    assert len(hooks.requests) == 2  # the first delivery, tried twice
    attempts = sorted(WebhookDelivery.objects.values_list("attempts", flat=True))
    assert attempts == [0, 2]
    assert report.kinds["stage_overdue"].webhooks_pending == 2
