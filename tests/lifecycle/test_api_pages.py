"""The lifecycle over the API and the pages: contracts, refusals, visibility."""

import datetime as dt
from typing import Any

from django.test import Client

from aiom.governance.models import Decision
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, meet_obligations, today

RATIONALE = "Risks are understood and the mitigations are proportionate."


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_lifecycle_endpoint_shows_track_and_gate_reasons(login, world: World) -> None:
    body = login("alice").get(f"/api/v1/use-cases/{world.alice_uc.pk}/lifecycle").json()
    assert body["stage"] == "intake"
    assert [s["state"] for s in body["track"]][:2] == ["current", "ahead"]
    move = next(m for m in body["moves"] if m["to_stage"] == "feasibility")
    assert move["checks_pass"] is False
    failing = [c["reason"] for c in move["checks"] if not c["passed"]]
    assert "No risk assessment yet: complete the questionnaire." in failing
    assert [h["to_stage"] for h in body["history"]] == ["intake"]


def test_transition_api_refuses_with_409_and_every_reason(login, world: World) -> None:
    response = post(
        login("alice"),
        f"/api/v1/use-cases/{world.alice_uc.pk}/transitions",
        {"to_stage": "feasibility"},
    )
    assert response.status_code == 409
    assert len(response.json()["reasons"]) == 2
    assert (
        login("bob")
        .post(
            f"/api/v1/use-cases/{world.alice_uc.pk}/transitions",
            {"to_stage": "feasibility"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    hidden = post(
        login("charlie"),
        f"/api/v1/use-cases/{world.alice_secret.pk}/transitions",
        {"to_stage": "feasibility"},
    )
    assert hidden.status_code == 404


def test_the_whole_path_over_the_api(
    login, world: World, ready: UseCase, reviewers: dict[str, Any]
) -> None:
    alice = login("alice")
    base = f"/api/v1/use-cases/{ready.pk}"
    assert post(alice, f"{base}/transitions", {"to_stage": "feasibility"}).status_code == 201
    assert post(alice, f"{base}/transitions", {"to_stage": "risk_review"}).status_code == 201
    plan = alice.put(
        f"{base}/pilot-plan",
        {
            "exit_criteria": CRITERIA,
            "ends_on": str(today() + dt.timedelta(days=45)),
        },
        content_type="application/json",
    )
    assert plan.status_code == 200, plan.content
    review = post(alice, f"{base}/reviews", {"to_stage": "pilot"})
    assert review.status_code == 201, review.content
    review_id = review.json()["id"]
    rob = Client()
    rob.force_login(reviewers["rob"])
    queue = rob.get("/api/v1/reviews", {"queue": "mine"}).json()
    assert [r["id"] for r in queue["items"]] == [review_id]
    bad = post(
        rob, f"/api/v1/reviews/{review_id}/decisions", {"outcome": "approve", "rationale": "fine"}
    )
    assert bad.status_code == 422
    decided = post(
        rob,
        f"/api/v1/reviews/{review_id}/decisions",
        {"outcome": "approve", "rationale": RATIONALE},
    )
    assert decided.status_code == 201, decided.content
    assert decided.json()["outcome_label"] == "Approve"
    vera = Client()
    vera.force_login(reviewers["vera"])  # the medium tier's second approver (AI expert)
    second = post(
        vera,
        f"/api/v1/reviews/{review_id}/decisions",
        {"outcome": "approve", "rationale": RATIONALE},
    )
    assert second.status_code == 201, second.content
    assert post(alice, f"{base}/transitions", {"to_stage": "pilot"}).status_code == 201
    register = login("charlie").get("/api/v1/decisions").json()
    assert register["items"][0]["rationale"] == RATIONALE
    history = alice.get(f"{base}/stage-changes").json()
    assert [h["to_stage"] for h in history["items"]] == [
        "pilot",
        "risk_review",
        "feasibility",
        "intake",
    ]


def test_decisions_register_keeps_confidential_use_cases_hidden(
    login, world: World, reviewers: dict[str, Any]
) -> None:
    from aiom.governance.assessments import services as assessments
    from aiom.portfolio import services as portfolio
    from tests.answers import MEDIUM

    secret = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_secret,
        sponsor=world.ada,
        problem="Which branches will be unprofitable within two years?",
        value_hypothesis="Earlier, better-prepared closure decisions.",
    )
    assessments.assess(actor=world.alice, use_case=secret, answers=MEDIUM)
    meet_obligations(secret)
    secret = advance(secret, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=secret,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=30),
    )
    review = reviews.request_review(actor=world.alice, use_case=secret, to_stage="pilot")
    reviews.decide(actor=reviewers["rob"], review=review, outcome="reject", rationale=RATIONALE)
    assert Decision.objects.count() == 1
    assert login("bob").get("/api/v1/decisions").json()["count"] == 1
    assert login("charlie").get("/api/v1/decisions").json()["count"] == 0
    assert login("charlie").get(f"/api/v1/reviews/{review.pk}").status_code == 404
    html = login("charlie").get("/decisions/").content.decode()
    assert secret.title not in html


def test_the_use_case_page_shows_the_lifecycle_and_a_refusal(login, world: World) -> None:
    client = login("alice")
    page = client.get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert 'class="track"' in page
    assert "No risk assessment yet" in page
    refused = client.post(f"/use-cases/{world.alice_uc.pk}/move/", {"to_stage": "feasibility"})
    assert refused.status_code == 409
    assert "Cannot move to feasibility" in refused.content.decode()


def test_review_pages(login, world: World, ready: UseCase, reviewers: dict[str, Any]) -> None:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=30),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    rob = Client()
    rob.force_login(reviewers["rob"])
    assert uc.title in rob.get("/reviews/").content.decode()
    bad = rob.post(f"/reviews/{review.pk}/", {"outcome": "approve", "rationale": "ok"})
    assert bad.status_code == 422
    good = rob.post(f"/reviews/{review.pk}/", {"outcome": "approve", "rationale": RATIONALE})
    assert good.status_code == 302
    own = login("alice").get(f"/reviews/{review.pk}/").content.decode()
    assert "someone else must decide" in own
