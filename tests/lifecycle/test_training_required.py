"""A policy that requires training: untrained reviewers cannot decide, untrained owners of
high-tier use cases cannot move them on — each refusal says why."""

import datetime as dt
from typing import Any

import pytest

from aiom.core.errors import GateBlocked, PermissionDenied
from aiom.governance.assessments import services as assessments
from aiom.governance.models import PolicyVersion
from aiom.governance.policy.versions import activate, active_policy
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.literacy.services import record_training
from aiom.portfolio.models import UseCase
from tests.answers import HIGH
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, today

RATIONALE = "Risks are understood and the mitigations are proportionate."
REQUIRING = (
    "literacy: {target: 0.8, require: [{role: risk_reviewer, level: reviewer}], "
    "high_tier_owner_level: practitioner}"
)


@pytest.fixture
def requiring_training(world: World) -> None:
    text = PolicyVersion.objects.get(version=active_policy().version).content
    assert "literacy: {target: 0.8}" in text
    activate(actor=None, text=text.replace("literacy: {target: 0.8}", REQUIRING))


def train(person: Any, level: str) -> None:
    record_training(
        actor=None,
        person=person,
        course=f"AI {level} course",
        provider="Academy",
        level=level,
        completed_on=today() - dt.timedelta(days=30),
    )


def test_an_untrained_reviewer_cannot_decide(
    world: World, ready: UseCase, reviewers: dict[str, Any], requiring_training: None
) -> None:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=60),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    with pytest.raises(PermissionDenied, match="Rob Example has no reviewer training"):
        reviews.decide(
            actor=reviewers["rob"], review=review, outcome="approve", rationale=RATIONALE
        )
    train(reviewers["rob"], "reviewer")
    decision = reviews.decide(
        actor=reviewers["rob"], review=review, outcome="approve", rationale=RATIONALE
    )
    assert decision.role == "risk_reviewer"
    [said] = decision.snapshot["eligibility"]["guards"]  # why Rob was allowed, kept
    assert said["guard"] == "reviewer_trained" and said["passed"]
    assert said["reason"].startswith("Rob Example holds current reviewer training")


def test_an_untrained_owner_cannot_move_a_high_tier_use_case(
    world: World, ready: UseCase, requiring_training: None
) -> None:
    assessments.assess(actor=world.alice, use_case=ready, answers=HIGH)
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    assert any("owning a high-tier use case needs practitioner" in r for r in refused.value.reasons)
    lifecycle.transition(
        actor=world.alice,
        use_case=ready,
        to_stage="rejected",
        reason="Not worth the training effort right now.",
    )  # exits stay open


def test_a_trained_owner_moves_it(world: World, ready: UseCase, requiring_training: None) -> None:
    assessments.assess(actor=world.alice, use_case=ready, answers=HIGH)
    train(world.alice, "practitioner")
    change = lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    assert UseCase.objects.get(pk=ready.pk).stage == "feasibility"
    [said] = [c for c in change.checks if c.get("guard")]  # why the move was allowed
    assert said["check"] == "owner_trained" and said["passed"]
    assert said["reason"].startswith("Alice Example holds current practitioner training")
