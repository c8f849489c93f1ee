"""The catalogue's API contract: shapes, status codes, scopes, visibility."""

from typing import Any

from django.test import Client

from aiom.catalogue.models import DataProduct
from aiom.notifications.models import Notice
from tests.catalogue.conftest import Catalogue, today
from tests.conftest import World


def send(client: Client, method: str, url: str, body: Any = None, **headers: Any) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url, headers=headers or None)
    return call(url, body, content_type="application/json", headers=headers or None)


def test_list_search_and_one(login, world: World, cat: Catalogue) -> None:
    client = login("alice")
    body = client.get("/api/v1/data-products").json()
    assert body["count"] == 3
    assert [p["name"] for p in body["items"]] == [
        "Market prices",
        "Mortgage applications",
        "Retail customers",
    ]
    assert client.get("/api/v1/data-products?q=kyc").json()["count"] == 1  # a tag
    assert client.get("/api/v1/data-products?q=documents").json()["count"] == 1  # description
    assert client.get("/api/v1/data-products?classification=public").json()["count"] == 1
    one = client.get(f"/api/v1/data-products/{cat.applications.pk}").json()
    assert one["domain"] == {"id": world.retail.pk, "name": "Retail Banking"}
    assert one["steward"]["username"] == "sam"
    assert one["upstream"] == [{"id": cat.customers.pk, "name": "Retail customers"}]
    assert (one["quality_score"], one["quality_checked_on"]) == (85, today().isoformat())
    assert one["tags"] == ["mortgages"]
    assert login("pat").get("/api/v1/data-products").json()["count"] == 1


def test_create_patch_and_quality(login, world: World, cat: Catalogue) -> None:
    client = login("anonymous")
    payload = {"name": "Branches", "domain": world.retail.pk, "steward": cat.sam.pk, "tags": ["a"]}
    made = send(client, "post", "/api/v1/data-products", payload, **bearer_for(cat.sam))
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    bad = send(
        client,
        "post",
        "/api/v1/data-products",
        {**payload, "classification": "x"},
        **bearer_for(cat.sam),
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "classification"]
    patched = send(
        client,
        "patch",
        f"/api/v1/data-products/{pk}",
        {"classification": "internal"},
        **bearer_for(cat.sam),
    )
    assert patched.json()["classification"] == "internal"
    denied = send(
        client, "patch", f"/api/v1/data-products/{pk}", {"name": "x"}, **bearer_for(world.bob)
    )
    assert denied.status_code == 403
    read_only = send(
        client,
        "patch",
        f"/api/v1/data-products/{pk}",
        {"name": "x"},
        **bearer_for(cat.sam, ("read",)),
    )
    assert read_only.status_code == 403
    checked = send(
        client, "post", f"/api/v1/data-products/{pk}/quality", {"score": 66}, **bearer_for(cat.sam)
    )
    assert (checked.json()["quality_score"], checked.json()["quality_checked_on"]) == (
        66,
        today().isoformat(),
    )
    assert DataProduct.objects.get(pk=pk).quality_score == 66


def bearer_for(user: Any, scopes: tuple[str, ...] = ("read", "write")) -> dict[str, str]:
    from aiom.core import tokens

    _, plaintext = tokens.create_token(actor=None, user=user, name="t", scopes=scopes)
    return {"Authorization": f"Bearer {plaintext}"}


def test_links_and_readiness(login, world: World, cat: Catalogue) -> None:
    client = login("alice")
    base = f"/api/v1/use-cases/{world.alice_uc.pk}"
    made = send(
        client,
        "post",
        f"{base}/data-products",
        {"data_product": cat.applications.pk, "purpose": "Training"},
    )
    assert made.status_code == 201
    assert made.json()["data_product"]["name"] == "Mortgage applications"
    assert made.json()["purpose"] == "Training"
    again = send(client, "post", f"{base}/data-products", {"data_product": cat.applications.pk})
    assert again.status_code == 422
    ready = client.get(f"{base}/data-readiness").json()
    assert ready == {
        "ready": True,
        "reasons": [],
        "quality_floor": 70,
        "freshness_days": 180,
        "products": [
            {
                "id": cat.applications.pk,
                "name": "Mortgage applications",
                "ready": True,
                "problems": [],
            }
        ],
    }
    send(client, "post", f"{base}/data-products", {"data_product": cat.markets.pk})
    assert client.get(f"{base}/data-readiness").json()["ready"] is False
    assert [x["data_product"]["id"] for x in client.get(f"{base}/data-products").json()] == [
        cat.markets.pk,
        cat.applications.pk,
    ]
    gone = client.delete(f"{base}/data-products/{cat.markets.pk}")
    assert gone.status_code == 204
    assert client.delete(f"{base}/data-products/{cat.markets.pk}").status_code == 404
    assert login("bob").delete(f"{base}/data-products/{cat.applications.pk}").status_code == 403


def test_invisible_use_cases_answer_404(login, world: World, cat: Catalogue) -> None:
    client = login("bob")
    base = f"/api/v1/use-cases/{world.wealth_secret.pk}"
    assert client.get(f"{base}/data-products").status_code == 404
    assert client.get(f"{base}/data-readiness").status_code == 404
    posted = send(client, "post", f"{base}/data-products", {"data_product": cat.markets.pk})
    assert posted.status_code == 404
    assert not Notice.objects.exists()
