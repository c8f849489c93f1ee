"""The technology registry in real Chromium: search it, open a model, link it to a use case."""

from typing import Any

import pytest
from playwright.sync_api import expect

from aiom.technology import services
from aiom.technology.models import UseCaseModel
from tests.conftest import World
from tests.technology.conftest import bought, make_registry

pytestmark = pytest.mark.browser


def test_registry_model_page_and_use_case_panel(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any
) -> None:
    reg = make_registry(world)
    for title, unit in [
        ("Retail chat assistant", world.retail),
        ("Wealth chat assistant", world.wealth),
    ]:
        uc = bought(world, title, unit)
        services.link(actor=None, use_case=uc, record=reg.openai)
        services.link(actor=None, use_case=uc, record=reg.gateway)
    page.goto(f"{live_server.url}/login/?next=/registry/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Technology registry")
    expect(page.locator("#models-table")).to_contain_text("GPT-4o")
    expect(page.locator("#platforms-table")).to_contain_text("reused")
    expect(page.locator("#vendors-table")).to_contain_text("bought separately by 2 org units")
    shot(page, "technology-registry")

    # Searching narrows every section in place (htmx).
    page.fill("input[name=q]", "fraud")
    expect(page.locator("#model-count")).to_have_text("1")
    expect(page.locator("#registry-platforms")).to_contain_text("No platform matches.")
    page.fill("input[name=q]", "")
    expect(page.locator("#model-count")).to_have_text("2")

    page.click("#models-table >> text=GPT-4o")
    expect(page.locator("h1")).to_contain_text("GPT-4o")
    expect(page.locator("#dependent-list")).to_contain_text("Mortgage document summariser")
    expect(page.locator("#dependent-list")).to_contain_text("Branch closure predictor")
    shot(page, "technology-model")
    page.click("text=Model card")
    expect(page.locator("#model-card")).to_contain_text("ROUGE-L 0.41")
    shot(page, "technology-model-card")

    # Link the fraud scorer to the summariser from the use-case page (htmx partial).
    page.goto(f"{live_server.url}/use-cases/{world.alice_uc.pk}/")
    panel = page.locator("#use-case-technology")
    panel.locator("select[name=record]").select_option(f"model:{reg.fraud.pk}")
    panel.locator("input[name=purpose]").fill("second opinion")
    panel.locator(".tech-link-form button").click()
    expect(page.locator("#use-case-technology .msg-success")).to_contain_text("Linked")
    expect(page.locator("#technology-links")).to_contain_text("second opinion")
    panel.scroll_into_view_if_needed()
    shot(page, "technology-use-case-panel")
    assert UseCaseModel.objects.filter(use_case=world.alice_uc, target=reg.fraud).exists()
