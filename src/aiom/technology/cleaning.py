"""Parsing and normalising registry fields for the services (no writes).

Each kind (vendor, model, platform) names its fields and one parser per field; a parser
returns the clean value and adds a message to `errors` when the input is bad. Forms
pass instances and dates, the API ids and ISO strings: both are accepted.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from aiom.core.references import resolve
from aiom.organisation.models import OrgUnit
from aiom.technology.models import AIModel, ModelStatus, ModelType, Platform, RunsWhere, Vendor

User = get_user_model()
Parser = Callable[[str, Any, dict[str, str]], Any]
MAX_ENVIRONMENTS, MAX_ENVIRONMENT_CHARS = 12, 40


def text(limit: int, *, required: bool = False) -> Parser:
    def parse(field: str, value: Any, errors: dict[str, str]) -> str:
        out = "" if value is None else str(value).strip()
        if required and not out:
            errors[field] = "required"
        elif len(out) > limit:
            errors[field] = f"at most {limit} characters"
        return out

    return parse


def choice(options: type[models.TextChoices], *, blank: bool = False) -> Parser:
    def parse(field: str, value: Any, errors: dict[str, str]) -> str:
        out = str(value or "")
        if (out or not blank) and out not in options.values:
            errors[field] = f"'{value}' is not one of {', '.join(options.values)}"
        return out

    return parse


def date(field: str, value: Any, errors: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = "expected a date (YYYY-MM-DD)"
        return None


def boolean(field: str, value: Any, errors: dict[str, str]) -> bool:
    if not isinstance(value, bool):
        errors[field] = "expected true or false"
    return bool(value)


def url(field: str, value: Any, errors: dict[str, str]) -> str:
    out: str = text(200)(field, value, errors)
    if out and field not in errors:
        try:
            URLValidator(schemes=["http", "https"])(out)
        except ValidationError:
            errors[field] = "expected a web address starting with https:// or http://"
    return out


def person(field: str, value: Any, errors: dict[str, str]) -> Any:
    found = resolve(User, field, value, errors)
    if found is not None and not found.is_active:
        errors[field] = f"{found.get_username()} is not an active user"
    return found


def people(field: str, value: Any, errors: dict[str, str]) -> list[Any]:
    found = [person(field, item, errors) for item in value or ()]
    return list(dict.fromkeys(u for u in found if u is not None))


def reference(model: type[models.Model]) -> Parser:
    def parse(field: str, value: Any, errors: dict[str, str]) -> Any:
        return resolve(model, field, value, errors)

    return parse


def environments(field: str, value: Any, errors: dict[str, str]) -> list[str]:
    items = value.replace("\n", ",").split(",") if isinstance(value, str) else (value or ())
    out = list(dict.fromkeys(str(e).strip().lower() for e in items if str(e).strip()))
    if len(out) > MAX_ENVIRONMENTS or any(len(e) > MAX_ENVIRONMENT_CHARS for e in out):
        errors[field] = (
            f"at most {MAX_ENVIRONMENTS} environments of at most {MAX_ENVIRONMENT_CHARS} characters"
        )
    return out


LONG = 10_000
FIELDS: dict[type[models.Model], dict[str, Parser]] = {
    Vendor: {
        "name": text(120, required=True),
        "website": url,
        "contract_owner": person,
        "contract_start": date,
        "contract_end": date,
        "data_processing_terms": text(LONG),
        "dpa_signed": boolean,
        "risk_notes": text(LONG),
    },
    AIModel: {
        "name": text(120, required=True),
        "version": text(60),
        "vendor": reference(Vendor),
        "model_type": choice(ModelType),
        "licence": text(120),
        "intended_use": text(LONG),
        "known_limitations": text(LONG),
        "evaluation_summary": text(LONG),
        "evaluated_on": date,
        "runs_where": choice(RunsWhere, blank=True),
        "owners": people,
        "status": choice(ModelStatus),
    },
    Platform: {
        "name": text(120, required=True),
        "description": text(LONG),
        "owner": person,
        "org_unit": reference(OrgUnit),
        "vendor": reference(Vendor),
        "environments": environments,
    },
}


def clean(
    kind: type[models.Model], values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """Check and normalise each given field of `kind`; a message per bad field in `errors`."""
    parsers = FIELDS[kind]
    for field in sorted(set(values) - set(parsers)):
        errors[field] = "not a field that can be set"
    return {f: parsers[f](f, v, errors) for f, v in values.items() if f in parsers}
