"""Which obligations apply, table-tested over tier x facts (pure: no database)."""

import itertools
from collections.abc import Callable

import pytest

from aiom.obligations.derive import (
    MET,
    NOT_APPLICABLE,
    OPEN,
    CaseFacts,
    derive,
    is_due,
    next_stage,
    open_due,
    owed,
)
from aiom.obligations.pack import load, parse_pack
from aiom.portfolio.vocabulary import STAGE_KEYS

PACK = load("default").pack
ALWAYS = {"incident_reporting", "operator_literacy"}
MEDIUM_UP = {
    "expert_peer_review",
    "technical_documentation",
    "accuracy_robustness_testing",
    "post_deployment_monitoring",
    "legal_requirements_mapped",
}
HIGH = MEDIUM_UP | {
    "human_final_decision",
    "impact_assessment",
    "data_governance",
    "event_logging",
    "risk_management_system",
}
ORDER = [k for k in STAGE_KEYS if k not in ("retired", "rejected", "stopped")]


def case(tier: str = "low", ai_type: str = "predictive", **flags: bool) -> CaseFacts:
    return CaseFacts(tier=tier, ai_type=ai_type, stage="feasibility", **flags)


def keys(facts: CaseFacts) -> set[str]:
    return {o.key for o in derive(PACK, facts)}


TABLE: list[tuple[str, CaseFacts, set[str]]] = [
    ("not assessed, no flags", case(""), ALWAYS),
    ("low, no flags", case("low"), ALWAYS),
    ("medium, no flags", case("medium"), ALWAYS | MEDIUM_UP),
    ("high, no flags", case("high"), ALWAYS | HIGH),
    (
        "low customer-facing chatbot",
        case("low", "generative", customer_facing=True),
        ALWAYS | {"transparency_notice", "legal_requirements_mapped"},
    ),
    (
        "internal generative tool",
        case("low", "generative"),
        ALWAYS,
    ),
    (
        "customer-facing predictive model",
        case("low", "predictive", customer_facing=True),
        ALWAYS | {"legal_requirements_mapped"},
    ),
    (
        "customer-facing agent",
        case("medium", "agent", customer_facing=True),
        ALWAYS | MEDIUM_UP | {"transparency_notice"},
    ),
    (
        "low with personal data: DPIA-like assessment",
        case("low", personal_data=True),
        ALWAYS | {"impact_assessment", "data_governance", "legal_requirements_mapped"},
    ),
    (
        "low with automated decisions",
        case("low", automated_decisions=True),
        ALWAYS | {"human_final_decision", "event_logging"},
    ),
    (
        "automated decisions about customers",
        case("low", automated_decisions=True, customer_facing=True),
        ALWAYS
        | {
            "human_final_decision",
            "event_logging",
            "decision_explanation",
            "legal_requirements_mapped",
        },
    ),
    (
        "not assessed but automated and personal",
        case("", automated_decisions=True, personal_data=True),
        ALWAYS
        | {
            "human_final_decision",
            "event_logging",
            "impact_assessment",
            "data_governance",
            "legal_requirements_mapped",
        },
    ),
    (
        "high, everything",
        case("high", "generative", customer_facing=True, personal_data=True,
             automated_decisions=True),
        ALWAYS | HIGH | {"transparency_notice", "decision_explanation"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("label", "facts", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_derived_obligations_table(label: str, facts: CaseFacts, expected: set[str]) -> None:
    assert keys(facts) == expected


# The pack's rules written out once more, as the specification of every combination.
SPEC: dict[str, Callable[[CaseFacts], bool]] = {
    "transparency_notice": lambda f: (
        f.customer_facing and f.ai_type in ("generative", "agent", "speech")
    ),
    "human_final_decision": lambda f: f.tier == "high" or f.automated_decisions,
    "expert_peer_review": lambda f: f.tier in ("medium", "high"),
    "impact_assessment": lambda f: f.tier == "high" or f.personal_data,
    "data_governance": lambda f: f.tier == "high" or f.personal_data,
    "technical_documentation": lambda f: f.tier in ("medium", "high"),
    "event_logging": lambda f: f.tier == "high" or f.automated_decisions,
    "accuracy_robustness_testing": lambda f: f.tier in ("medium", "high"),
    "post_deployment_monitoring": lambda f: f.tier in ("medium", "high"),
    "incident_reporting": lambda f: True,
    "operator_literacy": lambda f: True,
    "risk_management_system": lambda f: f.tier == "high",
    "legal_requirements_mapped": lambda f: (
        f.tier in ("medium", "high") or f.personal_data or f.customer_facing
    ),
    "decision_explanation": lambda f: f.automated_decisions and f.customer_facing,
}
COMBINATIONS = [
    case(tier, ai_type, customer_facing=cf, personal_data=pd, automated_decisions=ad)
    for tier, ai_type, cf, pd, ad in itertools.product(
        ("", "low", "medium", "high"),
        ("predictive", "generative", "agent", "speech", "vision"),
        (False, True),
        (False, True),
        (False, True),
    )
]


def test_the_spec_names_every_obligation_of_the_pack() -> None:
    assert set(SPEC) == {o.key for o in PACK.obligations}


@pytest.mark.parametrize("facts", COMBINATIONS, ids=str)
def test_every_tier_and_fact_combination(facts: CaseFacts) -> None:
    assert keys(facts) == {k for k, rule in SPEC.items() if rule(facts)}


MINI = parse_pack(
    {
        "name": "mini",
        "title": "Mini",
        "frameworks": [{"key": "eu-ai-act", "label": "EU AI Act"}],
        "obligations": [
            {
                "key": "both",
                "title": "Both facts",
                "summary": "AND inside one condition.",
                "applies_when": [{"tier": ["high"], "personal_data": True}],
                "from_stage": "pilot",
                "references": [{"framework": "eu-ai-act", "id": "Art. 10"}],
            },
            {
                "key": "in_pilot",
                "title": "Only in pilot",
                "summary": "A stage condition.",
                "applies_when": [{"stage": ["pilot"]}, {"customer_facing": False}],
                "from_stage": "scaling",
                "references": [{"framework": "eu-ai-act", "id": "Art. 72"}],
            },
        ],
    }
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (CaseFacts("high", "predictive", "intake", personal_data=True), {"both", "in_pilot"}),
        (CaseFacts("high", "predictive", "intake", customer_facing=True), set()),
        (CaseFacts("medium", "predictive", "pilot", personal_data=True), {"in_pilot"}),
        (CaseFacts("high", "predictive", "pilot", True, True), {"both", "in_pilot"}),
    ],
)
def test_conditions_and_inside_or_across(facts: CaseFacts, expected: set[str]) -> None:
    assert {o.key for o in derive(MINI, facts)} == expected


def test_owed_defaults_to_open_and_keeps_reasons() -> None:
    facts = case("low")
    items = owed(PACK, facts, {"incident_reporting": (NOT_APPLICABLE, "no users"), "x": (MET, "")})
    by_key = {i.key: i for i in items}
    assert set(by_key) == ALWAYS
    assert by_key["incident_reporting"].status == NOT_APPLICABLE
    assert by_key["incident_reporting"].reason == "no users"
    assert by_key["operator_literacy"].status == OPEN


def test_an_unknown_stored_status_counts_as_open() -> None:
    items = owed(PACK, case("low"), {"operator_literacy": ("done", "")})
    assert {i.key: i.status for i in items}["operator_literacy"] == OPEN


@pytest.mark.parametrize(
    ("from_stage", "stage", "due"),
    [
        ("pilot", "risk_review", False),
        ("pilot", "pilot", True),
        ("pilot", "operational", True),
        ("scaling", "pilot", False),
        ("risk_review", "risk_review", True),
        ("pilot", "retired", False),
    ],
)
def test_due_by_stage_order(from_stage: str, stage: str, due: bool) -> None:
    ob = next(o for o in PACK.obligations if o.from_stage == from_stage)
    assert is_due(ob, stage, ORDER) is due


def test_open_due_lists_only_open_obligations_due_by_the_stage() -> None:
    items = owed(PACK, case("medium"), {"expert_peer_review": (MET, "")})
    due = {i.key for i in open_due(items, "pilot", ORDER)}
    assert "expert_peer_review" not in due
    assert "post_deployment_monitoring" not in due  # from scaling
    assert {"accuracy_robustness_testing", "legal_requirements_mapped"} <= due


@pytest.mark.parametrize(
    ("stage", "expected"),
    [("risk_review", "pilot"), ("operational", None), ("retired", None), ("intake", "feasibility")],
)
def test_next_stage(stage: str, expected: str | None) -> None:
    assert next_stage(stage, ORDER) == expected
