"""The transition engine: legal moves only, every failing gate reason listed, atomic."""

import datetime as dt

import pytest

from aiom.core.errors import GateBlocked, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.governance.assessments import services as assessments
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import StageChange
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import LOW, MEDIUM
from tests.conftest import World
from tests.lifecycle.conftest import advance


def test_a_new_use_case_has_its_entry_recorded(world: World) -> None:
    [entry] = StageChange.objects.filter(use_case=world.alice_uc)
    assert (entry.from_stage, entry.to_stage) == ("", "intake")
    assert entry.policy_version == active_policy().version


def test_leaving_intake_needs_an_assessment_and_lists_every_reason(world: World) -> None:
    uc = portfolio.create_use_case(
        actor=world.bob, title="Queue forecaster", org_unit=world.retail, owner=world.bob
    )
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.bob, use_case=uc, to_stage="feasibility")
    reasons = " ".join(refused.value.reasons)
    assert "business problem needs a description" in reasons
    assert "No risk assessment yet" in reasons
    assert len(refused.value.reasons) == 2
    assert UseCase.objects.get(pk=uc.pk).stage == "intake"
    assert not AuditEvent.objects.filter(object_id=str(uc.pk), action="transition").exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("intake", "pilot"),
        ("intake", "operational"),
        ("intake", "retired"),
        ("intake", "nowhere"),
        ("feasibility", "scaling"),
    ],
)
def test_illegal_transitions_are_refused(
    world: World, ready: UseCase, start: str, target: str
) -> None:
    if start == "feasibility":
        ready = advance(ready, world.alice, "feasibility")
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage=target)
    assert refused.value.reasons == [f"There is no transition from {start} to {target}."]


def test_a_legal_move_writes_stage_change_stage_and_audit_atomically(
    world: World, ready: UseCase
) -> None:
    change = lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    uc = UseCase.objects.get(pk=ready.pk)
    assert (uc.stage, uc.version) == ("feasibility", ready.version + 1)
    assert (change.from_stage, change.to_stage, change.actor_name) == (
        "intake",
        "feasibility",
        "Alice Example",
    )
    assert change.policy_version == active_policy().version
    assert all(c["passed"] for c in change.checks)
    event = AuditEvent.objects.filter(object_id=str(uc.pk), action="transition").get()
    assert event.before["stage"] == "intake"
    assert event.after["stage"] == "feasibility"
    assert event.policy_version == active_policy().version


def test_exits_need_a_reason(world: World, ready: UseCase) -> None:
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage="rejected")
    assert "needs a reason" in refused.value.reasons[0]
    lifecycle.transition(
        actor=world.alice,
        use_case=ready,
        to_stage="rejected",
        reason="A vendor product already does this for us.",
    )
    assert UseCase.objects.get(pk=ready.pk).stage == "rejected"


@pytest.mark.parametrize("persona", ["bob", "charlie", "pat", "rita"])
def test_only_editors_move_use_cases(world: World, ready: UseCase, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        lifecycle.transition(actor=world.persona(persona), use_case=ready, to_stage="feasibility")


def test_a_material_change_makes_the_assessment_stale_and_blocks(
    world: World, ready: UseCase
) -> None:
    portfolio.update_use_case(actor=world.alice, use_case=ready, customer_facing=True)
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    assert "stale (it became customer-facing)" in refused.value.reasons[0]
    # re-assessed on the new facts ("staff only" would now contradict them)
    assessments.assess(actor=world.alice, use_case=ready, answers=MEDIUM)
    lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")


def test_an_assessment_past_its_cadence_blocks(world: World, ready: UseCase) -> None:
    later = dt.date.today() + dt.timedelta(days=181)  # medium tier: 180-day cadence
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility", today=later)
    assert "older than the 180-day review cadence" in refused.value.reasons[0]


def test_a_prohibited_practice_blocks_every_forward_move(world: World) -> None:
    uc = portfolio.create_use_case(
        actor=world.alice,
        title="Staff mood monitor",
        org_unit=world.retail,
        owner=world.alice,
        problem="Managers want to know how teams feel during the day.",
    )
    assessments.assess(
        actor=world.alice, use_case=uc, answers={**LOW, "prohibited_practices": ["emotion_at_work"]}
    )
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=uc, to_stage="feasibility")
    assert any("prohibited practice" in r for r in refused.value.reasons)
