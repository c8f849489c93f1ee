"""Text aiom accepts: no control characters but tab, newline and carriage return, no lone
surrogates.

Such characters cannot be typed, are invisible on every page, break exports (XLSX refuses
them), and some cannot be stored at all (PostgreSQL refuses NUL, UTF-8 a lone surrogate).
They are refused once, centrally, for every text of every model: a `pre_save` check
(`refuse_bad_text`, connected in `CoreConfig.ready`) raises `InvalidInput` naming the field
before any row is written, so a service's caller gets a 4xx or a form error, never a 5xx.
Requests are checked before a view runs by `aiom.core.refusals.BadInputMiddleware`.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models

from aiom.core.errors import InvalidInput

# C0 controls except \t \n \r, and the UTF-16 surrogate range (lone halves in a str).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

type Location = tuple[str | int, ...]


def problem(value: str) -> str | None:
    """Why `value` is refused, or None when it is fine."""
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    code = ord(found.group())
    what = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return (
        f"contains {what} (U+{code:04X}) at position {found.start() + 1}; "
        "only tab, line breaks and printable characters are accepted"
    )


def problems_in(data: Any, where: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every refused text in a JSON-like value (keys included), with where it is, in
    document order. Iterative: a body nested as deep as a parser allows costs no recursion."""
    stack: list[tuple[Location, Any]] = [(where, data)]
    while stack:
        place, value = stack.pop()
        if isinstance(value, str):
            if found := problem(value):
                yield place, found
        elif isinstance(value, dict):
            items = list(value.items())
            for key, _ in items:
                if isinstance(key, str) and (found := problem(key)):
                    yield (*place, key), f"a key that {found}"
            stack.extend(((*place, k), v) for k, v in reversed(items))
        elif isinstance(value, list | tuple):
            stack.extend(((*place, i), v) for i, v in reversed(list(enumerate(value))))


def dotted(where: Location) -> str:
    """`targets[0].metric` for ("targets", 0, "metric")."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check(field: str, value: Any) -> None:
    """Raise InvalidInput naming `field` (and the place inside it) for refused text."""
    for where, message in problems_in(value, (field,)):
        raise InvalidInput({dotted(where): message})


def check_instance(instance: models.Model, only: Iterable[str] | None = None) -> None:
    """Every text (char, text, JSON) field of a row about to be saved (or those in `only`,
    a save's update_fields: the rest is not written)."""
    errors: dict[str, str] = {}
    chosen = None if only is None else set(only)
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField | models.JSONField):
            continue
        if chosen is not None and field.name not in chosen and field.attname not in chosen:
            continue
        value = getattr(instance, field.attname, None)
        for where, message in problems_in(value, (field.name,)):
            errors.setdefault(dotted(where), message)
    if errors:
        raise InvalidInput(errors)


def refuse_bad_text(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """The pre_save receiver. Raw saves (fixtures, restoring a backup) keep what they load."""
    if not kwargs.get("raw"):
        check_instance(instance, kwargs.get("update_fields"))
