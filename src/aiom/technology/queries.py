"""Registry reads, scoped to the viewer: lists with usage counts, and dependent use cases.

Every count is of the use cases the viewer may see (the strict choice: nobody, not even
an administrator's page, learns of use cases beyond their sight through a count;
administrators simply see all of them). Counts are annotations, one query per list.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet

from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import Sourcing
from aiom.technology.models import AIModel, Platform, Vendor
from aiom.technology.reuse import assess

EXTERNAL = [Sourcing.BUY, Sourcing.PARTNER]


def visible_use_cases(user: Any) -> QuerySet[UseCase]:
    return UseCase.objects.visible_to(user).order_by().values("pk")  # type: ignore[return-value]


def with_usage(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Annotate `uses` (visible use cases), `units` (their org units) and `bought_units`."""
    seen = Q(use_case_links__use_case__in=visible_use_cases(user))
    bought = seen & Q(use_case_links__use_case__sourcing__in=EXTERNAL)
    unit = "use_case_links__use_case__org_unit"
    annotated: QuerySet[Any] = qs.annotate(
        uses=Count("use_case_links__use_case", filter=seen, distinct=True),
        units=Count(unit, filter=seen, distinct=True),
        bought_units=Count(unit, filter=bought, distinct=True),
    )
    return annotated


def _search(qs: QuerySet[Any], q: str, *fields: str) -> QuerySet[Any]:
    q = q.strip()
    if not q:
        return qs
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__icontains": q})
    return qs.filter(match)


def mark_reuse(rows: list[Any], *, vendors: bool = False) -> list[Any]:
    """Attach `reuse` (a `Reuse` verdict) to each annotated row; silos only for vendors."""
    for row in rows:
        row.reuse = assess(
            use_cases=row.uses, units=row.units, bought_units=row.bought_units if vendors else 0
        )
    return rows


def models_for(user: Any, q: str = "") -> list[Any]:
    qs = AIModel.objects.visible_to(user).select_related("vendor")
    found = _search(qs, q, "name", "version", "vendor__name", "intended_use")
    return mark_reuse(list(with_usage(found, user).order_by("name", "version", "id")))


def platforms_for(user: Any, q: str = "") -> list[Any]:
    qs = Platform.objects.visible_to(user).select_related("owner", "org_unit")
    found = _search(qs, q, "name", "description")
    return mark_reuse(list(with_usage(found, user).order_by("name", "id")))


def vendors_for(user: Any, q: str = "") -> list[Any]:
    qs = Vendor.objects.visible_to(user).select_related("contract_owner")
    found = _search(qs, q, "name", "risk_notes")
    return mark_reuse(list(with_usage(found, user).order_by("name", "id")), vendors=True)


def dependents(record: AIModel | Platform | Vendor, user: Any) -> list[Any]:
    """The links from use cases the viewer may see to `record`, by use-case title."""
    links: Any = record.use_case_links
    found = links.filter(use_case__in=visible_use_cases(user))
    return list(found.select_related("use_case__org_unit").order_by("use_case__title", "pk"))
