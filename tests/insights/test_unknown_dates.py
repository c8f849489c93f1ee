"""Every flow figure leaves out the use cases whose needed date is unknown (or known only to
a period it cannot place), and says how many: the figure, the API and the CSV agree."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aiom.core.date_periods import inside
from aiom.insights.analytics import Scope, dwell, facts, funnel, pilot_outcomes, time_to_value
from aiom.insights.analytics.base import left_out_note
from aiom.insights.analytics.tables import table
from aiom.insights.analytics.trends import quarterly
from aiom.inventory.bulk import create_imported_use_cases
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.insights.analytics.conftest import realise

pytestmark = pytest.mark.django_db

D = dt.date
SINCE, UNTIL = D(2024, 2, 15), D(2024, 5, 31)
# (proposal day, precision): one per class of date a register gives
PROPOSALS: list[tuple[D | None, str]] = [
    (D(2024, 3, 10), "day"),  # in
    (D(2024, 3, 1), "month"),  # March: wholly in
    (D(2024, 6, 1), "day"),  # out
    (D(2022, 1, 1), "year"),  # 2022: known to be out
    (D(2024, 2, 1), "month"),  # February straddles the 15th: left out
    (D(2024, 4, 1), "quarter"),  # Q2 runs past 31 May: left out
    (D(2024, 1, 1), "year"),  # 2024: left out
    (None, "day"),  # the file gave none: left out
]


def today() -> D:
    return timezone.localdate()


def imported(world: World, *rows: dict[str, Any]) -> list[UseCase]:
    """Use cases imported (the import path) into the otherwise empty Cards unit."""
    made, refused = create_imported_use_cases(
        actor=None,
        rows=[{"org_unit": world.cards, "stage": "intake", **r} for r in rows],
        message="test import",
    )
    assert refused == []
    return made


def cards(world: World) -> Scope:
    return Scope(org_unit=world.cards.pk)


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_left_out_note_is_one_sentence_with_grouped_digits() -> None:
    assert left_out_note(1807, "without a proposal date") == (
        "1,807 use cases without a proposal date are not in this figure"
    )
    assert left_out_note(1, "without a proposal date") == (
        "1 use case without a proposal date is not in this figure"
    )
    assert left_out_note(0, "without a proposal date") == ""


def test_funnel_counts_a_proposal_only_when_its_whole_period_is_in_the_period(
    world: World,
) -> None:
    imported(
        world,
        *(
            {"title": f"P{i}", "proposed_on": day, "proposed_precision": p}
            for i, (day, p) in enumerate(PROPOSALS)
        ),
    )
    found = funnel(cards(world), since=SINCE, until=UNTIL)
    verdicts = [inside(day, p, SINCE, UNTIL) for day, p in PROPOSALS]  # the Python rule
    assert found.proposed == verdicts.count(True) == 2
    assert found.left_out == verdicts.count(None) == 4
    assert found.left_out_reason == (
        "without a proposal date (1) or with one known only to the month, quarter or year (3)"
    )
    assert found.per_stage["intake"] == len(PROPOSALS)  # where they are now needs no date
    # no stage entry day was given: every entry is left out of "entered", none made up
    assert sum(found.entered.values()) == 0
    assert found.entered_left_out == len(PROPOSALS)
    assert found.entered_left_out_reason == "without a stage entry date"


def test_funnel_api_and_csv_carry_the_left_out_count(world: World, bearer: Any, login: Any) -> None:
    imported(
        world,
        {"title": "Undated"},
        {"title": "Old", "proposed_on": D(2019, 1, 1), "proposed_precision": "year"},
        {"title": "Recent", "proposed_on": today() - dt.timedelta(days=3)},
    )
    api = login("ada").get(  # the same call as the API, through its page client
        "/api/v1/analytics/funnel",
        {"org_unit": world.cards.pk},
        headers=bearer("ada"),
    )
    assert api.status_code == 200
    body = api.json()
    assert (body["proposed"], body["left_out"]) == (1, 1)
    assert body["left_out_note"] == "1 use case without a proposal date is not in this figure"
    response = login("ada").get(
        reverse("analytics:csv", args=["funnel"]), {"org_unit": world.cards.pk}
    )
    rows = csv_rows(response)
    assert ["proposed in the period", "", "1"] in rows
    assert rows[-2] == [
        "left out",
        "1",
        "1 use case without a proposal date is not in this figure",
    ]


def test_time_to_value_uses_day_precise_proposals_only(
    world: World, bearer: Any, login: Any
) -> None:
    day, month, unknown = imported(
        world,
        {"title": "Day", "proposed_on": D(2024, 1, 1)},
        {"title": "Month", "proposed_on": D(2024, 1, 1), "proposed_precision": "month"},
        {"title": "Unknown"},
    )
    for uc in (day, month, unknown):
        realise(uc, D(2024, 3, 1))
    ttv = time_to_value(cards(world))
    assert (ttv.realised, ttv.median_days) == (1, 60.0)
    assert ttv.left_out == 2
    assert ttv.left_out_reason == (
        "without a proposal date (1) or with one known only to the month, quarter or year (1)"
    )
    body = (
        login("ada")
        .get("/api/v1/analytics/time-to-value", {"org_unit": world.cards.pk}, headers=bearer("ada"))
        .json()
    )
    assert (body["realised"], body["left_out"]) == (1, 2)
    assert body["left_out_note"].startswith("2 use cases without a proposal date (1) or")
    response = login("ada").get(
        reverse("analytics:csv", args=["time-to-value"]), {"org_unit": world.cards.pk}
    )
    assert csv_rows(response)[-1] == ["left out", "2", ttv.left_out_note]


def test_dwell_never_counts_an_unknown_entry_day_as_over_its_sla(
    world: World, login: Any, bearer: Any
) -> None:
    sla = 14  # the default policy's intake SLA
    cutoff = today() - dt.timedelta(days=sla)
    # a month that holds the SLA's last day past its first day: over or not, cannot tell
    holding = cutoff.replace(day=1) if cutoff.day > 1 else None
    rows: list[dict[str, Any]] = [
        {"title": "Late", "stage_entered_on": today() - dt.timedelta(days=400)},
        {"title": "Fresh", "stage_entered_on": today() - dt.timedelta(days=2)},
        {
            "title": "Entered 2019",
            "stage_entered_on": D(2019, 1, 1),
            "stage_entered_precision": "year",
        },
        {"title": "Unknown"},
    ]
    if holding is not None:
        rows.append(
            {"title": "Month", "stage_entered_on": holding, "stage_entered_precision": "month"}
        )
    imported(world, *rows)
    found = dwell(cards(world), today=today())
    intake = next(s for s in found.stages if s.stage == "intake")
    assert intake.count == len(rows)
    assert intake.over == 2  # Late, and 2019 (even its last day is years ago)
    assert intake.median_days == (400 + 2) / 2  # only the day-precise entries
    assert found.unknown_entry == 1
    assert found.undecided == (1 if holding else 0)
    assert found.left_out == intake.left_out == len(rows) - 2
    over = {r.title: r.days for r in found.over}
    assert over == {"Late": 400, "Entered 2019": None}  # no made-up day count for 2019
    assert found.unknown_entry_note == "1 with an unknown stage entry day (never over the SLA)"
    _head, table_rows = table("dwell", cards(world), today=today())
    assert table_rows[-1] == ["left out", found.left_out, found.left_out_note]
    body = (
        login("ada")
        .get("/api/v1/analytics/dwell", {"org_unit": world.cards.pk}, headers=bearer("ada"))
        .json()
    )
    assert (body["over_total"], body["unknown_entry"], body["left_out"]) == (
        2,
        1,
        found.left_out,
    )
    assert body["left_out_note"] == found.left_out_note
    assert {r["title"]: r["days"] for r in body["over"]} == over


def test_pilots_without_a_start_quarter_stay_in_the_totals_and_are_counted_apart(
    world: World, login: Any, bearer: Any
) -> None:
    imported(
        world,
        {"title": "Pilot undated", "stage": "pilot"},
        {
            "title": "Pilot 2023",
            "stage": "pilot",
            "stage_entered_on": D(2023, 1, 1),
            "stage_entered_precision": "year",
        },
        {
            "title": "Pilot Q3",
            "stage": "pilot",
            "stage_entered_on": D(2023, 7, 1),
            "stage_entered_precision": "quarter",
        },
    )
    assert facts.verify() == []  # the kept facts (precisions included) equal a recount
    pilots = pilot_outcomes(cards(world), today=today())
    assert pilots.started == 3  # every pilot is in the totals
    assert [(c.quarter, c.started) for c in pilots.cohorts] == [("2023-Q3", 1)]
    assert pilots.left_out == 2
    assert pilots.left_out_note == (
        "2 use cases whose pilot start date is unknown or known only to the year are not in "
        "this figure"
    )
    body = (
        login("ada")
        .get("/api/v1/analytics/pilots", {"org_unit": world.cards.pk}, headers=bearer("ada"))
        .json()
    )
    assert (body["started"], body["left_out"]) == (3, 2)
    assert body["left_out_note"] == pilots.left_out_note
    assert [c["quarter"] for c in body["cohorts"]] == ["2023-Q3"]
    response = login("ada").get(
        reverse("analytics:csv", args=["pilots"]), {"org_unit": world.cards.pk}
    )
    assert csv_rows(response)[-1] == ["left out", "2", pilots.left_out_note]


def test_the_dashboard_says_what_its_charts_left_out(world: World, login: Any) -> None:
    _pilot, realised = imported(
        world,
        {"title": "Pilot undated", "stage": "pilot"},
        {"title": "Undated value", "stage": "operational"},
    )
    realise(realised, D(2024, 3, 1))
    page = login("ada").get(reverse("dashboard:home"), {"org_unit": world.cards.pk})
    assert page.status_code == 200
    text = page.content.decode()
    pilots = pilot_outcomes(cards(world), today=today())
    assert pilots.left_out == 1
    assert f"{pilots.left_out_note}." in text  # under the pilot chart
    ttv = time_to_value(cards(world))
    assert ttv.left_out == 1
    assert "1 use case without a proposal date is not in this figure" in text


@pytest.mark.parametrize("whole", [False, True])
def test_quarterly_trends_leave_out_what_no_quarter_can_hold(world: World, whole: bool) -> None:
    this_year = today().replace(month=1, day=1)
    imported(
        world,
        {"title": "Undated"},
        {"title": "This year", "proposed_on": this_year, "proposed_precision": "year"},
        {
            "title": "Some month",
            "proposed_on": today().replace(day=1),
            "proposed_precision": "month",
        },
    )
    scope = Scope() if whole else cards(world)
    fq = facts.of(scope)
    assert facts.whole(fq) is whole  # both the index path and the scope's one pass
    trend = quarterly(fq, today(), "intake")
    # a year cuts this quarter's start unless this quarter is the year's first (then the
    # year's event, past, lies in it)
    straddles = 0 if today().month <= 3 else 1
    assert trend.left_out == 1 + straddles
    # every imported use case has an unknown first stage day: left out of the share
    assert trend.operational_left_out == 3
    # this quarter holds the month (no owner); the whole organisation also has the world's
    # three, proposed today with an owner; the undated and the year are in neither
    assert trend.owner[-1][1] == (75.0 if whole else 0.0)
