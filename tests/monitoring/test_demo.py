"""The demo seed: plans on operational use cases (one overdue, one missing), three incidents."""

import random

import pytest

from aiom.governance.models import RiskAssessment
from aiom.monitoring import demo
from aiom.monitoring.findings import overdue_reviews
from aiom.monitoring.models import Incident, MonitoringPlan
from aiom.notifications.findings import policy_in_force
from aiom.notifications.models import Notice
from tests.conftest import World
from tests.monitoring.conftest import TODAY, make_kpi, measure, operational

pytestmark = pytest.mark.django_db


def test_seed(world: World) -> None:
    cases = [operational(world, f"Live {i}") for i in range(5)]
    measure(make_kpi(cases[1], direction="lower"), "20")
    made = demo.seed(today=TODAY, rng=random.Random(3))
    assert made == {"plans": 4, "incidents": 3}
    assert not MonitoringPlan.objects.filter(use_case=cases[-1]).exists()
    overdue = overdue_reviews(TODAY, policy_in_force()[1])
    assert [f.use_case_id for f in overdue] == [cases[0].pk]
    high = Incident.objects.get(severity="high")
    assert high.status == "closed" and len(high.lessons_learned) > 20
    assert Incident.objects.get(severity="medium").status == "open"
    kpi_check = MonitoringPlan.objects.get(use_case=cases[1]).checks.get(kind="performance_kpi")
    assert kpi_check.upper == 25 and kpi_check.lower is None
    # Handled at the time: nothing re-opened, nobody notified today.
    assert not RiskAssessment.objects.filter(stale=True).exists() and not Notice.objects.exists()
