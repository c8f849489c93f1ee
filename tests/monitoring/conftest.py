"""Monitoring fixtures: an operational use case with a KPI, plans and measurements.

Use cases, plans, checks and incidents are made through services; measurements with the
ORM (value's services are not the subject here). The webhook receiver and the overdue
helpers come from tests/notifications.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aiom.monitoring import services
from aiom.monitoring.models import Incident, MonitoringPlan
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI, Measurement
from tests.conftest import World
from tests.notifications.conftest import days_ago, make_use_case
from tests.notifications.conftest import hooks as hooks
from tests.notifications.conftest import receiver as receiver

TODAY = timezone.localdate()


def at(days: int) -> dt.datetime:
    """Nine in the morning, `days` days ago."""
    return timezone.make_aware(dt.datetime.combine(days_ago(days), dt.time(9)))


def operational(world: World, title: str = "Card fraud scoring", **fields: Any) -> UseCase:
    fields.setdefault("sponsor", world.bob)
    return make_use_case(world, title, stage="operational", entered=days_ago(300), **fields)


def make_kpi(uc: UseCase, name: str = "Precision", **fields: Any) -> KPI:
    return KPI.objects.create(use_case=uc, name=name, unit="%", **fields)


def measure(kpi: KPI, value: str, days: int = 0) -> Measurement:
    return Measurement.objects.create(kpi=kpi, value=Decimal(value), measured_on=days_ago(days))


def make_plan(uc: UseCase, world: World, *, started: int = 30, every: int = 90) -> MonitoringPlan:
    return services.save_plan(
        actor=world.alice,
        use_case=uc,
        reviewer=world.rita,
        review_every_days=every,
        today=days_ago(started),
    )


def report(world: World, uc: UseCase, severity: str = "low", **fields: Any) -> Incident:
    values: dict[str, Any] = {
        "title": "Wrong answer about fees",
        "occurred_at": at(2),
        "severity": severity,
        "harms": ["people"],
        "people_affected": 12,
    }
    values.update(fields)
    actor = values.pop("actor", world.alice)
    return services.report_incident(actor=actor, use_case=uc, **values)


@pytest.fixture
def live(world: World) -> UseCase:
    """Alice's operational use case, Bob sponsoring."""
    return operational(world)
