"""The change-plan API: shapes, status codes, scopes, visibility, stale versions."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from aiom.change.models import ChangePlan
from aiom.value import services as value
from tests.change.conftest import complete_plan, today
from tests.conftest import World
from tests.query_counts import Budget


def send(client: Client, method: str, url: str, body: Any, headers: dict) -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def url(uc: Any) -> str:
    return f"/api/v1/use-cases/{uc.pk}/change-plan"


def test_get_shows_plan_readiness_and_adoption(login, world: World, plan: ChangePlan) -> None:
    start = today().replace(day=1) - dt.timedelta(days=40)
    value.record_adoption(
        actor=world.alice,
        use_case=world.alice_uc,
        period_start=start.replace(day=1),
        period_end=start.replace(day=28),
        active_users=12,
        usage=300,
    )
    value.give_feedback(actor=world.bob, use_case=world.alice_uc, rating=4, comment="")
    value.give_feedback(actor=world.alice, use_case=world.alice_uc, rating=5, comment="")
    body = login("bob").get(url(world.alice_uc)).json()
    assert (body["id"], body["use_case"], body["champion"], body["champion_name"]) == (
        plan.pk,
        world.alice_uc.pk,
        world.bob.pk,
        "Bob Example",
    )
    assert (body["ready"], body["reasons"], body["version"], body["status"]) == (
        True,
        [],
        1,
        "draft",
    )
    assert body["adoption"] == {
        "target": 30,
        "target_on": (today() + dt.timedelta(days=90)).isoformat(),
        "active_users": 12,
        "measured_to": start.replace(day=28).isoformat(),
        "share": 0.4,
        "state": "not_yet",
        "feedback_rating": 4.5,
        "feedback_count": 2,
    }
    [group] = body["groups"]
    assert (group["name"], group["size"], group["org_unit"], group["impact"]) == (
        "Underwriters",
        40,
        world.retail.pk,
        "high",
    )
    assert [i["kind"] for i in group["interventions"]] == ["training"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 200), ("charlie", 404), ("pat", 404), ("ada", 200), ("rita", 200)],
)
def test_visibility_of_a_confidential_use_case_plan(
    login, world: World, persona: str, status: int
) -> None:
    complete_plan(world, world.alice_secret)
    assert login(persona).get(url(world.alice_secret)).status_code == status


def test_no_plan_is_404(login, world: World) -> None:
    assert login("alice").get(url(world.alice_uc)).status_code == 404


def test_put_creates_then_updates_with_versions(login, world: World, bearer) -> None:
    client = login("anonymous")
    made = send(client, "put", url(world.alice_uc), {"summary": "S"}, bearer("alice"))
    assert made.status_code == 200, made.json()
    assert (made.json()["summary"], made.json()["version"], made.json()["ready"]) == ("S", 1, False)
    changed = send(
        client, "put", url(world.alice_uc), {"status": "ready", "version": 1}, bearer("alice")
    )
    assert (changed.json()["status"], changed.json()["version"]) == ("ready", 2)
    admin = bearer("ada", ("read", "write", "admin"))  # editing others' plans: the admin role
    stale = send(client, "put", url(world.alice_uc), {"summary": "T", "version": 1}, admin)
    assert stale.status_code == 409
    assert stale.json()["changed"] == {"status": {"was": "draft", "now": "ready"}}
    bad = send(client, "put", url(world.alice_uc), {"status": "nope"}, bearer("alice"))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "status"]
    assert ChangePlan.objects.get().summary == "S"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 403), ("charlie", 403), ("pat", 403), ("ada", 200), ("rita", 403)],
)
def test_who_may_put(login, world: World, bearer, persona: str, status: int) -> None:
    every_scope = bearer(persona, ("read", "write", "admin"))  # the persona, not the token
    response = send(login("anonymous"), "put", url(world.alice_uc), {}, every_scope)
    assert response.status_code == status


def test_a_read_token_cannot_write(login, world: World, bearer) -> None:
    response = send(login("anonymous"), "put", url(world.alice_uc), {}, bearer("alice", ("read",)))
    assert response.status_code == 403
    assert not ChangePlan.objects.exists()


def test_post_groups_and_interventions(login, world: World, bearer) -> None:
    client = login("anonymous")
    send(client, "put", url(world.alice_uc), {"champion": world.bob.pk}, bearer("alice"))
    group = send(
        client,
        "post",
        f"{url(world.alice_uc)}/groups",
        {
            "name": "Tellers",
            "size": 20,
            "what_changes": "Use it.",
            "target_users": 15,
            "target_on": today().isoformat(),
        },
        bearer("alice"),
    )
    assert group.status_code == 201, group.json()
    gid = group.json()["id"]
    made = send(
        client,
        "post",
        f"{url(world.alice_uc)}/groups/{gid}/interventions",
        {"kind": "support", "description": "Floor walkers", "owner": world.bob.pk},
        bearer("alice"),
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["kind"], made.json()["owner"], made.json()["status"]) == (
        "support",
        world.bob.pk,
        "planned",
    )
    assert client.get(url(world.alice_uc), headers=bearer("alice")).json()["ready"] is True
    other = send(
        client,
        "post",
        f"/api/v1/use-cases/{world.alice_secret.pk}/change-plan/groups/{gid}/interventions",
        {"kind": "support", "description": "x"},
        bearer("alice"),
    )
    assert other.status_code == 404  # the group is not in that use case's plan
    outsider = send(
        client, "post", f"{url(world.alice_uc)}/groups", {"name": "X"}, bearer("charlie")
    )
    assert outsider.status_code == 403


def test_list_is_scoped_and_filtered(login, world: World, query_budget: Budget) -> None:
    complete_plan(world, world.alice_uc)
    complete_plan(world, world.alice_secret)
    complete_plan(world, world.wealth_secret, actor=world.charlie)
    client = login("alice")
    # 5 for the session and access; plans, groups, interventions; policy; plan facts (2);
    # adoption; feedback; the count. The same for any number of plans on the page.
    with query_budget("change_plans_api"):
        body = client.get("/api/v1/change-plans").json()
    assert [p["use_case_title"] for p in body["items"]] == [
        "Branch closure predictor",
        "Mortgage document summariser",
    ]
    assert body["items"][0]["groups"][0]["interventions"][0]["kind"] == "training"
    charlie = login("charlie").get("/api/v1/change-plans").json()["items"]
    assert [p["use_case_title"] for p in charlie] == [
        "Client churn early warning",
        "Mortgage document summariser",
    ]
    assert login("ada").get("/api/v1/change-plans").json()["count"] == 3
    ada = login("ada")
    assert ada.get(f"/api/v1/change-plans?org_unit={world.wealth.pk}").json()["count"] == 1
    assert ada.get("/api/v1/change-plans?stage=pilot").json()["count"] == 0
    assert ada.get("/api/v1/change-plans?org_unit=99999").status_code == 404


def test_patch_and_delete_groups_and_interventions(
    login, world: World, bearer, plan: ChangePlan
) -> None:
    client = login("anonymous")
    group = plan.groups.get()
    intervention = group.interventions.get()
    base = f"{url(world.alice_uc)}/groups/{group.pk}"
    patched = send(client, "patch", base, {"size": 45, "impact": "low"}, bearer("alice"))
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["size"], patched.json()["impact"], patched.json()["name"]) == (
        45,
        "low",
        "Underwriters",
    )
    done = send(
        client,
        "patch",
        f"{base}/interventions/{intervention.pk}",
        {"status": "done"},
        bearer("alice"),
    )
    assert (done.status_code, done.json()["status"]) == (200, "done")
    denied = client.delete(f"{base}/interventions/{intervention.pk}", headers=bearer("bob"))
    assert denied.status_code == 403
    gone = client.delete(f"{base}/interventions/{intervention.pk}", headers=bearer("alice"))
    assert gone.status_code == 204
    assert client.delete(base, headers=bearer("alice")).status_code == 204
    assert not ChangePlan.objects.get(pk=plan.pk).groups.exists()
    assert client.delete(base, headers=bearer("alice")).status_code == 404
