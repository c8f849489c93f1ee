"""Portfolio words and lists in templates: `{% load portfolio %}`.

The organisation's pages show the use cases of a unit or a person through these tags, so
organisation (below portfolio) never imports it; each list holds only what the viewer
may see.
"""

from typing import Any

from django import template
from django.db.models import Count, QuerySet

from aiom.portfolio import vocabulary
from aiom.portfolio.models import UseCase

register = template.Library()

PERSON_ROLES = ("owner", "sponsor")


@register.filter
def stage_label(key: str) -> str:
    """A stage key as people read it (`{{ row.stage|stage_label }}`)."""
    return vocabulary.stage_label(key)


def _viewer(context: template.Context) -> Any:
    return context["request"].user


@register.simple_tag(takes_context=True)
def units_with_use_case_counts(
    context: template.Context, units: list[Any]
) -> list[tuple[Any, int, int]]:
    """Each unit with the use cases the viewer may see in it, and in it and its sub-units."""
    rows = (
        UseCase.objects.visible_to(_viewer(context))
        .order_by()
        .values_list("org_unit")
        .annotate(n=Count("id"))
    )
    counts: dict[int, int] = dict(rows)
    return [
        (
            unit,
            counts.get(unit.pk, 0),
            sum(counts.get(other.pk, 0) for other in units if other.path.startswith(unit.path)),
        )
        for unit in units
    ]


@register.simple_tag(takes_context=True)
def unit_use_cases(context: template.Context, unit: Any) -> QuerySet[UseCase]:
    """The use cases of `unit` and its sub-units the viewer may see, by stage and title."""
    return (
        UseCase.objects.visible_to(_viewer(context))
        .with_relations()
        .filter(org_unit__path__startswith=unit.path)
        .order_by("stage", "title")
    )


@register.simple_tag(takes_context=True)
def person_use_cases(context: template.Context, person: Any, role: str) -> QuerySet[UseCase]:
    """The use cases the viewer may see whose `role` ("owner" or "sponsor") is `person`."""
    if role not in PERSON_ROLES:
        raise template.TemplateSyntaxError(
            f"person_use_cases: {role!r} is not one of {PERSON_ROLES}"
        )
    return (
        UseCase.objects.visible_to(_viewer(context))
        .with_relations()
        .filter(**{role: person})
        .order_by("stage", "title")
    )
