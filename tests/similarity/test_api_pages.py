"""Suggestions API, visibility, clusters shape, link endpoints and pages."""

from typing import Any

from django.test import Client
from django.urls import reverse

from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.similarity.models import UseCaseLink
from tests.conftest import World

DRAFT = {"title": "Extract supplier invoices", "problem": "Retyping supplier invoices by hand"}


def test_draft_suggestions_flag_other_units(
    world: World, twins: tuple[UseCase, UseCase], login: Any
) -> None:
    client: Client = login("alice")
    found = client.post(
        "/api/v1/use-cases/similar",
        {**DRAFT, "org_unit": world.retail.pk},
        content_type="application/json",
    ).json()
    flags = {s["use_case_id"]: s["other_unit"] for s in found[:2]}
    assert flags == {twins[0].pk: False, twins[1].pk: True}
    first = found[0]
    assert any(r.startswith("shared terms: ") for r in first["reasons"])
    assert 0 < first["score"] <= 1


def test_existing_use_case_gets_vendor_reason(
    world: World, twins: tuple[UseCase, UseCase], login: Any
) -> None:
    found = login("alice").get(f"/api/v1/use-cases/{twins[0].pk}/similar").json()
    assert found[0]["use_case_id"] == twins[1].pk
    assert "same vendor: uipath" in found[0]["reasons"]
    assert twins[0].pk not in [s["use_case_id"] for s in found]


def test_confidential_never_suggested_to_outsiders(world: World, login: Any) -> None:
    secret = world.alice_secret
    draft = {"title": secret.title, "problem": "Predict which branch closes"}
    ids = [
        s["use_case_id"]
        for s in login("charlie")
        .post("/api/v1/use-cases/similar", draft, content_type="application/json")
        .json()
    ]
    assert secret.pk not in ids
    mine = login("alice").post("/api/v1/use-cases/similar", draft, content_type="application/json")
    assert secret.pk in [s["use_case_id"] for s in mine.json()]
    panel = login("charlie").post(reverse("similarity:similar_panel"), draft)
    assert secret.title not in panel.content.decode()


def test_clusters_shape(world: World, twins: tuple[UseCase, UseCase], login: Any) -> None:
    body = login("ada").get("/api/v1/silos/clusters?threshold=0.2").json()
    assert len(body) == 1
    cluster = body[0]
    assert cluster["size"] == 2
    assert cluster["units"] == ["Retail Banking", "Wealth Management"]
    assert {m["id"] for m in cluster["members"]} == {twins[0].pk, twins[1].pk}
    assert cluster["shared_terms"]
    filtered = login("ada").get(f"/api/v1/silos/clusters?threshold=0.2&org_unit={world.cards.pk}")
    assert filtered.json() == []


def test_hidden_use_case_does_not_join_clusters(world: World, login: Any) -> None:
    portfolio.create_use_case(
        actor=world.alice,
        org_unit=world.retail,
        owner=world.alice,
        title="Client churn early warning",
        confidential=True,
    )
    assert login("bob").get("/api/v1/silos/clusters?threshold=0.2").json() == []


def test_link_endpoints(
    world: World, twins: tuple[UseCase, UseCase], bearer: Any, client: Client
) -> None:
    a, b = twins
    body = {"target": b.pk, "kind": "duplicate_of", "reason": "Same invoice capture work."}
    made = client.post(
        f"/api/v1/use-cases/{a.pk}/links",
        body,
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert made.status_code == 201
    assert made.json()["to_use_case"] == b.pk
    again = client.post(
        f"/api/v1/use-cases/{a.pk}/links",
        body,
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert again.status_code == 422
    denied = client.post(
        f"/api/v1/use-cases/{a.pk}/links",
        {**body, "kind": "related_to"},
        content_type="application/json",
        headers=bearer("bob"),
    )
    assert denied.status_code == 403
    link_id = made.json()["id"]
    gone = client.delete(f"/api/v1/use-cases/{b.pk}/links/{link_id}", headers=bearer("charlie"))
    assert gone.status_code == 204
    assert not UseCaseLink.objects.exists()


def test_pages_render(world: World, twins: tuple[UseCase, UseCase], login: Any) -> None:
    client: Client = login("alice")
    page = client.get(reverse("similarity:silos") + "?threshold=0.2")
    assert page.status_code == 200
    assert "Invoice data extraction for suppliers" in page.content.decode()
    panel = client.get(reverse("similarity:similar_panel"), DRAFT)
    assert "other unit" not in panel.content.decode() or panel.status_code == 200
    assert "Invoice data extraction for suppliers" in panel.content.decode()
    empty = client.get(reverse("similarity:similar_panel"), {"title": "x"})
    assert "Describe the use case" in empty.content.decode()
    linked = client.post(
        reverse("similarity:link", args=[twins[0].pk]),
        {"target": twins[1].pk, "kind": "related_to", "reason": "Same invoice capture work."},
        headers={"HX-Request": "true"},
    )
    assert linked.status_code == 200
    assert "Related work" in linked.content.decode()
    refused = client.post(
        reverse("similarity:link", args=[twins[0].pk]),
        {"target": twins[1].pk, "kind": "related_to", "reason": "short"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    silo_link = client.post(
        reverse("similarity:silo_link"),
        {
            "source": twins[0].pk,
            "target": twins[1].pk,
            "kind": "duplicate_of",
            "reason": "Same invoice capture work.",
        },
    )
    assert silo_link.status_code == 302
    assert UseCaseLink.objects.count() == 2
