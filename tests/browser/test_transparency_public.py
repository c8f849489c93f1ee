"""The public AI register in real Chromium, without logging in."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import World
from tests.transparency.conftest import Register, build_register, make_cora, operational

pytestmark = pytest.mark.browser


@pytest.fixture
def public_register(transactional_db: Any, world: World) -> Register:
    return build_register(world, make_cora(world))


def test_public_register_without_login(
    live_server: Any, public_register: Register, page: Any, shot: Any
) -> None:
    response = page.goto(f"{live_server.url}/transparency/")
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    expect(page).to_have_url(f"{live_server.url}/transparency/")  # no login redirect
    expect(page.locator("h1")).to_have_text("How we use artificial intelligence")
    expect(page.locator("#register-count")).to_have_text("1")
    entry = page.locator("article.public-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Customer letter assistant")
    expect(entry).to_contain_text("Every draft is read and approved by a member of staff.")
    expect(page.locator("body")).not_to_contain_text("LEAK")
    expect(page.locator("body")).not_to_contain_text("INTERNAL")
    expect(page.locator(".mainnav")).to_have_count(0)
    assert page.context.cookies() == []
    # the stylesheet applied (CSP allows it): the header has the brand colour
    color = page.eval_on_selector(".public-top", "e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(59, 76, 202)"
    shot(page, "transparency-public")

    # The feed the page links to (fetched, not opened: a bare JSON tab asks for /favicon.ico).
    href = page.get_attribute("a:text-is('JSON')", "href")
    assert href == "/transparency/register.json"
    assert page.request.get(f"{live_server.url}{href}").json()["count"] == 1


def test_decide_on_the_use_case_page_then_see_it_in_public(
    live_server: Any, public_register: Register, page: Any, shot: Any
) -> None:
    world = public_register.world
    pilot = operational(world, "Claims photo triage", stage="pilot", ai_type="vision")
    ready = operational(world, "Branch queue forecast", ai_type="predictive")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")

    # A pilot cannot be published: the panel answers in place with the reason (422).
    page.goto(f"{live_server.url}/use-cases/{pilot.pk}/")
    panel = page.locator("#use-case-publication")
    expect(panel).to_contain_text("not published")
    panel.locator("summary").click()
    panel.locator("input[value=yes]").check()
    panel.locator("textarea[name=rationale]").fill("Customers should know.")
    panel.locator("textarea[name=human_oversight]").fill("An adjuster checks every photo.")
    panel.locator("input[name=contact]").fill("ai@example.org")
    panel.locator("button:has-text('Record decision')").click()
    expect(panel).to_contain_text("its stage (pilot) is not publishable")

    page.goto(f"{live_server.url}/use-cases/{ready.pk}/")
    panel = page.locator("#use-case-publication")
    panel.locator("summary").click()
    panel.locator("input[value=yes]").check()
    panel.locator("textarea[name=rationale]").fill("Live for all branches.")
    panel.locator("textarea[name=public_summary]").fill("Forecasts branch queues.")
    panel.locator("input[value=human_decides]").check()
    panel.locator("textarea[name=human_oversight]").fill("Branch managers set the rota.")
    panel.locator("input[name=contact]").fill("ai@example.org")
    panel.locator("button:has-text('Record decision')").click()
    expect(panel).to_contain_text("Decision recorded.")
    expect(panel.locator(".pub-on")).to_have_text("published")
    shot(page, "transparency-panel")

    page.goto(f"{live_server.url}/transparency/")
    expect(page.locator("#register-count")).to_have_text("2")
    expect(page.locator("body")).to_contain_text("Forecasts branch queues.")
    expect(page.locator("body")).not_to_contain_text("Claims photo triage")
