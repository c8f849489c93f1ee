"""Small display helpers for templates."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """An audit snapshot value as a person reads it: references by name, flags as yes/no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


@register.filter
def field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


@register.filter
def person_name(user: Any) -> str:
    if user is None:
        return "—"
    return str(user.get_full_name() or user.username)


@register.filter
def indent(depth: int) -> str:
    """Tree indentation for a select option or a list row."""
    return "— " * int(depth or 0)


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def partial_date(day: Any, precision: str = "day") -> str:
    """A date at the precision it is known to (`{{ day|partial_date:precision }}`)."""
    from aiom.core.partial_dates import shown

    return shown(day, precision or "day")
