"""Vendor dependence: how much of the portfolio is bought or partnered, and from whom.

Shares of build/buy/partner are of all use cases in scope. A vendor's share is of the
bought + partnered use cases; vendor names are grouped case- and space-insensitively.
HHI (0-1) sums the squared shares over named vendors only; None without any.
Caveat: a bought use case without a vendor name counts in `bought` but not in HHI.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q
from django.db.models.functions import Lower, Trim

from aiom.portfolio.vocabulary import Sourcing
from aiom.value.analytics.base import Scope, Share

TOP_VENDORS = 10


@dataclass(frozen=True)
class Vendors:
    bought: Share
    built: Share
    partnered: Share
    top: list[tuple[str, int, float]]  # (vendor, use cases, share of bought + partnered)
    hhi: float | None


def vendor_dependence(scope: Scope, *, user: Any = None) -> Vendors:
    """Two queries: sourcing counts, then use cases per named vendor (bought or partnered)."""
    qs = scope.use_cases(user).order_by()
    agg = qs.aggregate(
        total=Count("pk"),
        build=Count("pk", filter=Q(sourcing=Sourcing.BUILD)),
        buy=Count("pk", filter=Q(sourcing=Sourcing.BUY)),
        partner=Count("pk", filter=Q(sourcing=Sourcing.PARTNER)),
    )
    external = agg["buy"] + agg["partner"]
    rows = list(
        qs.filter(sourcing__in=[Sourcing.BUY, Sourcing.PARTNER])
        .exclude(vendor="")
        .annotate(key=Lower(Trim("vendor")))
        .values("key")
        .annotate(n=Count("pk"), name=Min("vendor"))
        .order_by("-n", "key")
    )
    rows = [r for r in rows if r["key"]]
    named = sum(r["n"] for r in rows)
    top = [(r["name"].strip(), r["n"], r["n"] / external) for r in rows[:TOP_VENDORS]]
    hhi = sum((r["n"] / named) ** 2 for r in rows) if named else None
    return Vendors(
        bought=Share(agg["buy"], agg["total"]),
        built=Share(agg["build"], agg["total"]),
        partnered=Share(agg["partner"], agg["total"]),
        top=top,
        hhi=hhi,
    )
