"""A use case's dates are shown as known: to the day, to their period, or "unknown";
unknown ones never sort as the oldest or the longest in their stage."""

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from aiom.inventory.bulk import create_imported_use_cases
from aiom.portfolio.models import UseCase
from tests.conftest import World

pytestmark = pytest.mark.django_db


def imported(world: World, **fields: Any) -> UseCase:
    (uc,), refused = create_imported_use_cases(
        actor=None,
        rows=[{"org_unit": world.retail, "owner": world.alice, "stage": "intake", **fields}],
        message="test import",
    )
    assert refused == []
    return uc


@pytest.fixture
def dated(world: World) -> dict[str, UseCase]:
    return {
        "unknown": imported(world, title="Undated proposal"),
        "month": imported(
            world,
            title="March proposal",
            proposed_on=dt.date(2022, 3, 1),
            proposed_precision="month",
            stage_entered_on=dt.date(2023, 7, 1),
            stage_entered_precision="quarter",
        ),
        "day": imported(
            world,
            title="Day proposal",
            proposed_on=dt.date(2020, 5, 4),
            stage_entered_on=dt.date(2020, 5, 4),
        ),
    }


def row_of(html: str, title: str) -> str:
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(title)}.*?</tr>", html, re.S)
    assert match, title
    return match.group(0)


def test_the_list_shows_each_date_at_its_precision(dated: dict[str, UseCase], login: Any) -> None:
    html = login("alice").get(reverse("portfolio:list")).content.decode()
    assert ">2022-03<" in row_of(html, "March proposal")
    assert "since Q3 2023" in row_of(html, "March proposal")
    assert ">2020-05-04<" in row_of(html, "Day proposal")
    undated = row_of(html, "Undated proposal")
    assert ">unknown<" in undated and "since unknown" in undated
    assert "None" not in undated


def test_unknown_dates_sort_after_the_known_ones(dated: dict[str, UseCase], login: Any) -> None:
    for sort in ("oldest", "longest_in_stage"):
        html = login("alice").get(reverse("portfolio:list"), {"sort": sort}).content.decode()
        assert html.index("Day proposal") < html.index("Undated proposal"), sort


def test_the_api_gives_null_and_the_precision(dated: dict[str, UseCase], login: Any) -> None:
    client = login("alice")
    undated = client.get(f"/api/v1/use-cases/{dated['unknown'].pk}").json()
    assert (undated["proposed_on"], undated["stage_entered_on"]) == (None, None)
    month = client.get(f"/api/v1/use-cases/{dated['month'].pk}").json()
    assert (month["proposed_on"], month["proposed_precision"]) == ("2022-03-01", "month")
    assert month["stage_entered_precision"] == "quarter"


def test_the_page_shows_partial_and_unknown_dates(dated: dict[str, UseCase], login: Any) -> None:
    client = login("alice")
    page = client.get(reverse("portfolio:detail", args=[dated["month"].pk])).content.decode()
    assert "<dt>Proposed</dt><dd>2022-03</dd>" in page
    assert "in this stage since: Q3 2023" in page
    page = client.get(reverse("portfolio:detail", args=[dated["unknown"].pk])).content.decode()
    assert "<dt>Proposed</dt><dd>unknown</dd>" in page
