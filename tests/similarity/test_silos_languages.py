"""End to end through the silos page and the API: a Dutch register, every threshold,
bad thresholds, and a department spelled two ways."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aiom.organisation import services as org
from aiom.portfolio import services as portfolio
from aiom.similarity.clusters import DEFAULT_THRESHOLD
from aiom.similarity.units import unit_key
from tests.conftest import World
from tests.similarity.dutch_register import SCAN_CARS, TEMPLATE, UNRELATED

OTHER_CITIES = ["Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem"]


@pytest.fixture
def dutch(world: World) -> dict[str, int]:
    """The five scan cars and 25 unrelated records over ten cities (three each), each
    record closing with its city's legal sentence; scan-car title -> id."""
    units = {
        city: org.create_org_unit(actor=None, name=f"Gemeente {city}", parent=world.group)
        for city in [*SCAN_CARS, *OTHER_CITIES]
    }
    homes = [c for c in SCAN_CARS for _ in range(2)] + [c for c in OTHER_CITIES for _ in range(3)]
    rows = [(city, *SCAN_CARS[city]) for city in SCAN_CARS]
    rows += [(homes[n], title, text) for n, (title, text) in enumerate(UNRELATED)]
    found = {}
    for city, title, text in rows:
        made = portfolio.create_use_case(
            actor=world.ada,
            org_unit=units[city],
            owner=world.ada,
            theme=world.theme,
            title=title,
            description=f"{text}\n{TEMPLATE}",
        )
        found[title] = made.pk
    return {SCAN_CARS[c][0]: found[SCAN_CARS[c][0]] for c in SCAN_CARS}


def _clusters(client: Client, threshold: float | None = None) -> list[dict[str, Any]]:
    query = "" if threshold is None else f"?threshold={threshold}"
    answer = client.get(f"/api/v1/silos/clusters{query}")
    assert answer.status_code == 200
    body: list[dict[str, Any]] = answer.json()
    return body


def test_dutch_scan_cars_make_one_cluster_by_default(dutch: dict[str, int], login: Any) -> None:
    client = login("ada")
    found = _clusters(client)
    scan = [c for c in found if {m["id"] for m in c["members"]} & set(dutch.values())]
    assert len(scan) == 1
    assert {m["id"] for m in scan[0]["members"]} == set(dutch.values())
    assert len(scan[0]["units"]) == 5
    assert not {"de", "het", "een", "van", "en", "auto de"} & set(scan[0]["shared_terms"])
    page = client.get(reverse("similarity:silos")).content.decode()
    assert all(title in page for title in dutch)
    assert f"at threshold {DEFAULT_THRESHOLD}" in page


THRESHOLDS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]


def test_every_threshold_applies_on_the_page_and_the_api(dutch: dict[str, int], login: Any) -> None:
    """Lower thresholds keep more, down to 0 (no hidden floor at 0.2), and the page shows
    what the API gives."""
    client = login("ada")
    members = []
    for threshold in THRESHOLDS:
        found = _clusters(client, threshold)
        members.append(sum(c["size"] for c in found))
        page = client.get(reverse("similarity:silos") + f"?threshold={threshold}")
        shown = re.search(r"(\d+) clusters? spanning", page.content.decode())
        assert shown is not None and int(shown.group(1)) == len(found)
    assert members == sorted(members, reverse=True)
    assert members[0] > members[THRESHOLDS.index(0.2)] > members[-1] == 0


@pytest.mark.parametrize("bad", ["-0.1", "1.5", "nan", "abc"])
def test_a_bad_threshold_is_a_clear_error(world: World, login: Any, bad: str) -> None:
    answer = login("ada").get(f"/api/v1/silos/clusters?threshold={bad}")
    assert answer.status_code == 422
    assert "threshold" in answer.content.decode()
    page = login("ada").get(reverse("similarity:silos") + f"?threshold={bad}")
    assert page.status_code == 200  # the page falls back to the nearest allowed value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dept. of Health", "Department of Health"),
        ("DEPARTMENT OF HEALTH", "department of health"),
        ("Département de la Santé", "Departement de la sante"),
        ("Office of Grants & Contracts", "Office of Grants and Contracts"),
        ("Natl. Weather Svc.", "National Weather Service"),
    ],
)
def test_unit_spellings_share_a_key(a: str, b: str) -> None:
    assert unit_key(a) == unit_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Department of Health", "Department of Labor"), ("Cards", "Retail Banking")],
)
def test_different_units_keep_different_keys(a: str, b: str) -> None:
    assert unit_key(a) != unit_key(b)


OTHER_WORK = [
    "Invoice data capture from scanned supplier invoices",
    "Predictive maintenance of hospital ventilators from sensor logs",
    "Translation of public notices into Spanish and Arabic",
    "Fraud detection in crop insurance claims",
    "Satellite imagery to map irrigated fields",
    "Speech to text for inspection voice notes",
    "Forecasting emergency room admissions during heat waves",
    "Classifying food safety complaints by hazard",
    "Summaries of long regulatory comments for analysts",
    "Code generation assistant for data engineers",
    "Detecting duplicate grant applications",
    "Routing of freedom of information requests to offices",
    "Drone images to count livestock on rangeland",
    "Resume screening for laboratory technician vacancies",
    "Anomaly detection in laboratory instrument readings",
    "Optical character recognition of historical land records",
    "Wildfire smoke forecasts for public alerts",
    "Matching farmers to conservation programmes",
    "Search over internal policy manuals",
    "Redaction of personal data in released documents",
]


def test_a_department_spelled_two_ways_makes_and_splits_no_cluster(
    world: World, login: Any
) -> None:
    units = [
        org.create_org_unit(actor=None, name=name, code=code, parent=world.group)
        for name, code in [
            ("Dept. of Health", "dept-health"),
            ("Department of Health", "department-health"),
            ("Agriculture", "agriculture"),
        ]
    ]
    text = "Chatbot answering citizens' questions about vaccination appointments and records"

    def add(unit_index: int, title: str) -> int:
        made = portfolio.create_use_case(
            actor=world.ada,
            org_unit=units[unit_index],
            owner=world.ada,
            theme=world.theme,
            title=title,
            description=text,
        )
        return made.pk

    for n, other in enumerate(OTHER_WORK):  # a register to weigh the words against
        portfolio.create_use_case(
            actor=world.ada,
            org_unit=units[n % 3],
            owner=world.ada,
            theme=world.theme,
            title=other,
            description=other,
        )
    mine = {
        add(0, "Vaccination appointment chatbot"),
        add(1, "Chatbot for vaccination appointments"),
    }
    client = login("ada")

    def with_mine() -> list[dict[str, Any]]:
        found = _clusters(client)
        return [c for c in found if {m["id"] for m in c["members"]} & mine]

    assert with_mine() == []  # one department under two spellings: no silo
    mine.add(add(2, "Vaccination appointments chatbot for farm workers"))
    found = with_mine()
    assert len(found) == 1
    assert {m["id"] for m in found[0]["members"]} == mine
    assert len(found[0]["units"]) == 2  # Health (once) and Agriculture
