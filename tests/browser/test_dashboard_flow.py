"""An executive's tour in real Chromium: the dashboard, the diagnostics, a laggard."""

from typing import Any

import pytest
from playwright.sync_api import expect

from aiom.portfolio import services
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_dashboard_then_diagnostics_then_what_drags_it_down(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    orphan = services.create_use_case(
        actor=None,
        require_owner=False,
        title="Imported grant triage model",
        org_unit=world.wealth,
        external_id="OMB-0001",
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    shot(page, "dashboard")

    page.click("nav.mainnav >> text=Diagnostics")
    ownership = page.locator("#q-ownership")
    expect(ownership).to_contain_text("Who owns each AI use case?")
    expect(ownership).to_contain_text("75%")  # 3 of the 4 use cases have an owner
    expect(page.locator("#q-data_readiness")).to_contain_text("not measured")
    shot(page, "diagnostics")

    ownership.locator(f"text={orphan.title}").click()
    expect(page.locator("h1")).to_have_text(orphan.title)
    expect(page.locator(".tag-warn").first).to_contain_text("no accountable owner")
