"""Recording training: one record by hand (admins or the person's unit lead), audited.

The CSV import lives in `imports.py` and shares `validate` and `may_record` with this
module, so a record is refused for the same reasons whichever way it arrives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.literacy.models import Level, Source, TrainingRecord
from aiom.organisation.access import access_for
from aiom.organisation.models import Person

MAX_TEXT = 200


def may_record(actor: audit.Actor, person: User) -> bool:
    """Admins (and the system, actor None) for anyone; a unit lead for people in their subtree.

    The lead check uses the person's home unit only; a person without one needs an admin.
    """
    if actor is None:
        return True
    access = access_for(actor)
    if access.is_admin:
        return True
    if not access.is_internal:
        return False
    path = Person.objects.filter(user_id=person.pk).values_list("org_unit__path", flat=True).first()
    return bool(path) and access.leads_or_above(str(path))


def validate(
    *,
    course: str,
    provider: str,
    level: str,
    completed_on: dt.date,
    expires_on: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """Field → problem for a record's values (empty when they are fine)."""
    errors: dict[str, str] = {}
    if not course.strip():
        errors["course"] = "required"
    elif len(course) > MAX_TEXT:
        errors["course"] = f"at most {MAX_TEXT} characters"
    if len(provider) > MAX_TEXT:
        errors["provider"] = f"at most {MAX_TEXT} characters"
    if level not in Level.values:
        errors["level"] = f"'{level[:40]}' is not one of {', '.join(Level.values)}"
    if completed_on > today:
        errors["completed_on"] = "is in the future"
    if expires_on is not None and expires_on <= completed_on:
        errors["expires_on"] = "must be after completed_on"
    return errors


@transaction.atomic
def record_training(
    *,
    actor: audit.Actor,
    person: User,
    course: str,
    provider: str,
    level: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    source: str = Source.MANUAL,
) -> TrainingRecord:
    """Store one completed course for `person`; refuses bad values and unauthorised actors.

    `source` is for the system's own writers (the demo); pages and the API leave it manual.
    """
    if not may_record(actor, person):
        raise PermissionDenied("only an administrator or the person's unit lead records training")
    course, provider = course.strip(), provider.strip()
    errors = validate(
        course=course,
        provider=provider,
        level=level,
        completed_on=completed_on,
        expires_on=expires_on,
        today=timezone.localdate(),
    )
    if errors:
        raise InvalidInput(errors)
    by = actor if actor is not None and actor.is_authenticated else None
    record = TrainingRecord(
        person=person,
        course=course,
        provider=provider,
        level=level,
        completed_on=completed_on,
        expires_on=expires_on,
        source=source if source in Source.values else Source.MANUAL,
        recorded_by=by,
    )
    record.save(force_insert=True)
    after: dict[str, Any] = record.snapshot()
    audit.record(actor=actor, action="training.record", obj=record, after=after)
    return record
