"""Which use cases depend on which vendor, by every route: one read for the registry and
the vendor-dependence figures.

A use case depends on a vendor when it links the vendor, links a model or a platform
that vendor provides, or names the vendor in its free-text `vendor` field. Each use case
counts once per vendor however many routes lead there (the routes are kept, to say why).
The registry used to count direct vendor links only, so a model served 37 use cases while
its vendor served 9. Names group case- and space-insensitively: a typed " acme " is the
registry's "Acme"; a typed name no record carries is a vendor of its own (registry id
None). Caveat: three queries (the links of all three kinds, the typed names, the
registry's names), whatever the number of vendors; rows are per dependency, so the work
grows with the links, not the use cases.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat

from aiom.portfolio.models import UseCase
from aiom.technology.models import UseCaseModel, UseCasePlatform, UseCaseVendor, Vendor

DIRECT = "linked directly"
NAMED = "named as its vendor"


def key_of(name: str) -> str:
    """The grouping key of a vendor name: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


@dataclass
class Dependence:
    key: str
    name: str
    vendor_id: int | None = None
    routes: dict[int, list[str]] = field(default_factory=dict)  # use case id -> how

    @property
    def use_cases(self) -> int:
        return len(self.routes)


def _add(found: dict[str, Dependence], name: str, vid: int | None, uc: int, how: str) -> None:
    key = key_of(name)
    if not key:
        return
    entry = found.setdefault(key, Dependence(key, " ".join(name.split())))
    if vid is not None and entry.vendor_id is None:
        entry.vendor_id, entry.name = vid, name  # the registry's spelling wins
    routes = entry.routes.setdefault(uc, [])
    if how not in routes:
        routes.append(how)


def dependences(use_cases: QuerySet[UseCase]) -> dict[str, Dependence]:
    """Every vendor the use cases in `use_cases` depend on, by key, with the routes."""
    ids = use_cases.order_by().values("pk")
    found: dict[str, Dependence] = {}
    direct = UseCaseVendor.objects.filter(use_case__in=ids).values_list(
        "target_id", "target__name", "use_case_id", Value(DIRECT, output_field=CharField())
    )
    via = [
        link.objects.filter(use_case__in=ids, target__vendor__isnull=False).values_list(
            "target__vendor_id",
            "target__vendor__name",
            "use_case_id",
            Concat(Value(f"{what} "), "target__name", output_field=CharField()),
        )
        for link, what in ((UseCaseModel, "model"), (UseCasePlatform, "platform"))
    ]
    union = direct.order_by().union(*(q.order_by() for q in via), all=True)
    rows: Iterable[tuple[Any, ...]] = union.order_by()  # a union takes Meta.ordering
    for vid, name, uc, how in rows:  # one query over the three kinds of link
        _add(found, name, vid, uc, how)
    typed = list(use_cases.order_by().exclude(vendor="").values_list("vendor", "pk"))
    if typed:
        keys = {key_of(name) for name, _ in typed} - set(found)
        known = {
            key_of(name): (pk, name)
            for pk, name in Vendor.objects.order_by().values_list("pk", "name")
        }
        for key in keys & set(known):
            pk, name = known[key]
            found[key] = Dependence(key, name, pk)
    for name, uc in typed:
        _add(found, name, None, uc, NAMED)
    return found


def by_vendor(use_cases: QuerySet[UseCase]) -> dict[int, Dependence]:
    """The registry's vendors among `dependences`, by vendor id."""
    return {d.vendor_id: d for d in dependences(use_cases).values() if d.vendor_id is not None}
