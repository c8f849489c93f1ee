"""Real threads racing on the same row: exactly one wins, the other is refused cleanly.

Runs on SQLite (a file database, so the threads really wait for each other's locks) and
on PostgreSQL when AIOM_DATABASE_URL selects it. Each test then walks the audit chain.
"""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from aiom.core.audit import verify_chain
from aiom.core.errors import GateBlocked, InvalidInput, StaleVersion
from aiom.governance.assessments import services as assessments
from aiom.governance.models import Decision, ReviewStatus
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import StageChange
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import MEDIUM
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, meet_obligations, today

RATIONALE = "Risks are understood and the mitigations are proportionate."
Outcome = tuple[str, Any]


def race(*calls: Callable[[], Any]) -> list[Outcome]:
    """Start every call at the same instant on its own thread; ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            result: Outcome = ("ok", call())
        except BaseException as exc:  # reported to the test
            result = ("error", exc)
        finally:
            connection.close()  # this thread's own connection (kept alive on PostgreSQL)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == len(calls), "a thread hung"
    return outcomes


def assert_chain_verifies() -> None:
    report = verify_chain()
    assert report.ok, report.reason
    assert report.checked > 0


@pytest.mark.django_db(transaction=True)
def test_two_stale_edits_at_once_one_wins_the_other_is_told_what_changed(world: World) -> None:
    uc = UseCase.objects.get(pk=world.alice_uc.pk)

    def edit(user: Any, title: str) -> UseCase:
        return portfolio.update_use_case(
            actor=user, use_case=uc, expected_version=uc.version, title=title
        )

    outcomes = race(lambda: edit(world.alice, "Alice's title"), lambda: edit(world.ada, "Ada's"))
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1
    assert len(losses) == 1
    assert isinstance(losses[0], StaleVersion)
    assert losses[0].expected == uc.version
    assert losses[0].current == uc.version + 1
    assert "title" in losses[0].changed
    stored = UseCase.objects.get(pk=uc.pk)
    assert stored.title == wins[0].title
    assert stored.version == uc.version + 1
    assert_chain_verifies()


@pytest.mark.django_db(transaction=True)
def test_two_transitions_of_the_same_use_case_at_once_move_it_once(world: World) -> None:
    uc = world.alice_uc
    reason = "Duplicates an existing tool; not worth a second build."

    def reject(user: Any) -> StageChange:
        return lifecycle.transition(actor=user, use_case=uc, to_stage="rejected", reason=reason)

    outcomes = race(lambda: reject(world.alice), lambda: reject(world.ada))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    refusal = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(refusal, GateBlocked), refusal
    assert StageChange.objects.filter(use_case=uc, to_stage="rejected").count() == 1
    assert UseCase.objects.get(pk=uc.pk).stage == "rejected"
    assert_chain_verifies()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_one_approval_at_once_only_one_decides(
    world: World, reviewers: dict[str, Any]
) -> None:
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        problem="Underwriters spend hours reading applicant documents by hand.",
        value_hypothesis="Cut reading time by a third without more errors.",
    )
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    uc = advance(uc, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice, use_case=uc, exit_criteria=CRITERIA, ends_on=today() + dt.timedelta(90)
    )
    meet_obligations(uc, "pilot")  # the gate into pilot asks for the obligations due by then
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    assert review.approvers == [
        {"role": "risk_reviewer", "count": 1},
        {"role": "ai_expert", "count": 1},
    ]
    reviews.decide(actor=reviewers["vera"], review=review, outcome="approve", rationale=RATIONALE)
    # the next decision settles it

    def decide(user: Any, outcome: str) -> Decision:
        return reviews.decide(actor=user, review=review, outcome=outcome, rationale=RATIONALE)

    outcomes = race(
        lambda: decide(world.rita, "approve"), lambda: decide(reviewers["rob"], "reject")
    )
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1
    assert len(losses) == 1
    assert isinstance(losses[0], InvalidInput), losses[0]
    assert "closed" in losses[0].errors["review"]
    review.refresh_from_db()
    assert Decision.objects.filter(review=review).count() == 2  # Vera's and the winner's
    expected = ReviewStatus.APPROVED if wins[0].outcome == "approve" else ReviewStatus.REJECTED
    assert review.status == expected
    assert_chain_verifies()
