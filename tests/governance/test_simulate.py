"""Simulating a draft policy on a portfolio whose differences are known in advance.

Impact maximum of the default questionnaire is 29; with every mitigation answered "no" the
score is impact / 29. Thresholds: medium 0.25 (7.25), high 0.5. So impact 6 is low (0.2069)
and becomes medium when the medium threshold drops to 0.2; impact 4 stays low.
"""

import copy
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.utils import timezone

from aiom.core.models import AuditEvent
from aiom.governance.assessments.scoring import score
from aiom.governance.models import PolicyVersion, ReviewRequest, RiskAssessment
from aiom.governance.policy import simulate as simulation
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.simulate import simulate
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate, active_policy, load_text
from aiom.lifecycle.models import PilotPlan, StageChange
from aiom.organisation.models import Role
from aiom.portfolio import services
from aiom.portfolio.models import UseCase
from tests.answers import NO_MITIGATION
from tests.conftest import World, make_person
from tests.query_counts import Budget

DEFAULT = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
# These tests were written against one risk reviewer for the medium tier; the routing they
# check does not depend on the four-eyes rule, so they run under that path.
DEFAULT["approval_paths"]["medium"] = {
    "approvers": [{"role": "risk_reviewer", "count": 1}],
    "sla_days": 10,
}
TODAY = timezone.localdate()
ZERO: dict[str, Any] = NO_MITIGATION
IMPACT_4 = {**ZERO, "affected": "consumers", "scale": "under_1m"}
IMPACT_6 = {**IMPACT_4, "reversibility": "hard"}
IMPACT_11_CHATBOT = {
    **IMPACT_6,
    "automation": "decides",
    "duration": "months",
    "interaction": ["chatbot"],
}
PROBLEM = "Customers wait days for an answer to simple questions."


def draft(change: Any) -> Policy:
    data = copy.deepcopy(DEFAULT)
    change(data)
    return load_text(yaml.safe_dump(data, sort_keys=False))


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@dataclass
class Portfolio:
    drifter: UseCase  # intake, impact 6: low now, medium at threshold 0.2
    steady: UseCase  # intake, impact 4, has an expected benefit
    chatbot: UseCase  # feasibility, impact 11 with a chatbot: medium
    unassessed: UseCase  # intake, no assessment
    long_pilot: UseCase  # started 50 days ago, ends in 30
    young_pilot: UseCase  # started 20 days ago, ends in 30
    decided_pilot: UseCase  # started 100 days ago, a decision taken
    wealth_low: UseCase  # impact 4 in Wealth Management, where nobody reviews low tier
    retired: UseCase  # terminal: never simulated


def make(
    world: World, title: str, stage: str, answers: dict[str, Any] | None, **extra: Any
) -> UseCase:
    fields: dict[str, Any] = {
        "org_unit": world.cards,
        "owner": world.alice,
        "problem": PROBLEM,
        **extra,
    }
    uc = services.create_use_case(actor=world.alice, title=title, stage=stage, **fields)
    if answers is not None:
        scored = score(active_policy().policy, answers)
        RiskAssessment.objects.create(
            use_case=uc,
            answers=answers,
            impact_raw=scored.impact_raw,
            impact_max=scored.impact_max,
            mitigation_raw=scored.mitigation_raw,
            mitigation_max=scored.mitigation_max,
            score=scored.score,
            computed_tier=scored.computed_tier,
            tier=scored.computed_tier,
            decided_by=scored.decided_by,
            prohibited=scored.prohibited,
            policy_version=active_policy().version,
            stage_at_assessment=stage,
        )
        UseCase.objects.filter(pk=uc.pk).update(tier=scored.computed_tier)
    return uc


def plan(uc: UseCase, starts: int, ends: int, decision: str = "") -> None:
    PilotPlan.objects.create(
        use_case=uc,
        exit_criteria=[{"metric": "answer time", "baseline": 48, "target": 4}],
        starts_on=days(starts),
        ends_on=days(ends),
        original_ends_on=days(ends),
        decision=decision,
        policy_version=active_policy().version,
    )


@pytest.fixture
def portfolio(world: World) -> Portfolio:
    activate(actor=None, text=yaml.safe_dump(DEFAULT, sort_keys=False))
    p = Portfolio(
        drifter=make(world, "Tier drifter", "intake", IMPACT_6),
        steady=make(world, "Steady low", "intake", IMPACT_4, expected_benefit_amount=50_000),
        chatbot=make(
            world,
            "Service chatbot",
            "feasibility",
            IMPACT_11_CHATBOT,
            sponsor=world.bob,
            value_hypothesis="Answers in minutes instead of days.",
        ),
        unassessed=make(world, "Unassessed idea", "intake", None),
        long_pilot=make(world, "Long pilot", "pilot", IMPACT_4),
        young_pilot=make(world, "Young pilot", "pilot", IMPACT_4),
        decided_pilot=make(world, "Decided pilot", "pilot", IMPACT_4),
        wealth_low=make(
            world, "Wealth low", "intake", IMPACT_4, org_unit=world.wealth, owner=world.charlie
        ),
        retired=make(world, "Retired drifter", "retired", IMPACT_6),
    )
    plan(p.long_pilot, -50, 30)
    plan(p.young_pilot, -20, 30)
    plan(p.decided_pilot, -100, 10, decision="scale")
    return p


def ids(items: list[Any]) -> list[int]:
    return [i.use_case.id for i in items]


def test_the_active_policy_itself_changes_nothing(portfolio: Portfolio) -> None:
    result = simulate(active_policy().policy, today=TODAY)
    assert result.use_cases == 11  # the world's 3 and 8 of ours; the retired one is skipped
    assert {k: v for k, v in result.summary().items() if v} == {"use_cases": 11}


def test_lower_medium_threshold_changes_exactly_the_drifter(portfolio: Portfolio) -> None:
    result = simulate(draft(lambda d: d["scoring"]["thresholds"].update(medium=0.2)), today=TODAY)

    [change] = result.tier_changes
    assert change.use_case.id == portfolio.drifter.pk
    assert (change.old, change.new, change.override) == ("low", "medium", None)
    assert change.decided_by == (
        "score 0.2069 (impact 6.0 of 29.0) is at or above the medium threshold 0.2"
    )
    # Low tier needs an AI expert (there is none); medium a risk reviewer: Rita, globally.
    [routing] = result.routing_changes
    assert (routing.use_case.id, routing.tier, routing.routable) == (
        portfolio.drifter.pk,
        "medium",
        True,
    )
    assert routing.reason == "federated: ai_expert: 0 eligible, needs 1"
    assert result.transition_changes == [] and result.pilot_changes == []


def test_stored_tiers_and_overrides(world: World, portfolio: Portfolio) -> None:
    # Assessed under an older policy that called it high; today's policy scores it low.
    RiskAssessment.objects.filter(use_case=portfolio.steady).update(
        tier="high", computed_tier="high"
    )
    # A reviewer raised the drifter to high: the override stands under either policy.
    RiskAssessment.objects.filter(use_case=portfolio.drifter).update(
        tier="high", override_justification="Vulnerable customers among the users."
    )
    assert simulate(active_policy().policy, today=TODAY).summary()["tier_changes"] == 0

    result = simulate(draft(lambda d: d["scoring"]["thresholds"].update(medium=0.2)), today=TODAY)
    [change] = result.tier_changes
    assert (change.use_case.id, change.old, change.new, change.override) == (
        portfolio.drifter.pk,
        "low",
        "medium",
        "high",
    )
    assert result.routing_changes == []  # high on both sides: routed the same way


def test_an_added_gate_check_blocks_exactly_these_moves(portfolio: Portfolio) -> None:
    def add_check(d: dict[str, Any]) -> None:
        d["gates"]["intake_to_feasibility"]["requires"].append("expected_benefit_present")

    result = simulate(draft(add_check), today=TODAY)

    assert [
        (c.use_case.id, c.use_case.stage, c.to_stage, c.blocked, c.reasons)
        for c in result.transition_changes
    ] == [
        (
            portfolio.drifter.pk,
            "intake",
            "feasibility",
            True,
            ("No expected annual benefit is estimated.",),
        ),
        (
            portfolio.wealth_low.pk,
            "intake",
            "feasibility",
            True,
            ("No expected annual benefit is estimated.",),
        ),
    ]
    assert result.tier_changes == [] and result.routing_changes == []


def test_shorter_pilots_make_exactly_one_overdue(portfolio: Portfolio) -> None:
    result = simulate(draft(lambda d: d["pilot"].update(max_days=40)), today=TODAY)

    [change] = result.pilot_changes
    assert change.use_case.id == portfolio.long_pilot.pk
    assert (change.overdue, change.active_deadline, change.draft_deadline) == (
        True,
        days(30),
        days(-10),
    )
    longer = simulate(draft(lambda d: d["pilot"].update(max_days=40)), today=days(-15))
    assert longer.pilot_changes == []  # 15 days ago it was not yet past its day 40


def test_a_new_prohibited_practice_blocks_and_reroutes(portfolio: Portfolio) -> None:
    def ban_chatbots(d: dict[str, Any]) -> None:
        interaction = next(q for q in d["questionnaire"] if q["key"] == "interaction")
        interaction["answers"][1]["prohibited"] = "chatbots are not allowed here"

    result = simulate(draft(ban_chatbots), today=TODAY)

    [prohibition] = result.prohibition_changes
    assert (prohibition.use_case.id, prohibition.prohibited, prohibition.reasons) == (
        portfolio.chatbot.pk,
        True,
        ("chatbots are not allowed here",),
    )
    [tier] = result.tier_changes
    assert (tier.use_case.id, tier.old, tier.new) == (portfolio.chatbot.pk, "medium", "high")
    assert tier.decided_by.startswith("prohibited practice: chatbots are not allowed here")
    [move] = result.transition_changes
    assert (move.use_case.id, move.to_stage, move.blocked) == (
        portfolio.chatbot.pk,
        "risk_review",
        True,
    )
    assert move.reasons == (
        "The assessment declares a prohibited practice: this use case cannot proceed.",
    )
    [routing] = result.routing_changes  # high tier also needs a compliance reviewer
    assert (routing.use_case.id, routing.routable, routing.reason) == (
        portfolio.chatbot.pk,
        False,
        "federated: compliance_reviewer: 0 eligible, needs 1",
    )


def test_centralized_strands_use_cases_with_only_scoped_reviewers(
    world: World, portfolio: Portfolio
) -> None:
    make_person("sam", world.retail, (Role.AI_EXPERT, world.retail))
    result = simulate(draft(lambda d: d.update(structure="centralized")), today=TODAY)

    assert ids(result.routing_changes) == [
        portfolio.drifter.pk,
        portfolio.steady.pk,
        portfolio.long_pilot.pk,
        portfolio.young_pilot.pk,
        portfolio.decided_pilot.pk,
    ]  # not Wealth low: nobody could review it before either; not the medium chatbot (Rita)
    assert {(r.tier, r.routable, r.reason) for r in result.routing_changes} == {
        ("low", False, "centralized: ai_expert: 0 eligible, needs 1")
    }
    assert sum(1 for v in result.summary().values() if v) == 2  # use_cases, lost_reviewers


def test_nobody_reviews_a_use_case_they_sponsor(world: World, portfolio: Portfolio) -> None:
    make_person("sam", world.retail, (Role.AI_EXPERT, world.retail))
    gail = make_person("gail", world.group, (Role.AI_EXPERT, None))
    sponsored = make(world, "Gail's own", "intake", IMPACT_4, sponsor=gail)

    result = simulate(draft(lambda d: d.update(structure="centralized")), today=TODAY)

    # Gail, global, reviews the others under centralized; her own only Sam could review.
    assert ids(result.routing_changes) == [sponsored.pk]
    assert result.routing_changes[0].reason == "centralized: ai_expert: 0 eligible, needs 1"


def test_a_draft_without_a_stage_lists_who_sits_there(portfolio: Portfolio) -> None:
    def drop_feasibility(d: dict[str, Any]) -> None:
        d["stages"] = [s for s in d["stages"] if s["key"] != "feasibility"]
        d["transitions"] = {
            s: [t for t in ts if t != "feasibility"]
            for s, ts in d["transitions"].items()
            if s != "feasibility"
        }
        d["transitions"]["intake"].append("risk_review")
        d["gates"] = {g: v for g, v in d["gates"].items() if "feasibility" not in g}
        d["prioritisation"]["stages"] = ["intake"]

    result = simulate(draft(drop_feasibility), today=TODAY)
    assert [r.id for r in result.stage_not_in_draft] == [portfolio.chatbot.pk]


def test_nothing_is_written(portfolio: Portfolio) -> None:
    models = [
        UseCase,
        RiskAssessment,
        PilotPlan,
        AuditEvent,
        PolicyVersion,
        StageChange,
        ReviewRequest,
        User,
    ]
    before = [m._default_manager.count() for m in models]
    simulate(draft(lambda d: d.update(structure="centralized")), today=TODAY)
    simulate(draft(lambda d: d["scoring"]["thresholds"].update(medium=0.1)), today=TODAY)
    assert [m._default_manager.count() for m in models] == before


def test_chunks_do_not_change_the_answer(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower = draft(lambda d: d["scoring"]["thresholds"].update(medium=0.1))
    whole = simulate(lower, today=TODAY).to_json()
    monkeypatch.setattr(simulation, "CHUNK", 2)
    chunked = simulate(lower, today=TODAY).to_json()
    for key in ("elapsed_ms",):
        whole.pop(key), chunked.pop(key)
    assert chunked == whole
    assert whole["summary"]["tier_changes"] == 6  # every impact 4 and 6 use case but the retired


def test_query_count_does_not_grow_with_the_portfolio(
    world: World, portfolio: Portfolio, query_budget: Budget
) -> None:
    active = active_policy()
    lower = draft(lambda d: d["scoring"]["thresholds"].update(medium=0.2))
    # roster, then per chunk: use cases, assessments + plans + KPIs (facts), answers, pilot
    # decisions, the gates' lazy facts (obligations: statuses + case facts; the exit criteria's
    # latest measurements; open gate overrides; no gate asks for data products, so they are
    # not read); and the empty chunk that ends the loop
    with query_budget("simulate"):
        simulate(lower, active=active, today=TODAY)
    for i in range(12):
        uc = make(world, f"More {i}", "pilot", IMPACT_6)
        plan(uc, -30, 10)
    with query_budget("simulate"):
        result = simulate(lower, active=active, today=TODAY)
    assert result.use_cases == 23


def test_json_is_plain_and_ordered(portfolio: Portfolio) -> None:
    result = simulate(draft(lambda d: d["scoring"]["thresholds"].update(medium=0.1)), today=TODAY)
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["active"]["version"] == active_policy().version
    assert data["draft"] == {"name": "aiom default operating model", "structure": "federated"}
    rows = data["tier_changes"]
    assert [r["use_case"]["id"] for r in rows] == sorted(r["use_case"]["id"] for r in rows)
    assert rows[0]["use_case"] == {
        "id": portfolio.drifter.pk,
        "title": "Tier drifter",
        "org_unit": "Cards",
        "stage": "intake",
    }


def test_visible_to_narrows_the_portfolio(world: World, portfolio: Portfolio) -> None:
    secret = make(world, "Secret drifter", "intake", IMPACT_6, confidential=True)
    lower = draft(lambda d: d["scoring"]["thresholds"].update(medium=0.2))

    everyone = simulate(lower, today=TODAY)
    charlie = simulate(lower, today=TODAY, use_cases=UseCase.objects.visible_to(world.charlie))

    assert ids(everyone.tier_changes) == [portfolio.drifter.pk, secret.pk]
    assert ids(charlie.tier_changes) == [portfolio.drifter.pk]
    assert charlie.use_cases == everyone.use_cases - 2  # Alice's two confidential ones
