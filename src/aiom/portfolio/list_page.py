"""The portfolio list page's parts whose cost must not grow with the portfolio.

One aggregate answers both the stage bar and the result count: the use cases that match are
the sum of the matches per stage, so the paginator is given that sum instead of running its
own COUNT(*) over the same rows (at 100,000 use cases each is a scan). The filter form's
choices (every org unit, every theme: bounded by the organisation's structure, never by its
headcount or its portfolio) are rendered once per request in Python: a template loop costs
several variable lookups per option, which at a few hundred org units was a third of the
page's render time.
"""

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import Theme, UseCase

SELECTED = mark_safe(" selected")


class CountedPaginator(Paginator[Any]):
    """A paginator told its count (already known from another query) instead of asking."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def stage_counts(matching: QuerySet[UseCase]) -> dict[str, int]:
    """How many of `matching` are in each stage, in one grouped query."""
    rows = matching.order_by().values_list("stage").annotate(n=Count("id"))
    return dict(rows)


def select_options(choices: Iterable[tuple[Any, str]], selected: Any) -> SafeString:
    """`<option>`s for `choices` (value, label), `selected` marked; labels escaped."""
    wanted = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if str(value) == wanted else "", label) for value, label in choices),
    )


def org_unit_choices() -> list[tuple[int, str]]:
    """Every org unit in tree order, indented by its depth."""
    rows = OrgUnit.objects.order_by("path").values_list("pk", "depth", "name")
    return [(pk, "— " * int(depth or 0) + name) for pk, depth, name in rows]


def theme_choices() -> list[tuple[int, str]]:
    return list(Theme.objects.values_list("pk", "name"))
