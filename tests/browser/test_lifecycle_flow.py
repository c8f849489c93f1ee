"""Intake to pilot through the pages in real Chromium, with one refusal on the way."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aiom.governance.models import ReviewRequest
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import MEDIUM
from tests.conftest import World, make_person
from tests.lifecycle.conftest import approve_fully, meet_obligations

pytestmark = pytest.mark.browser


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator(".whoami")).to_be_visible()  # signed in, on the dashboard


def test_intake_to_pilot_through_the_pages(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    from aiom.organisation.models import Role

    rob = make_person("rob", world.retail, (Role.RISK_REVIEWER, world.retail))
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        value_hypothesis="Cut reading time by a third.",
    )
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}/use-cases/{uc.pk}/")

    # One refusal: the gate lists why the use case cannot leave intake yet.
    page.click("#move-feasibility button")
    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("Cannot move to feasibility")
    expect(refusal).to_contain_text("No risk assessment yet")
    shot(page, "lifecycle-refusal")

    # Fix it: describe the problem, then assess the risk through the questionnaire.
    page.goto(f"{base}/use-cases/{uc.pk}/edit/")
    page.fill("#id_problem", "Underwriters spend hours reading applicant documents by hand.")
    page.click("button:has-text('Save changes')")
    page.click("#risk-assessment >> text=Assess risk")
    for question, answer in MEDIUM.items():
        for key in answer if isinstance(answer, list) else [answer]:
            page.check(f"input[name='{question}'][value='{key}']")
    page.click("button[type=submit]:has-text('Assess risk')")
    expect(page.locator("#risk-assessment")).to_contain_text("medium")

    page.click("#move-feasibility button")
    expect(page.locator(".msg-success")).to_contain_text("Moved to feasibility")
    page.click("#move-risk_review button")
    expect(page.locator(".track .step-current")).to_contain_text("Risk review")

    # Plan the pilot, then ask for the review the medium tier needs.
    page.click("text=Plan the pilot")
    page.fill("input[name=metric_0]", "Reading time per file")
    page.fill("input[name=baseline_0]", "45")
    page.fill("input[name=target_0]", "30")
    page.fill("input[name=unit_0]", "min")
    page.select_option("select[name=direction_0]", "lower")
    page.fill("#id_ends_on", str(timezone.localdate() + dt.timedelta(days=60)))
    page.click("button:has-text('Save pilot plan')")
    # The gate names each open obligation due by the pilot; the team meets them.
    expect(page.locator("#move-pilot")).to_contain_text("open obligations due by pilot")
    meet_obligations(uc, "pilot")
    page.reload()
    page.click("button:has-text('Request review for pilot')")
    expect(page.locator(".msg-success")).to_contain_text("Review requested")
    shot(page, "lifecycle-review-requested")

    # The unit's risk reviewer decides from the queue.
    page.click("text=Log out")
    log_in(page, base, "rob")
    page.click("nav.mainnav >> text=Reviews")
    page.click(f"text={uc.title}")
    page.check("input[name=outcome][value=approve]")
    page.fill("#id_rationale", "Human review of every summary keeps the risk proportionate.")
    page.click("button:has-text('Record decision')")
    expect(page.locator("#decisions")).to_contain_text("Approve by Rob Example")
    review = ReviewRequest.objects.get(use_case=uc)
    approve_fully(review, [make_person("vera", world.group, (Role.AI_EXPERT, None))])

    page.click("text=Log out")
    log_in(page, base, "alice")
    page.goto(f"{base}/use-cases/{uc.pk}/")
    page.click("#move-pilot button")
    expect(page.locator(".track .step-current")).to_contain_text("Pilot")
    expect(page.locator("#pilot")).to_contain_text("Reading time per file")
    shot(page, "lifecycle-in-pilot")
    assert UseCase.objects.get(pk=uc.pk).stage == "pilot"
    assert rob.pk
