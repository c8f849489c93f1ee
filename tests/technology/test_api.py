"""/api/v1/registry/... and /api/v1/use-cases/{id}/technology."""

from typing import Any

import pytest

from aiom.technology.models import AIModel, UseCasePlatform
from tests.conftest import World
from tests.query_counts import Budget
from tests.technology.conftest import Registry

ADMIN = ("read", "write", "admin")  # an administrator's token that acts as one

API = "/api/v1"


def test_lists_count_only_visible_use_cases(client: Any, bearer: Any, reg: Registry) -> None:
    alice = client.get(f"{API}/registry/models", headers=bearer("alice")).json()
    charlie = client.get(f"{API}/registry/models", headers=bearer("charlie")).json()
    assert {m["name"]: m["used_by"] for m in alice["items"]} == {"Fraud scorer": 0, "GPT-4o": 2}
    assert {m["name"]: m["used_by"] for m in charlie["items"]}["GPT-4o"] == 1
    gpt = alice["items"][1]
    assert gpt["vendor"] == {"id": reg.openai.pk, "name": "OpenAI"}
    assert gpt["owners"][0]["username"] == "bob"
    platforms = client.get(f"{API}/registry/platforms?q=gate", headers=bearer("charlie")).json()
    assert [(p["name"], p["used_by"], p["environments"]) for p in platforms["items"]] == [
        ("LLM gateway", 2, ["sandbox", "production"])
    ]


def test_create_get_and_patch(client: Any, bearer: Any, world: World, reg: Registry) -> None:
    headers = bearer("ada", ADMIN)
    made = client.post(
        f"{API}/registry/models",
        data={
            "name": "Claude",
            "version": "3.5",
            "vendor": reg.acme.pk,
            "model_type": "generative_llm",
            "owners": [world.alice.pk],
        },
        headers=headers,
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["vendor"]["name"], body["used_by"], body["owners"][0]["username"]) == (
        "Acme AI",
        0,
        "alice",
    )
    got = client.get(f"{API}/registry/models/{body['id']}", headers=headers).json()
    assert got["name"] == "Claude"
    patched = client.patch(
        f"{API}/registry/models/{body['id']}",
        data={"status": "deprecated"},
        headers=headers,
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["status"] == "deprecated"
    assert AIModel.objects.get(pk=body["id"]).status == "deprecated"
    vendor = client.post(
        f"{API}/registry/vendors",
        data={"name": "Cohere", "dpa_signed": True},
        headers=headers,
        content_type="application/json",
    )
    assert vendor.status_code == 201 and vendor.json()["dpa_signed"] is True
    platform = client.post(
        f"{API}/registry/platforms",
        data={"name": "ML", "environments": ["prod"]},
        headers=headers,
        content_type="application/json",
    )
    assert platform.status_code == 201 and platform.json()["environments"] == ["prod"]


def test_refusals(client: Any, bearer: Any, reg: Registry) -> None:
    payload = {"name": "X", "model_type": "nlp"}
    denied = client.post(
        f"{API}/registry/models",
        data=payload,
        headers=bearer("alice"),
        content_type="application/json",
    )
    assert denied.status_code == 403
    read_only = client.post(
        f"{API}/registry/models",
        data=payload,
        headers=bearer("ada", scopes=("read",)),
        content_type="application/json",
    )
    assert read_only.status_code == 403
    clash = client.post(
        f"{API}/registry/vendors",
        data={"name": "OPENAI"},
        headers=bearer("ada", ADMIN),
        content_type="application/json",
    )
    assert clash.status_code == 422 and clash.json()["detail"][0]["loc"] == ["body", "name"]
    assert (
        client.get(f"{API}/registry/vendors/{reg.openai.pk}", headers=bearer("pat")).status_code
        == 404
    )
    assert client.get(f"{API}/registry/vendors", headers=bearer("pat")).json()["items"] == []


def test_model_card_json(client: Any, bearer: Any, reg: Registry) -> None:
    card = client.get(f"{API}/registry/models/{reg.gpt.pk}/card", headers=bearer("charlie")).json()
    assert card["provider"] == "OpenAI" and card["evaluation"]["summary"].startswith("ROUGE-L")
    assert [u["title"] for u in card["used_by"]] == ["Mortgage document summariser"]


def test_use_case_technology_links(client: Any, bearer: Any, world: World, reg: Registry) -> None:
    url = f"{API}/use-cases/{world.alice_uc.pk}/technology"
    listed = client.get(url, headers=bearer("bob")).json()
    assert [link["target"]["name"] for link in listed["models"]] == ["GPT-4o 2024-08"]
    assert [link["target"]["name"] for link in listed["platforms"]] == ["LLM gateway"]
    assert [link["target"]["name"] for link in listed["vendors"]] == ["OpenAI"]
    made = client.post(
        url,
        data={"kind": "model", "id": reg.fraud.pk, "purpose": "scores"},
        headers=bearer("alice"),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["purpose"] == "scores"
    refused = client.post(
        url,
        data={"kind": "model", "id": reg.fraud.pk},
        headers=bearer("bob"),
        content_type="application/json",
    )
    assert refused.status_code == 403
    gone = client.delete(f"{url}/platform/{reg.gateway.pk}", headers=bearer("alice"))
    assert gone.status_code == 204
    assert not UseCasePlatform.objects.filter(use_case=world.alice_uc).exists()
    assert (
        client.delete(f"{url}/platform/{reg.gateway.pk}", headers=bearer("alice")).status_code
        == 404
    )
    assert client.delete(f"{url}/gadget/1", headers=bearer("alice")).status_code == 404


@pytest.mark.parametrize("who", ["charlie", "pat"])
def test_invisible_use_case_is_404(
    client: Any, bearer: Any, world: World, reg: Registry, who: str
) -> None:
    url = f"{API}/use-cases/{world.alice_secret.pk}/technology"
    assert client.get(url, headers=bearer(who)).status_code == 404


def test_list_query_count_is_pinned(
    client: Any, bearer: Any, reg: Registry, query_budget: Budget
) -> None:
    headers = bearer("alice", scopes=("read",))
    client.get(f"{API}/registry/models", headers=headers)
    with query_budget("registry_models_api"):  # token, access (1), count, page, owners
        client.get(f"{API}/registry/models", headers=headers)


def test_openapi_documents_our_own_link_shape(login: Any, world: World) -> None:
    spec = login("alice").get(f"{API}/openapi.json").json()
    body = spec["paths"][f"{API}/use-cases/{{use_case_id}}/technology"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {"kind", "id", "purpose"}
