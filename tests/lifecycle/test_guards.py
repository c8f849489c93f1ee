"""Transition and decision guards: another app's reasons to refuse a move or a decision,
asked after the gate; what each said is stored with the gate's results."""

import datetime as dt
from typing import Any

import pytest

from aiom.core.errors import GateBlocked, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.core.registry import registry
from aiom.governance import guards as decision_guards
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import guards as transition_guards
from aiom.lifecycle import services as lifecycle
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.lifecycle.conftest import APPROVAL, CRITERIA, advance, today

FROZEN = "The portfolio is frozen until the audit closes"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[transition_guards.Move]:
    """A test's guard (in a copy of the store): refuses moves into feasibility only."""
    monkeypatch.setitem(registry, transition_guards.STORE, dict(registry[transition_guards.STORE]))
    asked: list[transition_guards.Move] = []

    def freeze(move: transition_guards.Move) -> tuple[bool, str] | None:
        asked.append(move)
        if move.terminal:
            return None
        return move.to_stage != "feasibility", f"{FROZEN} (moving to {move.to_stage})."

    transition_guards.register("audit_freeze", freeze)
    return asked


def test_a_guard_refuses_a_move_with_its_reason(
    world: World, ready: UseCase, frozen: list[transition_guards.Move]
) -> None:
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    assert refused.value.reasons == [f"{FROZEN} (moving to feasibility)."]
    assert UseCase.objects.get(pk=ready.pk).stage == "intake"
    assert not AuditEvent.objects.filter(object_id=str(ready.pk), action="transition").exists()
    [move] = frozen
    assert (move.use_case.pk, move.to_stage, move.terminal) == (ready.pk, "feasibility", False)


def test_what_the_guards_said_is_stored_with_the_check_results(
    world: World, ready: UseCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry, transition_guards.STORE, dict(registry[transition_guards.STORE]))
    transition_guards.register("audit_freeze", lambda move: (True, "No freeze today."))
    change = lifecycle.transition(actor=world.alice, use_case=ready, to_stage="feasibility")
    guards = [c for c in change.checks if c.get("guard")]
    assert guards == [
        {
            "check": "owner_trained",
            "passed": True,
            "reason": "no training required to own a medium use case.",
            "guard": True,
        },
        {"check": "audit_freeze", "passed": True, "reason": "No freeze today.", "guard": True},
    ]
    gate = [c for c in change.checks if not c.get("guard")]
    assert gate and all(c["passed"] for c in gate)


def test_a_guard_is_not_asked_when_the_gate_refuses(
    world: World, frozen: list[transition_guards.Move]
) -> None:
    with pytest.raises(GateBlocked):
        lifecycle.transition(actor=world.alice, use_case=world.alice_uc, to_stage="pilot")
    assert frozen == []


def test_a_decision_guard_refuses_and_its_reason_is_kept_when_it_allows(
    world: World, ready: UseCase, reviewers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry, decision_guards.STORE, dict(registry[decision_guards.STORE]))
    away: set[int] = {reviewers["rob"].pk}

    def on_leave(deciding: decision_guards.Deciding) -> tuple[bool, str]:
        if deciding.reviewer.pk in away:
            return False, f"{deciding.reviewer.username} is on leave"
        return True, f"{deciding.reviewer.username} is at work"

    decision_guards.register("on_leave", on_leave)
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice, use_case=uc, exit_criteria=CRITERIA, ends_on=today() + dt.timedelta(60)
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    with pytest.raises(PermissionDenied, match=r"^rob is on leave$"):
        reviews.decide(actor=reviewers["rob"], review=review, outcome="approve", rationale=APPROVAL)
    away.clear()
    decision = reviews.decide(
        actor=reviewers["rob"], review=review, outcome="approve", rationale=APPROVAL
    )
    assert decision.snapshot["eligibility"]["guards"] == [
        {
            "guard": "reviewer_trained",
            "passed": True,
            "reason": "the policy requires no training of reviewers",
        },
        {"guard": "on_leave", "passed": True, "reason": "rob is at work"},
    ]
