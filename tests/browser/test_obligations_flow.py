"""Obligations on the use-case page and the crosswalk, in Chromium: mark, upload, download."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from aiom.obligations.models import Evidence, ObligationStatus
from aiom.portfolio import services as portfolio
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_mark_upload_download_and_crosswalk(
    transactional_db: Any,
    live_server: Any,
    world: World,
    page: Any,
    shot: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    uc = portfolio.update_use_case(
        actor=world.alice, use_case=world.alice_uc, customer_facing=True, ai_type="generative"
    )
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}/use-cases/{uc.pk}/")
    panel = page.locator("#obligations")
    expect(panel).to_contain_text("Tell users they are dealing with AI")
    expect(panel).to_contain_text("Art. 50(1)")

    item = panel.locator("#obligation-operator_literacy")
    item.locator("summary:has-text('Update')").click()
    item.locator("select[name=status]").select_option("not_applicable")
    item.locator("button:has-text('Save status')").click()
    expect(panel.locator(".form-errors")).to_contain_text("say why this obligation does not apply")

    item = panel.locator("#obligation-operator_literacy")
    item.locator("summary:has-text('Update')").click()
    item.locator("select[name=status]").select_option("not_applicable")
    item.locator("input[name=reason]").fill("Runs unattended; nobody operates it.")
    item.locator("button:has-text('Save status')").click()
    expect(panel.locator(".msg-success")).to_contain_text("Marked not applicable.")
    expect(panel.locator("#obligation-operator_literacy .obl-status")).to_have_text(
        "not applicable"
    )

    item = panel.locator("#obligation-transparency_notice")
    item.locator("summary:has-text('Update')").click()
    upload = tmp_path / "Chat banner.pdf"
    upload.write_bytes(PDF)
    item.locator("input[type=file]").set_input_files(str(upload))
    item.locator("input[name=note]").fill("Screenshot of the banner text")
    item.locator("button:has-text('Add evidence')").click()
    expect(page.locator(".messages")).to_contain_text("Evidence added.")
    link = page.locator("#obligation-transparency_notice .obl-evidence a")
    expect(link).to_have_text("Chat banner.pdf")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "Chat banner.pdf"
    assert Path(download.path()).read_bytes() == PDF
    page.locator("#obligations").scroll_into_view_if_needed()
    shot(page, "obligations-page")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#obligations").screenshot(path=str(ARTIFACTS / "obligations-panel.png"))

    page.goto(f"{base}/obligations/?framework=eu-ai-act&ref=Art.%204&status=not_applicable")
    expect(page.locator("#drill")).to_contain_text(uc.title)
    shot(page, "obligations-crosswalk")

    assert ObligationStatus.objects.get(obligation="operator_literacy").status == "not_applicable"
    assert Evidence.objects.get().content_type == "application/pdf"
