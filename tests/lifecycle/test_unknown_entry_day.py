"""A use case whose stage entry day is unknown is shown as such, is never over its SLA and
gets no overdue notice; a partial entry is shown as its period and is over its SLA only
when even the period's last day is."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aiom.governance.policy.versions import active_policy
from aiom.inventory.bulk import create_imported_use_cases
from aiom.lifecycle import findings
from aiom.lifecycle.overview import overview
from aiom.lifecycle.services import transition
from aiom.notifications.findings import Finding
from aiom.notifications.models import Notice, NoticeKind
from aiom.notifications.services import sweep
from aiom.portfolio.models import UseCase
from tests.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date


def today() -> D:
    return timezone.localdate()


def imported(world: World, **fields: Any) -> UseCase:
    fields.setdefault("stage", "intake")
    (uc,), refused = create_imported_use_cases(
        actor=None,
        rows=[{"org_unit": world.retail, "owner": world.alice, **fields}],
        message="test import",
    )
    assert refused == []
    return uc


def stage_findings(uc: UseCase) -> list[Finding]:
    policy = active_policy().policy
    return [f for f in findings.overdue_stages(today(), policy) if f.use_case_id == uc.pk]


def test_an_unknown_entry_day_is_unknown_on_the_page_and_never_over(
    world: World, login: Any
) -> None:
    uc = imported(world, title="No entry day")
    view = overview(uc)
    assert (view.days_in_stage, view.over_sla) == (None, False)
    page = login("alice").get(reverse("portfolio:detail", args=[uc.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "in this stage since: unknown" in text
    assert "In this stage since: unknown" in text  # the lifecycle panel says it too
    assert ": over)" not in text
    assert "None days" not in text and "None d" not in text


def test_an_unknown_entry_day_gets_no_overdue_notice(world: World) -> None:
    uc = imported(world, title="No entry day")
    late = imported(world, title="Long in intake", stage_entered_on=today() - dt.timedelta(400))
    assert stage_findings(uc) == []
    assert len(stage_findings(late)) == 1
    sweep(today=today(), send=False)
    notices = Notice.objects.filter(kind=NoticeKind.STAGE_OVERDUE)
    assert set(notices.values_list("use_case_id", flat=True)) == {late.pk}


def test_a_partial_entry_is_shown_as_its_period_and_over_only_when_certain(
    world: World, login: Any
) -> None:
    old = imported(
        world, title="Since 2019", stage_entered_on=D(2019, 1, 1), stage_entered_precision="year"
    )
    this_year = imported(
        world,
        title="This year",
        stage_entered_on=today().replace(month=1, day=1),
        stage_entered_precision="year",
    )
    view = overview(old)
    assert (view.days_in_stage, view.over_sla) == (None, True)
    (finding,) = stage_findings(old)
    assert "since 2019: at least" in finding.body
    assert finding.facts["entered_precision"] == "year"
    # the year holds the SLA's last day (14 days ago) unless today is early in January
    holds = today() - dt.timedelta(days=14) >= today().replace(month=1, day=1)
    assert overview(this_year).over_sla is (not holds)
    assert (stage_findings(this_year) == []) is holds
    page = login("alice").get(reverse("portfolio:detail", args=[old.pk])).content.decode()
    assert "in this stage since: 2019" in page


def test_the_lifecycle_api_gives_null_days_not_a_made_up_number(
    world: World, login: Any, bearer: Any
) -> None:
    uc = imported(world, title="No entry day")
    body = (
        login("alice").get(f"/api/v1/use-cases/{uc.pk}/lifecycle", headers=bearer("alice")).json()
    )
    assert body["stage_entered_on"] is None
    assert (body["days_in_stage"], body["over_sla"]) == (None, False)
    assert body["history"][0]["on"] is None


def test_a_move_made_in_aiom_is_known_to_the_day(world: World) -> None:
    uc = imported(
        world,
        title="Imported Q3",
        stage_entered_on=D(2023, 7, 1),
        stage_entered_precision="quarter",
    )
    change = transition(actor=None, use_case=uc, to_stage="rejected", reason="not pursued")
    uc.refresh_from_db()
    assert (uc.stage_entered_on, uc.stage_entered_precision) == (today(), "day")
    assert (change.on, change.on_precision) == (today(), "day")
    assert overview(uc).days_in_stage == 0
