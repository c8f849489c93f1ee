"""The panel on the use-case page, its htmx writes, and the portfolio list of plans."""

import datetime as dt
from typing import Any

import pytest
import yaml

from aiom.change import services
from aiom.change.models import ChangePlan, Intervention, StakeholderGroup
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from tests.change.conftest import complete_plan, today
from tests.conftest import World
from tests.query_counts import Budget

HX = {"HX-Request": "true"}


def detail(uc: Any) -> str:
    return f"/use-cases/{uc.pk}/"


def test_the_panel_shows_the_plan_to_a_reader_without_forms(
    login, world: World, plan: ChangePlan
) -> None:
    page = login("pat").get(detail(world.alice_uc)).content.decode()
    assert 'id="change-plan"' in page
    assert "Underwriters" in page
    assert "Bob Example" in page
    assert "Two-hour session with real files." in page
    assert "No adoption figures yet" in page.replace(
        "no adoption figures yet", "No adoption figures yet"
    )
    assert "change-plan-form" not in page
    assert "Mark done" not in page


def test_an_editor_sees_the_forms(login, world: World, plan: ChangePlan) -> None:
    page = login("alice").get(detail(world.alice_uc)).content.decode()
    assert 'id="change-plan-form"' in page
    assert 'id="change-group-form"' in page
    assert "Mark done" in page


def test_no_plan_offers_to_start_one(login, world: World) -> None:
    page = login("alice").get(detail(world.alice_uc)).content.decode()
    assert "No change plan yet" in page
    assert "Start the plan" in page
    assert "Start the plan" not in login("bob").get(detail(world.alice_uc)).content.decode()


def test_start_a_plan_with_htmx(login, world: World) -> None:
    client = login("alice")
    response = client.post(
        f"/change/use-cases/{world.alice_uc.pk}/plan/",
        {
            "plan-summary": "New way of working",
            "plan-champion": world.bob.pk,
            "plan-status": "draft",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Change plan saved." in response.content.decode()
    assert response.content.decode().lstrip().startswith('<section class="card" id="change-plan">')
    stored = ChangePlan.objects.get(use_case=world.alice_uc)
    assert (stored.summary, stored.champion_id) == ("New way of working", world.bob.pk)


def test_a_stale_plan_form_is_refused_with_422(login, world: World, plan: ChangePlan) -> None:
    services.update_plan(actor=world.ada, plan=plan, status="ready")
    response = login("alice").post(
        f"/change/use-cases/{world.alice_uc.pk}/plan/",
        {"plan-summary": "Mine", "plan-status": "draft", "plan-version": 1},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Someone else saved this plan" in response.content.decode()
    assert ChangePlan.objects.get(pk=plan.pk).status == "ready"


def test_add_edit_and_remove_groups_and_interventions(
    login, world: World, plan: ChangePlan
) -> None:
    client = login("alice")
    added = client.post(
        f"/change/use-cases/{world.alice_uc.pk}/groups/",
        {"newgroup-name": "Branch staff", "newgroup-size": 120, "newgroup-impact": "low"},
        headers=HX,
    )
    assert added.status_code == 200
    group = StakeholderGroup.objects.get(name="Branch staff")
    assert "“Branch staff” has no intervention" in added.content.decode()

    refused = client.post(
        f"/change/use-cases/{world.alice_uc.pk}/groups/",
        {"newgroup-name": "branch staff", "newgroup-size": 1, "newgroup-impact": "low"},
        headers=HX,
    )
    assert refused.status_code == 422
    assert "already has a group named" in refused.content.decode()

    edited = client.post(
        f"/change/groups/{group.pk}/",
        {
            f"group-{group.pk}-name": "Branch staff",
            f"group-{group.pk}-size": 90,
            f"group-{group.pk}-impact": "medium",
            f"group-{group.pk}-target_users": 60,
            f"group-{group.pk}-target_on": (today() + dt.timedelta(days=30)).isoformat(),
            f"group-{group.pk}-what_changes": "Answer with the draft.",
        },
        headers=HX,
    )
    assert edited.status_code == 200
    assert StakeholderGroup.objects.get(pk=group.pk).size == 90

    iv = client.post(
        f"/change/groups/{group.pk}/interventions/",
        {f"iv-{group.pk}-kind": "communication", f"iv-{group.pk}-description": "Town hall"},
        headers=HX,
    )
    assert iv.status_code == 200
    intervention = Intervention.objects.get(description="Town hall")
    assert "not ready" not in iv.content.decode()  # every gap closed

    done = client.post(
        f"/change/interventions/{intervention.pk}/status/", {"status": "done"}, headers=HX
    )
    assert done.status_code == 200
    assert Intervention.objects.get(pk=intervention.pk).status == "done"
    client.post(f"/change/interventions/{intervention.pk}/remove/", headers=HX)
    assert not Intervention.objects.filter(pk=intervention.pk).exists()
    without_htmx = client.post(f"/change/groups/{group.pk}/remove/")
    assert without_htmx.status_code == 302
    assert without_htmx["Location"] == detail(world.alice_uc)
    assert not StakeholderGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bob", 403), ("charlie", 404), ("pat", 404), ("rita", 403), ("anonymous", 302)],
)
def test_who_may_post_to_a_confidential_plan(
    login, world: World, persona: str, status: int
) -> None:
    complete_plan(world, world.alice_secret)
    group = StakeholderGroup.objects.get(plan__use_case=world.alice_secret)
    response = login(persona).post(f"/change/groups/{group.pk}/remove/", headers=HX)
    assert response.status_code == status
    assert StakeholderGroup.objects.filter(pk=group.pk).exists()


def test_the_list_is_scoped_filtered_and_pins_its_queries(
    login, world: World, query_budget: Budget
) -> None:
    complete_plan(world, world.alice_uc)
    complete_plan(world, world.alice_secret)
    complete_plan(world, world.wealth_secret, actor=world.charlie)
    client = login("bob")
    # 5 session+access, count, page, policy, plan facts 2, adoption 2, missing plans
    with query_budget("change_page_htmx"):
        page = client.get("/change/", headers=HX).content.decode()
    assert "Mortgage document summariser" in page
    assert "Branch closure predictor" in page
    assert "Client churn early warning" not in page
    assert "2</strong> change plans" in page
    wealth = login("ada").get(f"/change/?org_unit={world.wealth.pk}").content.decode()
    assert "Client churn early warning" in wealth
    assert "Mortgage document summariser" not in wealth
    assert "0</strong> change plans" in login("ada").get("/change/?stage=scaling").content.decode()


def test_the_list_flags_use_cases_the_policy_expects_a_plan_for(login, world: World) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["change"] = {"required_for_stages": ["intake"]}
    activate(actor=None, text=yaml.safe_dump(data))
    complete_plan(world, world.alice_uc)
    page = login("alice").get("/change/").content.decode()
    missing = page.split("Expected but missing")[1]
    assert "Branch closure predictor" in missing
    assert "Mortgage document summariser" not in missing
    panel = login("alice").get(detail(world.alice_secret)).content.decode()
    assert "the policy expects one in this stage" in panel
