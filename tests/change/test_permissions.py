"""Who may write a change plan: who may edit the use case. Partners and outsiders may not."""

from collections.abc import Callable

import pytest

from aiom.change import services
from aiom.change.models import ChangePlan
from aiom.core.errors import PermissionDenied
from aiom.organisation import services as org
from tests.change.conftest import complete_plan
from tests.conftest import World

# Alice owns; Ada administers; Bob (same unit, no role) and the rest may not edit.
MAY_EDIT = {"alice": True, "bob": False, "charlie": False, "pat": False, "ada": True, "rita": False}


@pytest.mark.parametrize(("persona", "allowed"), MAY_EDIT.items())
def test_creating_a_plan(world: World, persona: str, allowed: bool) -> None:
    actor = world.persona(persona)
    if allowed:
        services.create_plan(actor=actor, use_case=world.alice_uc)
        assert ChangePlan.objects.filter(use_case=world.alice_uc).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.create_plan(actor=actor, use_case=world.alice_uc)
        assert not ChangePlan.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), MAY_EDIT.items())
def test_changing_groups_and_interventions(world: World, persona: str, allowed: bool) -> None:
    plan = complete_plan(world, world.alice_uc)
    group = plan.groups.get()
    intervention = group.interventions.get()
    actor = world.persona(persona)
    writes: list[Callable[[], object]] = [
        lambda: services.update_plan(actor=actor, plan=plan, summary=f"by {persona}"),
        lambda: services.add_group(actor=actor, plan=plan, name=f"Group of {persona}"),
        lambda: services.update_group(actor=actor, group=group, size=41),
        lambda: services.update_intervention(actor=actor, intervention=intervention, status="done"),
        lambda: services.add_intervention(
            actor=actor, group=group, kind="support", description="x"
        ),
        lambda: services.remove_intervention(actor=actor, intervention=intervention),
        lambda: services.remove_group(actor=actor, group=group),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    assert ChangePlan.objects.get(pk=plan.pk).groups.filter(pk=group.pk).exists() is not allowed


def test_the_unit_lead_may_edit(world: World) -> None:
    org.update_org_unit(actor=None, unit=world.retail, lead=world.bob)
    services.create_plan(actor=world.bob, use_case=world.alice_uc)
    assert ChangePlan.objects.filter(use_case=world.alice_uc).exists()
