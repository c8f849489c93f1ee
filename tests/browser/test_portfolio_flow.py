"""A governance-office user's first session, in real Chromium: log in, filter, propose."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from aiom.core.models import AuditEvent
from aiom.portfolio.models import UseCase
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_login_filter_create_and_see_it_audited(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    page.goto(f"{live_server.url}/use-cases/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/use-cases/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("AI use-case portfolio")
    expect(page.locator("#result-count")).to_have_text("2")

    # Filtering updates the table in place (htmx), and the URL follows.
    page.fill("input[name=q]", "summariser")
    expect(page.locator("#result-count")).to_have_text("1")
    expect(page.locator("#portfolio-table")).to_contain_text("Mortgage document summariser")
    expect(page.locator("#portfolio-table")).not_to_contain_text("Branch closure predictor")
    expect(page).to_have_url(re.compile(r".*/use-cases/\?q=summariser(&|$)"))
    page.fill("input[name=q]", "")
    page.select_option("select[name=stage]", "pilot")
    expect(page.locator("#result-count")).to_have_text("0")
    page.select_option("select[name=stage]", "")
    expect(page.locator("#result-count")).to_have_text("2")
    shot(page, "portfolio-list")

    # Propose: first without a title (a field error), then corrected.
    page.click("text=Propose a use case")
    expect(page.locator("h1")).to_have_text("Propose a use case")
    page.select_option("#id_org_unit", str(world.cards.pk))
    page.select_option("#id_theme", label="Customer experience")
    page.fill("#id_problem", "Card holders wait days for a dispute decision.")
    page.click("button:has-text('Propose use case')")
    expect(page.locator("#id_title-error")).to_have_text("This field is required.")
    shot(page, "propose-with-error")
    page.fill("#id_title", "Card dispute triage assistant")
    page.select_option("#id_ai_type", "generative")
    page.check("#id_personal_data")
    page.click("button:has-text('Propose use case')")

    expect(page.locator("h1")).to_have_text("Card dispute triage assistant")
    expect(page.locator(".msg-success")).to_contain_text("proposed")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Alice Example")
    expect(timeline).to_contain_text("create")
    expect(timeline).to_contain_text("Proposed in Cards, owned by Alice Example")
    shot(page, "use-case-detail")

    created = UseCase.objects.get(title="Card dispute triage assistant")
    assert created.owner == world.alice and created.personal_data
    assert (
        AuditEvent.objects.filter(
            object_type="portfolio.usecase", object_id=str(created.pk), action="create"
        ).count()
        == 1
    )

    page.click("nav.mainnav >> text=Portfolio")
    expect(page.locator("#result-count")).to_have_text("3")
    expect(page.locator("#portfolio-table")).to_contain_text("Card dispute triage assistant")
