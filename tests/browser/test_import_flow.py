"""The administrators' web import in real Chromium: a file with an uploaded mapping file,
its problems when the mapping is bad, the preview report, then a large file's background
job whose page polls (htmx) until the report shows — at 1366 and 390 px."""

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import expect

from aiom.inventory import jobs
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_row
from tests.inventory.test_web_import_mapping import MAPPING

pytestmark = pytest.mark.browser


def _run_worker_soon() -> threading.Thread:
    """Stands in for the runner process (`aiom import_jobs run`), on the test database."""

    def work() -> None:
        try:
            jobs.work(once=True)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_import_with_a_mapping_file_in_the_background(
    transactional_db: Any,
    live_server: Any,
    world: World,
    page: Any,
    shot: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.AIOM_IMPORT_INLINE_MAX_ROWS = 2  # this file is "large"
    settings.AIOM_IMPORT_JOB_RUNNER = "worker"  # the test runs the worker itself
    rows = [omb_row(id=f"B-{n}", use_case_name=f"Browser import {n}") for n in range(1, 5)]
    rows.append(omb_row(id="B-9", use_case_name="Odd one", development_stage="Odd"))
    register = omb_csv(tmp_path, rows, name="register.csv")
    good = tmp_path / "city.yaml"
    good.write_text(MAPPING.replace("blank: intake", "blank: intake\n  unknown: intake"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\norg_units: []\nfields: {}\n")

    page.goto(f"{live_server.url}/login/?next=/import/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Import an AI use-case inventory")

    # A bad mapping: its problems, listed, next to the field; nothing previewed.
    page.set_input_files("#id_file", str(register))
    page.set_input_files("#id_mapping_file", str(bad))
    page.click(".inventory-upload button[type=submit]")
    errors = page.locator("#id_mapping_file_error li")
    expect(errors.first).to_contain_text("The mapping cannot be used")
    assert errors.count() >= 3  # the id, the org units, the title: every problem at once
    described = page.get_attribute("#id_mapping_file", "aria-describedby") or ""
    assert "id_mapping_file_error" in described.split()
    assert page.get_attribute("#id_mapping_file", "aria-invalid") == "true"
    shot(page, "import-bad-mapping")

    page.set_input_files("#id_file", str(register))
    page.set_input_files("#id_mapping_file", str(good))
    page.click(".inventory-upload button[type=submit]")
    expect(page.locator("h1")).to_have_text("Import preview")
    expect(page.locator(".inventory-counts")).to_contain_text("5 rows")
    expect(page.locator(".inventory-confirm")).to_contain_text("runs in the background")
    shot(page, "import-preview-1366")

    page.click(".inventory-confirm button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Import of register.csv")
    expect(page.locator("#job-state")).to_have_text("Waiting to start")
    progress = page.locator("#job-progress progress")
    expect(progress).to_have_attribute("aria-valuetext", "0 of 5 rows")
    shot(page, "import-job-queued-1366")
    assert not UseCase.objects.filter(title__startswith="Browser import").exists()

    worker = _run_worker_soon()
    expect(page.locator("#job-state")).to_have_text("Imported", timeout=20_000)  # polled
    worker.join(timeout=30)
    expect(page.locator("#job-progress")).to_contain_text("5 created, 0 updated")
    # the persistent live region (outside the polled part) says so too
    expect(page.locator("#job-announce")).to_have_text("Imported: 5 created, 0 updated")
    expect(page.locator(".inventory-report")).to_be_visible()
    assert UseCase.objects.filter(title__startswith="Browser import").count() == 4
    shot(page, "import-job-done-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#job-state")).to_have_text("Imported")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    shot(page, "import-job-done-390")
    page.click("text=Import jobs")
    expect(page.locator(".import-jobs")).to_contain_text("register.csv")
    expect(page.locator(".import-jobs")).to_contain_text("done")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "import-jobs-390")
    page.goto(f"{live_server.url}/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "import-upload-390")
