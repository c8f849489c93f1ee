"""Each finder finds its event when due and not before: at the SLA day is not overdue."""

import datetime as dt
from typing import Any

import pytest

from aiom.monitoring import services as monitoring
from aiom.notifications import finders
from aiom.notifications.findings import Finding, find_all, policy_in_force
from aiom.organisation.models import Role
from tests.conftest import World, make_person
from tests.monitoring.conftest import make_kpi, make_plan, measure
from tests.notifications.conftest import (
    days_ago,
    make_assessment,
    make_pilot,
    make_review,
    make_use_case,
)
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db
POLICY = policy_in_force


def of(kind: str, today: dt.date, uc_id: int | None = None) -> list[Finding]:
    _, policy = policy_in_force()
    found = [f for f in find_all(today, policy) if f.kind == kind]
    return [f for f in found if uc_id is None or f.use_case_id == uc_id]


def test_stalled_pilot_one_day_after_its_end_date_not_on_it(world: World) -> None:
    ends = days_ago(40)
    uc = make_use_case(world, "Claims triage", stage="pilot", entered=days_ago(130))
    make_pilot(uc, ends)
    assert of("stalled_pilot", ends, uc.pk) == []
    [found] = of("stalled_pilot", ends + dt.timedelta(days=1), uc.pk)
    assert found.key == f"stalled_pilot:uc={uc.pk}:ends={ends.isoformat()}"
    assert found.subject == "Pilot stalled: Claims triage"
    assert f"ended on {ends}" in found.body
    assert f"http://127.0.0.1:8000/use-cases/{uc.pk}/" in found.body
    assert found.recipients == ("alice@example.com",)


@pytest.mark.parametrize(
    ("decision", "stalled"), [("", True), ("extend", True), ("scale", False), ("stop", False)]
)
def test_only_a_scale_or_stop_decision_ends_a_pilot(
    world: World, decision: str, stalled: bool
) -> None:
    uc = make_use_case(world, "Claims triage", stage="pilot", entered=days_ago(130))
    make_pilot(uc, days_ago(10), decision=decision)
    assert bool(of("stalled_pilot", days_ago(0), uc.pk)) is stalled


def test_an_extended_pilot_that_stalls_again_is_a_new_event(world: World) -> None:
    uc = make_use_case(world, "Claims triage", stage="pilot", entered=days_ago(130))
    plan = make_pilot(uc, days_ago(40))
    [first] = of("stalled_pilot", days_ago(0), uc.pk)
    plan.ends_on, plan.decision = days_ago(5), "extend"
    plan.save()
    [second] = of("stalled_pilot", days_ago(0), uc.pk)
    assert first.key != second.key
    assert second.key.endswith(f"ends={days_ago(5).isoformat()}")


def test_a_pilot_plan_outside_the_pilot_stage_is_not_stalled(world: World) -> None:
    uc = make_use_case(world, "Claims triage", stage="risk_review", entered=days_ago(5))
    make_pilot(uc, days_ago(3))
    assert of("stalled_pilot", days_ago(0), uc.pk) == []


def test_review_overdue_one_day_after_due_and_only_while_open(world: World) -> None:
    uc = make_use_case(world, "Claims triage", stage="risk_review", entered=days_ago(30))
    due = days_ago(20)
    review = make_review(uc, due, [{"role": Role.RISK_REVIEWER, "count": 1}])
    assert of("review_overdue", due, uc.pk) == []
    [found] = of("review_overdue", due + dt.timedelta(days=1), uc.pk)
    assert found.key == f"review_overdue:uc={uc.pk}:review={review.pk}:due={due.isoformat()}"
    assert "1 day past its SLA" in found.body
    assert "1 risk reviewer" in found.body
    review.status = "approved"
    review.save()
    assert of("review_overdue", days_ago(0), uc.pk) == []


def test_review_recipients_are_owner_sponsor_and_approver_role_holders_above_the_unit(
    world: World,
) -> None:
    """Rita (global risk) and compliance reviewers of Retail or the Group are told;
    reviewers of Cards (below) or Wealth (beside) and holders of other roles are not."""
    above = make_person("gina", world.group, (Role.COMPLIANCE_REVIEWER, world.group))
    same = make_person("rene", world.retail, (Role.COMPLIANCE_REVIEWER, world.retail))
    make_person("carl", world.cards, (Role.COMPLIANCE_REVIEWER, world.cards))
    make_person("wes", world.wealth, (Role.COMPLIANCE_REVIEWER, world.wealth))
    make_person("dora", world.group, (Role.DATA_STEWARD, None))
    uc = make_use_case(world, "Claims triage", stage="risk_review", sponsor=world.ada)
    approvers: list[dict[str, Any]] = [
        {"role": Role.RISK_REVIEWER, "count": 1},
        {"role": Role.COMPLIANCE_REVIEWER},
    ]
    make_review(uc, days_ago(3), approvers)
    [found] = of("review_overdue", days_ago(0), uc.pk)
    assert found.recipients == (
        "alice@example.com",
        "ada@example.com",
        "rita@example.com",
        above.email,
        same.email,
    )


def test_stage_overdue_one_day_past_its_sla_not_at_it(world: World) -> None:
    entered = days_ago(40)
    uc = make_use_case(world, "Claims triage", stage="intake", entered=entered)
    sla = 14  # intake in the default policy
    assert of("stage_overdue", entered + dt.timedelta(days=sla), uc.pk) == []
    [found] = of("stage_overdue", entered + dt.timedelta(days=sla + 1), uc.pk)
    assert found.key == f"stage_overdue:uc={uc.pk}:stage=intake:entered={entered.isoformat()}"
    assert found.subject == "Intake SLA exceeded: Claims triage"
    assert "15 days, 1 day past the policy's SLA of 14 days" in found.body


@pytest.mark.parametrize("stage", ["rejected", "stopped", "retired", "pilot", "operational"])
def test_terminal_stages_and_stages_without_sla_are_never_overdue(world: World, stage: str) -> None:
    uc = make_use_case(world, "Old one", stage=stage, entered=days_ago(900))
    assert of("stage_overdue", days_ago(0), uc.pk) == []


def test_assessment_due_one_day_past_its_tier_cadence(world: World) -> None:
    uc = make_use_case(world, "Claims triage", stage="feasibility", entered=days_ago(5))
    assessed = days_ago(400)
    ra = make_assessment(uc, assessed, tier="high")
    cadence = 90  # high in the default policy
    assert of("assessment_due", assessed + dt.timedelta(days=cadence), uc.pk) == []
    [found] = of("assessment_due", assessed + dt.timedelta(days=cadence + 1), uc.pk)
    assert found.key == f"assessment_due:uc={uc.pk}:assessment={ra.pk}"
    assert "re-review every 90 days" in found.body
    assert found.facts["due_on"] == (assessed + dt.timedelta(days=cadence)).isoformat()


def test_cadence_follows_the_tier(world: World) -> None:
    low = make_use_case(world, "Low", stage="feasibility", entered=days_ago(1))
    high = make_use_case(world, "High", stage="feasibility", entered=days_ago(1))
    make_assessment(low, days_ago(200), tier="low")
    make_assessment(high, days_ago(200), tier="high")
    found = {f.use_case_id for f in of("assessment_due", days_ago(0))}
    assert high.pk in found
    assert low.pk not in found


@pytest.mark.parametrize(
    ("stage", "fields"),
    [("rejected", {}), ("feasibility", {"is_current": False}), ("feasibility", {"stale": True})],
)
def test_no_assessment_due_when_terminal_superseded_or_already_stale(
    world: World, stage: str, fields: dict[str, Any]
) -> None:
    uc = make_use_case(world, "Claims triage", stage=stage, entered=days_ago(5))
    make_assessment(uc, days_ago(400), tier="high", **fields)
    assert of("assessment_due", days_ago(0), uc.pk) == []


def test_stale_assessment_found_with_its_reason(world: World) -> None:
    uc = make_use_case(world, "Claims triage", stage="feasibility", entered=days_ago(5))
    ra = make_assessment(uc, days_ago(10), stale=True, stale_reason="it now uses personal data")
    [found] = of("assessment_stale", days_ago(0), uc.pk)
    assert found.key == f"assessment_stale:uc={uc.pk}:assessment={ra.pk}"
    assert "stale" in found.body
    assert "it now uses personal data" in found.body


@pytest.mark.parametrize(
    ("stage", "fields"),
    [("stopped", {"stale": True}), ("feasibility", {"stale": True, "is_current": False})],
)
def test_no_stale_finding_when_terminal_or_superseded(
    world: World, stage: str, fields: dict[str, Any]
) -> None:
    uc = make_use_case(world, "Claims triage", stage=stage, entered=days_ago(5))
    make_assessment(uc, days_ago(10), **fields)
    assert of("assessment_stale", days_ago(0), uc.pk) == []


def test_finders_cost_a_fixed_number_of_queries(world: World, query_budget: Budget) -> None:
    for i in range(4):
        pilot = make_use_case(world, f"Pilot {i}", stage="pilot", entered=days_ago(200))
        make_pilot(pilot, days_ago(10 + i))
        review = make_use_case(world, f"Review {i}", stage="risk_review", entered=days_ago(50))
        make_review(review, days_ago(2), [{"role": Role.RISK_REVIEWER, "count": 1}])
        make_assessment(review, days_ago(400), tier="high")
        make_assessment(pilot, days_ago(10), stale=True)
        plan = make_plan(pilot, world, started=100)  # due 10 days ago
        kpi = make_kpi(pilot)
        measure(kpi, "50", days=1)
        monitoring.add_check(
            actor=None, plan=plan, kind="performance_kpi", description="x", kpi=kpi, lower=60
        )
    _, policy = policy_in_force()
    with query_budget("find_all"):  # one per finder, two for monitoring and KPIs
        found = find_all(days_ago(0), policy)
    order = [f.kind for f in finders.in_order()]
    kinds = {kind: sum(f.kind == kind for f in found) for kind in order}
    assert kinds == {
        "stalled_pilot": 4,
        "review_overdue": 4,
        "stage_overdue": 4,  # risk review: 50 days, SLA 21
        "assessment_due": 4,
        "assessment_stale": 4,
        "monitoring_overdue": 4,
        "kpi_out_of_bounds": 4,
        "condition_overdue": 0,
    }
    # The sweep reports kind by kind, in the order the apps registered their finders with
    # (the order of the fixed table it replaced), whichever app was loaded first.
    assert list(kinds) == [
        "stalled_pilot",
        "review_overdue",
        "stage_overdue",
        "assessment_due",
        "assessment_stale",
        "monitoring_overdue",
        "kpi_out_of_bounds",
        "condition_overdue",
    ]
    assert [f.kind for f in found] == sorted((f.kind for f in found), key=order.index)
