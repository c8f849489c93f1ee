"""`aiom sweep`: a readable summary, JSON that parses, and a dry run that writes nothing."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aiom.core.models import AuditEvent
from aiom.notifications.models import Notice, WebhookDelivery
from tests.conftest import World
from tests.notifications.conftest import Receiver, days_ago, make_pilot, make_use_case

pytestmark = pytest.mark.django_db
TODAY = days_ago(0).isoformat()


@pytest.fixture
def overdue(world: World) -> None:
    make_use_case(world, "Long intake", stage="intake", entered=days_ago(15))
    pilot = make_use_case(world, "Stalled pilot", stage="pilot", entered=days_ago(100))
    make_pilot(pilot, days_ago(1))


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Notice.objects.count(), WebhookDelivery.objects.count(), AuditEvent.objects.count()


def test_json_output_parses_and_counts_per_kind(overdue: None, mailoutbox: list[Any]) -> None:
    report = json.loads(sweep("--json", "--today", TODAY))
    assert report["today"] == TODAY
    assert report["dry_run"] is False
    assert report["kinds"]["stage_overdue"] == {
        "found": 1,
        "new": 1,
        "emailed": 1,
        "webhooks_delivered": 0,
        "webhooks_failed": 0,
        "webhooks_pending": 0,
    }
    assert report["kinds"]["stalled_pilot"]["new"] == 1
    assert report["total"]["new"] == 2
    assert json.loads(sweep("--json", "--today", TODAY))["total"]["new"] == 0
    assert len(mailoutbox) == 2


def test_readable_summary_names_each_kind(overdue: None) -> None:
    text = sweep("--today", TODAY)
    assert f"sweep of {TODAY}" in text
    for label in ("Stalled pilot", "Review past its SLA", "Stage past its SLA", "total"):
        assert label in text
    assert "webhooks ok/failed/pending" in text


def test_dry_run_lists_findings_and_writes_nothing(
    overdue: None, mailoutbox: list[Any], hooks: Receiver
) -> None:
    before = counts()
    text = sweep("--dry-run", "--today", TODAY)
    assert "new   stage_overdue" in text
    assert "Pilot stalled: Stalled pilot" in text
    assert "nothing was written or sent" in text
    report = json.loads(sweep("--dry-run", "--json", "--today", TODAY))
    assert report["dry_run"] is True
    assert {f["kind"] for f in report["findings"]} == {"stage_overdue", "stalled_pilot"}
    assert all(f["new"] for f in report["findings"])
    assert counts() == before
    assert mailoutbox == []
    assert hooks.requests == []


def test_dry_run_after_a_sweep_marks_findings_as_seen(overdue: None) -> None:
    sweep("--today", TODAY)
    report = json.loads(sweep("--dry-run", "--json", "--today", TODAY))
    assert [f["new"] for f in report["findings"]] == [False, False]
    assert report["total"] == {**report["total"], "found": 2, "new": 0}


def test_no_send_records_without_sending(overdue: None, mailoutbox: list[Any]) -> None:
    text = sweep("--no-send", "--today", TODAY)
    assert "nothing emailed or posted" in text
    assert Notice.objects.count() == 2
    assert mailoutbox == []


def test_a_bad_date_is_a_clear_error(overdue: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        sweep("--today", "27/11/2026")


def test_missing_webhook_secret_is_a_clear_error(overdue: None, settings: Any) -> None:
    settings.AIOM_WEBHOOK_URLS = ["http://127.0.0.1:9/hook"]
    settings.AIOM_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError, match="AIOM_WEBHOOK_SECRET"):
        sweep()
    assert counts()[0] == 0
