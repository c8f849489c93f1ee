"""Plans, groups and interventions: return value, stored row and audit event for each."""

import datetime as dt

import pytest

from aiom.change import services
from aiom.change.models import ChangePlan, Intervention, StakeholderGroup
from aiom.core.errors import InvalidInput, StaleVersion
from aiom.core.models import AuditEvent
from tests.change.conftest import complete_plan, today
from tests.conftest import World


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_create_plan(world: World) -> None:
    plan = services.create_plan(
        actor=world.alice, use_case=world.alice_uc, summary="  The change.  ", champion=world.bob
    )
    stored = ChangePlan.objects.get(use_case=world.alice_uc)
    assert (plan.pk, stored.summary, stored.champion_id, stored.status, stored.version) == (
        stored.pk,
        "The change.",
        world.bob.pk,
        "draft",
        1,
    )
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "change_plan.create",
        "portfolio.usecase",
        str(world.alice_uc.pk),
    )
    assert event.actor_id == world.alice.pk
    assert event.after["champion"] == {"id": world.bob.pk, "name": "Bob Example"}
    assert event.after["plan_version"] == 1


def test_one_plan_per_use_case(world: World) -> None:
    services.create_plan(actor=world.alice, use_case=world.alice_uc)
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(actor=world.alice, use_case=world.alice_uc)
    assert refused.value.errors == {"use_case": "this use case already has a change plan"}


def test_update_plan_bumps_the_version_and_records_before_and_after(world: World) -> None:
    plan = services.create_plan(actor=world.alice, use_case=world.alice_uc)
    go_live = today() + dt.timedelta(days=30)
    updated = services.update_plan(
        actor=world.alice, plan=plan, expected_version=1, status="ready", go_live_on=go_live
    )
    stored = ChangePlan.objects.get(pk=plan.pk)
    assert (updated.version, stored.version, stored.status, stored.go_live_on) == (
        2,
        2,
        "ready",
        go_live,
    )
    event = last_event()
    assert event.action == "change_plan.update"
    assert (event.before["status"], event.after["status"]) == ("draft", "ready")
    assert (event.before["plan_version"], event.after["plan_version"]) == (1, 2)


def test_an_unchanged_update_writes_nothing(world: World) -> None:
    plan = services.create_plan(actor=world.alice, use_case=world.alice_uc, summary="S")
    seq = last_event().seq
    assert services.update_plan(actor=world.alice, plan=plan, summary="S").version == 1
    assert last_event().seq == seq


def test_a_stale_edit_is_refused_naming_what_changed(world: World) -> None:
    plan = services.create_plan(actor=world.alice, use_case=world.alice_uc)
    services.update_plan(actor=world.ada, plan=plan, expected_version=1, status="ready")
    with pytest.raises(StaleVersion) as refused:
        services.update_plan(actor=world.alice, plan=plan, expected_version=1, summary="Mine")
    assert (refused.value.expected, refused.value.current) == (1, 2)
    assert refused.value.changed == {"status": {"was": "draft", "now": "ready"}}
    assert ChangePlan.objects.get(pk=plan.pk).summary == ""


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"status": "finished"},
            {"status": "'finished' is not one of draft, ready, in_progress, done"},
        ),
        ({"champion": 99999}, {"champion": "no user with id 99999"}),
        ({"go_live_on": "soon"}, {"go_live_on": "expected a date (YYYY-MM-DD)"}),
        ({"summary": "x" * 5001}, {"summary": "at most 5000 characters (got 5001)"}),
        ({"colour": "red"}, {"colour": "not a field that can be set"}),
    ],
)
def test_plan_values_are_validated(world: World, fields: dict, errors: dict) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(actor=world.alice, use_case=world.alice_uc, **fields)
    assert refused.value.errors == errors
    assert not ChangePlan.objects.exists()


def test_a_partner_cannot_champion(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(actor=world.alice, use_case=world.alice_uc, champion=world.pat)
    assert refused.value.errors == {"champion": "an external partner cannot take this role"}


def test_add_update_and_remove_a_group(world: World) -> None:
    plan = services.create_plan(actor=world.alice, use_case=world.alice_uc)
    group = services.add_group(
        actor=world.alice, plan=plan, name="Tellers", size=12, target_users=10, target_on=today()
    )
    assert StakeholderGroup.objects.get(pk=group.pk).size == 12
    assert (last_event().action, last_event().after["name"]) == ("change_group.add", "Tellers")

    updated = services.update_group(actor=world.alice, group=group, size=20, impact="high")
    assert (updated.size, StakeholderGroup.objects.get(pk=group.pk).impact) == (20, "high")
    event = last_event()
    assert (event.action, event.before["size"], event.after["size"]) == (
        "change_group.update",
        12,
        20,
    )

    services.add_intervention(actor=world.alice, group=group, kind="support", description="Help")
    services.remove_group(actor=world.alice, group=group)
    assert not StakeholderGroup.objects.filter(pk=group.pk).exists()
    assert not Intervention.objects.exists()
    event = last_event()
    assert event.action == "change_group.remove"
    assert event.before["name"] == "Tellers"
    assert [i["description"] for i in event.before["interventions"]] == ["Help"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": ""}, {"name": "a stakeholder group needs a name"}),
        ({"name": "Tellers", "size": -1}, {"size": "a whole number from 0 to 10,000,000"}),
        (
            {"name": "Tellers", "target_users": 0},
            {"target_users": "a whole number from 1 to 10,000,000"},
        ),
        (
            {"name": "Tellers", "impact": "huge"},
            {"impact": "'huge' is not one of low, medium, high"},
        ),
        ({"name": "Tellers", "org_unit": 99999}, {"org_unit": "no org unit with id 99999"}),
        ({"name": "clerks"}, {"name": "the plan already has a group named “clerks”"}),
    ],
)
def test_group_values_are_validated(world: World, fields: dict, errors: dict) -> None:
    plan = services.create_plan(actor=world.alice, use_case=world.alice_uc)
    services.add_group(actor=world.alice, plan=plan, name="Clerks")
    with pytest.raises(InvalidInput) as refused:
        services.add_group(actor=world.alice, plan=plan, **fields)
    assert refused.value.errors == errors
    assert StakeholderGroup.objects.count() == 1


def test_add_update_and_remove_an_intervention(world: World) -> None:
    plan = complete_plan(world, world.alice_uc)
    group = plan.groups.get()
    intervention = services.add_intervention(
        actor=world.alice,
        group=group,
        kind="communication",
        description=" Town hall ",
        owner=world.alice,
    )
    stored = Intervention.objects.get(pk=intervention.pk)
    assert (stored.kind, stored.description, stored.status, stored.owner_id) == (
        "communication",
        "Town hall",
        "planned",
        world.alice.pk,
    )
    assert last_event().action == "intervention.add"

    services.update_intervention(actor=world.alice, intervention=intervention, status="done")
    assert Intervention.objects.get(pk=intervention.pk).status == "done"
    event = last_event()
    assert (event.action, event.before["status"], event.after["status"]) == (
        "intervention.update",
        "planned",
        "done",
    )

    services.remove_intervention(actor=world.alice, intervention=intervention)
    assert not Intervention.objects.filter(pk=intervention.pk).exists()
    assert (last_event().action, last_event().before["description"]) == (
        "intervention.remove",
        "Town hall",
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "party", "description": "x"},
            {"kind": "'party' is not one of training, communication, process_change, support"},
        ),
        ({"kind": "training", "description": " "}, {"description": "say what will be done"}),
        (
            {"kind": "training", "description": "x", "status": "late"},
            {"status": "'late' is not one of planned, done"},
        ),
    ],
)
def test_intervention_values_are_validated(world: World, fields: dict, errors: dict) -> None:
    plan = complete_plan(world, world.alice_uc)
    with pytest.raises(InvalidInput) as refused:
        services.add_intervention(actor=world.alice, group=plan.groups.get(), **fields)
    assert refused.value.errors == errors
    assert Intervention.objects.count() == 1


def test_the_events_show_on_the_use_case_timeline(world: World) -> None:
    complete_plan(world, world.alice_uc)
    actions = list(
        AuditEvent.objects.filter(object_type="portfolio.usecase", object_id=str(world.alice_uc.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["change_plan.create", "change_group.add", "intervention.add"]
