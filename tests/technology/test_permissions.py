"""Who keeps the registry and who links it: every persona, plus the AI expert Ian."""

import pytest

from aiom.core.errors import PermissionDenied
from aiom.technology import services
from aiom.technology.models import UseCasePlatform, Vendor
from tests.conftest import World
from tests.technology.conftest import Registry

CURATORS = {"ada", "ian"}


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "pat", "ada", "rita", "ian"])
def test_only_admins_and_ai_experts_add_records(world: World, reg: Registry, who: str) -> None:
    actor = reg.ian if who == "ian" else world.persona(who)
    if who in CURATORS:
        assert services.create_vendor(actor=actor, name=f"V {who}").pk
    else:
        with pytest.raises(PermissionDenied):
            services.create_vendor(actor=actor, name=f"V {who}")
        assert not Vendor.objects.filter(name=f"V {who}").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "pat", "ada", "rita", "ian"])
def test_keepers_and_curators_change_a_record(world: World, reg: Registry, who: str) -> None:
    actor = reg.ian if who == "ian" else world.persona(who)
    allowed = who in CURATORS or who == "bob"  # Bob is the contract owner of OpenAI
    if allowed:
        changed = services.update_record(actor=actor, record=reg.openai, risk_notes=f"by {who}")
        assert changed.risk_notes == f"by {who}"
    else:
        with pytest.raises(PermissionDenied):
            services.update_record(actor=actor, record=reg.openai, risk_notes="x")


def test_a_keeper_changes_only_their_own_record(world: World, reg: Registry) -> None:
    services.update_record(actor=world.bob, record=reg.gateway, description="ours")
    services.update_record(actor=world.bob, record=reg.gpt, licence="MIT")
    with pytest.raises(PermissionDenied):
        services.update_record(actor=world.bob, record=reg.acme, risk_notes="x")


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "pat", "ada", "rita", "ian"])
def test_linking_needs_edit_rights_on_the_use_case(world: World, reg: Registry, who: str) -> None:
    actor = reg.ian if who == "ian" else world.persona(who)
    allowed = who in {"alice", "ada", "ian"}  # owner, admin, global AI expert
    if allowed:
        services.link(actor=actor, use_case=world.alice_secret, record=reg.gateway)
        services.unlink(actor=actor, use_case=world.alice_secret, record=reg.gateway)
    else:
        with pytest.raises(PermissionDenied):
            services.link(actor=actor, use_case=world.alice_secret, record=reg.gateway)
        with pytest.raises(PermissionDenied):
            services.unlink(actor=actor, use_case=world.alice_uc, record=reg.gateway)
    assert UseCasePlatform.objects.filter(use_case=world.alice_uc, target=reg.gateway).exists()
