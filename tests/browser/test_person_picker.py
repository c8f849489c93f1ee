"""Choosing a person by search, with the keyboard: the use case's owner, in Chromium at a
desktop and a phone width, and the same form without JavaScript (the server resolves)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from aiom.portfolio.models import UseCase
from tests.browser.people import pick_person
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_an_owner_is_picked_with_the_keyboard_and_saved(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    uc = world.alice_uc
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/use-cases/{uc.pk}/edit/")
    owner = page.locator("#id_owner")
    # The server's plain text field became a WAI-ARIA combobox over a listbox.
    expect(owner).to_have_attribute("role", "combobox")
    expect(owner).to_have_attribute("aria-autocomplete", "list")
    expect(owner).to_have_value("Alice Example (alice)")
    listbox = page.locator(f"#{owner.get_attribute('aria-controls')}")
    expect(listbox).to_have_attribute("role", "listbox")

    owner.fill("")
    owner.press_sequentially("exa", delay=20)  # every persona's last name: several matches
    expect(owner).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).not_to_have_count(0)
    owner.press("ArrowDown")
    expect(owner).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").first.get_attribute("id") or ""
    )
    shot(page, f"person-picker-open-{width}")
    owner.press("Escape")  # closes the list, keeps the text
    expect(owner).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    pick_person(page, "#id_owner", "bo", "Bob Example (bob)")
    expect(page.locator("input[type=hidden][name=owner]")).to_have_value(str(world.bob.pk))
    shot(page, f"person-picker-chosen-{width}")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the form is wider than the screen"

    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_have_text(uc.title)
    expect(page.locator(".facts")).to_contain_text("Bob Example")
    assert UseCase.objects.get(pk=uc.pk).owner_id == world.bob.pk


def test_without_javascript_the_typed_username_is_the_answer(
    transactional_db: Any, live_server: Any, world: World, browser: Any
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    try:
        uc = world.alice_uc
        log_in_plain(page, live_server.url, "alice")
        page.goto(f"{live_server.url}/use-cases/{uc.pk}/edit/")
        page.fill("#id_owner", "nobody-here")
        page.click("button:has-text('Save')")
        expect(page.locator(".has-error")).to_contain_text("Nobody here is called")
        page.fill("#id_owner", "charlie@example.com")
        page.click("button:has-text('Save')")
        expect(page.locator(".facts")).to_contain_text("Charlie Example")
        assert UseCase.objects.get(pk=uc.pk).owner_id == world.charlie.pk
    finally:
        context.close()


def log_in_plain(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator(".whoami")).to_be_visible()
