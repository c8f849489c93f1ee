"""`aiom sweep` finds overdue monitoring reviews and KPIs outside thresholds, once each."""

from typing import Any

import pytest
from django.core.management import call_command

from aiom.monitoring import services
from aiom.notifications import services as sweeps
from aiom.notifications.models import Notice
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.monitoring.conftest import make_kpi, make_plan, measure, operational
from tests.notifications.conftest import Receiver, days_ago

pytestmark = pytest.mark.django_db
TODAY = days_ago(0)


def test_overdue_review_is_notified_once_and_only_once(
    world: World, live: UseCase, mailoutbox: list[Any], hooks: Receiver
) -> None:
    plan = make_plan(live, world, started=91, every=90)  # due yesterday
    on_time = operational(world, "Reviewed on time")
    on_time_plan = make_plan(on_time, world, started=90, every=90)  # due today: not overdue

    call_command("sweep", stdout=None)
    notice = Notice.objects.get()
    due = days_ago(1)
    assert notice.kind == "monitoring_overdue"
    assert notice.key == f"monitoring_overdue:uc={live.pk}:plan={plan.pk}:due={due.isoformat()}"
    assert notice.recipients == ["alice@example.com", "bob@example.com", "rita@example.com"]
    [mail] = mailoutbox
    assert mail.subject == f"[aiom] Monitoring review overdue: {live.title}"
    assert f"was due on {due}" in mail.body
    [received] = hooks.requests
    assert received.json()["facts"]["days_late"] == 1

    for _ in range(2):  # again, and again the next day: still one event
        call_command("sweep", stdout=None)
    assert Notice.objects.count() == 1 and len(mailoutbox) == 1 and len(hooks.requests) == 1
    sweeps.sweep(today=days_ago(-1))  # the on-time plan lapses tomorrow: its own event
    assert Notice.objects.filter(use_case=live).count() == 1
    assert Notice.objects.get(use_case=on_time).kind == "monitoring_overdue"

    # Reviewed: nothing overdue until the next lapse, which is a new event.
    for reviewed in (plan, on_time_plan):
        services.record_review(actor=world.rita, plan=reviewed, outcome="ok", reviewed_on=TODAY)
    assert sweeps.sweep(today=days_ago(-90)).kinds["monitoring_overdue"].found == 0
    report = sweeps.sweep(today=days_ago(-91))
    assert report.kinds["monitoring_overdue"].new == 2  # both plans lapse again
    assert Notice.objects.filter(use_case=live).count() == 2


def test_terminal_use_cases_are_not_watched(world: World) -> None:
    retired = operational(world, "Old chatbot")
    make_plan(retired, world, started=400)
    UseCase.objects.filter(pk=retired.pk).update(stage="retired")
    assert sweeps.sweep(today=TODAY).kinds["monitoring_overdue"].found == 0


def test_kpi_outside_its_threshold_is_notified_once_per_measurement(
    world: World, live: UseCase, mailoutbox: list[Any]
) -> None:
    plan = make_plan(live, world)
    kpi = make_kpi(live, owner=world.charlie)
    check = services.add_check(
        actor=world.alice,
        plan=plan,
        kind="performance_kpi",
        description="Precision stays above 80%",
        kpi=kpi,
        lower="80",
    )
    measure(kpi, "70", days=5)  # outside, but not the latest
    measure(kpi, "85", days=2)
    assert sweeps.sweep(today=TODAY).kinds["kpi_out_of_bounds"].found == 0

    low = measure(kpi, "72.5", days=1)
    report = sweeps.sweep(today=TODAY)
    assert report.kinds["kpi_out_of_bounds"].new == 1
    notice = Notice.objects.get(kind="kpi_out_of_bounds")
    assert notice.key == f"kpi_out_of_bounds:uc={live.pk}:check={check.pk}:measurement={low.pk}"
    assert notice.recipients == [
        "alice@example.com",
        "bob@example.com",
        "rita@example.com",
        "charlie@example.com",
    ]
    assert notice.payload["side"] == "below" and notice.payload["value"] == "72.5"
    [mail] = mailoutbox
    assert (
        "measured 72.5 % on" in mail.body and "below the monitoring threshold of 80 %" in mail.body
    )

    sweeps.sweep(today=TODAY)
    assert Notice.objects.filter(kind="kpi_out_of_bounds").count() == 1
    measure(kpi, "71", days=0)  # still low, a new measurement: a new event
    assert sweeps.sweep(today=TODAY).kinds["kpi_out_of_bounds"].new == 1
    measure(kpi, "90", days=0)  # back within: nothing
    assert sweeps.sweep(today=TODAY).kinds["kpi_out_of_bounds"].found == 0
