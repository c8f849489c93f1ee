"""A use case as the API shows it (`UseCaseOut`), read as typed columns in one query.

The columns come from the database already typed (dates, decimals, booleans, the source
attributes' JSON), so the rows are written without validating them again
(`core.typed_responses`). The keys follow `UseCaseOut`'s fields in order, every field of
the schema is either one of its references below or the model's column of the same name,
so a field added to the schema is read here too (or fails loudly if no column holds it).
tests/portfolio/test_api_rows.py proves the JSON equals the validated path's.
"""

from typing import Any

from django.db.models import QuerySet

from aiom.portfolio.models import UseCase
from aiom.portfolio.schemas import UseCaseOut

PEOPLE = ("owner", "sponsor")  # PersonRef: id, username, full name or username
NAMED = ("org_unit", "theme")  # Ref: id, name (their __str__)
FIELDS = tuple(UseCaseOut.model_fields)
PLAIN = tuple(f for f in FIELDS if f not in PEOPLE and f not in NAMED)
COLUMNS = (
    *PLAIN,
    *(c for ref in NAMED for c in (f"{ref}_id", f"{ref}__name")),
    *(f"{p}{c}" for p in PEOPLE for c in ("_id", "__username", "__first_name", "__last_name")),
)


def _ref(row: dict[str, Any], ref: str) -> dict[str, Any] | None:
    pk = row[f"{ref}_id"]
    return None if pk is None else {"id": pk, "name": row[f"{ref}__name"]}


def _person(row: dict[str, Any], person: str) -> dict[str, Any] | None:
    pk = row[f"{person}_id"]
    if pk is None:
        return None
    username = row[f"{person}__username"]
    # User.get_full_name(), else the username (schemas.person_ref)
    full = f"{row[f'{person}__first_name']} {row[f'{person}__last_name']}".strip()
    return {"id": pk, "username": username, "name": full or username}


def _out(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FIELDS:
        if name in PEOPLE:
            out[name] = _person(row, name)
        elif name in NAMED:
            out[name] = _ref(row, name)
        else:
            out[name] = row[name]
    return out


def use_case_rows(queryset: QuerySet[UseCase]) -> list[dict[str, Any]]:
    """The use cases of `queryset` (filtered, ordered, sliced) as UseCaseOut dicts."""
    return [_out(row) for row in queryset.values(*COLUMNS)]
