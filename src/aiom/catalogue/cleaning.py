"""Parsing and normalising data-product fields for the services (no writes).

Tags are stored lower case and comma-joined so one `icontains` searches them; a tag
therefore cannot contain a comma (it would split into two).
"""

from typing import Any

from django.contrib.auth import get_user_model

from aiom.catalogue.models import AccessStatus, Classification, DataProduct
from aiom.core.references import resolve
from aiom.organisation.models import OrgUnit

User = get_user_model()

TEXT_LIMITS = {"name": 200, "description": 10_000}
MAX_SOURCES, MAX_SOURCE_CHARS, MAX_TAG_CHARS, TAGS_CHARS = 50, 200, 50, 500
EDITABLE = frozenset(
    {
        *TEXT_LIMITS,
        "domain",
        "steward",
        "classification",
        "personal_data",
        "access_status",
        "upstream",
        "external_sources",
        "tags",
    }
)


def _tags(value: Any, errors: dict[str, str]) -> str:
    items = value.split(",") if isinstance(value, str) else (value or ())
    tags = list(dict.fromkeys(str(t).strip().lower() for t in items if str(t).strip()))
    if any("," in t for t in tags):
        errors["tags"] = "a tag cannot contain a comma"
    if any(len(t) > MAX_TAG_CHARS for t in tags):
        errors["tags"] = f"each tag at most {MAX_TAG_CHARS} characters"
    joined = ",".join(tags)
    if len(joined) > TAGS_CHARS:
        errors["tags"] = f"at most {TAGS_CHARS} characters of tags in all"
    return joined


def _sources(value: Any, errors: dict[str, str]) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else (value or ())
    sources = list(dict.fromkeys(str(s).strip() for s in lines if str(s).strip()))
    if len(sources) > MAX_SOURCES or any(len(s) > MAX_SOURCE_CHARS for s in sources):
        errors["external_sources"] = (
            f"at most {MAX_SOURCES} sources of at most {MAX_SOURCE_CHARS} characters each"
        )
    return sources


def _upstream(value: Any, errors: dict[str, str]) -> list[DataProduct]:
    out: list[DataProduct] = []
    for item in value or ():
        found = resolve(DataProduct, "upstream", item, errors)
        if found is not None:
            out.append(found)
    return list(dict.fromkeys(out))


def clean(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Check and normalise each given field; add a message per bad field to `errors`."""
    out: dict[str, Any] = {}
    for field in sorted(set(values) - EDITABLE):
        errors[field] = "not a field that can be set"
    for field, value in values.items():
        if field in TEXT_LIMITS:
            out[field] = "" if value is None else str(value).strip()
            if len(out[field]) > TEXT_LIMITS[field]:
                errors[field] = f"at most {TEXT_LIMITS[field]} characters"
        elif field == "classification":
            out[field] = value or ""
            if out[field] and out[field] not in Classification.values:
                errors[field] = f"'{value}' is not one of {', '.join(Classification.values)}"
        elif field == "access_status":
            out[field] = value
            if value not in AccessStatus.values:
                errors[field] = f"'{value}' is not one of {', '.join(AccessStatus.values)}"
        elif field == "personal_data":
            out[field] = value
            if not isinstance(value, bool):
                errors[field] = "expected true or false"
        elif field == "domain":
            out[field] = resolve(OrgUnit, field, value, errors)
        elif field == "steward":
            out[field] = resolve(User, field, value, errors)
        elif field == "upstream":
            out[field] = _upstream(value, errors)
        elif field == "external_sources":
            out[field] = _sources(value, errors)
        elif field == "tags":
            out[field] = _tags(value, errors)
    return out
