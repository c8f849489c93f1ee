"""The widgets every aiom form uses for dates, date-times and multi-line text.

A browser keeps the value of `<input type="date">` only when it is an ISO date
(`2026-12-01`); anything else (`01/12/2026`, the en-GB input format Django would pick)
is silently discarded, so saving an unchanged form deleted the date. These widgets
render ISO whatever the locale. And a browser submits a textarea's line breaks as CRLF
(the HTML form encoding) while it shows and stores LF, so saving an unchanged text
changed it; `Textarea` reads line breaks back as LF. `tests/core/test_form_widgets.py`
fails if any form of any app renders a date or date-time input another way, or uses
another textarea.
"""

import datetime as dt
from typing import Any

from django import forms

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


def date_field(**kwargs: Any) -> forms.DateField:
    """A date field rendered by the one date widget."""
    return forms.DateField(widget=DateInput(), **kwargs)


def datetime_field(**kwargs: Any) -> forms.DateTimeField:
    """A date-time field rendered by the one date-time widget."""
    return forms.DateTimeField(widget=DateTimeInput(), **kwargs)
