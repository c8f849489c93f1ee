"""A change plan started and completed on the use-case page, through htmx, in Chromium."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aiom.change.models import ChangePlan
from tests.browser.conftest import ARTIFACTS
from tests.browser.people import pick_person
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_a_plan_is_started_and_made_ready_on_the_use_case_page(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    uc = world.alice_uc
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}/use-cases/{uc.pk}/")
    panel = page.locator("#change-plan")
    expect(panel).to_contain_text("No change plan yet")

    page.fill("#id_plan-summary", "Underwriters start from a summary, not the raw file.")
    pick_person(page, "#id_plan-champion", "bob", "Bob Example (bob)")
    page.click("#change-plan-form button[type=submit]")
    expect(panel.locator(".msg-success")).to_contain_text("Change plan saved.")
    expect(panel).to_contain_text("No stakeholder group: say who is affected by the change.")

    panel.locator("summary:has-text('Add a stakeholder group')").click()
    page.fill("#id_newgroup-name", "Underwriters")
    page.fill("#id_newgroup-size", "40")
    page.select_option("#id_newgroup-impact", "high")
    page.fill(
        "#id_newgroup-what_changes", "They read the summary first and open documents to check."
    )
    page.fill("#id_newgroup-target_users", "30")
    page.fill("#id_newgroup-target_on", str(timezone.localdate() + dt.timedelta(days=90)))
    page.click("#change-group-form button[type=submit]")
    expect(panel.locator(".msg-success")).to_contain_text("Added “Underwriters”.")
    expect(panel.locator("#change-reasons")).to_contain_text("“Underwriters” has no intervention")

    group = ChangePlan.objects.get(use_case=uc).groups.get()
    panel.locator(f"#change-group-{group.pk} summary:has-text('Add an intervention')").click()
    page.select_option(f"#id_iv-{group.pk}-kind", "training")
    page.fill(f"#id_iv-{group.pk}-description", "Two-hour session with real files.")
    pick_person(page, f"#id_iv-{group.pk}-owner", "bob", "Bob Example (bob)")
    page.click(f"#change-group-{group.pk} button:has-text('Add intervention')")
    expect(panel.locator(".msg-success")).to_contain_text("Intervention added")
    expect(panel.locator(".change-head .tag-met")).to_have_text("ready")
    expect(panel.locator("#change-reasons")).to_have_count(0)
    shot(page, "change-plan-page")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "change-plan-panel.png"))

    plan = ChangePlan.objects.get(use_case=uc)
    assert (plan.champion_id, plan.groups.get().interventions.get().kind) == (
        world.bob.pk,
        "training",
    )
