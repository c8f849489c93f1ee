"""Choosing a person in a browser the way a keyboard user does: the person picker."""

from typing import Any

from playwright.sync_api import expect


def pick_person(page: Any, text_input: str, typed: str, label: str) -> None:
    """Type `typed` into the picker `text_input` (a selector of its text field), move to
    the suggestion `label` with the arrow keys and pick it with Enter."""
    box = page.locator(text_input)
    box.fill("")
    box.press_sequentially(typed, delay=20)
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name=label, exact=False)).to_be_visible()
    options = listbox.get_by_role("option")
    for _ in range(options.count()):
        box.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if label in (page.locator(f"#{active}").get_attribute("data-label") or ""):
            break
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(label)
