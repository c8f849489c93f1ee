"""Embedding: is AI part of core work? The operational share and monthly adoption.

Operational share = operational use cases / use cases not rejected. Adoption sums active
users and usage per month (YYYY-MM) over the last 12 months, months with data only.
Caveat: adoption rows are summed across use cases, so one person using two use cases
counts twice in `active_users`.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from aiom.core.memo import live
from aiom.insights.analytics.base import Scope, Share, in_scope
from aiom.insights.analytics.sql import year_month
from aiom.insights.analytics.tally import tally
from aiom.value.models import Adoption


@dataclass(frozen=True)
class Embedding:
    operational: Share
    adoption: list[tuple[str, int, int]]  # (YYYY-MM, active_users, usage), oldest first


def months_back(today: dt.date, n: int = 12) -> dt.date:
    """The first day of the month n-1 months before today's (12 => a 12-month window)."""
    index = today.year * 12 + today.month - 1 - (n - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def operational_share(scope: Scope, *, today: dt.date, user: Any = None) -> Share:
    t = tally(scope, today=today, user=user)
    return Share(t.operational, t.not_rejected)


@live
def adoption(scope: Scope, *, today: dt.date, user: Any = None) -> list[tuple[str, int, int]]:
    rows = (
        Adoption.objects.filter(
            in_scope(scope.use_cases(user)),
            period_start__gte=months_back(today),
            period_start__lte=today,
        )
        .annotate(month=year_month("period_start"))
        .order_by()
        .values("month")
        .annotate(users=Sum("active_users"), usage=Sum("usage"))
        .order_by("month")
    )
    return [(r["month"], int(r["users"]), int(r["usage"])) for r in rows]


@live
def embedding(scope: Scope, *, today: dt.date, user: Any = None) -> Embedding:
    """Two queries: the operational share and the monthly adoption sums."""
    return Embedding(
        operational_share(scope, today=today, user=user),
        adoption(scope, today=today, user=user),
    )
