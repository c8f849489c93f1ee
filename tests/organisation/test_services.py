"""Org units, people and roles: each service returns, stores and audits; admins only."""

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.organisation import services
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit, Person, Role, RoleAssignment
from tests.conftest import World


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    return event


def test_create_org_unit_builds_the_tree_path(world: World) -> None:
    unit = services.create_org_unit(
        actor=world.ada, name="Card Fraud", parent=world.cards, lead=world.alice
    )
    stored = OrgUnit.objects.get(pk=unit.pk)
    assert stored.path == f"{world.cards.path}{unit.pk}/"
    assert stored.depth == 3
    assert stored.code == "card-fraud"
    assert stored.ancestor_ids() == [world.group.pk, world.retail.pk, world.cards.pk, unit.pk]
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "organisation.orgunit",
        str(unit.pk),
    )
    assert event.actor_name == "Ada Example"
    assert event.after["lead"] == world.alice.pk


def test_create_org_unit_rejects_duplicates_and_blank_names(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        services.create_org_unit(actor=world.ada, name="Cards", parent=world.retail)
    assert "name" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        services.create_org_unit(actor=world.ada, name="  ")
    assert "name" in err.value.errors


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_only_administrators_change_the_organisation(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.create_org_unit(actor=world.persona(persona), name="Shadow IT")
    with pytest.raises(PermissionDenied):
        services.assign_role(actor=world.persona(persona), user=world.bob, role=Role.ADMINISTRATOR)


def test_moving_an_org_unit_moves_its_subtree(world: World) -> None:
    sub = services.create_org_unit(actor=world.ada, name="Card Fraud", parent=world.cards)
    services.update_org_unit(actor=world.ada, unit=world.cards, parent=world.wealth)
    cards = OrgUnit.objects.get(pk=world.cards.pk)
    sub = OrgUnit.objects.get(pk=sub.pk)
    assert cards.path == f"{world.wealth.path}{cards.pk}/"
    assert sub.path == f"{cards.path}{sub.pk}/"
    assert (cards.depth, sub.depth) == (2, 3)
    event = last_event()
    assert event.before["parent"] == world.retail.pk
    assert event.after["parent"] == world.wealth.pk


def test_an_org_unit_cannot_move_under_itself(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        services.update_org_unit(actor=world.ada, unit=world.retail, parent=world.cards)
    assert "parent" in err.value.errors


def test_create_person_makes_user_and_profile(world: World) -> None:
    user = services.create_person(
        actor=world.ada,
        username="dora",
        first_name="Dora",
        last_name="Data",
        email="dora@example.com",
        org_unit=world.wealth,
        job_title="Data steward",
    )
    person = Person.objects.get(user=user)
    assert (person.org_unit, person.job_title) == (world.wealth, "Data steward")
    assert not user.has_usable_password()
    event = last_event()
    assert event.after["username"] == "dora"
    assert event.after["org_unit"] == world.wealth.pk
    with pytest.raises(InvalidInput) as err:
        services.create_person(actor=world.ada, username="DORA")
    assert "taken" in err.value.errors["username"]


def test_assign_and_revoke_role_change_access_and_audit(world: World) -> None:
    assert not access_for(world.bob).has_role(Role.DATA_STEWARD, world.cards.path)
    assignment = services.assign_role(
        actor=world.ada, user=world.bob, role=Role.DATA_STEWARD, org_unit=world.retail
    )
    assert access_for(world.bob).has_role(Role.DATA_STEWARD, world.cards.path)
    assert not access_for(world.bob).has_role(Role.DATA_STEWARD, world.wealth.path)
    assert last_event().action == "assign_role"
    again = services.assign_role(
        actor=world.ada, user=world.bob, role=Role.DATA_STEWARD, org_unit=world.retail
    )
    assert again.pk == assignment.pk
    services.revoke_role(actor=world.ada, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert last_event().action == "revoke_role"
    assert not access_for(world.bob).has_role(Role.DATA_STEWARD, world.cards.path)


def test_unknown_and_misplaced_roles_are_refused(world: World) -> None:
    with pytest.raises(InvalidInput):
        services.assign_role(actor=world.ada, user=world.bob, role="overlord")
    with pytest.raises(InvalidInput):
        services.assign_role(
            actor=world.ada, user=world.bob, role=Role.ADMINISTRATOR, org_unit=world.retail
        )
