"""Approvals: the tier's path, the operating structure, segregation of duties, races."""

import threading
from typing import Any

import pytest
from django.db import close_old_connections

from aiom.core.errors import GateBlocked, InvalidInput, PermissionDenied
from aiom.governance.assessments import services as assessments
from aiom.governance.models import Decision, ReviewRequest, ReviewStatus
from aiom.governance.policy.versions import activate, active_policy
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.portfolio.models import UseCase
from tests.answers import HIGH, LOW
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, meet_obligations, today

RATIONALE = "Risks are understood and the mitigations are proportionate."


@pytest.fixture
def at_risk_review(world: World, ready: UseCase) -> UseCase:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    import datetime as dt

    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=90),
    )
    return uc


def test_a_pilot_needs_the_tiers_approval(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any]
) -> None:
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    assert refused.value.reasons == [
        "Needs the approval of the medium tier (1 risk reviewer, 1 ai expert): request a review."
    ]
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    assert review.approvers == [
        {"role": "risk_reviewer", "count": 1},
        {"role": "ai_expert", "count": 1},
    ]
    assert (review.tier, review.structure, review.status) == ("medium", "federated", "open")
    assert review.min_people == 2
    again = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    assert again.pk == review.pk  # idempotent
    decision = reviews.decide(
        actor=reviewers["rob"], review=review, outcome="approve", rationale=RATIONALE
    )
    assert decision.role == "risk_reviewer"
    assert decision.snapshot["use_case"]["title"] == at_risk_review.title
    assert decision.snapshot["assessment"]["tier"] == "medium"
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN  # four eyes: the AI expert is still missing
    reviews.decide(actor=reviewers["vera"], review=review, outcome="approve", rationale=RATIONALE)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    change = lifecycle.transition(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    assert change.review_id == review.pk
    review.refresh_from_db()
    assert review.status == ReviewStatus.USED


def test_a_review_cannot_be_requested_before_the_other_checks_pass(
    world: World, ready: UseCase
) -> None:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    with pytest.raises(GateBlocked) as refused:
        reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    assert refused.value.reasons[0] == "Fix these before asking reviewers:"
    assert any("No pilot plan" in r for r in refused.value.reasons)


@pytest.mark.parametrize("persona", ["alice", "ada"])
def test_nobody_decides_on_what_they_own_sponsor_or_proposed(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any], persona: str
) -> None:
    from aiom.organisation import services as org
    from aiom.organisation.models import Role

    person = getattr(world, persona)  # Alice owns and proposed; Ada sponsors
    org.assign_role(actor=None, user=person, role=Role.RISK_REVIEWER, org_unit=None)
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    with pytest.raises(PermissionDenied, match="own, sponsor or proposed"):
        reviews.decide(actor=person, review=review, outcome="approve", rationale=RATIONALE)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("structure", "tier", "rob_may", "rita_may"),
    [
        ("federated", "medium", True, True),
        ("federated", "high", False, True),
        ("centralized", "medium", False, True),
        ("decentralized", "medium", True, False),
    ],
)
def test_the_operating_structure_decides_whose_review_counts(
    world: World,
    at_risk_review: UseCase,
    reviewers: dict[str, Any],
    structure: str,
    tier: str,
    rob_may: bool,
    rita_may: bool,
) -> None:
    text = active_policy_text().replace("structure: federated", f"structure: {structure}")
    activate(actor=None, text=text)
    if tier == "high":
        assessments.assess(actor=world.alice, use_case=at_risk_review, answers=HIGH)
        meet_obligations(at_risk_review)  # the high tier owes more before a pilot
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    rob_slot = reviews.slot_for(reviewers["rob"], review)
    rita_slot = reviews.slot_for(world.rita, review)
    assert (rob_slot is not None, rita_slot is not None) == (rob_may, rita_may)


def active_policy_text() -> str:
    from aiom.governance.models import PolicyVersion

    return PolicyVersion.objects.get(version=active_policy().version).content


def test_high_tier_needs_two_distinct_roles(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any]
) -> None:
    assessments.assess(actor=world.alice, use_case=at_risk_review, answers=HIGH)
    meet_obligations(at_risk_review)  # the high tier owes more before a pilot
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    reviews.decide(actor=world.rita, review=review, outcome="approve", rationale=RATIONALE)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN  # compliance still missing
    with pytest.raises(PermissionDenied):  # Rob is only scoped: high tier is central
        reviews.decide(
            actor=reviewers["rob"], review=review, outcome="approve", rationale=RATIONALE
        )
    with pytest.raises(InvalidInput, match="already decided"):
        reviews.decide(actor=world.rita, review=review, outcome="approve", rationale=RATIONALE)
    reviews.decide(
        actor=reviewers["cleo"],
        review=review,
        outcome="approve_with_conditions",
        rationale=RATIONALE,
        conditions="Publish the transparency notice first.",
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("reject", ReviewStatus.REJECTED),
        ("request_changes", ReviewStatus.CHANGES_REQUESTED),
    ],
)
def test_a_rejection_or_change_request_closes_the_review(
    world: World,
    at_risk_review: UseCase,
    reviewers: dict[str, Any],
    outcome: str,
    status: str,
) -> None:
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    reviews.decide(actor=reviewers["rob"], review=review, outcome=outcome, rationale=RATIONALE)
    review.refresh_from_db()
    assert review.status == status
    with pytest.raises(InvalidInput, match="closed"):
        reviews.decide(actor=world.rita, review=review, outcome="approve", rationale=RATIONALE)
    with pytest.raises(GateBlocked):
        lifecycle.transition(actor=world.alice, use_case=at_risk_review, to_stage="pilot")


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"outcome": "shrug", "rationale": RATIONALE}, "outcome"),
        ({"outcome": "approve", "rationale": "ok"}, "rationale"),
        ({"outcome": "approve_with_conditions", "rationale": RATIONALE}, "conditions"),
    ],
)
def test_decisions_need_an_outcome_a_rationale_and_conditions(
    world: World,
    at_risk_review: UseCase,
    reviewers: dict[str, Any],
    fields: dict[str, str],
    bad: str,
) -> None:
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    with pytest.raises(InvalidInput) as err:
        reviews.decide(
            actor=reviewers["rob"],
            review=review,
            outcome=fields["outcome"],
            rationale=fields["rationale"],
        )
    assert bad in err.value.errors


def test_a_tier_change_voids_an_approval(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any]
) -> None:
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    for person in ("rob", "vera"):
        reviews.decide(
            actor=reviewers[person], review=review, outcome="approve", rationale=RATIONALE
        )
    assessments.assess(actor=world.alice, use_case=at_risk_review, answers=LOW)
    assert UseCase.objects.get(pk=at_risk_review.pk).tier == "medium"  # low awaits a 2nd person
    from aiom.governance.assessments import tier_confirmation

    tier_confirmation.confirm_lowering(actor=world.rita, use_case=at_risk_review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN  # the re-assessment voided both approvals
    assert all(d.voided_at is not None for d in review.decisions.all())
    with pytest.raises(GateBlocked) as refused:
        lifecycle.transition(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    assert refused.value.reasons == [
        "Needs the approval of the low tier (1 ai expert): request a review."
    ]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_are_both_counted_once(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any]
) -> None:
    assessments.assess(actor=world.alice, use_case=at_risk_review, answers=HIGH)
    meet_obligations(at_risk_review)  # the high tier owes more before a pilot
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def decide(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            reviews.decide(actor=user, review=review, outcome="approve", rationale=RATIONALE)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (world.rita, reviewers["cleo"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    review = ReviewRequest.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.APPROVED
    assert sorted(review.decisions.values_list("role", flat=True)) == [
        "compliance_reviewer",
        "risk_reviewer",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_same_reviewer_racing_twice_counts_once(
    world: World, at_risk_review: UseCase, reviewers: dict[str, Any]
) -> None:
    assessments.assess(actor=world.alice, use_case=at_risk_review, answers=HIGH)
    meet_obligations(at_risk_review)  # the high tier owes more before a pilot
    review = reviews.request_review(actor=world.alice, use_case=at_risk_review, to_stage="pilot")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide() -> None:
        try:
            barrier.wait(timeout=10)
            reviews.decide(actor=world.rita, review=review, outcome="approve", rationale=RATIONALE)
            outcomes.append("ok")
        except InvalidInput:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Decision.objects.filter(review=review).count() == 1
