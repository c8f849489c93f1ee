"""/api/v1/use-cases: the contract — list, get, create, update, errors, query counts."""

from typing import Any

import pytest
from django.test import Client

from aiom.core.models import AuditEvent
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.query_counts import Budget

URL = "/api/v1/use-cases"


def post(client: Client, url: str, body: dict[str, Any], **kw: Any) -> Any:
    return client.post(url, body, content_type="application/json", **kw)


def patch(client: Client, url: str, body: dict[str, Any], **kw: Any) -> Any:
    return client.patch(url, body, content_type="application/json", **kw)


def error_fields(response: Any) -> set[str]:
    return {str(item["loc"][-1]) for item in response.json()["detail"]}


def test_list_is_paginated_with_items_and_count(login, world: World) -> None:
    client = login("ada")
    body = client.get(URL, {"limit": 2}).json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 3
    assert len(body["items"]) == 2
    item = body["items"][0]
    assert item["org_unit"]["name"]
    assert {"id", "title", "stage", "owner", "theme", "version", "confidential"} <= set(item)
    rest = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert len(rest["items"]) == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"stage": "intake"},
            {
                "Mortgage document summariser",
                "Branch closure predictor",
                "Client churn early warning",
            },
        ),
        ({"q": "SUMMARIS"}, {"Mortgage document summariser"}),
        ({"org_unit": "wealth"}, {"Client churn early warning"}),
        (
            {"org_unit": "group"},
            {
                "Mortgage document summariser",
                "Branch closure predictor",
                "Client churn early warning",
            },
        ),
        ({"theme": "theme"}, {"Mortgage document summariser", "Branch closure predictor"}),
        ({"owner": "charlie"}, {"Client churn early warning"}),
        ({"owner": "none"}, set()),
        ({"stage": "pilot"}, set()),
    ],
)
def test_list_filters(login, world: World, params: dict[str, str], expected: set[str]) -> None:
    resolved = {}
    for key, value in params.items():
        obj = getattr(world, value, None)
        resolved[key] = obj.pk if obj is not None and key != "q" else value
    body = login("ada").get(URL, resolved).json()
    assert {item["title"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


def test_list_rejects_bad_filters_with_422(login, world: World) -> None:
    client = login("ada")
    response = client.get(URL, {"stage": "limbo"})
    assert response.status_code == 422
    assert "stage" in error_fields(response)
    assert client.get(URL, {"org_unit": "retail"}).status_code == 422
    assert client.get(URL, {"owner": "alice"}).status_code == 422


def test_get_one(login, world: World) -> None:
    body = login("alice").get(f"{URL}/{world.alice_uc.pk}").json()
    assert body["title"] == "Mortgage document summariser"
    assert body["owner"] == {"id": world.alice.pk, "username": "alice", "name": "Alice Example"}
    assert login("ada").get(f"{URL}/999999").status_code == 404


def test_create_returns_201_and_writes_an_audit_event(login, world: World) -> None:
    response = post(
        login("bob"),
        URL,
        {
            "title": "Card dispute classifier",
            "org_unit": world.cards.pk,
            "owner": world.bob.pk,
            "theme": world.theme.pk,
            "ai_type": "nlp",
            "expected_benefit_amount": "120000",
            "expected_benefit_currency": "gbp",
            "personal_data": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "intake"
    assert body["expected_benefit_currency"] == "GBP"
    stored = UseCase.objects.get(pk=body["id"])
    assert stored.org_unit == world.cards
    event = AuditEvent.objects.get(object_type="portfolio.usecase", object_id=str(stored.pk))
    assert (event.action, event.actor_id) == ("create", world.bob.pk)
    assert len(event.request_id) == 32


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "No owner", "org_unit": "retail"}, "owner"),
        ({"title": "Unknown unit", "org_unit": 999_999, "owner": "alice"}, "org_unit"),
        ({"title": "Unknown owner", "org_unit": "retail", "owner": 999_999}, "owner"),
        ({"title": "x" * 501, "org_unit": "retail", "owner": "alice"}, "title"),
        ({"title": "", "org_unit": "retail", "owner": "alice"}, "title"),
        ({"title": "Wrong type", "org_unit": "Retail Banking", "owner": "alice"}, "org_unit"),
        (
            {
                "title": "Wrong type",
                "org_unit": "retail",
                "owner": "alice",
                "personal_data": "maybe",
            },
            "personal_data",
        ),
        (
            {"title": "Bad enum", "org_unit": "retail", "owner": "alice", "ai_type": "magic"},
            "ai_type",
        ),
        (
            {
                "title": "Negative",
                "org_unit": "retail",
                "owner": "alice",
                "expected_benefit_amount": -1,
            },
            "expected_benefit_amount",
        ),
        (
            {"title": "Extra", "org_unit": "retail", "owner": "alice", "stage": "operational"},
            "stage",
        ),
        (
            {"title": "Huge", "org_unit": "retail", "owner": "alice", "description": "d" * 10_001},
            "description",
        ),
        ({"title": "Partner owner", "org_unit": "retail", "owner": "pat"}, "owner"),
    ],
)
def test_create_rejects_bad_input_with_422_naming_the_field(
    login, world: World, body: dict[str, Any], field: str
) -> None:
    resolved = {
        k: (
            getattr(world, v).pk
            if isinstance(v, str) and k in ("org_unit", "owner") and hasattr(world, v)
            else v
        )
        for k, v in body.items()
    }
    before = UseCase.objects.count()
    response = post(login("alice"), URL, resolved)
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert UseCase.objects.count() == before


def test_malformed_json_is_a_client_error(login, world: World) -> None:
    response = login("alice").post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_update_changes_only_the_fields_sent(login, world: World) -> None:
    url = f"{URL}/{world.alice_uc.pk}"
    response = patch(login("alice"), url, {"vendor": "Microsoft", "sourcing": "buy", "version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["vendor"], body["sourcing"], body["version"]) == ("Microsoft", "buy", 2)
    assert body["title"] == "Mortgage document summariser"
    event = AuditEvent.objects.filter(object_id=str(world.alice_uc.pk)).order_by("-seq")[0]
    assert event.before["vendor"] == ""
    assert event.after["vendor"] == "Microsoft"


def test_stale_update_is_409_naming_what_changed(login, world: World) -> None:
    url = f"{URL}/{world.alice_uc.pk}"
    client = login("alice")
    assert patch(client, url, {"vendor": "A", "version": 1}).status_code == 200
    response = patch(client, url, {"title": "Mine", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changed"]["vendor"] == {"was": "", "now": "A"}


def test_update_rejects_bad_input(login, world: World) -> None:
    url = f"{URL}/{world.alice_uc.pk}"
    client = login("alice")
    assert "title" in error_fields(patch(client, url, {"title": ""}))
    assert "org_unit" in error_fields(patch(client, url, {"org_unit": 999_999}))
    assert "stage" in error_fields(patch(client, url, {"stage": "operational"}))


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = patch(client, f"{URL}/{world.alice_uc.pk}", {"vendor": "X"})
    assert response.status_code == 403
    assert client.get(URL).status_code == 200


def test_list_query_count_is_constant(login, world: World, query_budget: Budget) -> None:
    from aiom.portfolio import services

    client = login("bob")
    client.get(URL)  # warm the session
    # session, user, what bob holds (roles, home unit, led units: one query), page, count
    with query_budget("list_api_session"):
        first = client.get(URL)
    for i in range(30):
        services.create_use_case(
            actor=None,
            title=f"Extra {i}",
            org_unit=world.wealth,
            owner=world.charlie,
            sponsor=world.ada,
            theme=world.theme,
        )
    with query_budget("list_api_session"):
        more = client.get(URL)
    assert more.json()["count"] == first.json()["count"] + 30


def test_bearer_list_query_count(
    client: Client, world: World, bearer, query_budget: Budget
) -> None:
    headers = bearer("bob")
    client.get(URL, headers=headers)  # first use records last_used_at
    # token+user, what bob holds (roles, home unit, led units: one query), page, count
    with query_budget("list_api_bearer"):
        assert client.get(URL, headers=headers).status_code == 200
