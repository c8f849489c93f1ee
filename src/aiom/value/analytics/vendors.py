"""Vendor dependence: how much of the portfolio is bought or partnered, and from whom.

Shares of build/buy/partner are of all use cases in scope. A vendor's share is of the
bought + partnered use cases. Who the vendor is comes from the technology registry: a
bought or partnered use case counts once for every `Vendor` record it links
(`technology.UseCaseVendor`); a use case with no vendor link falls back to its free-text
`vendor`. Names are grouped case- and space-insensitively across both sources, so a
linked "Acme" and a typed " acme " are one vendor (the registry's spelling is shown).
HHI (0-1) sums the squared shares over named vendors only; None without any.
Caveats: a bought use case with neither a link nor a vendor name counts in `bought` but
not in HHI; a use case linking two vendors counts for both, so vendor counts can sum to
more than the bought + partnered use cases.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, Value
from django.db.models.functions import Lower, Trim

from aiom.core.memo import live
from aiom.portfolio.vocabulary import Sourcing
from aiom.technology.models import UseCaseVendor
from aiom.value.analytics.base import Scope, Share

TOP_VENDORS = 10


@dataclass(frozen=True)
class Vendors:
    bought: Share
    built: Share
    partnered: Share
    top: list[tuple[str, int, float]]  # (vendor, use cases, share of bought + partnered)
    hhi: float | None


def _per_vendor(qs: Any) -> list[dict[str, Any]]:
    """One query (a UNION): use cases per linked vendor record, then per free-text name.

    Rows are per vendor name and source (at most two per vendor), so merging them below
    loops over vendors, never over use cases.
    """
    external = qs.filter(sourcing__in=[Sourcing.BUY, Sourcing.PARTNER])
    linked = (
        UseCaseVendor.objects.filter(use_case__in=external.values("pk"))
        .annotate(key=Lower(Trim("target__name")), linked=Value(1))
        .values("key", "linked")
        .annotate(n=Count("use_case", distinct=True), name=Min("target__name"))
        .order_by()
    )
    typed = (
        external.exclude(vendor="")
        .filter(~Q(pk__in=UseCaseVendor.objects.values("use_case")))
        .annotate(key=Lower(Trim("vendor")), linked=Value(0))
        .values("key", "linked")
        .annotate(n=Count("pk"), name=Min(Trim(F("vendor"))))
        .order_by()
    )
    union = linked.union(typed, all=True).order_by("key")  # a union takes Meta.ordering
    rows: list[dict[str, Any]] = list(union)  # type: ignore[arg-type]
    return rows


@live
def vendor_dependence(scope: Scope, *, user: Any = None) -> Vendors:
    """Two queries: sourcing counts, then use cases per vendor (linked, else free text)."""
    qs = scope.use_cases(user).order_by()
    agg = qs.aggregate(
        total=Count("pk"),
        build=Count("pk", filter=Q(sourcing=Sourcing.BUILD)),
        buy=Count("pk", filter=Q(sourcing=Sourcing.BUY)),
        partner=Count("pk", filter=Q(sourcing=Sourcing.PARTNER)),
    )
    external = agg["buy"] + agg["partner"]
    merged: dict[str, list[Any]] = {}  # key -> [name, use cases, from the registry?]
    for row in _per_vendor(qs):
        if not row["key"]:
            continue
        entry = merged.setdefault(row["key"], [row["name"].strip(), 0, False])
        entry[1] += row["n"]
        if row["linked"] and not entry[2]:
            entry[0], entry[2] = row["name"].strip(), True
    rows = sorted(merged.items(), key=lambda kv: (-kv[1][1], kv[0]))
    named = sum(n for _, (_, n, _) in rows)
    top = [(name, n, n / external) for _, (name, n, _) in rows[:TOP_VENDORS]]
    hhi = sum((n / named) ** 2 for _, (_, n, _) in rows) if named else None
    return Vendors(
        bought=Share(agg["buy"], agg["total"]),
        built=Share(agg["build"], agg["total"]),
        partnered=Share(agg["partner"], agg["total"]),
        top=top,
        hhi=hhi,
    )
