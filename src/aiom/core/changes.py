"""What an edit would change: so a save that changes nothing writes nothing.

A form saved unchanged must leave the row, its version and `updated_at`, and the audit
trail as they were (no event, not even one with an empty diff). Services ask
`changed_fields(row, values)` before assigning, and skip the save and the event when it
is empty.
"""

from collections.abc import Mapping
from typing import Any

from django.db import models


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def changed_fields(row: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The names in `values` whose value differs from what `row` holds now.

    A relation compares by primary key (instances or ids alike), a many-to-many as a set of
    keys; line endings do not count as a change (browsers send CRLF, the API LF)."""
    out = []
    for name, value in values.items():
        field = row._meta.get_field(name)
        if field.many_to_many:
            held = set(getattr(row, name).values_list("pk", flat=True)) if row.pk else set()
            if held != {_pk(v) for v in (value or [])}:
                out.append(name)
        elif field.is_relation:
            if getattr(row, getattr(field, "attname", name)) != _pk(value):
                out.append(name)
        elif _normal(getattr(row, name)) != _normal(value):
            out.append(name)
    return out
