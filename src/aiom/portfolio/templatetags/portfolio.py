"""Portfolio words in templates: `{% load portfolio %}`."""

from django import template

from aiom.portfolio.vocabulary import STAGE_LABELS

register = template.Library()


@register.filter
def stage_label(key: str) -> str:
    """A stage key as people read it (`{{ row.stage|stage_label }}`)."""
    return STAGE_LABELS.get(key, key)
