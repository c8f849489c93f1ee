"""Derived dates: when a KPI first met its target, and when a use case first realised value.

Recomputed from every stored measurement (so order of entry and later edits of targets do
not matter); the use case row is changed with `.update()` so its version is not bumped.
"""

import datetime as dt
from typing import Any

from django.db.models import Max, Min, Q

from aiom.core import audit
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI, Direction


def refresh_kpi(kpi: KPI, *, actor: audit.Actor = None, cascade: bool = True) -> bool:
    """Re-derive last_measured_on and target_met_on from all measurements.

    Returns True when target_met_on changed (what the use case's date depends on).
    """
    aggregates: dict[str, Any] = {"last": Max("measurements__measured_on")}
    if kpi.target is not None:
        lower = kpi.direction == Direction.LOWER
        met = (
            Q(measurements__value__lte=kpi.target)
            if lower
            else Q(measurements__value__gte=kpi.target)
        )
        aggregates["met"] = Min("measurements__measured_on", filter=met)
    found = KPI.objects.filter(pk=kpi.pk).aggregate(**aggregates)
    target_met_on = found.get("met")
    met_changed = kpi.target_met_on != target_met_on
    if met_changed or kpi.last_measured_on != found["last"]:
        kpi.last_measured_on, kpi.target_met_on = found["last"], target_met_on
        KPI.objects.filter(pk=kpi.pk).update(
            last_measured_on=found["last"], target_met_on=target_met_on
        )
    if cascade:
        refresh_use_case(actor, kpi.use_case)
    return met_changed


def add_to_kpi(kpi: KPI, measured_on: dt.date, value: Any) -> bool:
    """The same dates after one new measurement, without re-reading the others.

    Exact only because measurements are never edited or deleted; the KPI row must be locked.
    Returns True when target_met_on changed.
    """
    last = max(filter(None, (kpi.last_measured_on, measured_on)))
    met = kpi.target_met_on
    if kpi.meets_target(value) and (met is None or measured_on < met):
        met = measured_on
    met_changed = met != kpi.target_met_on
    if met_changed or last != kpi.last_measured_on:
        kpi.last_measured_on, kpi.target_met_on = last, met
        KPI.objects.filter(pk=kpi.pk).update(last_measured_on=last, target_met_on=met)
    return met_changed


def refresh_use_case(actor: audit.Actor, use_case: UseCase) -> dt.date | None:
    """value_realised_on = the earliest target_met_on of its active KPIs; audited on change."""
    earliest: dt.date | None = KPI.objects.filter(use_case=use_case, is_active=True).aggregate(
        d=Min("target_met_on")
    )["d"]
    stored = UseCase.objects.filter(pk=use_case.pk).values_list("value_realised_on", flat=True)
    before = stored.first()
    if before != earliest:
        UseCase.objects.filter(pk=use_case.pk).update(value_realised_on=earliest)
        audit.record(
            actor=actor,
            action="value_realised" if earliest else "value_unrealised",
            obj=use_case,
            before={"value_realised_on": before},
            after={"value_realised_on": earliest},
            message="derived from its KPI measurements",
        )
    use_case.value_realised_on = earliest
    return earliest
