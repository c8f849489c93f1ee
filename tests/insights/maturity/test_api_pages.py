"""The /api/v1/maturity contract and the two pages: shapes, permissions, 422s, rendering."""

from typing import Any

import pytest
from django.test import Client

from aiom.insights.analytics import facts
from aiom.insights.maturity import services
from aiom.maturity.models import SelfAssessment
from aiom.organisation import services as org
from tests.conftest import World
from tests.insights.maturity.test_services import answers
from tests.query_counts import Budget


@pytest.fixture
def leads(world: World) -> World:
    org.update_org_unit(actor=None, unit=world.retail, lead=world.bob)
    org.update_org_unit(actor=None, unit=world.wealth, lead=world.charlie)
    return world


def post(client: Client, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(
        "/api/v1/maturity/self-assessments", body, content_type="application/json", headers=headers
    )


def test_model_endpoint(client: Client, world: World, bearer: Any) -> None:
    r = client.get("/api/v1/maturity/model", headers=bearer("alice"))
    assert r.status_code == 200
    body = r.json()
    assert len(body["sha256"]) == 64
    assert [d["key"] for d in body["dimensions"]][:2] == ["people", "processes"]
    assert body["levels"][3] == {
        "key": "ai_native",
        "label": "AI-Native",
        "min_score": 80.0,
        "description": body["levels"][3]["description"],
    }
    assert body["dimensions"][0]["questions"][0]["answers"][0]["score"] == 0


@pytest.mark.parametrize(
    "url", ["/api/v1/maturity/model", "/api/v1/maturity", "/api/v1/maturity/history"]
)
def test_partners_are_refused_everywhere(
    client: Client, world: World, bearer: Any, url: str
) -> None:
    assert client.get(url, headers=bearer("pat")).status_code == 403
    body = {"org_unit": world.retail.pk, "answers": answers()}
    assert post(client, body, bearer("pat")).status_code == 403


def test_post_by_the_lead_is_201_with_the_scores(client: Client, leads: World, bearer: Any) -> None:
    r = post(client, {"org_unit": leads.cards.pk, "answers": answers(3)}, bearer("bob"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["org_unit"] == {"id": leads.cards.pk, "name": "Cards"}
    assert (body["overall_score"], body["overall_level"]) == (100.0, "ai_native")
    assert body["assessed_by"]["username"] == "bob"
    assert body["dimension_levels"]["data"] == "ai_native"
    assert SelfAssessment.objects.get().pk == body["id"]


def test_post_refusals(client: Client, leads: World, bearer: Any) -> None:
    ok = {"org_unit": leads.retail.pk, "answers": answers()}
    assert post(client, ok, bearer("charlie")).status_code == 403
    assert post(client, {**ok, "org_unit": None}, bearer("bob")).status_code == 403
    assert post(client, ok, bearer("bob", scopes=("read",))).status_code == 403
    partial = {k: v for k, v in answers().items() if k != "people_change"}
    r = post(client, {**ok, "answers": partial}, bearer("bob"))
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"loc": ["body", "people_change"], "msg": "unanswered", "type": "invalid"}
    ]
    r = post(client, {**ok, "org_unit": 999_999}, bearer("ada"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "org_unit"]
    assert not SelfAssessment.objects.exists()


def test_maturity_side_by_side(client: Client, leads: World, bearer: Any) -> None:
    services.self_assess(actor=leads.bob, org_unit=leads.retail, answers=answers(3))
    r = client.get(f"/api/v1/maturity?org_unit={leads.retail.pk}", headers=bearer("alice"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["org_unit"] == {"id": leads.retail.pk, "name": "Retail Banking"}
    assert body["self_assessment"]["overall_level"] == "ai_native"
    dims = {d["key"]: d for d in body["dimensions"]}
    assert list(dims) == ["people", "processes", "technology", "data", "governance"]
    assert dims["people"]["self_score"] == 100.0
    assert {i["key"] for i in dims["people"]["inputs"]} >= {"sponsor_coverage", "training"}
    assert "Training coverage" not in dims["people"]["missing"]  # measured from records
    flagged = [d for d in dims.values() if d["higher_than_evidence"]]
    assert flagged and all(d["self_score"] - d["evidence_score"] >= 15 for d in flagged)
    assert any(r["higher_than_evidence"] for r in body["recommendations"])
    assert body["structure_hint"]["recommended"] in {"centralized", "federated", "decentralized"}
    assert (
        client.get("/api/v1/maturity?org_unit=999999", headers=bearer("alice")).status_code == 404
    )


def test_history_is_paginated_newest_first(client: Client, leads: World, bearer: Any) -> None:
    for score in (0, 1, 2):
        services.self_assess(actor=None, org_unit=leads.retail, answers=answers(score))
    services.self_assess(actor=None, org_unit=None, answers=answers(3))
    url = f"/api/v1/maturity/history?org_unit={leads.retail.pk}&limit=2"
    r = client.get(url, headers=bearer("alice"))
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert [i["overall_level"] for i in body["items"]] == ["integrated", "foundational"]
    whole = client.get("/api/v1/maturity/history", headers=bearer("alice")).json()
    assert [i["org_unit"] for i in whole["items"]] == [None]


def test_page_renders_side_by_side_with_a_radar(leads: World, login: Any) -> None:
    services.self_assess(actor=leads.bob, org_unit=leads.retail, answers=answers(3))
    r = login("alice").get(f"/maturity/?org_unit={leads.retail.pk}")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<svg class="radar"' in html and " style=" not in html
    assert "Retail Banking" in html and "higher than evidence" in html
    assert "AI-Native" in html and "Recommendations" in html
    assert ">Self-assess</a>" not in html  # alice leads nothing
    assert (
        ">Self-assess</a>"
        in login("bob").get(f"/maturity/?org_unit={leads.retail.pk}").content.decode()
    )
    assert login("alice").get("/maturity/").status_code == 200


def test_pages_refuse_partners_and_other_leads(leads: World, login: Any) -> None:
    assert login("pat").get("/maturity/").status_code == 403
    url = f"/maturity/self-assessment/?org_unit={leads.retail.pk}"
    assert login("charlie").get(url).status_code == 403
    assert login("bob").get("/maturity/self-assessment/").status_code == 403  # whole org
    assert login("anonymous").get("/maturity/").status_code == 302


def test_questionnaire_422_then_saved(leads: World, login: Any) -> None:
    client = login("bob")
    url = "/maturity/self-assessment/"
    r = client.get(f"{url}?org_unit={leads.cards.pk}")
    assert r.status_code == 200 and "Cards" in r.content.decode()
    given = {k: v for k, v in answers(1).items() if k != "data_quality"}
    r = client.post(url, {"org_unit": leads.cards.pk, **given})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="q-data_quality-error"' in html and 'value="some" checked' in html
    r = client.post(url, {"org_unit": leads.cards.pk, **answers(1)})
    assert r.status_code == 302
    assert r["Location"] == f"/maturity/?org_unit={leads.cards.pk}"
    row = SelfAssessment.objects.get()
    assert (row.org_unit, row.overall_level) == (leads.cards, "foundational")
    html = client.get(f"{url}?org_unit={leads.cards.pk}").content.decode()
    assert "Foundational" in html and "No self-assessment yet" not in html


def test_query_counts_do_not_grow_with_history(
    client: Client, leads: World, bearer: Any, query_budget: Budget
) -> None:
    for score in (0, 1, 2, 3):
        services.self_assess(actor=None, org_unit=leads.retail, answers=answers(score))
    headers = bearer("alice")
    facts.current()  # what the writes' commit does (a test never commits)
    with query_budget("history_api", at_most=True):
        assert client.get("/api/v1/maturity/history", headers=headers).status_code == 200
    with query_budget(
        "maturity_api_org_unit", at_most=True
    ):  # evidence: fixed aggregates, not per row
        r = client.get(f"/api/v1/maturity?org_unit={leads.retail.pk}", headers=headers)
        assert r.status_code == 200
