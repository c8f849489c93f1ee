"""The `change_plan_ready` gate check: pure table, the policy section, and pilot→scaling."""

import datetime as dt
from typing import Any

import pytest
import yaml

from aiom.change import services
from aiom.change.policy import ChangeRules
from aiom.change.rules import GroupFacts, PlanFacts
from aiom.core.errors import GateBlocked
from aiom.governance.policy.schema import PolicyError, parse_policy
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate, active_policy
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.checks import GateFacts
from aiom.lifecycle.gate_registry import gate_checks
from aiom.lifecycle.gates import facts_for_many
from aiom.lifecycle.models import StageChange
from aiom.portfolio.models import UseCase
from tests.change.conftest import complete_plan, today
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, measure
from tests.query_counts import Budget

RATIONALE = "Risks are understood and the mitigations are proportionate."
GROUP = GroupFacts("Tellers", 50, "They answer from the draft.", 1, 40, dt.date(2027, 1, 1))


def run(plan: PlanFacts | None, params: dict[str, Any], policy: Any = None) -> tuple[bool, str]:
    facts = GateFacts(stage="pilot", today=dt.date(2026, 6, 1), extra={"change_plan": plan})
    policy = policy or parse_policy(yaml.safe_load(DEFAULT_POLICY_PATH.read_text()))
    verdict = gate_checks()["change_plan_ready"](facts, policy, params)
    return verdict[0], verdict[1]


@pytest.mark.parametrize(
    ("plan", "params", "passed", "reason"),
    [
        (PlanFacts(1, (GROUP,)), {}, True, "Change plan ready: 1 stakeholder group."),
        (None, {}, False, "No change plan: name the people affected"),
        (PlanFacts(None, (GROUP,)), {}, False, "No change champion is named."),
        (PlanFacts(1, (GROUP,)), {"min_groups": 2}, False, "the policy wants at least 2"),
        (
            PlanFacts(1, (GROUP, GroupFacts("Leads", 5, "Coach.", 2, 5, None))),
            {"min_groups": 2},
            False,
            "“Leads” has no adoption target",
        ),
    ],
)
def test_the_check(plan: PlanFacts | None, params: dict, passed: bool, reason: str) -> None:
    ok, why = run(plan, params)
    assert ok is passed
    assert why.startswith(reason) or reason in why


def test_the_policy_section_sets_min_groups_unless_the_gate_says_otherwise() -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["change"] = {"min_groups": 2, "required_for_stages": ["scaling"]}
    policy = parse_policy(data)
    assert run(PlanFacts(1, (GROUP,)), {}, policy)[0] is False
    assert run(PlanFacts(1, (GROUP,)), {"min_groups": 1}, policy)[0] is True


def test_the_default_policy_expects_plans_from_scaling_and_the_section_is_optional() -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    policy = parse_policy(data)
    rules = policy.section(ChangeRules)
    assert (rules.min_groups, rules.required_for_stages) == (
        1,
        ["scaling", "operational"],
    )
    assert not any(
        c.check == "change_plan_ready" for gate in policy.gates.values() for c in gate.requires
    )
    del data["change"]
    assert parse_policy(data).section(ChangeRules).required_for_stages == []


@pytest.mark.parametrize("bad", [{"min_groups": 0}, {"colour": "red"}])
def test_the_policy_section_is_checked(bad: dict) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["change"] = bad
    with pytest.raises(PolicyError):
        parse_policy(data)


def require_a_change_plan_for_scaling() -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["gates"]["pilot_to_scaling"]["requires"].append("change_plan_ready")
    activate(actor=None, text=yaml.safe_dump(data))


@pytest.fixture
def in_pilot(world: World, ready: UseCase, reviewers: dict[str, Any]) -> UseCase:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=60),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    for person in ("rob", "vera"):  # the medium tier's risk reviewer and AI expert
        reviews.decide(
            actor=reviewers[person], review=review, outcome="approve", rationale=RATIONALE
        )
    return advance(uc, world.alice, "pilot")


def test_the_facts_are_loaded_lazily_in_one_batch(
    world: World, in_pilot: UseCase, query_budget: Budget
) -> None:
    complete_plan(world, in_pilot)
    facts = facts_for_many(UseCase.objects.filter(pk__in=[in_pilot.pk, world.alice_secret.pk]))
    with query_budget("plan_facts_batch"):  # the plans, their groups: once for the batch
        plan = facts[in_pilot.pk].extra["change_plan"]
        assert facts[world.alice_secret.pk].extra["change_plan"] is None
    assert plan == PlanFacts(
        world.bob.pk,
        (
            GroupFacts(
                "Underwriters",
                40,
                "They read the summary first and open documents only to check.",
                1,
                30,
                today() + dt.timedelta(days=90),
            ),
        ),
        "draft",
    )


def test_pilot_to_scaling_is_blocked_without_a_ready_plan_and_allowed_with_one(
    world: World, in_pilot: UseCase, reviewers: dict[str, Any]
) -> None:
    require_a_change_plan_for_scaling()
    # Without a plan, reviewers cannot even be asked.
    with pytest.raises(GateBlocked) as refused:
        reviews.request_review(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    assert any(r.startswith("No change plan") for r in refused.value.reasons)

    # A plan with gaps still blocks, naming them.
    plan = services.create_plan(actor=world.alice, use_case=in_pilot)
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    assert (
        "No change champion is named. No stakeholder group: say who is affected by the change."
        in refused.value.reasons
    )
    assert UseCase.objects.get(pk=in_pilot.pk).stage == "pilot"

    services.update_plan(actor=world.alice, plan=plan, champion=world.bob)
    group = services.add_group(
        actor=world.alice,
        plan=plan,
        name="Underwriters",
        size=40,
        what_changes="They read the summary first.",
        target_users=30,
        target_on=today() + dt.timedelta(days=90),
    )
    services.add_intervention(actor=world.alice, group=group, kind="training", description="x")
    measure(in_pilot, 6.5)  # the pilot met its exit criterion (≤ 7 min): the gate asks for it
    review = reviews.request_review(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    for person in ("rob", "vera"):
        reviews.decide(
            actor=reviewers[person], review=review, outcome="approve", rationale=RATIONALE
        )
    change = lifecycle.transition(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    assert UseCase.objects.get(pk=in_pilot.pk).stage == "scaling"
    stored = StageChange.objects.get(pk=change.pk)
    assert {
        "check": "change_plan_ready",
        "passed": True,
        "reason": "Change plan ready: 1 stakeholder group.",
    } in stored.checks
    assert stored.policy_version == active_policy().version
