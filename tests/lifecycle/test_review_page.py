"""A reviewer decides with the facts in front of them; conditions of an approval are
tracked to the end; a sent-back review can be revised and requested again.
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.governance.models import ReviewCondition, ReviewRequest, ReviewStatus
from aiom.governance.reviews import conditions
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.monitoring import services as monitoring
from aiom.notifications import services as notifications
from aiom.notifications.models import Notice
from aiom.obligations import services as obligations
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.lifecycle.conftest import APPROVAL, CRITERIA, advance, today

INTERNAL_KEYS = ("approve_with_conditions", "request_changes", "changes_requested")
SENT_BACK = "Say how complaints about the summaries reach a person, then ask again."


def ticks_of(html: str) -> str:
    """The text of the approver-roles table."""
    start = html.index('id="approver-ticks"')
    return visible_text(html[start : html.index("</table>", start)])


def visible_text(html: str) -> str:
    """What a person reads: the page without tags, attributes or scripts."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def asked(world: World, ready: UseCase) -> ReviewRequest:
    """Alice's medium-tier use case at risk review, a pilot planned, a review asked for."""
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=60),
    )
    return reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")


def test_the_review_page_puts_the_facts_in_front_of_the_reviewer(
    login: Any, world: World, asked: ReviewRequest, reviewers: dict[str, Any]
) -> None:
    uc = asked.use_case
    obligations.set_status(
        actor=world.alice, use_case=uc, obligation="technical_documentation", status="open"
    )
    monitoring.report_incident(
        actor=world.bob,
        use_case=uc,
        title="Summary dropped a second income",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        severity="medium",
    )
    response = login("rita").get(f"/reviews/{asked.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>Review #{asked.pk} · aiom</title>" in html
    text = visible_text(html)
    # the assessment: answers as question and answer, score, duties, why the tier
    assert "How much does a person stay in control? It recommends; a person usually follows" in text
    assert "Who is affected by its outputs? Consumers or members of the public" in text
    assert "of the maximum" in text
    assert "Why this tier:" in text
    assert "transparency notice that people are talking to an AI system" in text
    # the pilot plan, each exit criterion with its current result
    assert "Average handling time" in text
    assert "unknown: no measurement yet" in text
    # open obligations, open incidents
    assert "Technical documentation kept current" in text
    assert "Summary dropped a second income" in text
    assert "not yet confirmed" in text
    # the gate of the move, check by check
    assert 'id="review-gate"' in html
    assert "Pilot plan: 1 exit criteria" in text
    # approver roles: needed, by whom
    ticks = html[
        html.index('id="approver-ticks"') : html.index(
            "</table>", html.index('id="approver-ticks"')
        )
    ]
    assert "Risk reviewer" in ticks
    assert "nobody yet" in ticks
    # the first review: the use case's history stands in for "since the last review"
    assert "This is the first review" in text
    assert "Plan pilot" in text


def test_roles_are_ticked_off_as_approvals_arrive(
    login: Any, world: World, asked: ReviewRequest, reviewers: dict[str, Any]
) -> None:
    reviews.decide(actor=world.rita, review=asked, outcome="approve", rationale=APPROVAL)
    html = login("bob").get(f"/reviews/{asked.pk}/").content.decode()
    ticks = visible_text(
        html[
            html.index('id="approver-ticks"') : html.index(
                "</table>", html.index('id="approver-ticks"')
            )
        ]
    )
    assert "Risk reviewer 1 Rita Example ✓ satisfied" in ticks
    for a in asked.approvers:
        if a["role"] != "risk_reviewer":
            assert "nobody yet ✗ missing" in ticks


def test_outcomes_are_words_on_every_page_and_in_the_api(
    login: Any, world: World, asked: ReviewRequest, reviewers: dict[str, Any]
) -> None:
    reviews.decide(
        actor=world.rita,
        review=asked,
        outcome="approve_with_conditions",
        rationale=APPROVAL,
        conditions=[
            {
                "text": "Publish the transparency notice before the first customer sees it.",
                "owner": world.alice.pk,
                "due_on": today() + dt.timedelta(days=14),
            }
        ],
    )
    client = login("bob")
    for url in (
        f"/reviews/{asked.pk}/",
        "/decisions/",
        f"/use-cases/{asked.use_case_id}/",
        "/reviews/",
    ):
        text = visible_text(client.get(url).content.decode())
        assert not [k for k in INTERNAL_KEYS if k in text], url
    assert "Approve with conditions" in visible_text(client.get("/decisions/").content.decode())
    api = client.get(f"/api/v1/reviews/{asked.pk}").json()
    assert api["decisions"][0]["outcome_label"] == "Approve with conditions"
    assert api["status_label"] == "Open"
    item = api["decisions"][0]["condition_items"][0]
    assert (item["owner_id"], item["status_label"]) == (world.alice.pk, "Open")


def test_conditions_are_created_with_the_decision_from_the_page(
    login: Any, world: World, asked: ReviewRequest
) -> None:
    due = today() + dt.timedelta(days=21)
    response = login("rita").post(
        f"/reviews/{asked.pk}/",
        {
            "outcome": "approve_with_conditions",
            "rationale": APPROVAL,
            "condition_text_0": "Add a human hand-off to every answer about fees.",
            "condition_owner_0": str(world.alice.pk),
            "condition_due_0": due.isoformat(),
            "condition_text_1": "",
            "condition_owner_1": str(world.alice.pk),
            "condition_due_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    made = ReviewCondition.objects.get()
    assert (made.text, made.owner, made.due_on, made.status) == (
        "Add a human hand-off to every answer about fees.",
        world.alice,
        due,
        "open",
    )
    event = AuditEvent.objects.filter(action="decision").latest("seq")
    assert event.after is not None
    assert event.after["condition_items"][0]["text"] == made.text
    page = login("alice").get(f"/use-cases/{asked.use_case_id}/").content.decode()
    assert "Add a human hand-off to every answer about fees." in page
    assert f"due {due:%-d %b %Y}" in page


def test_conditions_over_the_api_and_the_old_free_text(
    login: Any, world: World, asked: ReviewRequest, reviewers: dict[str, Any]
) -> None:
    rita = login("rita")
    url = f"/api/v1/reviews/{asked.pk}/decisions"
    bad = rita.post(
        url,
        {
            "outcome": "approve_with_conditions",
            "rationale": APPROVAL,
            "conditions": [{"text": "x", "owner": 999999, "due_on": str(today())}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "conditions[0].owner" in body
    assert "conditions[0].due_on" in body
    legacy = rita.post(
        url,
        {
            "outcome": "approve_with_conditions",
            "rationale": APPROVAL,
            "conditions": "Log every hand-off.",
        },
        content_type="application/json",
    )
    assert legacy.status_code == 201, legacy.content
    made = ReviewCondition.objects.get()
    assert made.owner_id == asked.use_case.owner_id
    assert made.due_on == today() + dt.timedelta(days=conditions.FREE_TEXT_DUE_DAYS)
    assert legacy.json()["conditions"].startswith("Log every hand-off.")


@pytest.mark.parametrize("owner", ["pat", "charlie_secret", "huge"])
def test_a_condition_owner_is_an_internal_person_who_can_see_the_use_case(
    world: World, asked: ReviewRequest, owner: str
) -> None:
    """A partner writes nothing, and a condition is not handed to someone kept out."""
    uc = asked.use_case
    if owner == "charlie_secret":
        portfolio.update_use_case(
            actor=world.alice, use_case=UseCase.objects.get(pk=uc.pk), confidential=True
        )
    pk = {"pat": world.pat.pk, "charlie_secret": world.charlie.pk, "huge": 2**70}[owner]
    with pytest.raises(InvalidInput) as refused:
        reviews.decide(
            actor=world.rita,
            review=asked,
            outcome="approve_with_conditions",
            rationale=APPROVAL,
            conditions=[{"text": "Check it.", "owner": pk, "due_on": today() + dt.timedelta(7)}],
        )
    assert "conditions[0].owner" in refused.value.errors
    assert not ReviewCondition.objects.exists()


def test_conditions_only_on_an_approval_with_conditions(world: World, asked: ReviewRequest) -> None:
    with pytest.raises(InvalidInput) as refused:
        reviews.decide(
            actor=world.rita,
            review=asked,
            outcome="approve",
            rationale=APPROVAL,
            conditions="Something on the side.",
        )
    assert "conditions" in refused.value.errors


@pytest.fixture
def condition(world: World, asked: ReviewRequest) -> ReviewCondition:
    reviews.decide(
        actor=world.rita,
        review=asked,
        outcome="approve_with_conditions",
        rationale=APPROVAL,
        conditions=[
            {
                "text": "Run the bias check on the first 500 summaries.",
                "owner": world.bob.pk,
                "due_on": today() + dt.timedelta(days=10),
            }
        ],
    )
    return ReviewCondition.objects.get()


def test_a_condition_is_met_by_its_owner_and_waived_only_by_an_uninvolved_reviewer(
    world: World, condition: ReviewCondition
) -> None:
    with pytest.raises(PermissionDenied):  # the use case's owner does not waive its conditions
        conditions.close_condition(
            actor=world.alice, condition=condition, status="waived", note="We do not need it."
        )
    with pytest.raises(PermissionDenied):  # an outsider does not close it
        conditions.close_condition(actor=world.charlie, condition=condition, status="met")
    with pytest.raises(InvalidInput) as no_reason:
        conditions.close_condition(actor=world.rita, condition=condition, status="waived")
    assert "note" in no_reason.value.errors
    closed = conditions.close_condition(
        actor=world.bob, condition=condition, status="met", note="Report filed on the wiki."
    )
    assert (closed.status, closed.closed_by, closed.note) == (
        "met",
        world.bob,
        "Report filed on the wiki.",
    )
    assert closed.closed_at is not None
    event = AuditEvent.objects.get(action="close_condition")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["status"], event.after["status"]) == ("open", "met")
    with pytest.raises(InvalidInput):
        conditions.close_condition(
            actor=world.rita, condition=condition, status="waived", note="x" * 20
        )


def test_a_reviewer_waives_a_condition_with_a_reason_on_the_page(
    login: Any, world: World, condition: ReviewCondition
) -> None:
    page = login("rita").get(f"/reviews/{condition.review_id}/").content.decode()
    assert "Waive" in page
    response = login("rita").post(
        f"/review-conditions/{condition.pk}/close/",
        {"status": "waived", "note": "Superseded by the group-wide bias monitoring."},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.status, condition.closed_by) == ("waived", world.rita)
    outsider = login("charlie").post(f"/review-conditions/{condition.pk}/close/", {"status": "met"})
    assert outsider.status_code == 403  # an outsider who can see it may not close it
    condition.refresh_from_db()
    assert condition.status == "waived"


def test_an_overdue_condition_raises_one_notice(world: World, condition: ReviewCondition) -> None:
    late = condition.due_on + dt.timedelta(days=1)
    notifications.sweep(today=condition.due_on, send=False)
    assert not Notice.objects.filter(kind="condition_overdue").exists()  # due today: not late
    notifications.sweep(today=late, send=False)
    notifications.sweep(today=late + dt.timedelta(days=3), send=False)
    notice = Notice.objects.get(kind="condition_overdue")
    assert "Run the bias check on the first 500 summaries." in notice.body
    assert "bob@example.com" in notice.recipients
    conditions.close_condition(actor=world.bob, condition=condition, status="met")
    notifications.sweep(today=late + dt.timedelta(days=5), send=False)
    assert Notice.objects.filter(kind="condition_overdue").count() == 1


@pytest.mark.parametrize("outcome", ["request_changes", "reject"])
def test_revise_and_request_again_after_a_review_sends_it_back(
    login: Any, world: World, asked: ReviewRequest, outcome: str
) -> None:
    reviews.decide(actor=world.rita, review=asked, outcome=outcome, rationale=SENT_BACK)
    uc = asked.use_case
    page = login("alice").get(f"/use-cases/{uc.pk}/").content.decode()
    assert "Revise and request again" in page
    assert SENT_BACK in page
    portfolio.update_use_case(
        actor=world.alice,
        use_case=UseCase.objects.get(pk=uc.pk),
        problem="Underwriters spend hours reading documents; complaints now reach a person.",
    )
    response = login("alice").post(f"/use-cases/{uc.pk}/request-review/", {"to_stage": "pilot"})
    assert response.status_code == 302
    again = ReviewRequest.objects.filter(use_case=uc).latest("requested_at")
    assert again.pk != asked.pk
    assert again.status == ReviewStatus.OPEN
    assert ReviewRequest.objects.get(pk=asked.pk).status != ReviewStatus.OPEN
    review_page = visible_text(login("rita").get(f"/reviews/{again.pk}/").content.decode())
    assert f"Since review #{asked.pk}" in review_page
    assert "Alice Example Update (problem)" in review_page  # what changed since then
    assert (
        "Revise and request again"
        not in login("alice").get(f"/use-cases/{uc.pk}/").content.decode()
    )


def test_the_review_page_of_a_confidential_use_case_stays_hidden(
    login: Any, world: World, asked: ReviewRequest
) -> None:
    portfolio.update_use_case(
        actor=world.alice, use_case=UseCase.objects.get(pk=asked.use_case_id), confidential=True
    )
    assert login("charlie").get(f"/reviews/{asked.pk}/").status_code == 404
    assert Client().get(f"/reviews/{asked.pk}/").status_code == 302
