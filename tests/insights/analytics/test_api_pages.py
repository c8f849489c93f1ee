"""The analytics API, the diagnostics page and the CSV exports."""

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from aiom.insights.analytics import facts
from tests.conftest import World
from tests.insights.analytics.conftest import make
from tests.query_counts import Budget

ENDPOINTS = [
    "/api/v1/analytics/funnel",
    "/api/v1/analytics/pilots",
    "/api/v1/analytics/time-to-value",
    "/api/v1/analytics/dwell",
    "/api/v1/analytics/coverage",
    "/api/v1/analytics/governance",
    "/api/v1/analytics/embedding",
    "/api/v1/analytics/vendors",
]


def test_diagnostics_api_shape(world: World, client: Any, bearer: Any) -> None:
    response = client.get(
        f"/api/v1/diagnostics?org_unit={world.retail.pk}", headers=bearer("alice")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope"]["org_unit"] == world.retail.pk
    assert body["scope"]["org_unit_name"] == "Retail Banking"
    assert len(body["questions"]) == 8
    first = body["questions"][0]
    assert set(first) == {"key", "question", "answer", "figure", "unit", "trend", "laggards"}
    assert len(first["trend"]) == 4
    figure = first["figure"]
    assert (figure["value"], figure["text"], figure["numerator"], figure["denominator"]) == (
        100,
        "100%",
        figure["denominator"],
        figure["denominator"],
    )
    assert figure["sentence"] == first["answer"] and figure["text"] in first["answer"]
    assert figure["rounding"] and figure["unit"] == first["unit"] == "%"


def test_diagnostics_api_query_count(
    world: World, client: Any, bearer: Any, query_budget: Budget
) -> None:
    headers = bearer("alice")
    make(world, "Orphan", owner=None)
    facts.current()  # what the write's commit does (a test never commits)
    # diagnostics (mostly facts), incidents and monitoring, token auth
    with query_budget("diagnostics_api"):
        assert client.get("/api/v1/diagnostics", headers=headers).status_code == 200


def test_outsider_counts_differ_from_admin(world: World, client: Any, bearer: Any) -> None:
    charlie = client.get("/api/v1/analytics/coverage", headers=bearer("charlie")).json()
    ada = client.get("/api/v1/analytics/coverage", headers=bearer("ada")).json()
    assert (charlie["total"], ada["total"]) == (2, 3)
    assert ada["data_ready"] is None


def test_unknown_org_unit_and_anonymous(world: World, client: Any, bearer: Any) -> None:
    assert (
        client.get("/api/v1/diagnostics?org_unit=99999", headers=bearer("ada")).status_code == 404
    )
    assert client.get("/api/v1/diagnostics").status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_analytics_endpoint_answers(world: World, client: Any, bearer: Any, url: str) -> None:
    response = client.get(f"{url}?org_unit={world.retail.pk}&tier=none", headers=bearer("pat"))
    assert response.status_code == 200, response.content


def test_pilots_api_says_none_when_nothing_is_decided(
    world: World, client: Any, bearer: Any
) -> None:
    body = client.get("/api/v1/analytics/pilots", headers=bearer("ada")).json()
    assert body["scale_rate"] is None and body["decided"] == 0


def test_page_renders_cards_with_laggard_links(world: World, login: Any) -> None:
    orphan = make(world, "Orphan use case", owner=None)
    response = login("ada").get(reverse("analytics:diagnostics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card diag"') == 8
    assert f'href="{reverse("portfolio:detail", args=[orphan.pk])}"' in html
    assert "<svg" in html and "style=" not in html.split("<main", 1)[1]
    assert "not measured" in html


def test_page_for_an_empty_unit_and_for_anonymous(world: World, login: Any) -> None:
    url = reverse("analytics:diagnostics")
    response = login("alice").get(url, {"org_unit": world.cards.pk})
    assert response.status_code == 200 and "Cards" in response.content.decode()
    assert login("anonymous").get(url).status_code == 302


def rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_export_escapes_formulas(world: World, login: Any) -> None:
    make(world, '=HYPERLINK("http://evil")', stage="feasibility", entered=90)
    make(world, "+SUM(A1)", entered=30)
    client = login("ada")
    response = client.get(reverse("analytics:csv", args=["dwell"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    *over, left_out = rows(response)[1:]
    assert [r[1] for r in over] == ['\'=HYPERLINK("http://evil")', "'+SUM(A1)"]
    assert left_out == ["left out", "0", ""]  # the trailing note row (analytics-contract.md)


@pytest.mark.parametrize(
    "name",
    [
        "funnel",
        "pilots",
        "time-to-value",
        "dwell",
        "coverage",
        "governance",
        "embedding",
        "vendors",
        "diagnostics",
    ],
)
def test_every_table_exports(world: World, login: Any, name: str) -> None:
    response = login("alice").get(
        reverse("analytics:csv", args=[name]), {"org_unit": world.retail.pk}
    )
    assert response.status_code == 200
    assert len(rows(response)[0]) >= 2


def test_unknown_table_and_confidential_rows(world: World, login: Any) -> None:
    make(world, "Hidden late", stage="feasibility", entered=90, confidential=True)
    assert login("ada").get(reverse("analytics:csv", args=["nope"])).status_code == 404
    charlie = rows(login("charlie").get(reverse("analytics:csv", args=["dwell"])))
    ada = rows(login("ada").get(reverse("analytics:csv", args=["dwell"])))
    assert "Hidden late" not in [r[1] for r in charlie]
    assert "Hidden late" in [r[1] for r in ada]
