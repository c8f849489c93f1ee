"""Signed webhook deliveries: POST a notice as JSON, retry, back off, give up after five.

Each request carries `X-Aiom-Signature: sha256=<HMAC-SHA256 of the exact body bytes>`,
`X-Aiom-Event` (the notice kind) and `X-Aiom-Delivery` (stable across retries, so a
receiver can drop duplicates); the signing and the POST itself are core.signed_posts
(redirects are failures; a receiver that trickles bytes can hold a delivery longer).
Confidential use cases go out without title or text.
"""

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from aiom.core.signed_posts import MAX_PAUSE_SECONDS, USER_AGENT, post, sign
from aiom.notifications.findings import use_case_url
from aiom.notifications.models import DeliveryStatus, Notice, WebhookDelivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60  # across runs: next_attempt_at = now + base * 2**(attempts - 1)


class WebhookConfigError(ImproperlyConfigured):
    """Webhook URLs without a secret, or a URL that is not http(s)."""


def configured_urls() -> list[str]:
    """The webhook URLs in settings, checked; raises WebhookConfigError naming the problem."""
    urls: list[str] = list(settings.AIOM_WEBHOOK_URLS)
    if urls and not settings.AIOM_WEBHOOK_SECRET:
        raise WebhookConfigError(
            "AIOM_WEBHOOK_URLS is set but AIOM_WEBHOOK_SECRET is empty: "
            "receivers could not verify the signature, so nothing is sent"
        )
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise WebhookConfigError(f"AIOM_WEBHOOK_URLS: {url!r} is not an http(s) URL")
    return urls


def payload(notice: Notice) -> dict[str, Any]:
    """The JSON a receiver gets: no email addresses, and no title or text if confidential."""
    uc = notice.use_case
    confidential = uc is None or uc.confidential
    link = use_case_url(notice.use_case_id) if notice.use_case_id else None
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "key": notice.key,
        "created_at": notice.created_at.isoformat(),
        "subject": notice.get_kind_display() if confidential else notice.subject,
        "body": None if confidential else notice.body,
        "use_case": {
            "id": notice.use_case_id,
            "title": None if confidential or uc is None else uc.title,
            "confidential": confidential,
            "url": link,
        },
        "facts": notice.payload,
    }


def body_bytes(notice: Notice) -> bytes:
    return json.dumps(payload(notice), sort_keys=True, separators=(",", ":")).encode("utf-8")


def deliver(
    delivery: WebhookDelivery,
    *,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
) -> WebhookDelivery:
    """Try now, then up to `retries` more times with short pauses; record every attempt.

    Success is any 2xx. Still failing: pending with `next_attempt_at` backed off
    exponentially from 60 s, or failed once MAX_ATTEMPTS attempts were made. Call with a
    delivery this process has claimed (`deliver_due` does), or a receiver may get it twice.
    """
    timeout = settings.AIOM_WEBHOOK_TIMEOUT if timeout is None else timeout
    retries = settings.AIOM_WEBHOOK_RETRIES if retries is None else retries
    backoff = settings.AIOM_WEBHOOK_BACKOFF_SECONDS if backoff is None else backoff
    body = body_bytes(delivery.notice)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Aiom-Event": delivery.notice.kind,
        "X-Aiom-Delivery": str(delivery.pk),
        "X-Aiom-Signature": "sha256=" + sign(settings.AIOM_WEBHOOK_SECRET, body),
    }
    fields = ["status", "attempts", "last_status_code", "last_error", "next_attempt_at"]
    for i in range(retries + 1):
        if i:
            time.sleep(min(backoff * 2 ** (i - 1), MAX_PAUSE_SECONDS))
        code, error = post(delivery.url, body, headers, timeout)
        delivery.attempts += 1
        delivery.last_status_code = code
        delivery.last_error = error[:1000]
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.save(update_fields=[*fields, "delivered_at"])
            return delivery
        log.warning("webhook delivery %s to %s: %s", delivery.pk, delivery.url, error)
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delay = RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
        delivery.save(update_fields=fields)
        if delivery.status == DeliveryStatus.FAILED:
            break
    return delivery


def _claim(delivery: WebhookDelivery, until: dt.datetime) -> bool:
    """Take a due delivery for this process: a conditional update only one sweep can win."""
    won = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        status=DeliveryStatus.PENDING,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=until)
    delivery.next_attempt_at = until
    return won == 1


def deliver_due(urls: Iterable[str], *, now: dt.datetime | None = None) -> list[WebhookDelivery]:
    """Deliver every pending delivery to `urls` whose time has come; returns those touched.

    Once a URL has failed all of this run's immediate retries, its other deliveries wait
    for the next run (a dead receiver would otherwise cost retries times timeout per notice).
    """
    now = now or timezone.now()
    urls = list(urls)
    due = (
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, url__in=urls
        )
        .select_related("notice__use_case")
        .order_by("id")
    )
    retries, timeout = settings.AIOM_WEBHOOK_RETRIES, settings.AIOM_WEBHOOK_TIMEOUT
    lease = dt.timedelta(seconds=(retries + 1) * (timeout + MAX_PAUSE_SECONDS) + 60)
    down: set[str] = set()
    touched = []
    for delivery in due:
        if delivery.url in down:
            touched.append(delivery)  # left pending, untried, for the next run
            continue
        if not _claim(delivery, timezone.now() + lease):
            continue  # another sweep is delivering it
        deliver(delivery)
        touched.append(delivery)
        if delivery.status != DeliveryStatus.DELIVERED:
            down.add(delivery.url)
    return touched
