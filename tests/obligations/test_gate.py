"""`obligations_met` in a policy gate blocks the transition engine until obligations are met."""

import pytest

from aiom.core.errors import GateBlocked
from aiom.governance.assessments import services as assessments
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate, active_policy
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.gates import facts_for_many, gate_report
from aiom.obligations import services
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import MEDIUM
from tests.conftest import World
from tests.query_counts import Budget

GATE = (
    "requires: [owner_assigned, sponsor_assigned, value_hypothesis_present, "
    "risk_assessment_current, not_prohibited]"
)


def policy_with_check(extra: str = "") -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert GATE in text
    text = text.replace(GATE, GATE[:-1] + ", obligations_met]") + extra
    activate(actor=None, text=text)


@pytest.fixture
def in_feasibility(world: World) -> UseCase:
    """Alice's use case, medium tier, in feasibility with everything but its obligations."""
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        problem="Underwriters spend hours reading applicant documents by hand.",
        value_hypothesis="Cut reading time by a third without more errors.",
    )
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    lifecycle.transition(actor=world.alice, use_case=uc, to_stage="feasibility")
    return UseCase.objects.get(pk=uc.pk)


def test_open_obligations_block_and_met_ones_let_through(
    world: World, in_feasibility: UseCase
) -> None:
    policy_with_check()
    uc = in_feasibility
    assert uc.tier == "medium"
    with pytest.raises(GateBlocked) as caught:
        lifecycle.transition(actor=world.alice, use_case=uc, to_stage="risk_review")
    assert any("Applicable law identified" in r for r in caught.value.reasons)
    assert UseCase.objects.get(pk=uc.pk).stage == "feasibility"
    services.set_status(
        actor=world.alice, use_case=uc, obligation="legal_requirements_mapped", status="met"
    )
    lifecycle.transition(actor=world.alice, use_case=uc, to_stage="risk_review")
    assert UseCase.objects.get(pk=uc.pk).stage == "risk_review"


def test_a_policy_that_does_not_block_lets_through(world: World, in_feasibility: UseCase) -> None:
    policy_with_check("\nobligations: {pack: default, blocking: false}\n")
    lifecycle.transition(actor=world.alice, use_case=in_feasibility, to_stage="risk_review")
    assert UseCase.objects.get(pk=in_feasibility.pk).stage == "risk_review"


def test_facts_load_in_a_fixed_number_of_queries(
    world: World, in_feasibility: UseCase, query_budget: Budget
) -> None:
    policy_with_check()
    policy = active_policy().policy
    facts = facts_for_many(UseCase.objects.all())
    with query_budget("gate_report_batch"):  # use cases + statuses, once for the batch
        reports = [gate_report(policy, f, "risk_review") for f in facts.values()]
    assert len(reports) == 3
