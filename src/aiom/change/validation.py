"""Checking and normalising the values of plans, groups and interventions.

Each `clean_*` takes the fields given (all for a create, some for an edit), adds a
readable message per bad field to `errors`, and returns the normalised values. The
services call them; the form and the API share the same messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from aiom.change.models import Impact, InterventionKind, InterventionStatus, PlanStatus
from aiom.core.references import resolve
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit

User = get_user_model()

MAX_PEOPLE = 10_000_000
TEXTS = {"summary": 5_000, "name": 120, "what_changes": 5_000, "description": 2_000}
PLAN_FIELDS = {"summary", "champion", "go_live_on", "status"}
GROUP_FIELDS = {"name", "size", "org_unit", "what_changes", "impact", "target_users", "target_on"}
INTERVENTION_FIELDS = {"kind", "description", "owner", "due_on", "status"}


def _text(field: str, value: Any, errors: dict[str, str]) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > TEXTS[field]:
        errors[field] = f"at most {TEXTS[field]} characters (got {len(text)})"
    return text


def _date(field: str, value: Any, errors: dict[str, str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            errors[field] = "expected a date (YYYY-MM-DD)"
            return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = "expected a date (YYYY-MM-DD)"
        return None
    return value


def _count(field: str, value: Any, errors: dict[str, str], *, least: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value) if not isinstance(value, bool | float) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not least <= number <= MAX_PEOPLE:
        errors[field] = f"a whole number from {least} to {MAX_PEOPLE:,}"
        return None
    return number


def _person(field: str, value: Any, errors: dict[str, str]) -> Any:
    user = resolve(User, field, value, errors)
    if user is None:
        return None
    if not user.is_active:
        errors[field] = f"{user.get_username()} is not an active user"
    elif access_for(user).is_external:
        errors[field] = "an external partner cannot take this role"
    return user


def _choice(field: str, value: Any, choices: Any, errors: dict[str, str]) -> str:
    text = str(value or "")
    if text not in choices.values:
        errors[field] = f"'{text[:40]}' is not one of {', '.join(choices.values)}"
    return text


def _unknown(values: dict[str, Any], allowed: set[str], errors: dict[str, str]) -> None:
    for field in sorted(set(values) - allowed):
        errors[field] = "not a field that can be set"


def clean_plan(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    _unknown(values, PLAN_FIELDS, errors)
    out: dict[str, Any] = {}
    if "summary" in values:
        out["summary"] = _text("summary", values["summary"], errors)
    if "champion" in values:
        out["champion"] = _person("champion", values["champion"], errors)
    if "go_live_on" in values:
        out["go_live_on"] = _date("go_live_on", values["go_live_on"], errors)
    if "status" in values:
        out["status"] = _choice("status", values["status"], PlanStatus, errors)
    return out


def clean_group(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    _unknown(values, GROUP_FIELDS, errors)
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = _text("name", values["name"], errors)
        if not out["name"]:
            errors.setdefault("name", "a stakeholder group needs a name")
    if "size" in values:
        out["size"] = _count("size", values["size"], errors, least=0) or 0
    if "org_unit" in values:
        out["org_unit"] = resolve(OrgUnit, "org_unit", values["org_unit"], errors)
    if "what_changes" in values:
        out["what_changes"] = _text("what_changes", values["what_changes"], errors)
    if "impact" in values:
        out["impact"] = _choice("impact", values["impact"], Impact, errors)
    if "target_users" in values:
        out["target_users"] = _count("target_users", values["target_users"], errors, least=1)
    if "target_on" in values:
        out["target_on"] = _date("target_on", values["target_on"], errors)
    return out


def clean_intervention(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    _unknown(values, INTERVENTION_FIELDS, errors)
    out: dict[str, Any] = {}
    if "kind" in values:
        out["kind"] = _choice("kind", values["kind"], InterventionKind, errors)
    if "description" in values:
        out["description"] = _text("description", values["description"], errors)
        if not out["description"]:
            errors.setdefault("description", "say what will be done")
    if "owner" in values:
        out["owner"] = _person("owner", values["owner"], errors)
    if "due_on" in values:
        out["due_on"] = _date("due_on", values["due_on"], errors)
    if "status" in values:
        out["status"] = _choice("status", values["status"], InterventionStatus, errors)
    return out
