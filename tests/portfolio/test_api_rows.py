"""The use-case list and get are written from typed rows without validating them again
(core.typed_responses, portfolio.api_rows): the OpenAPI document and every byte of the
JSON are the same as ninja's validated path gives for the ordinary declaration, which a
reference API in this module still uses (mounted at /reference/ by this module's urlconf).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404, HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from ninja import NinjaAPI, Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from aiom import urls as aiom_urls
from aiom.api import api
from aiom.core.api_support import AUTH
from aiom.inventory.bulk import create_imported_use_cases
from aiom.portfolio import services
from aiom.portfolio.filters import UseCaseFilter
from aiom.portfolio.models import UseCase
from aiom.portfolio.schemas import UseCaseOut
from tests.conftest import World

# The ordinary declaration: ORM objects validated against UseCaseOut by ninja.
reference_router = Router(tags=["use cases"])


@reference_router.get("", response=list[UseCaseOut], summary="List use cases")
@paginate(LimitOffsetPagination)
def list_use_cases(request: HttpRequest, filters: Query[UseCaseFilter]) -> Any:
    return filters.apply(UseCase.objects.visible_to(request.user).with_relations())


@reference_router.get("/{int:use_case_id}", response=UseCaseOut, summary="Get one use case")
def get_use_case(request: HttpRequest, use_case_id: int) -> UseCase:
    found = UseCase.objects.visible_to(request.user).with_relations().filter(pk=use_case_id)
    use_case = found.first()
    if use_case is None:
        raise Http404(f"no use case {use_case_id}")
    return use_case


reference = NinjaAPI(title="reference", auth=AUTH, urls_namespace="reference-api")
reference.add_router("/use-cases", reference_router)
urlpatterns = [path("reference/", reference.urls), path("", include(aiom_urls))]

pytestmark = pytest.mark.urls("tests.portfolio.test_api_rows")
OPERATIONS = [("/use-cases", "get"), ("/use-cases/{use_case_id}", "get")]


def operation(document: dict[str, Any], prefix: str, route: str, method: str) -> Any:
    found = dict(document["paths"][prefix + route][method])
    found.pop("operationId")  # named after the module that declares it
    return found


def test_the_openapi_document_of_list_and_get_is_the_ordinary_declarations() -> None:
    ours = api.get_openapi_schema()
    theirs = reference.get_openapi_schema()
    for route, method in OPERATIONS:
        assert operation(ours, "/api/v1", route, method) == operation(
            theirs, "/reference", route, method
        )
    schemas = ours["components"]["schemas"]
    for name in ("PagedUseCaseOut", "UseCaseOut", "Ref", "PersonRef"):
        assert schemas[name] == theirs["components"]["schemas"][name]
    assert ours["paths"]["/api/v1/use-cases"]["get"]["operationId"] == (
        "aiom_portfolio_api_list_use_cases"
    )


@pytest.fixture
def every_kind(world: World) -> list[UseCase]:
    """Use cases with every kind of value the schema carries."""
    nameless = User.objects.create_user("nameless")  # no first or last name: the username
    full = services.create_use_case(
        actor=world.alice,
        title='Prüfung der Anträge — 日本語 ✓ "quoted" <b>',
        problem="Ünïcödé\nmultiline\ttabbed",
        org_unit=world.retail,
        owner=world.alice,
        sponsor=nameless,
        theme=world.theme,
        expected_benefit_amount=Decimal("1234.50"),
        expected_benefit_currency="EUR",
        vendor="Acme™",
        customer_facing=True,
        personal_data=True,
    )
    made, refused = create_imported_use_cases(
        actor=None,
        rows=[
            {"title": "Nothing dated", "org_unit": world.cards, "stage": "pilot"},
            {
                "title": "Known to the month",
                "org_unit": world.retail,
                "stage": "intake",
                "proposed_on": dt.date(2022, 3, 1),
                "proposed_precision": "month",
                "stage_entered_on": dt.date(2022, 7, 1),
                "stage_entered_precision": "quarter",
                "contact": "ai-desk@example.com",
                "external_id": "EXT-1",
                "external_source": "test-sheet",
                "source_attributes": {"Région": "Île-de-France", "Budget": ""},
            },
            {
                "title": "Hidden from Bob",
                "org_unit": world.wealth,
                "confidential": True,
            },
        ],
        message="test import",
    )
    assert refused == []
    return [full, *made]


@pytest.fixture
def client_of(world: World) -> Any:
    def _client(name: str) -> Client:
        client = Client()
        client.force_login(getattr(world, name))
        return client

    return _client


LISTS = [
    "?limit=100",
    "?limit=3&offset=2",
    "?sort=oldest&limit=100",
    "?q=pr%C3%BCfung",
    "?stage=pilot",
    "?org_unit={retail}",
    "?limit=0",
    "?offset=-1",
]


@pytest.mark.parametrize("name", ["ada", "bob", "pat", "charlie"])
def test_list_and_get_write_the_same_json_as_the_validated_path(
    name: str, world: World, every_kind: list[UseCase], client_of: Any
) -> None:
    client = client_of(name)
    ids = [uc.pk for uc in every_kind] + [world.alice_secret.pk, world.wealth_secret.pk]
    urls = [f"use-cases{q.format(retail=world.retail.pk)}" for q in LISTS]
    urls += [f"use-cases/{pk}" for pk in ids] + ["use-cases/999999"]
    for url in urls:
        ours = client.get(f"/api/v1/{url}")
        theirs = client.get(f"/reference/{url}")
        assert (ours.status_code, ours["Content-Type"]) == (
            theirs.status_code,
            theirs["Content-Type"],
        ), url
        assert ours.content == theirs.content, url


def test_the_json_carries_every_field_kind_and_hides_what_bob_may_not_see(
    world: World, every_kind: list[UseCase], client_of: Any
) -> None:
    full, undated, partial, hidden = every_kind
    body = client_of("bob").get("/api/v1/use-cases", {"limit": 100}).json()
    items = {item["id"]: item for item in body["items"]}
    assert hidden.pk not in items and world.wealth_secret.pk not in items
    assert body["count"] == len(items)
    assert items[full.pk]["title"].startswith("Prüfung der Anträge — 日本語")
    assert items[full.pk]["expected_benefit_amount"] == "1234.50"
    assert items[full.pk]["sponsor"] == {
        "id": full.sponsor_id,
        "username": "nameless",
        "name": "nameless",
    }
    assert items[full.pk]["owner"]["name"] == "Alice Example"
    assert items[undated.pk]["proposed_on"] is None
    assert items[undated.pk]["owner"] is None and items[undated.pk]["theme"] is None
    assert items[partial.pk]["proposed_precision"] == "month"
    assert items[partial.pk]["source_attributes"] == {"Région": "Île-de-France", "Budget": ""}


def test_a_page_is_two_queries_after_access_whatever_its_size(
    world: World, every_kind: list[UseCase], client_of: Any
) -> None:
    client = client_of("ada")
    client.get("/api/v1/use-cases")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/use-cases", {"limit": 100}).status_code == 200
    use_case_queries = [q for q in queries.captured_queries if "portfolio_usecase" in q["sql"]]
    assert len(use_case_queries) == 2  # the page's rows with their references, the count
