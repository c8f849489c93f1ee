"""Segregation of duties that cannot be dodged: each bypass class through the API.

1. Lowering the tier by re-answering the questionnaire, then approving alone (amara).
2. Handing ownership to a colleague, then approving one's own request.
3. Overriding the tier down, then being the only approver.
4. An approval surviving a material change or a new assessment.
5. One person being enough where the policy asks for two.
6. Answers that contradict the recorded facts.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aiom.core.models import AuditEvent
from aiom.governance.models import Decision, ReviewRequest, ReviewStatus, RiskAssessment
from aiom.governance.reviews import services as reviews
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.governance.sod import (
    CRITERIA,
    HIGH,
    HIGH_FACTS,
    LOW,
    LOW_BUT_CONSISTENT,
    MEDIUM,
    WHY,
    People,
    api,
    in_risk_review,
    make_people,
    use_policy,
)


@pytest.fixture
def people(world: World) -> People:
    use_policy()
    return make_people(world)


def events(uc: UseCase, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="portfolio.usecase", object_id=str(uc.pk), action=action
        ).order_by("seq")
    )


def errors_of(response: Any) -> dict[str, str]:
    return {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}


def request_pilot(user: Any, uc: UseCase) -> dict[str, Any]:
    response = api(user).post(f"/use-cases/{uc.pk}/reviews", {"to_stage": "pilot"})
    assert response.status_code == 201, response.content
    return dict(response.json())


# --- 1. amara: re-answer to lower the tier, request, approve alone ----------------------


def test_an_ai_expert_cannot_lower_the_tier_and_approve_alone(world: World, people: People) -> None:
    uc = in_risk_review(world, world.alice, HIGH, **HIGH_FACTS)
    amara = api(people.amara)
    staff_only = amara.post(f"/use-cases/{uc.pk}/assessments", {"answers": LOW})
    assert staff_only.status_code == 422  # "staff only" on a customer-facing use case
    problems = errors_of(staff_only)
    assert "customer_facing" in problems["affected"]
    assert "affected" in problems["use_case.customer_facing"]

    lowered = amara.post(f"/use-cases/{uc.pk}/assessments", {"answers": LOW_BUT_CONSISTENT})
    assert lowered.status_code == 201
    body = lowered.json()
    assert (body["computed_tier"], body["tier"], body["lowered_to"]) == ("low", "high", "low")
    assert body["lowered_by"]["id"] == people.amara.pk
    assert UseCase.objects.get(pk=uc.pk).tier == "high"  # the higher tier governs

    review = request_pilot(people.amara, uc)
    assert review["tier"] == "high" and review["min_people"] == 2
    refused = amara.approve(review["id"])
    assert refused.status_code == 403
    assert (
        api(people.amara).post(f"/use-cases/{uc.pk}/assessment/lowering/confirm").status_code == 403
    )

    # Even once a second person confirms the low tier, amara answered it and asked: not hers.
    confirmed = api(people.cleo).post(f"/use-cases/{uc.pk}/assessment/lowering/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["tier"] == "low"
    review = request_pilot(people.amara, uc)
    assert review["tier"] == "low"
    refused = amara.approve(review["id"])
    assert refused.status_code == 403
    assert "answered the risk assessment" in refused.json()["detail"]
    assert "requested this review" in refused.json()["detail"]
    assert api(people.vera).approve(review["id"]).status_code == 201
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.APPROVED


# --- 2. hand ownership over, then approve -----------------------------------------------


@pytest.mark.parametrize("requester", ["dave", "alice"])
def test_handing_ownership_over_does_not_let_the_old_owner_approve(
    world: World, people: People, requester: str
) -> None:
    uc = in_risk_review(world, people.dave, MEDIUM, personal_data=True)
    if requester == "alice":  # the hand-over comes first; the new owner asks
        handed = api(people.dave).patch(f"/use-cases/{uc.pk}", {"owner": world.alice.pk})
        assert handed.status_code == 200
        review = request_pilot(world.alice, uc)
    else:  # the owner asks, then hands over
        review = request_pilot(people.dave, uc)
        handed = api(people.dave).patch(f"/use-cases/{uc.pk}", {"owner": world.alice.pk})
        assert handed.status_code == 200
    assert UseCase.objects.get(pk=uc.pk).owner_id == world.alice.pk

    refused = api(people.dave).approve(review["id"])
    assert refused.status_code == 403
    assert "was the owner" in refused.json()["detail"]
    assert not Decision.objects.filter(review_id=review["id"]).exists()
    assert reviews.slot_for(people.dave, ReviewRequest.objects.get(pk=review["id"])) is None
    mine = api(people.dave).get("/reviews?queue=mine").json()["items"]
    assert review["id"] not in [r["id"] for r in mine]
    assert review["id"] in [
        r["id"] for r in api(people.rob).get("/reviews?queue=mine").json()["items"]
    ]


def test_the_review_page_names_why_someone_may_not_decide(
    world: World, people: People, client: Any
) -> None:
    uc = in_risk_review(world, people.dave, MEDIUM, personal_data=True)
    review = request_pilot(people.dave, uc)
    api(people.dave).patch(f"/use-cases/{uc.pk}", {"owner": world.alice.pk})
    client.force_login(people.dave)
    page = client.get(f"/reviews/{review['id']}/").content.decode()
    assert 'name="outcome"' not in page
    assert "was the owner" in page
    refused = client.post(
        f"/reviews/{review['id']}/", {"outcome": "approve", "rationale": "x" * 30}
    )
    assert refused.status_code == 403
    assert not Decision.objects.exists()


# --- 3. override the tier down, then approve alone --------------------------------------


def test_an_override_down_needs_a_second_person_and_bars_the_overrider(
    world: World, people: People
) -> None:
    uc = in_risk_review(world, world.alice, HIGH, **HIGH_FACTS)
    rita = api(world.rita)
    overridden = rita.post(
        f"/use-cases/{uc.pk}/assessment/override", {"tier": "medium", "justification": WHY}
    )
    assert overridden.status_code == 200
    assert (overridden.json()["tier"], overridden.json()["lowered_to"]) == ("high", "medium")
    assert UseCase.objects.get(pk=uc.pk).tier == "high"
    pending = rita.get("/assessments/lowerings").json()["items"]
    assert [(p["use_case"], p["lowered_to"]) for p in pending] == [(uc.pk, "medium")]

    assert rita.post(f"/use-cases/{uc.pk}/assessment/lowering/confirm").status_code == 403
    review = request_pilot(world.alice, uc)
    assert review["tier"] == "high"  # the request follows the tier in force
    assert rita.approve(review["id"]).status_code == 403  # she overrode the assessment

    assert (
        api(people.cleo).post(f"/use-cases/{uc.pk}/assessment/lowering/confirm").status_code == 200
    )
    assert [e.actor_id for e in events(uc, "confirm_lower_tier")] == [people.cleo.pk]
    review = request_pilot(world.alice, uc)
    assert (review["tier"], review["min_people"]) == ("medium", 2)
    assert rita.approve(review["id"]).status_code == 403  # overrode it
    assert api(people.cleo).approve(review["id"]).status_code == 403  # not a medium role
    assert api(people.rob).approve(review["id"]).status_code == 201
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.OPEN
    assert api(people.vera).approve(review["id"]).status_code == 201
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.APPROVED


def test_a_rejected_lowering_keeps_the_higher_tier_with_the_reason(
    world: World, people: People
) -> None:
    uc = in_risk_review(world, world.alice, HIGH, **HIGH_FACTS)
    api(people.amara).post(f"/use-cases/{uc.pk}/assessments", {"answers": LOW_BUT_CONSISTENT})
    short = api(world.rita).post(f"/use-cases/{uc.pk}/assessment/lowering/reject", {"reason": "no"})
    assert short.status_code == 422
    kept = api(world.rita).post(
        f"/use-cases/{uc.pk}/assessment/lowering/reject",
        {"reason": "Customers are affected at scale; the answers understate it."},
    )
    assert kept.status_code == 200
    assert (kept.json()["tier"], kept.json()["lowered_to"]) == ("high", None)
    assert "Lowering to low rejected" in kept.json()["override_justification"]
    assert UseCase.objects.get(pk=uc.pk).tier == "high"
    [event] = events(uc, "reject_lower_tier")
    assert event.actor_id == world.rita.pk and event.before["lowered_to"] == "low"


def test_raising_the_tier_takes_effect_at_once(world: World, people: People) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    raised = api(world.rita).post(
        f"/use-cases/{uc.pk}/assessment/override", {"tier": "high", "justification": WHY}
    )
    assert (raised.json()["tier"], raised.json()["lowered_to"]) == ("high", None)
    assert UseCase.objects.get(pk=uc.pk).tier == "high"


def test_the_assessment_page_shows_and_confirms_a_pending_lowering(
    world: World, people: People, client: Any
) -> None:
    uc = in_risk_review(world, world.alice, HIGH, **HIGH_FACTS)
    api(people.amara).post(f"/use-cases/{uc.pk}/assessments", {"answers": LOW_BUT_CONSISTENT})
    client.force_login(people.amara)
    own = client.get(f"/use-cases/{uc.pk}/assessment/").content.decode()
    assert "Lower tier proposed: <strong>low</strong>" in own
    assert "You cannot confirm or reject it: only a compliance reviewer or risk reviewer" in own
    client.force_login(people.cleo)
    page = client.get(f"/use-cases/{uc.pk}/assessment/").content.decode()
    assert "Confirm the lower tier" in page
    done = client.post(f"/use-cases/{uc.pk}/assessment/lowering/confirm/")
    assert done.status_code == 302
    assert UseCase.objects.get(pk=uc.pk).tier == "low"


# --- 4. approvals do not survive a material change or a new assessment ------------------


def test_a_material_change_voids_the_approvals_and_reopens_the_review(
    world: World, people: People, client: Any
) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    review = request_pilot(world.alice, uc)
    api(people.rob).approve(review["id"])
    api(people.vera).approve(review["id"])
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.APPROVED

    changed = api(world.alice).patch(f"/use-cases/{uc.pk}", {"customer_facing": True})
    assert changed.status_code == 200
    shown = api(world.alice).get(f"/reviews/{review['id']}").json()
    assert shown["status"] == "open"
    assert [d["voided"] for d in shown["decisions"]] == [True, True]
    assert all("it became customer-facing" in d["voided_reason"] for d in shown["decisions"])
    [event] = events(uc, "void_approvals")
    assert event.after["reopened"] == [review["id"]]
    client.force_login(world.alice)
    page = client.get(f"/reviews/{review['id']}/").content.decode()
    assert page.count("voided: a material change: it became customer-facing") >= 2
    moved = api(world.alice).post(f"/use-cases/{uc.pk}/transitions", {"to_stage": "pilot"})
    assert moved.status_code == 409

    # Re-assessed on the new facts, the same reviewers may decide again.
    api(world.alice).post(f"/use-cases/{uc.pk}/assessments", {"answers": MEDIUM})
    assert api(people.rob).approve(review["id"]).status_code == 201
    assert api(people.vera).approve(review["id"]).status_code == 201
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.APPROVED
    moved = api(world.alice).post(f"/use-cases/{uc.pk}/transitions", {"to_stage": "pilot"})
    assert moved.status_code in (200, 201), moved.content


def test_a_new_assessment_voids_an_open_approval(world: World, people: People) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    review = request_pilot(world.alice, uc)
    api(people.rob).approve(review["id"])
    api(world.alice).post(f"/use-cases/{uc.pk}/assessments", {"answers": MEDIUM})
    [decision] = Decision.objects.filter(review_id=review["id"])
    assert decision.voided_at is not None
    assert "re-assessed" in decision.voided_reason
    stored = ReviewRequest.objects.get(pk=review["id"])
    assert reviews.open_slots(stored) == {"risk_reviewer": 1, "ai_expert": 1}


# --- 5. two distinct people ---------------------------------------------------------------


def test_one_approval_is_not_enough_where_the_policy_asks_for_two(
    world: World, people: People
) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    review = request_pilot(world.alice, uc)
    assert api(people.rob).approve(review["id"]).status_code == 201
    assert ReviewRequest.objects.get(pk=review["id"]).status == ReviewStatus.OPEN
    moved = api(world.alice).post(f"/use-cases/{uc.pk}/transitions", {"to_stage": "pilot"})
    assert moved.status_code == 409


def test_the_decision_records_why_its_reviewer_was_eligible(world: World, people: People) -> None:
    uc = in_risk_review(world, people.dave, MEDIUM, personal_data=True)
    review = request_pilot(people.dave, uc)
    api(people.dave).patch(f"/use-cases/{uc.pk}", {"owner": world.alice.pk})
    decided = api(people.rob).approve(review["id"]).json()
    eligibility = decided["eligibility"]
    assert (eligibility["role"], eligibility["scope"]) == ("risk_reviewer", world.retail.path)
    window = eligibility["checked_against_window"]
    assert window["start"] is not None and window["from_seq"] > 0
    excluded = {e["name"]: e["why"] for e in window["excluded"]}
    assert "was the owner" in excluded["dave"] and "requested this review" in excluded["dave"]
    assert "was the owner" in excluded["alice"]
    assert "was the sponsor" in excluded["ada"]
    assert "rob" not in excluded
    vera = api(people.vera).approve(review["id"]).json()["eligibility"]
    assert (vera["role"], vera["scope"]) == ("ai_expert", "global")


# --- 6. answers against the recorded facts ------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "answers", "question", "fact"),
    [
        ({"customer_facing": True}, LOW, "affected", "customer_facing"),
        ({"automated_decisions": True}, LOW, "automation", "automated_decisions"),
        ({}, LOW | {"automation": "decides"}, "automation", "automated_decisions"),
        ({"personal_data": True}, LOW, "personal_data", "personal_data"),
    ],
)
def test_answers_that_contradict_the_facts_are_refused_naming_both(
    world: World,
    people: People,
    facts: dict[str, bool],
    answers: dict[str, Any],
    question: str,
    fact: str,
) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    api(world.alice).patch(f"/use-cases/{uc.pk}", {"personal_data": False, **facts})
    before = RiskAssessment.objects.count()
    refused = api(world.alice).post(f"/use-cases/{uc.pk}/assessments", {"answers": answers})
    assert refused.status_code == 422
    errors = errors_of(refused)
    assert fact in errors[question] and question in errors[f"use_case.{fact}"]
    assert RiskAssessment.objects.count() == before

    fixed = api(world.alice).post(
        f"/use-cases/{uc.pk}/assessments", {"answers": answers, "update_facts": True}
    )
    assert fixed.status_code == 201, fixed.content
    stored = UseCase.objects.get(pk=uc.pk)
    assert getattr(stored, fact) is (not ({**facts}.get(fact, False)))
    update = events(uc, "update")[-1]
    assert update.after[fact] is getattr(stored, fact)
    assert update.message == "facts corrected with the risk assessment"


# --- who prepared the gate ----------------------------------------------------------------


@pytest.mark.parametrize("prepared", ["pilot plan", "kpi", "obligation"])
def test_whoever_prepared_the_gate_cannot_approve_it(
    world: World, people: People, prepared: str
) -> None:
    uc = in_risk_review(world, world.alice, MEDIUM, personal_data=True)
    review = request_pilot(world.alice, uc)
    vera = api(people.vera)  # a global AI expert may edit the use case
    if prepared == "pilot plan":
        ends = (timezone.localdate() + dt.timedelta(days=50)).isoformat()
        done = vera.client.put(
            f"/api/v1/use-cases/{uc.pk}/pilot-plan",
            {"exit_criteria": CRITERIA, "ends_on": ends},
            content_type="application/json",
            **vera.headers,  # type: ignore[arg-type]
        )
        reason = "prepared the gate: the pilot plan"
    elif prepared == "kpi":
        done = vera.post(
            f"/use-cases/{uc.pk}/kpis",
            {"name": "Complaints", "direction": "lower", "baseline": 12, "target": 8},
        )
        reason = "prepared the gate: defined or changed a KPI"
    else:
        from aiom.obligations.derive import derive
        from aiom.obligations.facts import active_pack, case_facts

        owed = derive(active_pack(), case_facts(UseCase.objects.get(pk=uc.pk)))[0]
        done = vera.client.put(
            f"/api/v1/use-cases/{uc.pk}/obligations/{owed.key}",
            {"status": "met"},
            content_type="application/json",
            **vera.headers,  # type: ignore[arg-type]
        )
        reason = "prepared the gate: set an obligation's status"
    assert done.status_code in (200, 201), done.content
    refused = vera.approve(review["id"])
    assert refused.status_code == 403
    assert reason in refused.json()["detail"]
    assert api(people.amara).approve(review["id"]).status_code == 201  # another AI expert
