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

from django.db.models import Q

from aiom.catalogue.models import AccessStatus, UseCaseDataProduct
from aiom.catalogue.policy import DataRules
from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics.base import Scope, Share, in_scope
from aiom.insights.analytics.tally import tally


@dataclass(frozen=True)
class Coverage:
    total: int
    owner: Share
    sponsor: Share
    kpis_measured: Share
    data_ready: Share | None  # None => "not measured": no use case links a data product


def failing_q(today: dt.date) -> Q:
    """On a data-product link: the product fails the policy's data rules."""
    rules = active_policy().policy.section(DataRules)
    oldest = today - dt.timedelta(days=rules.freshness_days)
    return (
        Q(data_product__steward__isnull=True)
        | Q(data_product__classification="")
        | Q(data_product__quality_score__isnull=True)
        | Q(data_product__quality_score__lt=rules.quality_floor)
        | Q(data_product__quality_checked_on__isnull=True)
        | Q(data_product__quality_checked_on__lt=oldest)
        | Q(data_product__access_status=AccessStatus.RETIRED)
    )


@live
def coverage(scope: Scope, *, today: dt.date, user: Any = None) -> Coverage:
    """The owner, sponsor and KPI counts from the tally; data readiness from the links
    (two counts over the link table, which only names the use cases that consume data)."""
    t = tally(scope, today=today, user=user)
    links = UseCaseDataProduct.objects.filter(in_scope(scope.use_cases(user))).order_by()
    linked = links.values("use_case").distinct().count()
    unready = links.filter(failing_q(today)).values("use_case").distinct().count() if linked else 0
    return Coverage(
        total=t.total,
        owner=Share(t.owner, t.total),
        sponsor=Share(t.sponsor, t.total),
        kpis_measured=Share(t.kpis_measured, t.total),
        data_ready=Share(linked - unready, linked) if linked else None,
    )
