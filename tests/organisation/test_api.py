"""/api/v1/org-units, /api/v1/people, /api/v1/themes, /api/v1/audit-events contracts."""

from typing import Any

import pytest
from django.test import Client

from aiom.core.models import AuditEvent
from aiom.organisation.models import OrgUnit, RoleAssignment
from tests.conftest import World
from tests.query_counts import Budget


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def fields(response: Any) -> set[str]:
    return {str(item["loc"][-1]) for item in response.json()["detail"]}


def test_org_units_list_get_create_update(login, world: World) -> None:
    client = login("ada")
    listing = client.get("/api/v1/org-units").json()
    assert listing["count"] == 4
    assert [u["name"] for u in listing["items"]][:2] == ["Group", "Retail Banking"]
    assert client.get("/api/v1/org-units", {"parent": world.retail.pk}).json()["count"] == 1
    one = client.get(f"/api/v1/org-units/{world.cards.pk}").json()
    assert one["parent"] == {"id": world.retail.pk, "name": "Retail Banking"}
    created = send(
        client,
        "post",
        "/api/v1/org-units",
        {"name": "Insurance", "parent": world.group.pk, "lead": world.charlie.pk},
    )
    assert created.status_code == 201, created.content
    assert created.json()["lead"]["username"] == "charlie"
    unit_id = created.json()["id"]
    moved = send(client, "patch", f"/api/v1/org-units/{unit_id}", {"parent": world.wealth.pk})
    assert moved.json()["depth"] == 2
    assert OrgUnit.objects.get(pk=unit_id).path == f"{world.wealth.path}{unit_id}/"
    assert client.get("/api/v1/org-units/999999").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Orphan", "parent": 999_999}, "parent"),
        ({"name": "Leaderless", "lead": 999_999}, "lead"),
        ({"name": "Typed", "parent": "Group"}, "parent"),
        ({"name": "Cards", "parent": "retail"}, "name"),
    ],
)
def test_org_unit_create_422(login, world: World, body: dict[str, Any], field: str) -> None:
    if body.get("parent") == "retail":
        body = {**body, "parent": world.retail.pk}
    response = send(login("ada"), "post", "/api/v1/org-units", body)
    assert response.status_code == 422, response.content
    assert field in fields(response)


def test_non_admins_cannot_change_org_units(login, world: World) -> None:
    response = send(login("alice"), "post", "/api/v1/org-units", {"name": "Rogue"})
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(name="Rogue").exists()


def test_people_list_get_create_update_and_roles(login, world: World) -> None:
    client = login("ada")
    listing = client.get("/api/v1/people").json()
    assert listing["count"] == 6
    alice = next(p for p in listing["items"] if p["username"] == "alice")
    assert alice["org_unit"]["name"] == "Retail Banking"
    assert alice["roles"][0]["role"] == "business_owner"
    assert client.get("/api/v1/people", {"role": "partner"}).json()["count"] == 1
    assert client.get("/api/v1/people", {"q": "CHAR"}).json()["count"] == 1
    created = send(
        client,
        "post",
        "/api/v1/people",
        {"username": "sam", "first_name": "Sam", "org_unit": world.cards.pk},
    )
    assert created.status_code == 201, created.content
    sam = created.json()["id"]
    updated = send(client, "patch", f"/api/v1/people/{sam}", {"job_title": "Data steward"})
    assert updated.json()["job_title"] == "Data steward"
    grant = send(
        client,
        "post",
        f"/api/v1/people/{sam}/roles",
        {"role": "data_steward", "org_unit": world.cards.pk},
    )
    assert grant.status_code == 201
    role_id = grant.json()["id"]
    assert client.get(f"/api/v1/people/{sam}").json()["roles"][0]["org_unit"]["name"] == "Cards"
    assert client.delete(f"/api/v1/people/{sam}/roles/{role_id}").status_code == 204
    assert not RoleAssignment.objects.filter(pk=role_id).exists()
    bad = send(client, "post", f"/api/v1/people/{sam}/roles", {"role": "emperor"})
    assert bad.status_code == 422
    assert "role" in fields(bad)
    dup = send(client, "post", "/api/v1/people", {"username": "SAM"})
    assert dup.status_code == 422
    assert "username" in fields(dup)


def test_people_list_query_count(login, world: World, query_budget: Budget) -> None:
    client = login("ada")
    client.get("/api/v1/people")
    # session, user, what ada holds (roles, home unit, led units: one query), count, page,
    # prefetch roles
    with query_budget("people_api"):
        client.get("/api/v1/people")


def test_themes_contract(login, world: World) -> None:
    client = login("ada")
    listing = client.get("/api/v1/themes").json()
    assert listing["count"] == 5
    created = send(client, "post", "/api/v1/themes", {"key": "esg", "name": "Sustainability"})
    assert created.status_code == 201
    theme_id = created.json()["id"]
    assert client.get(f"/api/v1/themes/{theme_id}").json()["key"] == "esg"
    patched = send(client, "patch", f"/api/v1/themes/{theme_id}", {"is_active": False})
    assert patched.json()["is_active"] is False
    assert "key" in fields(send(client, "post", "/api/v1/themes", {"key": "", "name": "X"}))
    forbidden = send(login("alice"), "patch", f"/api/v1/themes/{theme_id}", {"name": "Mine"})
    assert forbidden.status_code == 403


def test_audit_events_are_read_only_and_filterable(login, world: World) -> None:
    client = login("ada")
    body = client.get("/api/v1/audit-events", {"object_type": "portfolio.usecase"}).json()
    assert body["count"] == 3
    assert all(e["action"] == "create" for e in body["items"])
    newest = client.get("/api/v1/audit-events", {"limit": 1}).json()["items"][0]
    assert newest["seq"] == AuditEvent.objects.order_by("-seq")[0].seq
    one = client.get(f"/api/v1/audit-events/{newest['seq']}").json()
    assert one["hash"] == newest["hash"]
    assert (
        client.post("/api/v1/audit-events", {}, content_type="application/json").status_code == 405
    )
    assert client.delete(f"/api/v1/audit-events/{newest['seq']}").status_code == 405


def test_audit_events_query_count(login, world: World, query_budget: Budget) -> None:
    client = login("bob")
    client.get("/api/v1/audit-events")
    with query_budget("audit_events_api"):  # what bob holds is one query (was three)
        client.get("/api/v1/audit-events")


def test_openapi_document_and_docs(login, world: World) -> None:
    client = login("alice")
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/use-cases",
        "/api/v1/org-units",
        "/api/v1/people",
        "/api/v1/themes",
        "/api/v1/audit-events",
    } <= paths
    assert "BearerToken" in spec["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
