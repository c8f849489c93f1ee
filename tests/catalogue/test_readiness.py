"""Data readiness: the pure rules as a table, the gate check by name, and from the rows."""

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
import yaml

from aiom.catalogue import services
from aiom.catalogue.checks import DataProductFacts, data_reasons
from aiom.catalogue.policy import DataRules
from aiom.catalogue.readiness import data_facts_for_many, readiness
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate, active_policy
from aiom.lifecycle.checks import GateFacts
from aiom.lifecycle.gate_registry import gate_checks
from tests.catalogue.conftest import Catalogue, today
from tests.conftest import World
from tests.query_counts import Budget

DAY = dt.date(2026, 6, 1)
RULES = DataRules(quality_floor=70, freshness_days=180)
GOOD = DataProductFacts(1, "Applications", 7, "internal", 85, DAY - dt.timedelta(days=10))


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (replace(GOOD, steward_id=None), "“Applications” has no data steward."),
        (replace(GOOD, classification=""), "“Applications” is not classified."),
        (replace(GOOD, quality=69), "scores 69 for quality, below the floor of 70"),
        (replace(GOOD, quality=None, checked_on=None), "has no quality score yet"),
        (replace(GOOD, checked_on=DAY - dt.timedelta(days=181)), "181 days ago"),
        (replace(GOOD, retired=True), "“Applications” is retired."),
        (GOOD, None),
        (replace(GOOD, quality=70, checked_on=DAY - dt.timedelta(days=180)), None),  # edges pass
    ],
)
def test_readiness_table(facts: DataProductFacts, reason: str | None) -> None:
    reasons = data_reasons((facts,), RULES, DAY)
    if reason is None:
        assert reasons == []
    else:
        assert len(reasons) == 1
        assert reason in reasons[0]


def test_no_linked_product_is_not_ready_unless_the_gate_allows_none() -> None:
    assert data_reasons((), RULES, DAY) == [
        "No data product is linked: link the data this use case consumes."
    ]
    assert data_reasons((), RULES, DAY, min_products=0) == []


def gate(products: Any, **params: Any) -> tuple[bool, str]:
    facts = GateFacts(stage="feasibility", today=DAY, extra={"data_products": products})
    verdict = gate_checks()["data_ready"](facts, active_policy().policy, params)
    return verdict[0], verdict[1]


def test_gate_check_is_registered_by_name(db: Any) -> None:
    assert gate((GOOD,)) == (True, "1 data product, all ready.")
    passed, reason = gate((GOOD, replace(GOOD, product_id=2, name="Prices", steward_id=None)))
    assert passed is False
    assert reason == "“Prices” has no data steward."
    assert gate((), min_products=0)[0] is True
    assert gate(None)[0] is False  # not loaded: fail closed, never pass blind


def test_gate_reads_the_floor_and_window_from_the_policy(db: Any) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["data"] = {"quality_floor": 90, "freshness_days": 5}
    activate(actor=None, text=yaml.safe_dump(data))
    rules = active_policy().policy.section(DataRules)
    assert rules == DataRules(quality_floor=90, freshness_days=5)
    passed, reason = gate((GOOD,))
    assert passed is False
    assert "below the floor of 90" in reason
    assert "every 5 days" in reason


def test_data_ready_is_accepted_by_the_policy_schema(db: Any) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["gates"]["feasibility_to_risk_review"]["requires"].append(
        {"check": "data_ready", "min_products": 1}
    )
    row = activate(actor=None, text=yaml.safe_dump(data))
    gate_spec = active_policy().policy.gate("feasibility", "risk_review")
    assert row.version == active_policy().version
    assert ("data_ready", {"min_products": 1}) in [(c.check, c.params) for c in gate_spec.requires]


def test_facts_and_readiness_from_rows(world: World, cat: Catalogue, query_budget: Budget) -> None:
    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.applications)
    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.markets)
    ids = [world.alice_uc.pk, world.alice_secret.pk]
    with query_budget("data_facts_for_many"):
        facts = data_facts_for_many(ids)
    assert facts[world.alice_secret.pk] == ()
    assert [f.name for f in facts[world.alice_uc.pk]] == ["Market prices", "Mortgage applications"]
    apps = facts[world.alice_uc.pk][1]
    assert (apps.steward_id, apps.classification, apps.quality, apps.checked_on) == (
        cat.sam.pk,
        "internal",
        85,
        today(),
    )
    verdict = readiness(world.alice_uc)
    assert verdict.ready is False
    assert verdict.reasons == [
        "“Market prices” has no data steward.",
        "“Market prices” has no quality score yet.",
    ]
    assert [s.ready for s in verdict.products] == [False, True]
    services.unlink_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.markets)
    assert readiness(world.alice_uc).ready is True


def test_a_gate_naming_data_ready_loads_the_data_facts_catalogue_registered(
    world: World, cat: Catalogue, query_budget: Budget
) -> None:
    """Catalogue registers its data-product facts; a gate that reads them loads them once,
    and a gate that does not never queries them."""
    from aiom.lifecycle.gates import facts_for, gate_report

    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["gates"]["intake_to_feasibility"]["requires"] = ["data_ready"]
    activate(actor=None, text=yaml.safe_dump(data))
    policy = active_policy().policy
    uc = world.alice_uc

    def report() -> Any:
        return gate_report(policy, facts_for(uc), "feasibility")

    with query_budget("gate_with_data_ready"):  # assessment, pilot plan, KPIs; data products
        report()
    with query_budget("gate_without_data_ready"):  # no data products read
        gate_report(policy, facts_for(uc), "rejected")
    assert report().failures == ["No data product is linked: link the data this use case consumes."]
    services.link_use_case(actor=world.alice, use_case=uc, product=cat.applications)
    assert report().checks_pass is True
