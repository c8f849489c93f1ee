"""Pilots: exit criteria and end date fixed before start, limited extensions, stalling."""

import datetime as dt
from typing import Any

import pytest

from aiom.core.errors import GateBlocked, InvalidInput
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import PilotPlan
from aiom.lifecycle.overview import overview
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, approve_fully, measure, today

RATIONALE = "Risks are understood and the mitigations are proportionate."


@pytest.mark.parametrize(
    ("criteria", "days", "bad"),
    [
        ([], 30, "exit_criteria"),
        ([{"metric": "", "target": 1}], 30, "exit_criteria[0]"),
        ([{"metric": "NPS", "target": "lots"}], 30, "exit_criteria[0]"),
        ([{"metric": "NPS", "target": 40, "direction": "sideways"}], 30, "exit_criteria[0]"),
        (CRITERIA, 0, "ends_on"),
        (CRITERIA, 121, "ends_on"),  # the default policy allows 120 days
    ],
)
def test_pilot_plans_are_validated(
    world: World, ready: UseCase, criteria: list[Any], days: int, bad: str
) -> None:
    uc = advance(ready, world.alice, "feasibility")
    with pytest.raises(InvalidInput) as err:
        lifecycle.plan_pilot(
            actor=world.alice,
            use_case=uc,
            exit_criteria=criteria,
            ends_on=today() + dt.timedelta(days=days),
        )
    assert bad in err.value.errors


def test_entering_pilot_starts_it_and_fixes_the_plan(world: World, in_pilot: UseCase) -> None:
    plan = PilotPlan.objects.get(use_case=in_pilot)
    assert plan.starts_on == today()
    with pytest.raises(InvalidInput, match="before it starts"):
        lifecycle.plan_pilot(
            actor=world.alice,
            use_case=in_pilot,
            exit_criteria=CRITERIA,
            ends_on=today() + dt.timedelta(days=10),
        )


def test_extensions_within_the_policy_limits(world: World, in_pilot: UseCase) -> None:
    plan = PilotPlan.objects.get(use_case=in_pilot)
    with pytest.raises(InvalidInput) as err:
        lifecycle.extend_pilot(
            actor=world.alice,
            use_case=in_pilot,
            ends_on=plan.ends_on + dt.timedelta(days=61),
            reason="We need a full quarter of data.",
        )
    assert "at most 60 days" in err.value.errors["ends_on"]
    with pytest.raises(InvalidInput) as err:
        lifecycle.extend_pilot(
            actor=world.alice,
            use_case=in_pilot,
            ends_on=plan.ends_on + dt.timedelta(days=30),
            reason="",
        )
    assert "reason" in err.value.errors
    extended = lifecycle.extend_pilot(
        actor=world.alice,
        use_case=in_pilot,
        ends_on=plan.ends_on + dt.timedelta(days=30),
        reason="Holiday season skewed the volumes.",
    )
    assert extended.ends_on == plan.ends_on + dt.timedelta(days=30)
    assert extended.original_ends_on == plan.ends_on
    assert extended.extensions[0]["reason"] == "Holiday season skewed the volumes."
    with pytest.raises(InvalidInput) as err:  # the default policy allows one extension
        lifecycle.extend_pilot(
            actor=world.alice,
            use_case=in_pilot,
            ends_on=extended.ends_on + dt.timedelta(days=10),
            reason="Still not enough data.",
        )
    assert "decide now: scale or stop" in err.value.errors["ends_on"]


def test_a_pilot_past_its_end_date_without_a_decision_is_stalled(
    world: World, in_pilot: UseCase
) -> None:
    plan = PilotPlan.objects.get(use_case=in_pilot)
    assert not overview(in_pilot).pilot_stalled
    assert overview(in_pilot, today=plan.ends_on).pilot_stalled is False
    assert overview(in_pilot, today=plan.ends_on + dt.timedelta(days=1)).pilot_stalled


def test_stopping_a_pilot_records_the_decision(world: World, in_pilot: UseCase) -> None:
    lifecycle.transition(
        actor=world.alice,
        use_case=in_pilot,
        to_stage="stopped",
        reason="Handling time did not move; not worth scaling.",
    )
    plan = PilotPlan.objects.get(use_case=in_pilot)
    assert (plan.decision, plan.decided_on) == ("stop", today())
    assert not overview(
        UseCase.objects.get(pk=in_pilot.pk), today=plan.ends_on + dt.timedelta(days=5)
    ).pilot_stalled


def test_scaling_needs_its_own_approval(
    world: World, in_pilot: UseCase, reviewers: dict[str, Any]
) -> None:
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    assert "request a review" in refused.value.reasons[-1]
    measure(in_pilot, 6.5)  # the exit criterion (≤ 7 min) is met
    review = reviews.request_review(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    approve_fully(review, list(reviewers.values()))
    lifecycle.transition(actor=world.alice, use_case=in_pilot, to_stage="scaling")
    plan = PilotPlan.objects.get(use_case=in_pilot)
    assert plan.decision == "scale"
