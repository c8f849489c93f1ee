"""Vendor dependence: how much of the portfolio is bought or partnered, and from whom.

Shares of build/buy/partner are of all use cases in scope. Who a use case depends on
comes from `technology.vendor_reach`, the registry's own definition: a vendor it links,
the vendor of every model and platform it links, and the vendor named in its free-text
`vendor` field, each use case counted once per vendor whatever its sourcing (a built use
case on a vendor's model depends on that vendor too). So the registry page of a vendor
and this figure count the same use cases. A vendor's share is of the use cases in scope
that depend on any vendor (`dependent`). Names group case- and space-insensitively (the
registry's spelling is shown). HHI (0-1) sums the squared shares of the vendors' use-case
counts; None without any. Caveat: a use case depending on two vendors counts for both, so
vendor counts can sum to more than `dependent`.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from aiom.core.memo import live
from aiom.insights.analytics.base import Scope, Share
from aiom.portfolio.vocabulary import Sourcing
from aiom.technology.vendor_reach import dependences

TOP_VENDORS = 10


@dataclass(frozen=True)
class Vendors:
    bought: Share
    built: Share
    partnered: Share
    top: list[tuple[str, int, float]]  # (vendor, use cases, share of `dependent`)
    hhi: float | None
    dependent: int = 0  # use cases in scope that depend on any vendor


@live
def vendor_dependence(scope: Scope, *, user: Any = None) -> Vendors:
    """The sourcing counts (one query), then every vendor dependency (vendor_reach)."""
    qs = scope.use_cases(user).order_by()
    agg = qs.aggregate(
        total=Count("pk"),
        build=Count("pk", filter=Q(sourcing=Sourcing.BUILD)),
        buy=Count("pk", filter=Q(sourcing=Sourcing.BUY)),
        partner=Count("pk", filter=Q(sourcing=Sourcing.PARTNER)),
    )
    found = dependences(qs)
    dependent = len({uc for d in found.values() for uc in d.routes})
    rows = sorted(found.values(), key=lambda d: (-d.use_cases, d.key))
    named = sum(d.use_cases for d in rows)
    top = [(d.name, d.use_cases, d.use_cases / dependent) for d in rows[:TOP_VENDORS]]
    hhi = sum((d.use_cases / named) ** 2 for d in rows) if named else None
    return Vendors(
        bought=Share(agg["buy"], agg["total"]),
        built=Share(agg["build"], agg["total"]),
        partnered=Share(agg["partner"], agg["total"]),
        top=top,
        hhi=hhi,
        dependent=dependent,
    )
