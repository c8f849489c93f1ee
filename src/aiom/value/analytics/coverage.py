"""Coverage: the share of use cases with an owner, a sponsor, and KPIs actually measured.

"KPIs measured" = at least one active KPI with a baseline and a target whose last
measurement is within its own cadence (`cadence_days`) of today. "Data ready" = of the
use cases that consume at least one data product, the share whose every product has a
steward, a classification, a quality score at or above the policy's floor checked within
its freshness window, and is not retired. Caveat: None ("not measured") while no use case
in scope consumes a data product — never a made-up figure.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Value

from aiom.catalogue.models import AccessStatus, UseCaseDataProduct
from aiom.governance.policy import active_policy
from aiom.value.analytics.base import Scope, Share
from aiom.value.analytics.sql import DaysBetween
from aiom.value.models import KPI


@dataclass(frozen=True)
class Coverage:
    total: int
    owner: Share
    sponsor: Share
    kpis_measured: Share
    data_ready: Share | None  # None => "not measured": no use case links a data product


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


def data_links() -> Exists:
    return Exists(UseCaseDataProduct.objects.filter(use_case=OuterRef("pk")))


def unready_links(today: dt.date) -> Exists:
    """Exists: a linked product that fails the policy's data rules."""
    rules = active_policy().policy.data
    oldest = today - dt.timedelta(days=rules.freshness_days)
    failing = (
        Q(data_product__steward__isnull=True)
        | Q(data_product__classification="")
        | Q(data_product__quality_score__isnull=True)
        | Q(data_product__quality_score__lt=rules.quality_floor)
        | Q(data_product__quality_checked_on__isnull=True)
        | Q(data_product__quality_checked_on__lt=oldest)
        | Q(data_product__access_status=AccessStatus.RETIRED)
    )
    return Exists(UseCaseDataProduct.objects.filter(failing, use_case=OuterRef("pk")))


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
            linked=Count("pk", filter=Q(data_links())),
            ready=Count("pk", filter=Q(data_links()) & ~Q(unready_links(today))),
        )
    )
    total = agg["total"]
    return Coverage(
        total=total,
        owner=Share(agg["owner"], total),
        sponsor=Share(agg["sponsor"], total),
        kpis_measured=Share(agg["measured"], total),
        data_ready=Share(agg["ready"], agg["linked"]) if agg["linked"] else None,
    )
