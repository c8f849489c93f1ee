"""The widgets every aiom form uses for dates, date-times and multi-line text.

A browser keeps the value of `<input type="date">` only when it is an ISO date
(`2026-12-01`); anything else (`01/12/2026`, the en-GB input format Django would pick)
is silently discarded, so saving an unchanged form deleted the date. These widgets
render ISO whatever the locale. And a browser submits a textarea's line breaks as CRLF
(the HTML form encoding) while it shows and stores LF, so saving an unchanged text
changed it; `Textarea` reads line breaks back as LF. A select cannot keep a value missing
from its options (a retired theme, a deactivated person); `KeepsCurrentChoices` offers
the value a form starts from. `tests/core/test_form_widgets.py` fails if any form of any
app renders a date or date-time input another way, uses another textarea, or has choices
without the mixin.
"""

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q

from aiom.core.ids import parse_id

ISO_DATE = "%Y-%m-%d"


def lines(text: str) -> str:
    """`text` with its line breaks as LF, as a browser shows them (it submits CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Textarea(forms.Textarea):
    """A textarea whose submitted line breaks are read back as LF."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return lines(value) if isinstance(value, str) else value


class DateInput(forms.DateInput):
    """`<input type="date">` with an ISO value."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` with an ISO value (`2026-12-01T09:30`), keeping the
    seconds and milliseconds a stored time has; `step="any"` so the browser accepts them."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"step": "any", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            if value.microsecond:
                return value.isoformat(timespec="milliseconds")[:23]
            return value.isoformat(timespec="seconds" if value.second else "minutes")[:19]
        return super().format_value(value)


def _keys(value: Any) -> list[Any]:
    values = value if isinstance(value, list | tuple | set) else [value]
    return [v.pk if isinstance(v, models.Model) else v for v in values if v not in (None, "")]


def keep_current(field: forms.Field, current: Any) -> None:
    """Let `field` offer `current` (a value, row or primary key, or a list of them) even when
    its choices leave it out: a retired theme, a deactivated person, a status no longer
    offered. A browser cannot keep a value that is not among the options; it selects
    another, so saving the form unchanged would silently replace it."""
    keys = _keys(current)
    if not keys:
        return
    if isinstance(field, forms.ModelChoiceField):
        offered: Any = field.queryset
        if isinstance(offered.model._meta.pk, models.AutoField | models.BigAutoField):
            keys = [k for k in (parse_id(str(k)) for k in keys) if k is not None]
            if not keys:
                return  # not a stored row's key (typed into a URL): nothing to keep
        present = {str(k) for k in offered.filter(pk__in=keys).values_list("pk", flat=True)}
        missing = [k for k in keys if str(k) not in present]
        if missing:
            model = offered.model
            ordering = offered.query.order_by or model._meta.ordering
            wider = Q(pk__in=offered.values("pk")) | Q(pk__in=missing)
            field.queryset = model._default_manager.filter(wider).order_by(*ordering)
    elif isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        known = {str(k) for k, _ in _flat(choices)}
        extra = [(k, str(k).replace("_", " ").capitalize()) for k in keys if str(k) not in known]
        if extra:
            field.choices = [*choices, *extra]


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            out.extend(_flat(label))
        else:
            out.append((key, label))
    return out


class KeepsCurrentChoices:
    """A form mixin: every choice field also offers the value the form starts from (its
    `initial`, or a model form's instance), so an unchanged save keeps it.

    `initial` must come from the stored object, never from the request: it widens what
    the form accepts (a form that narrows its choices in its own `__init__`, after this
    one ran, keeps its narrowing; services still validate every value)."""

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                keep_current(field, self.initial.get(name, field.initial))
