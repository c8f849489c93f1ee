"""The `obligations_met` gate check, pure: facts in, pass or fail with a reason out."""

import datetime as dt
from typing import Any

import pytest

from aiom.governance.policy.schema import PolicyError, parse_policy
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_file
from aiom.lifecycle.checks import GateFacts
from aiom.lifecycle.gate_registry import gate_checks
from aiom.obligations.derive import MET, NOT_APPLICABLE, CaseFacts, ObligationFacts
from aiom.obligations.policy import ObligationRules

POLICY = load_file(DEFAULT_POLICY_PATH)[1]
ADVISORY = POLICY.model_copy(update={"obligations": ObligationRules(blocking=False)})
CHECK = gate_checks()["obligations_met"]


def gate(stage: str, tier: str, recorded: dict[str, tuple[str, str]] | None = None) -> GateFacts:
    case = CaseFacts(tier=tier, ai_type="predictive", stage=stage)
    facts = ObligationFacts(case, recorded or {})
    return GateFacts(stage=stage, today=dt.date(2026, 11, 27), extra={"obligations": facts})


def run(facts: GateFacts, policy: Any = POLICY, params: dict[str, Any] | None = None) -> Any:
    """(passed, the reason with every item it names) — items come as the check's details."""
    verdict = CHECK(facts, policy, params or {})
    return verdict[0], " ".join([verdict[1], *(verdict[2] if len(verdict) == 3 else ())])


ALL_MET_LOW = {"incident_reporting": (MET, ""), "operator_literacy": (NOT_APPLICABLE, "none")}


@pytest.mark.parametrize(
    ("facts", "params", "passes", "says"),
    [
        (gate("intake", "low"), {}, True, "0 obligations due by feasibility"),
        (gate("risk_review", "low"), {}, False, "Incidents are reported and handled"),
        (gate("risk_review", "low", ALL_MET_LOW), {}, True, "2 obligations due by pilot"),
        # Medium tier: the pilot wants peer review, testing and the legal mapping too.
        (gate("risk_review", "medium", ALL_MET_LOW), {}, False, "Peer review by qualified"),
        # Monitoring and documentation are due from scaling, not before.
        (gate("risk_review", "medium", ALL_MET_LOW), {}, False, "due by pilot"),
        (gate("feasibility", "medium"), {}, False, "Applicable law identified"),
        (gate("feasibility", "medium"), {"stage": "feasibility"}, True, "none open"),
        (gate("pilot", "medium"), {}, False, "Monitoring after deployment"),
        (gate("operational", "high"), {}, True, "No later stage"),
        (GateFacts(stage="pilot", today=dt.date(2026, 11, 27)), {}, False, "were not loaded"),
    ],
)
def test_obligations_met_table(
    facts: GateFacts, params: dict[str, Any], passes: bool, says: str
) -> None:
    passed, reason = run(facts, POLICY, params)
    assert passed is passes
    assert says in reason


def test_monitoring_is_not_asked_for_at_the_pilot_gate() -> None:
    _, reason = run(gate("risk_review", "medium"))
    assert "Monitoring after deployment" not in reason
    assert "Technical documentation" not in reason


def test_a_policy_that_does_not_block_passes_and_names_what_is_open() -> None:
    passed, reason = run(gate("risk_review", "low"), ADVISORY)
    assert passed is True
    assert "Operators are trained" in reason
    assert "does not block" in reason


def test_open_obligations_are_named_one_by_one_with_their_source() -> None:
    """The checklist names each open obligation with where it comes from, and its status."""
    verdict = CHECK(gate("risk_review", "medium", ALL_MET_LOW), POLICY, {})
    assert verdict[0] is False
    assert len(verdict) == 3
    assert "Peer review by qualified experts (NIST AI RMF MEASURE 1.3): open" in verdict[2]
    assert "Accuracy and robustness tested (EU AI Act Art. 15): open" in verdict[2]
    assert not any("Operators are trained" in d for d in verdict[2])  # not applicable: not open


def test_the_policy_section_defaults_and_refuses_unknown_packs() -> None:
    assert POLICY.section(ObligationRules).pack == "default"
    assert POLICY.section(ObligationRules).blocking is True
    data = POLICY.model_dump(mode="json")
    data["obligations"] = {"pack": "nist-only"}
    with pytest.raises(PolicyError) as caught:
        parse_policy(data)
    assert any(p.startswith("obligations.pack") for p in caught.value.problems)
