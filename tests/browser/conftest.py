"""Real Chromium through Playwright's sync API.

Without /usr/bin/chromium these tests skip — unless AIOM_REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure. Playwright's sync API runs an event loop in this
thread, so Django's async-safety guard is relaxed for these tests only.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("AIOM_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}"
        if os.environ.get("AIOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and AIOM_REQUIRE_BROWSER=1 requires browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def is_error(message: Any) -> bool:
    # A form re-rendered with its field errors (422), a refused move (409) or a locked-out
    # sign-in (429) answers so on purpose; Chromium logs it as a failed resource.
    expected = any(f"status of {code}" in message.text for code in (422, 409, 429))
    return bool(message.type == "error" and not expected)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if is_error(msg) else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


@pytest.fixture
def shot() -> Any:
    """shot(page, "name") saves test-artifacts/name.png and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
