"""An incident reported through the form, then a monitoring plan set up, in Chromium."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from aiom.monitoring.models import Incident, MonitoringPlan
from tests.browser.conftest import ARTIFACTS
from tests.browser.people import pick_person
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World
from tests.monitoring.conftest import operational
from tests.notifications.conftest import days_ago, make_assessment

pytestmark = pytest.mark.browser


def test_incident_reported_then_plan_set_up_and_reviewed(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    uc = operational(world, "Card fraud scoring")
    assessment = make_assessment(uc, days_ago(30))
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}/use-cases/{uc.pk}/")
    panel = page.locator("#use-case-monitoring")
    expect(panel.locator("#monitoring-missing")).to_be_visible()

    panel.locator("a:has-text('Report an incident')").click()
    page.fill("#id_title", "Legitimate payments blocked")
    page.fill("#id_description", "A threshold change blocked 300 genuine card payments.")
    page.fill("#id_model_name", "fraud-gbm v12")
    page.fill("#id_occurred_at", f"{days_ago(1)}T08:30")
    page.select_option("#id_severity", "high")
    page.check("#id_harms_0")
    page.check("#id_harms_1")
    page.fill("#id_people_affected", "300")
    page.click("form.usecase-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Legitimate payments blocked")
    expect(page.locator(".sev-high")).to_contain_text("High")
    incident = Incident.objects.get()
    assessment.refresh_from_db()
    assert assessment.stale and incident.severity == "high"
    assert [m.subject for m in mail.outbox] == [f"[aiom] High AI incident: {uc.title}"]

    page.fill("#id_description", "Restore the previous threshold")
    pick_person(page, "#id_owner", "bob", "Bob Example (bob)")
    page.click("#incident-actions button:has-text('Add action')")
    expect(page.locator("#incident-actions")).to_contain_text("Restore the previous threshold")
    shot(page, "monitoring-incident")

    page.goto(f"{base}/use-cases/{uc.pk}/")
    expect(panel).to_contain_text("Legitimate payments blocked")
    pick_person(page, "#use-case-monitoring input[name=reviewer__q]", "rita", "Rita Example (rita)")
    page.fill("#use-case-monitoring input[name=review_every_days]", "30")
    panel.locator("button:has-text('Save plan')").click()
    expect(panel.locator(".msg-success")).to_contain_text("Monitoring plan saved.")
    panel.locator("summary:has-text('Add a check')").click()
    page.select_option("#use-case-monitoring select[name=kind]", "drift")
    page.fill("#use-case-monitoring input[name=description]", "Score distribution vs baseline")
    panel.locator("button:has-text('Add check')").click()
    expect(panel.locator("#monitoring-checks")).to_contain_text("Score distribution vs baseline")
    page.select_option("#use-case-monitoring select[name=outcome]", "concerns")
    page.fill("#use-case-monitoring textarea[name=note]", "Block rate still above baseline.")
    panel.locator("button:has-text('Record review')").click()
    expect(panel.locator(".mon-reviews")).to_contain_text("Block rate still above baseline.")
    plan = MonitoringPlan.objects.get(use_case=uc)
    assert (plan.reviewer_id, plan.review_every_days) == (world.rita.pk, 30)
    assert plan.last_reviewed_on is not None
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "monitoring-panel.png"))

    page.goto(f"{base}/incidents/?severity=high")
    expect(page.locator("#incident-count")).to_have_text("1")
    shot(page, "monitoring-incidents")
