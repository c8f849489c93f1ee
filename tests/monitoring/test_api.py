"""The monitoring API: incidents and a use case's monitoring plan; shapes, scopes, visibility."""

from typing import Any

import pytest
from django.test import Client

from aiom.monitoring.models import Incident
from aiom.portfolio.models import UseCase
from tests.conftest import PERSONAS, World
from tests.monitoring.conftest import make_kpi, make_plan, report

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_report_get_patch_status_and_actions(
    client: Client, world: World, live: UseCase, bearer: Any
) -> None:
    auth = bearer("alice")
    payload = {
        "use_case": live.pk,
        "title": "Wrong refusals",
        "occurred_at": "2026-01-05T10:00:00Z",
        "severity": "medium",
        "harms": ["people"],
        "people_affected": 3,
        "model_name": "scorer v4",
    }
    made = send(client, "post", "/api/v1/incidents", payload, auth)
    assert made.status_code == 201, made.json()
    body = made.json()
    pk = body["id"]
    assert body["status"] == "open" and body["use_case_title"] == live.title
    assert body["reported_by"]["id"] == world.alice.pk and body["actions"] == []
    assert Incident.objects.get().model_name == "scorer v4"

    bad = send(client, "post", "/api/v1/incidents", {**payload, "severity": "huge"}, auth)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "severity"]

    patched = send(client, "patch", f"/api/v1/incidents/{pk}", {"people_affected": 9}, auth)
    assert patched.status_code == 200 and patched.json()["people_affected"] == 9

    action = send(
        client,
        "post",
        f"/api/v1/incidents/{pk}/actions",
        {"description": "Retrain", "owner": world.bob.pk, "due_on": "2030-01-01"},
        auth,
    )
    assert action.status_code == 201 and action.json()["owner"]["id"] == world.bob.pk
    refused = send(client, "post", f"/api/v1/incidents/{pk}/status", {"status": "closed"}, auth)
    assert refused.status_code == 422
    done = send(
        client, "post", f"/api/v1/incidents/{pk}/actions/{action.json()['id']}/done", {}, auth
    )
    assert done.status_code == 200 and done.json()["done_at"] is not None
    closed = send(
        client,
        "post",
        f"/api/v1/incidents/{pk}/status",
        {"status": "closed", "lessons_learned": "Watch the feed's date format on every change."},
        auth,
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_read_scope_cannot_write(client: Client, world: World, live: UseCase, bearer: Any) -> None:
    incident = report(world, live)
    auth = bearer("alice", scopes=("read",))
    answer = send(client, "patch", f"/api/v1/incidents/{incident.pk}", {"title": "x"}, auth)
    assert answer.status_code == 403
    assert client.get(f"/api/v1/incidents/{incident.pk}", headers=auth).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_incidents_are_visible_with_their_use_case(persona: str, world: World, login: Any) -> None:
    public = report(world, world.alice_uc)
    secret = report(world, world.alice_secret)
    wealth = report(world, world.wealth_secret, actor=world.charlie)
    client = login(persona)
    listed = client.get("/api/v1/incidents")
    if persona == "anonymous":
        assert listed.status_code == 401
        return
    seen = {i["id"] for i in listed.json()["items"]}
    expected = {
        "alice": {public.pk, secret.pk},
        "bob": {public.pk, secret.pk},  # same unit
        "charlie": {public.pk, wealth.pk},
        "pat": {public.pk},  # partner over Retail, nothing confidential
        "ada": {public.pk, secret.pk, wealth.pk},
        "rita": {public.pk, secret.pk, wealth.pk},
    }[persona]
    assert seen == expected
    for incident in (public, secret, wealth):
        status = client.get(f"/api/v1/incidents/{incident.pk}").status_code
        assert status == (200 if incident.pk in expected else 404)


def test_list_filters(login: Any, world: World, live: UseCase) -> None:
    report(world, live, severity="high", title="A")
    report(world, world.wealth_secret, actor=world.charlie, severity="low", title="B")
    client = login("ada")

    def titles(query: str) -> list[str]:
        return sorted(i["title"] for i in client.get(f"/api/v1/incidents?{query}").json()["items"])

    assert titles("severity=high") == ["A"]
    assert titles(f"org_unit={world.wealth.pk}") == ["B"]
    assert titles(f"org_unit={world.group.pk}") == ["A", "B"]
    assert titles("status=active") == ["A", "B"]
    assert titles("status=closed") == []


def test_monitoring_plan_endpoints(
    client: Client, world: World, live: UseCase, bearer: Any, login: Any
) -> None:
    url = f"/api/v1/use-cases/{live.pk}/monitoring-plan"
    auth = bearer("alice")
    assert client.get(url, headers=auth).status_code == 404
    saved = send(client, "put", url, {"reviewer": world.rita.pk, "review_every_days": 30}, auth)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["reviewer"]["id"] == world.rita.pk and saved.json()["overdue"] is False
    kpi = make_kpi(live)
    check = {"kind": "performance_kpi", "description": "precision", "kpi": kpi.pk, "lower": "0.8"}
    added = send(client, "post", f"{url}/checks", check, auth)
    assert added.status_code == 201 and added.json()["checks"][0]["kpi"] == kpi.pk
    reviewed = send(client, "post", f"{url}/reviews", {"outcome": "ok"}, bearer("rita"))
    assert reviewed.status_code == 201 and reviewed.json()["reviews"][0]["outcome"] == "ok"
    refused = send(client, "put", url, {"review_every_days": 10}, bearer("charlie"))
    assert refused.status_code == 403
    check_id = added.json()["checks"][0]["id"]
    gone = client.delete(f"{url}/checks/{check_id}", headers=auth)
    assert gone.status_code == 204
    # A confidential use case's plan is not found by an outsider.
    make_plan(world.alice_secret, world)
    secret = f"/api/v1/use-cases/{world.alice_secret.pk}/monitoring-plan"
    assert login("charlie").get(secret).status_code == 404
    assert login("bob").get(secret).status_code == 200
