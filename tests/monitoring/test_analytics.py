"""Incident and monitoring figures for diagnostics and maturity, in a fixed number of queries."""

from typing import Any

import pytest

from aiom.monitoring import analytics, services
from aiom.notifications.findings import policy_in_force
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.monitoring.conftest import at, make_plan, operational, report
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db

LESSONS = "Check every upstream format change against the model's inputs."


def test_incident_counts(world: World, query_budget: Budget) -> None:
    a, b, c = (operational(world, f"Live {i}") for i in range(3))
    make_plan(a, world, started=10)
    make_plan(b, world, started=200)  # overdue
    report(world, a, severity="high")
    report(world, a, severity="critical", occurred_at=at(400), detected_at=at(399))  # > 12 months
    closed = report(world, b, severity="low")
    services.change_status(
        actor=world.alice, incident=closed, status="closed", lessons_learned=LESSONS
    )
    report(world, world.wealth_secret, actor=world.charlie, severity="high")
    policy = policy_in_force()[1]
    with query_budget("incident_counts"):
        counts = analytics.incident_counts(UseCase.objects.all(), policy=policy)
    assert counts == {
        "open_incidents": 3,
        "incidents_12m": 3,
        "high_severity_12m": 2,
        "closed_12m": 1,
        "operational": 3,
        "with_plan": 2,
        "plan_share": pytest.approx(2 / 3),
        "overdue_reviews": 1,
        "overdue_share": 0.5,
    }
    scoped = analytics.incident_counts(UseCase.objects.filter(pk=c.pk), policy=policy)
    assert scoped["operational"] == 1 and scoped["plan_share"] == 0
    assert scoped["overdue_share"] is None and scoped["open_incidents"] == 0
    assert analytics.governance_evidence(counts) == {
        "monitoring_coverage": pytest.approx(2 / 3),
        "monitoring_discipline": 0.5,
        "incident_closure": pytest.approx(1 / 3),
    }


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {},
            {"monitoring_coverage": None, "monitoring_discipline": None, "incident_closure": None},
        ),
        (
            {"plan_share": 1.0, "overdue_share": 0.0, "incidents_12m": 0, "closed_12m": 0},
            {"monitoring_coverage": 1.0, "monitoring_discipline": 1.0, "incident_closure": None},
        ),
        (
            {"plan_share": 0.5, "overdue_share": 1.0, "incidents_12m": 4, "closed_12m": 1},
            {"monitoring_coverage": 0.5, "monitoring_discipline": 0.0, "incident_closure": 0.25},
        ),
    ],
)
def test_governance_evidence_is_pure(counts: dict[str, Any], expected: dict[str, Any]) -> None:
    assert analytics.governance_evidence(counts) == expected
