"""A database constraint that refused a write, as the input it refused.

Services check what they can (a theme's name is free, ...), but two requests can race past
any check, and not every service checks every constraint. Whatever unique or check
constraint a write hits ends here: `as_invalid_input` names the model and field from the
database's own message (SQLite and PostgreSQL), so the API and the pages answer a 4xx naming
the field instead of a 5xx. Other integrity errors (a missing foreign key, a NULL) are bugs
and stay errors.
"""

import functools
import re
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models

from aiom.core.errors import InvalidInput

_SQLITE = re.compile(r"^(UNIQUE|CHECK) constraint failed: (.+)$")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.cache
def _registry() -> tuple[dict[str, tuple[type[models.Model], tuple[str, ...]]], dict[str, Any]]:
    """Constraint name -> (model, field names); db table -> model."""
    by_name: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {}
    by_table: dict[str, Any] = {}
    for model in apps.get_models():
        by_table[model._meta.db_table] = model
        for constraint in model._meta.constraints:
            fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()) or ())
            if not fields:
                expressions = getattr(constraint, "expressions", ()) or ()
                fields = tuple(_names_in(expressions))
            if not fields and isinstance(constraint, models.CheckConstraint):
                fields = tuple(_names_in([constraint.condition]))
            by_name[constraint.name] = (model, fields)
    return by_name, by_table


def _names_in(nodes: Any) -> list[str]:
    """The field names an expression or Q refers to, in order."""
    found: list[str] = []
    for node in nodes:
        if isinstance(node, models.F):
            found.append(str(getattr(node, "name", "")))
        elif isinstance(node, tuple) and node and isinstance(node[0], str):  # a Q child
            found.append(node[0].split("__")[0])
        elif isinstance(node, models.Q):
            found.extend(_names_in(node.children))
        elif hasattr(node, "get_source_expressions"):
            found.extend(_names_in(node.get_source_expressions()))
    return list(dict.fromkeys(found))


def _field_names(model: type[models.Model], columns: list[str]) -> tuple[str, ...]:
    by_column = {f.column: f.name for f in model._meta.concrete_fields}
    return tuple(by_column[c] for c in columns if c in by_column)


def _what(exc: IntegrityError) -> tuple[str, type[models.Model] | None, tuple[str, ...]] | None:
    """("unique"|"check", model, field names) of a constraint violation, else None."""
    by_name, by_table = _registry()
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg): the SQLSTATE tells the kind
        kind = {"23505": "unique", "23514": "check"}.get(getattr(exc.__cause__, "sqlstate", ""))
        if kind is None:
            return None
        if diag.constraint_name in by_name:
            return (kind, *by_name[diag.constraint_name])
        model = by_table.get(diag.table_name or "")
        detail = re.search(r"Key \((.*)\)=\(", diag.message_detail or "")
        columns = _IDENTIFIER.findall(detail.group(1)) if detail else []
        return kind, model, _field_names(model, columns) if model else ()
    match = _SQLITE.match(str(exc))
    if match is None:
        return None
    kind, rest = match.group(1).lower(), match.group(2)
    index = re.match(r"^index '(.+)'$", rest)
    if index or kind == "check":
        name = index.group(1) if index else rest
        model, fields = by_name.get(name, (None, ()))
        return kind, model, fields
    pairs = [c.strip().split(".", 1) for c in rest.split(",")]
    model = by_table.get(pairs[0][0])
    return kind, model, _field_names(model, [p[-1] for p in pairs]) if model else ()


def _noun(model: type[models.Model]) -> str:
    """The model's name for a sentence: "use case", "KPI" (an acronym stays one)."""
    name = model._meta.object_name or ""
    return name if name.isupper() else str(model._meta.verbose_name)


def as_invalid_input(exc: IntegrityError) -> InvalidInput | None:
    """The refusal to answer for a constraint violation, or None for any other error."""
    what = _what(exc)
    if what is None:
        return None
    kind, model, fields = what
    noun = _noun(model) if model else "record"
    field = fields[-1] if fields else "__all__"
    if kind == "unique":
        also = f" for this {' and '.join(f.replace('_', ' ') for f in fields[:-1])}"
        scope = also if len(fields) > 1 else ""
        message = f"another {noun} already has this {field.replace('_', ' ')}{scope}"
    else:
        message = f"the value breaks a rule of {noun}"
    return InvalidInput({field: message})
