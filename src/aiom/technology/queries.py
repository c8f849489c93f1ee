"""Registry reads, scoped to the viewer: lists with usage counts, and dependent use cases.

Every count is of the use cases the viewer may see (the strict choice: nobody, not even
an administrator's page, learns of use cases beyond their sight through a count;
administrators simply see all of them). Counts are annotations, one query per list.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import Sourcing
from aiom.technology import vendor_reach
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
    """Vendors with their use cases by every route (vendor_reach.py): a direct link, a
    linked model or platform of theirs, or their name typed as the use case's vendor."""
    qs = Vendor.objects.visible_to(user).select_related("contract_owner")
    rows = list(_search(qs, q, "name", "risk_notes").order_by("name", "id"))
    return mark_reuse(with_vendor_usage(rows, user), vendors=True)


def with_vendor_usage(rows: list[Any], user: Any) -> list[Any]:
    """Set `uses`, `units` and `bought_units` on vendor rows from vendor_reach (the one
    definition of a dependency, for the pages and the API alike); a fixed number of
    queries whatever the number of rows."""
    if not rows:
        return rows
    deps = vendor_reach.by_vendor(UseCase.objects.visible_to(user))
    ids = {uc for d in deps.values() for uc in d.routes}
    where = {
        pk: (unit, sourcing)
        for pk, unit, sourcing in UseCase.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "org_unit_id", "sourcing")
    }
    for row in rows:
        found = deps.get(row.pk)
        cases = list(found.routes) if found else []
        row.uses = len(cases)
        row.units = len({where[uc][0] for uc in cases})
        row.bought_units = len({where[uc][0] for uc in cases if where[uc][1] in EXTERNAL})
    return rows


@dataclass(frozen=True)
class Dependent:
    """A use case relying on a record, as the record's page lists it."""

    use_case: UseCase
    purpose: str
    via: str = ""


def dependents(record: AIModel | Platform | Vendor, user: Any) -> list[Any]:
    """The use cases the viewer may see that rely on `record`, by title. A vendor's are
    reached by every route (vendor_reach.py), each named with how."""
    visible = UseCase.objects.visible_to(user)
    if isinstance(record, Vendor):
        found = vendor_reach.by_vendor(visible).get(record.pk)  # as the lists count
        routes = found.routes if found else {}
        purposes = dict(
            record.use_case_links.filter(use_case_id__in=list(routes)).values_list(
                "use_case_id", "purpose"
            )
        )
        cases = visible.filter(pk__in=list(routes)).select_related("org_unit")
        return [
            Dependent(uc, purposes.get(uc.pk, ""), "; ".join(sorted(routes[uc.pk])))
            for uc in cases.order_by("title", "pk")
        ]
    links: Any = record.use_case_links
    found_links = links.filter(use_case__in=visible_use_cases(user))
    return list(found_links.select_related("use_case__org_unit").order_by("use_case__title", "pk"))
