"""Every write to the catalogue: validated, permission-checked, atomic, audited.

References may be given as instances or primary keys (forms pass instances, the API
ids). A quality check below the policy's floor also notifies the use cases that consume
the product (see `alerts`), in the same transaction as the check.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from aiom.catalogue import alerts, permissions
from aiom.catalogue.cleaning import clean
from aiom.catalogue.models import AccessStatus, DataProduct, UseCaseDataProduct
from aiom.core import audit
from aiom.core.changes import changed_fields
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.organisation.models import OrgUnit
from aiom.portfolio import permissions as uc_permissions
from aiom.portfolio.models import UseCase

User = get_user_model()
MAX_PURPOSE = 2_000


def _ref(obj: models.Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    name = obj.get_full_name() if isinstance(obj, User) else ""
    return {"id": obj.pk, "name": name or str(obj)}


def snapshot(p: DataProduct) -> dict[str, Any]:
    """The product as the audit trail freezes it; references keep their name at the time."""
    data = {
        "name": p.name,
        "description": p.description,
        "domain": _ref(p.domain),
        "steward": _ref(p.steward),
        "classification": p.classification,
        "personal_data": p.personal_data,
        "access_status": p.access_status,
        "quality_score": p.quality_score,
        "quality_checked_on": p.quality_checked_on,
        "upstream": sorted(p.upstream.values_list("pk", flat=True)) if p.pk else [],
        "external_sources": list(p.external_sources),
        "tags": p.tag_list,
    }
    return audit.jsonable(data)  # type: ignore[no-any-return]


def _check(p: DataProduct, upstream: Iterable[DataProduct] | None, errors: dict[str, str]) -> None:
    if not p.name:
        errors.setdefault("name", "a data product needs a name")
    if p.domain_id is None:
        errors.setdefault("domain", "a data product belongs to a domain (org unit)")
        return
    if p.steward is not None and "steward" not in errors:
        if not p.steward.is_active:
            errors["steward"] = f"{p.steward.get_username()} is not an active user"
        elif not permissions.stewards_domain(p.steward, p.domain):
            errors["steward"] = f"{p.steward.get_username()} is no data steward of {p.domain.name}"
    clash = DataProduct.objects.filter(domain_id=p.domain_id, name__iexact=p.name)
    if p.name and clash.exclude(pk=p.pk).exists():
        errors.setdefault("name", f"{p.domain.name} already has a data product of that name")
    if upstream is not None and p.pk is not None and any(u.pk == p.pk for u in upstream):
        errors["upstream"] = "a data product cannot be its own upstream"


def _require_curator(actor: audit.Actor, domain: OrgUnit, doing: str) -> None:
    if not permissions.can_curate(actor, domain):
        raise PermissionDenied(f"only data stewards of {domain.name} or administrators {doing}")


@transaction.atomic
def create_data_product(*, actor: audit.Actor, **fields: Any) -> DataProduct:
    """Add a data product to the catalogue, in a domain the actor stewards."""
    errors: dict[str, str] = {}
    values = clean(fields, errors)
    upstream = values.pop("upstream", [])
    product = DataProduct(**values)
    if product.access_status == AccessStatus.RETIRED:
        errors["access_status"] = "a new data product cannot start retired"
    if product.domain_id is not None:
        _require_curator(actor, product.domain, "add data products to it")
    _check(product, upstream, errors)
    if errors:
        raise InvalidInput(errors)
    product.save(force_insert=True)
    product.upstream.set(upstream)
    audit.record(actor=actor, action="create", obj=product, after=snapshot(product))
    return product


@transaction.atomic
def update_data_product(*, actor: audit.Actor, product: DataProduct, **fields: Any) -> DataProduct:
    """Change a data product; moving it to another domain needs curating rights in both."""
    current = DataProduct.objects.select_for_update().select_related("domain").get(pk=product.pk)
    _require_curator(actor, current.domain, "change its data products")
    before = snapshot(current)
    errors: dict[str, str] = {}
    values = clean(fields, errors)
    upstream = values.pop("upstream", None)
    retiring = current.access_status != AccessStatus.RETIRED  # a retired one may stay so
    if values.get("access_status") == AccessStatus.RETIRED and retiring:
        errors["access_status"] = "retire a data product with its own action, giving a reason"
    relinked = {} if upstream is None else {"upstream": upstream}
    changed = changed_fields(current, values | relinked)
    for field, value in values.items():
        setattr(current, field, value)
    if values.get("domain") is not None and current.domain_id != product.domain_id:
        _require_curator(actor, current.domain, "move data products into it")
    _check(current, upstream, errors)
    if errors:
        raise InvalidInput(errors)
    if not changed:
        return current  # nothing changed: no save (updated_at stays), no event
    current.save()
    if upstream is not None:
        current.upstream.set(upstream)
    after = snapshot(current)
    if after != before:
        audit.record(actor=actor, action="update", obj=current, before=before, after=after)
    return current


@transaction.atomic
def retire_data_product(*, actor: audit.Actor, product: DataProduct, reason: str) -> DataProduct:
    """Mark a product retired; its links stay, and fail data readiness until replaced."""
    current = DataProduct.objects.select_for_update().select_related("domain").get(pk=product.pk)
    _require_curator(actor, current.domain, "retire its data products")
    if not reason.strip():
        raise InvalidInput({"reason": "say why the data product is retired"})
    if current.access_status == AccessStatus.RETIRED:
        raise InvalidInput({"access_status": "the data product is already retired"})
    before = snapshot(current)
    current.access_status = AccessStatus.RETIRED
    current.save(update_fields=["access_status", "updated_at"])
    audit.record(
        actor=actor,
        action="retire",
        obj=current,
        before=before,
        after=snapshot(current),
        message=reason.strip(),
    )
    return current


@transaction.atomic
def record_quality(
    *, actor: audit.Actor, product: DataProduct, score: int, checked_on: dt.date | None = None
) -> DataProduct:
    """Store a quality check; a drop below the floor notifies the consuming use cases once.

    A drop is a score below the floor when the previous score was not (or there was
    none); a further low score is no new drop. A check older than the stored one is
    refused, so a late import cannot overwrite a newer result.
    """
    current = DataProduct.objects.select_for_update().select_related("domain").get(pk=product.pk)
    _require_curator(actor, current.domain, "record quality checks")
    checked_on = checked_on or timezone.localdate()
    errors: dict[str, str] = {}
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        errors["score"] = "a whole number from 0 to 100"
    if not isinstance(checked_on, dt.date) or isinstance(checked_on, dt.datetime):
        errors["checked_on"] = "expected a date (YYYY-MM-DD)"
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "cannot be in the future"
    elif current.quality_checked_on and checked_on < current.quality_checked_on:
        errors["checked_on"] = f"a newer check from {current.quality_checked_on} is stored"
    if errors:
        raise InvalidInput(errors)
    before = snapshot(current)
    floor = alerts.quality_floor()
    was_below = current.quality_score is not None and current.quality_score < floor
    current.quality_score, current.quality_checked_on = score, checked_on
    current.save(update_fields=["quality_score", "quality_checked_on", "updated_at"])
    audit.record(actor=actor, action="quality", obj=current, before=before, after=snapshot(current))
    if score < floor and not was_below:
        alerts.notify_quality_drop(actor=actor, product=current, floor=floor)
    return current


def _require_editor(actor: audit.Actor, use_case: UseCase) -> None:
    if actor is not None and not uc_permissions.can_edit(actor, use_case):
        raise PermissionDenied("only those who may edit the use case change its data products")


@transaction.atomic
def link_use_case(
    *, actor: audit.Actor, use_case: UseCase, product: DataProduct, purpose: str = ""
) -> UseCaseDataProduct:
    """Record that `use_case` consumes `product`, and what for."""
    _require_editor(actor, use_case)
    errors: dict[str, str] = {}
    if product.access_status == AccessStatus.RETIRED:
        errors["data_product"] = f"“{product.name}” is retired"
    elif UseCaseDataProduct.objects.filter(use_case=use_case, data_product=product).exists():
        errors["data_product"] = f"“{product.name}” is already linked"
    purpose = purpose.strip()
    if len(purpose) > MAX_PURPOSE:
        errors["purpose"] = f"at most {MAX_PURPOSE} characters"
    if errors:
        raise InvalidInput(errors)
    link = UseCaseDataProduct.objects.create(
        use_case=use_case, data_product=product, purpose=purpose
    )
    after = {"data_product": _ref(product), "purpose": purpose}
    audit.record(actor=actor, action="link_data", obj=use_case, after=after)
    return link


@transaction.atomic
def unlink_use_case(*, actor: audit.Actor, use_case: UseCase, product: DataProduct) -> None:
    """Remove the link between `use_case` and `product`."""
    _require_editor(actor, use_case)
    link = UseCaseDataProduct.objects.filter(use_case=use_case, data_product=product).first()
    if link is None:
        raise InvalidInput({"data_product": f"“{product.name}” is not linked"})
    before = {"data_product": _ref(product), "purpose": link.purpose}
    link.delete()
    audit.record(actor=actor, action="unlink_data", obj=use_case, before=before)
