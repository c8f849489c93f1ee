"""Training records from a CSV file as HR systems export them: all rows stored or none.

Header `username_or_email,course,provider,level,completed_on[,expires_on]` (any order,
case-insensitive). Size (AIOM_TABLE_UPLOAD_MAX_BYTES), encoding and CSV records follow
`core.tabular`'s one rule. Dates are YYYY-MM-DD; a cell that looks like a formula (`=`,
`+`, `-`, `@`) is refused. Errors are keyed `line N: column` (N is the line the row
began on; line 1 is the header). Rows identical to a stored record (person, course,
level, completed_on) are skipped, so re-importing the same export is harmless.
Administrators only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from aiom.core import audit, tabular
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.literacy.models import Source, TrainingRecord
from aiom.literacy.services import validate
from aiom.organisation.access import access_for

REQUIRED = ("username_or_email", "course", "provider", "level", "completed_on")
OPTIONAL = ("expires_on",)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_REPORTED = 50


@dataclass(frozen=True)
class ImportReport:
    created: int
    skipped: int
    people: int


def parse_date(cell: str) -> tuple[dt.date | None, str]:
    """(date, "") or (None, why)."""
    if tabular.looks_like_formula(cell):
        return None, f"'{cell[:40]}' looks like a formula; only dates (YYYY-MM-DD) are read"
    try:
        if ISO_DATE.match(cell):
            return dt.date.fromisoformat(cell), ""
    except ValueError:
        pass
    return None, f"'{cell[:40]}' is not a date (YYYY-MM-DD)"


def _people(keys: set[str]) -> dict[str, list[User]]:
    found: dict[str, list[User]] = {}
    users = User.objects.annotate(u=Lower("username"), e=Lower("email")).filter(is_active=True)
    for user in users.filter(u__in=keys) | users.filter(e__in=keys):
        for key in {user.username.lower(), user.email.lower()} & keys:
            found.setdefault(key, []).append(user)
    return found


Rows = list[tuple[int, dict[str, str]]]  # (the line a row began on, its cells by column)


def _rows(records: tabular.Records) -> tuple[Rows, dict[str, str]]:
    header = [h.strip().lower() for h in records[0][1]] if records else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], {"line 1: header": f"missing column(s) {', '.join(missing)}"}
    rows = [
        (line, {h: c.strip() for h, c in zip(header, cells, strict=False) if h})
        for line, cells in records[1:]
    ]
    return rows, {}


def _check(rows: Rows, today: dt.date) -> tuple[list[tuple[User, dict[str, Any]]], dict[str, str]]:
    errors: dict[str, str] = {}
    people = _people({r.get("username_or_email", "").lower() for _, r in rows} - {""})
    good: list[tuple[User, dict[str, Any]]] = []
    for n, row in rows:
        problems: dict[str, str] = {}
        key = row.get("username_or_email", "").lower()
        matches = people.get(key, [])
        if not key:
            problems["username_or_email"] = "required"
        elif len(matches) != 1:
            why = "matches more than one person" if matches else "is no active person"
            problems["username_or_email"] = f"'{key[:60]}' {why}"
        completed, why = parse_date(row.get("completed_on", ""))
        if completed is None:
            problems["completed_on"] = why
        expires = None
        if row.get("expires_on"):
            expires, why = parse_date(row["expires_on"])
            if expires is None:
                problems["expires_on"] = why
        values: dict[str, Any] = {
            "course": row.get("course", ""),
            "provider": row.get("provider", ""),
            "level": row.get("level", "").lower(),
            "completed_on": completed,
            "expires_on": expires,
        }
        checked = validate(**(values | {"completed_on": completed or today}), today=today)
        for col, msg in checked.items():
            if completed is not None or col != "expires_on":
                problems.setdefault(col, msg)
        for col, msg in problems.items():
            errors[f"line {n}: {col}"] = msg
        if not problems:
            good.append((matches[0], values))
    return good, errors


@transaction.atomic
def import_training_csv(*, actor: audit.Actor, file: IO[bytes] | Any) -> ImportReport:
    """Check every row, then store them all with one audit event each; any error stores none."""
    if actor is not None and not access_for(actor).is_admin:
        raise PermissionDenied("only an administrator imports training records")
    rows, errors = _rows(tabular.uploaded_records(file))
    if not errors and not rows:
        errors = {"file": "no rows below the header"}
    good, row_errors = _check(rows, timezone.localdate()) if rows else ([], {})
    errors |= row_errors
    if errors:
        shown = dict(list(errors.items())[:MAX_REPORTED])
        if len(errors) > MAX_REPORTED:
            shown["file"] = f"{len(errors) - MAX_REPORTED} more problem(s) not shown"
        raise InvalidInput(shown)
    existing = set(
        TrainingRecord.objects.filter(person__in={u.pk for u, _ in good}).values_list(
            "person_id", "course", "level", "completed_on"
        )
    )
    by = actor if actor is not None and actor.is_authenticated else None
    new: list[TrainingRecord] = []
    for user, values in good:
        key = (user.pk, values["course"], values["level"], values["completed_on"])
        if key in existing:
            continue
        existing.add(key)
        new.append(TrainingRecord(person=user, source=Source.CSV, recorded_by=by, **values))
    created = TrainingRecord.objects.bulk_create(new)
    audit.record_many(
        actor=actor,
        entries=[audit.Entry("training.import", r, after=r.snapshot()) for r in created],
    )
    return ImportReport(
        created=len(created),
        skipped=len(good) - len(created),
        people=len({r.person_id for r in created}),
    )
