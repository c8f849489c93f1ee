"""The latest measurement of each active KPI, keyed by metric: what exit criteria are judged on.

Loaded as gate facts under `exit_criteria.FACTS_KEY` only when a gate check reads them,
in one query for a whole batch of use cases.
"""

from django.db.models import OuterRef, Subquery

from aiom.lifecycle.exit_criteria import Measured, metric_key
from aiom.value.models import KPI, Measurement


def latest_by_metric(ids: list[int]) -> dict[int, dict[str, Measured]]:
    """{use case id: {metric key: latest measurement}} over their active KPIs."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-measured_on", "-id")
    rows = (
        KPI.objects.filter(use_case_id__in=ids, is_active=True)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .filter(latest_on__isnull=False)
        .values_list("use_case_id", "name", "latest_value", "latest_on")
    )
    out: dict[int, dict[str, Measured]] = {}
    for uc_id, name, value, on in rows:
        out.setdefault(uc_id, {})[metric_key(name)] = Measured(float(value), on)
    return out
