"""Telling the use cases that consume a data product that its quality dropped.

Each notice goes through `notifications.services.record_notice` (the one public way to
record a single notice): key `data_quality_drop:uc=<id>:product=<id>:checked=<date>`,
so the same drop is never recorded twice. Owners and sponsors are emailed when the
quality check commits; webhook deliveries are attached and posted by the next sweep.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from aiom.catalogue.models import DataProduct, UseCaseDataProduct
from aiom.catalogue.policy import DataRules
from aiom.core import audit
from aiom.governance.policy.versions import active_policy
from aiom.notifications import webhooks
from aiom.notifications.findings import Finding, use_case_url
from aiom.notifications.models import Notice, NoticeKind
from aiom.notifications.services import email_notices, record_notice

KIND = "data_quality_drop"


def policy_rules() -> tuple[int, DataRules]:
    """The active policy's version and data rules."""
    active = active_policy()
    return active.version, active.policy.section(DataRules)


def quality_floor() -> int:
    return policy_rules()[1].quality_floor


def drop_key(use_case_id: int, product_id: int, checked_on: object) -> str:
    return f"{KIND}:uc={use_case_id}:product={product_id}:checked={checked_on}"


def _recipients(people: Iterable[User | None]) -> tuple[str, ...]:
    emails = (u.email.strip().lower() for u in people if u and u.is_active and u.email.strip())
    return tuple(dict.fromkeys(emails))


def _webhook_urls() -> list[str]:
    if KIND not in NoticeKind.values:
        return []
    try:
        return webhooks.configured_urls()
    except webhooks.WebhookConfigError:
        return []  # the sweep reports the misconfiguration; a quality check must not fail on it


def notify_quality_drop(*, actor: audit.Actor, product: DataProduct, floor: int) -> list[Notice]:
    """One notice per use case consuming `product` for its current check; the new ones."""
    links = UseCaseDataProduct.objects.filter(data_product=product).select_related(
        "use_case__owner", "use_case__sponsor"
    )
    version, urls = policy_rules()[0], _webhook_urls()
    created = []
    for link in links.order_by("use_case_id"):
        uc = link.use_case
        subject = f"Data quality below the floor: {product.name} (used by {uc.title})"
        body = (
            f"The data product “{product.name}” scored {product.quality_score} for quality on "
            f"{product.quality_checked_on}, below the policy's floor of {floor}. "
            f"“{uc.title}” consumes it"
            + (f" for: {link.purpose}" if link.purpose else "")
            + ". Its data is not ready until the quality is back at or above the floor.\n\n"
            + use_case_url(uc.pk)
            + "\n"
        )
        finding = Finding(
            kind=KIND,
            key=drop_key(uc.pk, product.pk, product.quality_checked_on),
            use_case_id=uc.pk,
            use_case_title=uc.title,
            subject=subject,
            body=body,
            recipients=_recipients([uc.owner, uc.sponsor]),
            facts=audit.jsonable(
                {
                    "data_product": {"id": product.pk, "name": product.name},
                    "score": product.quality_score,
                    "checked_on": product.quality_checked_on,
                    "floor": floor,
                }
            ),
        )
        notice = record_notice(actor=actor, finding=finding, urls=urls, policy_version=version)
        if notice is not None:
            created.append(notice)
    if created:  # emailed once the quality check is committed; webhooks go with the sweep
        transaction.on_commit(lambda: email_notices(created))
    return created
