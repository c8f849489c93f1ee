"""At start-up the shipped and active policy may name only registered gate checks.

`aiom check` (and runserver, migrate) runs the system check; it names the unknown key and
the known ones. A check that reads facts nobody loads is refused the same way.
"""

from collections.abc import Iterator
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from aiom.core.registry import registry
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from aiom.lifecycle.gate_registry import CHECKS, GateCheck, gate_checks
from aiom.lifecycle.policy_startup import policy_names_are_registered
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _passes(*_: object) -> tuple[bool, str]:
    return True, "Fine."


@pytest.fixture
def interim_check() -> Iterator[str]:
    """A check some app registers, to be taken away again (the app removed)."""
    registry[CHECKS]["interim_check"] = GateCheck("interim_check", "An interim check", _passes)
    yield "interim_check"
    registry[CHECKS].pop("interim_check", None)


def test_the_shipped_and_active_policy_name_registered_checks_only() -> None:
    assert policy_names_are_registered(databases=["default"]) == []
    call_command("check", stdout=StringIO())


def test_an_active_policy_naming_a_check_no_app_registers_is_refused_at_start_up(
    world: World, interim_check: str
) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["gates"]["intake_to_feasibility"]["requires"] = ["owner_assigned", interim_check]
    activate(actor=None, text=yaml.safe_dump(data))
    assert policy_names_are_registered(databases=["default"]) == []
    del registry[CHECKS][interim_check]  # the app that registered it is gone

    [error] = policy_names_are_registered(databases=["default"])
    assert error.id == "aiom.lifecycle.E001"
    assert error.msg.startswith("the active policy (version 2): gates.intake_to_feasibility")
    assert f"unknown check '{interim_check}'; known: {', '.join(sorted(gate_checks()))}" in (
        error.msg
    )
    assert policy_names_are_registered() == []  # without a database only the shipped one
    with pytest.raises(SystemCheckError, match=interim_check):
        call_command("check", "--database", "default", stdout=StringIO(), stderr=StringIO())


def test_a_check_reading_facts_no_app_loads_is_refused_at_start_up() -> None:
    reads = GateCheck("reads_nothing_loaded", "Reads unloaded facts", _passes, ("tea_leaves",))
    registry[CHECKS][reads.name] = reads
    try:
        [error] = policy_names_are_registered()
    finally:
        del registry[CHECKS][reads.name]
    assert error.msg.startswith("gate check 'reads_nothing_loaded' reads fact 'tea_leaves';")
    assert "loaded facts: change_plan, data_products, exit_measurements" in error.msg
