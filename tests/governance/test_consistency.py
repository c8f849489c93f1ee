"""Answers against recorded facts (a pure rule, table-tested) and the policy sections of
segregation of duties (consistency rules, min_people), validated by the schema."""

import copy
from typing import Any

import pytest
import yaml

from aiom.governance.assessments.consistency import contradictions, corrected_facts
from aiom.governance.assessments.tier_confirmation import lowers
from aiom.governance.policy.schema import ConsistencyRule, PolicyError
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_text

DEFAULT = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
RULES = [
    ConsistencyRule(fact="customer_facing", value=True, question="affected", excludes=["staff"]),
    ConsistencyRule(
        fact="automated_decisions", value=True, question="automation", excludes=["assists"]
    ),
    ConsistencyRule(
        fact="automated_decisions",
        value=False,
        question="automation",
        excludes=["decides", "decides_sampled"],
    ),
    ConsistencyRule(fact="personal_data", value=True, question="personal_data", excludes=["none"]),
    ConsistencyRule(
        fact="personal_data",
        value=False,
        question="personal_data",
        excludes=["personal", "special_category"],
    ),
]
FALSE = {"customer_facing": False, "automated_decisions": False, "personal_data": False}


@pytest.mark.parametrize(
    ("facts", "answers", "found", "fixed"),
    [
        (FALSE, {"affected": "staff", "automation": "assists", "personal_data": ["none"]}, [], {}),
        (
            FALSE | {"customer_facing": True},
            {"affected": "staff"},
            [("customer_facing", "affected", ("staff",))],
            {"customer_facing": False},
        ),
        (FALSE | {"customer_facing": True}, {"affected": "consumers"}, [], {}),
        (
            FALSE | {"automated_decisions": True},
            {"automation": "assists"},
            [("automated_decisions", "automation", ("assists",))],
            {"automated_decisions": False},
        ),
        (
            FALSE,
            {"automation": "decides"},
            [("automated_decisions", "automation", ("decides",))],
            {"automated_decisions": True},
        ),
        (FALSE | {"automated_decisions": True}, {"automation": "recommends"}, [], {}),
        (
            FALSE | {"personal_data": True},
            {"personal_data": ["none"]},
            [("personal_data", "personal_data", ("none",))],
            {"personal_data": False},
        ),
        (
            FALSE,
            {"personal_data": ["personal", "children", "special_category"]},
            [("personal_data", "personal_data", ("personal", "special_category"))],
            {"personal_data": True},
        ),
        # "none" and "personal" together contradict either value: no correction helps.
        (
            FALSE,
            {"personal_data": ["none", "personal"]},
            [("personal_data", "personal_data", ("personal",))],
            None,
        ),
        ({"customer_facing": None}, {"affected": "staff"}, [], {}),  # unknown fact: no rule
    ],
)
def test_contradictions_table(
    facts: dict[str, Any],
    answers: dict[str, Any],
    found: list[tuple[str, str, tuple[str, ...]]],
    fixed: dict[str, bool] | None,
) -> None:
    assert [(c.fact, c.question, c.answers) for c in contradictions(RULES, facts, answers)] == found
    assert corrected_facts(RULES, facts, answers) == fixed


@pytest.mark.parametrize(
    ("new", "governing", "lower"),
    [
        ("low", "high", True),
        ("medium", "high", True),
        ("low", "medium", True),
        ("high", "low", False),
        ("medium", "medium", False),
        ("low", "", False),  # nothing in force yet
    ],
)
def test_what_lowers_a_tier(new: str, governing: str, lower: bool) -> None:
    assert lowers(new, governing) is lower


def problems(mutate: Any) -> list[str]:
    data = copy.deepcopy(DEFAULT)
    mutate(data)
    with pytest.raises(PolicyError) as caught:
        load_text(yaml.safe_dump(data, sort_keys=False))
    return caught.value.problems


def test_the_default_policy_asks_two_people_from_medium_on() -> None:
    policy = load_text(yaml.safe_dump(DEFAULT, sort_keys=False))
    assert {t: p.min_people for t, p in policy.approval_paths.items()} == {
        "low": 1,
        "medium": 2,
        "high": 2,
    }
    assert len(policy.consistency) >= 4


def test_min_people_must_be_reachable_by_the_counts() -> None:
    found = problems(lambda d: d["approval_paths"]["medium"].update(min_people=3))
    assert len(found) == 1
    assert found[0].startswith("approval_paths.medium")
    assert "3 people cannot approve when the approvers' counts add up to 2" in found[0]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {"fact": "customer_facing", "value": True, "question": "audience", "excludes": ["x"]},
            "consistency[0].question: unknown question 'audience'",
        ),
        (
            {"fact": "customer_facing", "value": True, "question": "affected", "excludes": ["x"]},
            "consistency[0].excludes: 'x' is not an answer of affected",
        ),
        (
            {
                "fact": "customer_facing",
                "value": True,
                "question": "appeal",
                "excludes": ["yes", "no"],
            },
            "consistency[0].excludes: it would exclude every answer",
        ),
    ],
)
def test_consistency_rules_are_validated(rule: dict[str, Any], message: str) -> None:
    assert any(message in p for p in problems(lambda d: d.update(consistency=[rule])))


def test_a_consistency_rule_names_a_known_boolean_fact() -> None:
    rule = {"fact": "environment", "value": True, "question": "affected", "excludes": ["staff"]}
    assert any(
        p.startswith("consistency[0].fact")
        for p in problems(lambda d: d.update(consistency=[rule]))
    )
