"""Input that points at a row: an instance, a primary key, or nothing."""

from typing import Any

from django.db import models


def resolve(model: type[models.Model], field: str, value: Any, errors: dict[str, str]) -> Any:
    """The `model` row `value` names (instance or id), None for blank; a bad id adds an error.

    Services take instances (forms) or ids (API, importers), so both share one message.
    """
    if value is None or value == "" or isinstance(value, model):
        return value or None
    try:
        return model._default_manager.get(pk=int(value))
    except (TypeError, ValueError):
        errors[field] = f"expected the id of a {model._meta.verbose_name}, got {value!r}"
    except model.DoesNotExist:  # type: ignore[attr-defined]
        errors[field] = f"no {model._meta.verbose_name} with id {value}"
    return None
