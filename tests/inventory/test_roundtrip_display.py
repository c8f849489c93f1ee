"""Source attributes and the source's contact where people look: the use-case page, the
API and the portfolio search (page and API share one filter)."""

import pytest
from django.test import Client

from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World

FEW = {"topic_area": "Benefits delivery", "Gemeente": "Den Haag \u2013 Zoë's café"}
MANY = {f"column {i:02d}": f"value {i}" for i in range(12)}


def _kept(world: World, attributes: dict[str, str], contact: str = "") -> UseCase:
    """An imported use case (as an import creates it: the system, with its source)."""
    return portfolio.create_use_case(
        actor=None,
        title="Imported claims triage",
        org_unit=world.retail,
        owner=world.alice,
        external_id="C-1",
        external_source="omb-2025",
        source_attributes=attributes,
        contact=contact,
    )


@pytest.mark.django_db
def test_page_lists_the_source_columns_and_contact(login: object, world: World) -> None:
    uc = _kept(world, FEW, "ai-team@agency.gov")
    client: Client = login("alice")  # type: ignore[operator]
    html = client.get(f"/use-cases/{uc.pk}/").content.decode()
    assert "From omb-2025: 2 columns as the file gave them" in html
    assert '<details class="source-attributes" open>' in html  # short: shown open
    assert "<dt>topic_area</dt><dd>Benefits delivery</dd>" in html
    assert "Zoë&#x27;s café" in html  # escaped, never raw HTML
    assert 'href="mailto:ai-team@agency.gov"' in html


@pytest.mark.django_db
def test_page_collapses_a_long_list(login: object, world: World) -> None:
    uc = _kept(world, MANY)
    client: Client = login("alice")  # type: ignore[operator]
    html = client.get(f"/use-cases/{uc.pk}/").content.decode()
    assert '<details class="source-attributes">' in html  # collapsed
    assert "12 columns" in html and "<dt>column 11</dt>" in html


@pytest.mark.django_db
def test_page_without_source_attributes_shows_nothing_of_them(login: object, world: World) -> None:
    client: Client = login("alice")  # type: ignore[operator]
    html = client.get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert "source-attributes" not in html and "Contact (from the source)" not in html


@pytest.mark.django_db
def test_api_gives_source_attributes_and_contact(login: object, world: World) -> None:
    uc = _kept(world, FEW, "ai-team@agency.gov")
    client: Client = login("alice")  # type: ignore[operator]
    body = client.get(f"/api/v1/use-cases/{uc.pk}").json()
    assert body["source_attributes"] == FEW
    assert body["contact"] == "ai-team@agency.gov"
    other = client.get(f"/api/v1/use-cases/{world.alice_secret.pk}").json()
    assert (other["source_attributes"], other["contact"]) == ({}, "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("benefits delivery", True),  # a value, any case
        ("Zoë's café", True),  # non-ASCII and a quote (SQLite keeps them escaped)
        ("Den Haag \u2013 Zoë", True),
        ("not there at all", False),
    ],
)
def test_search_finds_source_attribute_values(
    login: object, world: World, q: str, found: bool
) -> None:
    uc = _kept(world, FEW)
    client: Client = login("alice")  # type: ignore[operator]
    ids = {item["id"] for item in client.get("/api/v1/use-cases", {"q": q}).json()["items"]}
    assert (uc.pk in ids) is found
    page = client.get("/use-cases/", {"q": q}).content.decode()
    assert (uc.title in page) is found
