"""The review page in real Chromium, wide and narrow: a reviewer sees the facts, decides
with a tracked condition, and the use case shows it. Screenshots go to test-artifacts/.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aiom.governance.assessments import services as assessments
from aiom.governance.models import ReviewCondition
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import overrides
from aiom.lifecycle import services as lifecycle
from aiom.monitoring import services as monitoring
from aiom.obligations import services as obligations
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import MEDIUM
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World, make_person
from tests.lifecycle.conftest import CRITERIA, approve_fully, measure, meet_obligations

pytestmark = pytest.mark.browser


def pilot_asking_to_scale(world: World) -> tuple[UseCase, int]:
    """A pilot short of its exit criterion, overridden by Olga, asking to scale (Rita, who
    did not override it, decides)."""
    rob = make_person("rob", world.retail, (Role.RISK_REVIEWER, world.retail))
    olga = make_person("olga", world.group, (Role.RISK_REVIEWER, None))
    vera = make_person("vera", world.group, (Role.AI_EXPERT, None))
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        problem="Underwriters spend hours reading applicant documents by hand.",
        value_hypothesis="Cut reading time by a third without more errors.",
    )
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    meet_obligations(uc)
    for stage in ("feasibility", "risk_review"):
        lifecycle.transition(
            actor=world.alice, use_case=UseCase.objects.get(pk=uc.pk), to_stage=stage
        )
    uc = UseCase.objects.get(pk=uc.pk)
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=timezone.localdate() + dt.timedelta(days=60),
    )
    approve_fully(
        reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot"), [rob, vera]
    )
    lifecycle.transition(actor=world.alice, use_case=uc, to_stage="pilot")
    uc = UseCase.objects.get(pk=uc.pk)
    measure(uc, 8.4)
    overrides.override_gate(
        actor=olga,
        use_case=uc,
        to_stage="scaling",
        check="exit_criteria_met",
        reason="Short by 1.4 minutes; the sponsor accepts it and we re-measure in 90 days.",
    )
    monitoring.report_incident(
        actor=world.bob,
        use_case=uc,
        title="Summary missed a second income",
        occurred_at=timezone.now() - dt.timedelta(days=3),
        severity="medium",
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="scaling")
    obligations.set_status(
        actor=world.alice, use_case=uc, obligation="technical_documentation", status="open"
    )
    return uc, review.pk


def test_the_review_page_wide_and_narrow(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    uc, review_id = pilot_asking_to_scale(world)
    base = live_server.url
    log_in(page, base, "rita")
    page.goto(f"{base}/reviews/{review_id}/")
    expect(page.locator("#review-assessment")).to_contain_text("How much does a person stay")
    expect(page.locator("#review-pilot")).to_contain_text("not met")
    expect(page.locator("#review-gate")).to_contain_text("overridden by Olga Example")
    expect(page.locator("#review-obligations")).to_contain_text("Technical documentation")
    expect(page.locator("#review-incidents")).to_contain_text("Summary missed a second income")
    expect(page.locator("#approver-ticks")).to_contain_text("nobody yet")
    shot(page, "review-page-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#decide")).to_be_visible()
    shot(page, "review-page-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    page.set_viewport_size({"width": 1366, "height": 900})

    # Approve with a tracked condition, from the page.
    page.check("input[name=outcome][value=approve_with_conditions]")
    page.fill("#id_rationale", "The shortfall is explained and the checkpoint is in the plan.")
    page.fill("input[name=condition_text_0]", "Re-measure handling time after 90 days.")
    page.select_option("select[name=condition_owner_0]", str(world.alice.pk))
    page.fill("input[name=condition_due_0]", str(timezone.localdate() + dt.timedelta(days=90)))
    page.click("button:has-text('Record decision')")
    expect(page.locator(".msg-success")).to_contain_text("Decision recorded")
    expect(page.locator("#approver-ticks")).to_contain_text("Rita Example")
    expect(page.locator(".conditions")).to_contain_text("Re-measure handling time after 90 days.")
    shot(page, "review-page-decided-1366")
    condition = ReviewCondition.objects.get()
    assert (condition.owner, condition.status) == (world.alice, "open")
    page.goto(f"{base}/use-cases/{uc.pk}/")
    expect(page.locator("#reviews")).to_contain_text("Re-measure handling time after 90 days.")
    expect(page.locator("#pilot")).to_contain_text("Gate overrides")
