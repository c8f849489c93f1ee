"""Coverage: the share of use cases with an owner, a sponsor, and KPIs actually measured.

"KPIs measured" = at least one active KPI with a baseline and a target whose last
measurement is within its own cadence (`cadence_days`) of today. Caveat: `data_ready`
is None ("not measured") until data products exist in aiom.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Value

from aiom.value.analytics.base import Scope, Share
from aiom.value.analytics.sql import DaysBetween
from aiom.value.models import KPI


@dataclass(frozen=True)
class Coverage:
    total: int
    owner: Share
    sponsor: Share
    kpis_measured: Share
    data_ready: Share | None  # None => "not measured" until data products exist


def measured_kpis(today: dt.date) -> Exists:
    """Exists: an active KPI with baseline and target, measured within its cadence."""
    age = DaysBetween(Value(today, output_field=DateField()), F("last_measured_on"))
    kpis = (
        KPI.objects.filter(
            use_case=OuterRef("pk"),
            is_active=True,
            baseline__isnull=False,
            target__isnull=False,
            last_measured_on__isnull=False,
        )
        .alias(age=age)
        .filter(age__lte=F("cadence_days"))
    )
    return Exists(kpis)


def coverage(scope: Scope, *, today: dt.date, user: Any = None) -> Coverage:
    """One aggregate query over the use cases in scope."""
    agg = (
        scope.use_cases(user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            owner=Count("pk", filter=Q(owner__isnull=False)),
            sponsor=Count("pk", filter=Q(sponsor__isnull=False)),
            measured=Count("pk", filter=Q(measured_kpis(today))),
        )
    )
    total = agg["total"]
    return Coverage(
        total=total,
        owner=Share(agg["owner"], total),
        sponsor=Share(agg["sponsor"], total),
        kpis_measured=Share(agg["measured"], total),
        data_ready=None,
    )
