"""Checks shared by the value services and the CSV import: numbers, dates, who may write.

Kept apart from services.py so the import (all-or-nothing over many rows) reuses exactly
the messages one measurement gets.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import PermissionDenied
from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI, Measurement

MAX_VALUE = Decimal("999999999999.9999")


def decimal_or_error(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    """A finite decimal within the column's range; None (and a message) otherwise."""
    if isinstance(value, bool):
        errors[field] = "expected a number"
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = f"'{value}' is not a number"
        return None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        errors[field] = "a finite number below one trillion"
        return None
    return number.quantize(Decimal("0.0001"))


def past_date_or_error(value: Any, field: str, errors: dict[str, str]) -> dt.date | None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = "expected a date (YYYY-MM-DD)"
        return None
    if value > timezone.localdate():
        errors[field] = "cannot be in the future"
        return None
    return value


def require_edit(actor: audit.Actor, use_case: UseCase, what: str) -> None:
    if actor is not None and not permissions.can_edit(actor, use_case):
        raise PermissionDenied(f"only the owner, sponsor, unit lead or an administrator may {what}")


def may_record(actor: audit.Actor, kpi: KPI) -> bool:
    """The system, whoever may edit the use case, or the KPI's (internal) owner."""
    if actor is None or permissions.can_edit(actor, kpi.use_case):
        return True
    return kpi.owner_id is not None and kpi.owner_id == actor.pk and access_for(actor).is_internal


def can_score(actor: Any, use_case: UseCase) -> bool:
    """Administrators, AI experts (global or for the unit) and leads of the unit or above."""
    access = access_for(actor)
    if not access.is_internal:
        return False
    path = use_case.org_unit.path
    return access.is_admin or access.has_role(Role.AI_EXPERT, path) or access.leads_or_above(path)


def measurement_snapshot(m: Measurement) -> dict[str, Any]:
    data = {"kpi": m.kpi_id, "value": m.value, "measured_on": m.measured_on}
    data.update(source=m.source, note=m.note)
    return audit.jsonable(data)  # type: ignore[no-any-return]


def clean_measurement(
    value: Any, measured_on: Any, source: Any, note: Any, errors: dict[str, str], prefix: str = ""
) -> dict[str, Any]:
    """The checks shared by one measurement and each row of an import."""
    source, note = str(source or "").strip(), str(note or "").strip()
    if len(source) > 120:
        errors[f"{prefix}source"] = "at most 120 characters"
    if len(note) > 2000:
        errors[f"{prefix}note"] = "at most 2000 characters"
    return {
        "value": decimal_or_error(value, f"{prefix}value", errors),
        "measured_on": past_date_or_error(measured_on, f"{prefix}measured_on", errors),
        "source": source,
        "note": note,
    }
