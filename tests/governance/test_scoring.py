"""Scoring tables: tier edges, the mitigation share, hard rules, duties, the default policy.

The hand-written policy has an impact maximum of 20 (question `a` up to 10, the multiple
question `b` summing to 10), so a raw impact of 5 is exactly the medium threshold (0.25)
and 10 exactly the high threshold (0.5). Mitigation maximum is 5; the share is 0.8 (4).
"""

from decimal import Decimal
from typing import Any

import pytest
import yaml

from aiom.governance.assessments.scoring import Answers, answer_problems, score
from aiom.governance.policy.schema import Policy, parse_policy
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH
from tests.answers import LOW

DEFAULT_DOC: dict[str, Any] = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
WEIGHTS = [0, 1, 2, 3, 4, 4.9, 5, 6, 7, 8, 9, 9.9, 10]


def _key(weight: float) -> str:
    return "w" + str(weight).replace(".", "_")


QUESTIONNAIRE: list[dict[str, Any]] = [
    {
        "key": "area",
        "section": "context",
        "text": "Where is it used?",
        "answers": [
            {"key": "general", "text": "General"},
            {"key": "credit", "text": "Credit", "high_risk": "credit (Annex III 5)"},
            {"key": "employment", "text": "Jobs", "high_risk": "employment (Annex III 4)"},
            {"key": "social", "text": "Social scoring", "prohibited": "social scoring"},
        ],
    },
    {
        "key": "a",
        "section": "impact",
        "text": "How much impact?",
        "answers": [{"key": _key(w), "text": str(w), "weight": w} for w in WEIGHTS],
    },
    {
        "key": "b",
        "section": "impact",
        "type": "multiple",
        "text": "Which effects?",
        "answers": [
            {"key": "none", "text": "None"},
            {"key": "x", "text": "x", "weight": 1},
            {"key": "y", "text": "y", "weight": 2},
            {"key": "z", "text": "z", "weight": 3},
            {"key": "w", "text": "w", "weight": 4},
        ],
    },
    {
        "key": "interaction",
        "section": "transparency",
        "type": "multiple",
        "text": "How do people meet it?",
        "answers": [
            {"key": "internal", "text": "Staff tool"},
            {"key": "chatbot", "text": "Chat", "duties": ["say it is an AI", "log chats"]},
            {"key": "synthetic", "text": "Content", "duties": ["label content", "log chats"]},
        ],
    },
    {
        "key": "m1",
        "section": "mitigation",
        "kind": "mitigation",
        "text": "Tested?",
        "answers": [
            {"key": "no", "text": "No"},
            {"key": "partly", "text": "Partly", "weight": 3},
            {"key": "yes", "text": "Yes", "weight": 4},
        ],
    },
    {
        "key": "m2",
        "section": "mitigation",
        "kind": "mitigation",
        "text": "Monitored?",
        "answers": [
            {"key": "no", "text": "No"},
            {"key": "some", "text": "Some", "weight": 0.5},
            {"key": "most", "text": "Most", "weight": 0.9},
            {"key": "yes", "text": "Yes", "weight": 1},
        ],
    },
]
SCORING = {
    "thresholds": {"medium": 0.25, "high": 0.5},
    "mitigation_share": 0.8,
    "mitigation_deduction": 0.2,
}
POLICY: Policy = parse_policy(
    DEFAULT_DOC | {"questionnaire": QUESTIONNAIRE, "scoring": SCORING, "consistency": []}
)
DEFAULT: Policy = parse_policy(DEFAULT_DOC)


def answers(**given: str | list[str]) -> dict[str, str | list[str]]:
    """A full, harmless answer set with `given` replacing some answers."""
    base: dict[str, str | list[str]] = {
        "area": "general",
        "a": "w0",
        "b": ["none"],
        "interaction": ["internal"],
        "m1": "no",
        "m2": "no",
    }
    return base | given


def test_the_test_policy_has_the_maxima_the_tables_assume() -> None:
    scored = score(POLICY, answers())
    assert (scored.impact_max, scored.mitigation_max) == (Decimal(20), Decimal(5))
    assert answer_problems(POLICY, answers()) == {}


@pytest.mark.parametrize(
    ("a", "tier", "fraction"),
    [
        ("w0", "low", "0"),
        ("w4_9", "low", "0.245"),  # just below medium
        ("w5", "medium", "0.25"),  # exactly medium
        ("w9_9", "medium", "0.495"),  # just below high
        ("w10", "high", "0.5"),  # exactly high
    ],
)
def test_tier_edges(a: str, tier: str, fraction: str) -> None:
    scored = score(POLICY, answers(a=a))
    assert scored.computed_tier == tier
    assert scored.score == Decimal(fraction)
    assert "threshold" in scored.decided_by
    assert not scored.deducted


@pytest.mark.parametrize(
    ("m1", "m2", "deducted", "tier", "fraction"),
    [
        ("yes", "no", True, "medium", "0.4"),  # 4 of 5: exactly the share
        ("yes", "yes", True, "medium", "0.4"),  # 5 of 5
        ("partly", "yes", True, "medium", "0.4"),  # 3 + 1 = 4: exactly the share
        ("partly", "most", False, "high", "0.5"),  # 3.9: just below the share
        ("partly", "some", False, "high", "0.5"),
        ("no", "no", False, "high", "0.5"),
    ],
)
def test_mitigation_deducts_only_from_its_share(
    m1: str, m2: str, deducted: bool, tier: str, fraction: str
) -> None:
    scored = score(POLICY, answers(a="w10", m1=m1, m2=m2))
    assert scored.deducted is deducted
    assert scored.computed_tier == tier
    assert scored.score == Decimal(fraction)
    assert ("less 20% for mitigation" in scored.decided_by) is deducted


@pytest.mark.parametrize(
    ("b", "raw", "tier"),
    [
        (["none"], 0, "low"),
        (["x"], 1, "low"),
        (["x", "z"], 4, "low"),
        (["x", "w"], 5, "medium"),
        (["y", "z", "w"], 9, "medium"),
        (["x", "y", "z", "w"], 10, "high"),
        (["w", "w"], 4, "low"),  # a repeated answer counts once
    ],
)
def test_multiple_choice_answers_sum(b: list[str], raw: int, tier: str) -> None:
    scored = score(POLICY, answers(b=b))
    assert scored.impact_raw == raw
    assert scored.computed_tier == tier
    assert scored.section_scores["impact"] == {"raw": str(scored.impact_raw), "max": "20.0"}


@pytest.mark.parametrize("a", ["w0", "w5", "w10"])
def test_a_prohibited_practice_blocks_whatever_the_score(a: str) -> None:
    scored = score(POLICY, answers(area="social", a=a, m1="yes", m2="yes"))
    assert scored.prohibited
    assert scored.prohibited_reasons == ("social scoring",)
    assert scored.computed_tier == "high"
    assert scored.decided_by.startswith("prohibited practice: social scoring")
    assert "blocked" in scored.decided_by


@pytest.mark.parametrize(
    ("area", "a", "score_tier", "rule_applies"),
    [
        ("credit", "w0", "low", True),
        ("credit", "w5", "medium", True),
        ("credit", "w10", "high", False),
        ("employment", "w4_9", "low", True),
        ("employment", "w9_9", "medium", True),
        ("general", "w4_9", "low", False),
    ],
)
def test_each_high_risk_area_lifts_the_tier_to_high(
    area: str, a: str, score_tier: str, rule_applies: bool
) -> None:
    scored = score(POLICY, answers(area=area, a=a))
    assert scored.computed_tier == ("high" if area != "general" else score_tier)
    assert not scored.prohibited
    if rule_applies:
        assert scored.decided_by.startswith("high-risk area:")
        assert f"the score alone gave {score_tier}" in scored.decided_by
    else:
        assert "threshold" in scored.decided_by


@pytest.mark.parametrize(
    ("interaction", "duties"),
    [
        (["internal"], ()),
        (["chatbot"], ("say it is an AI", "log chats")),
        (["synthetic"], ("label content", "log chats")),
        (["chatbot", "synthetic"], ("say it is an AI", "log chats", "label content")),
    ],
)
def test_duties_are_collected_once_each(interaction: list[str], duties: tuple[str, ...]) -> None:
    assert score(POLICY, answers(interaction=interaction)).duties == duties


@pytest.mark.parametrize(
    ("given", "raw", "tier"),
    [
        ({}, 0, "low"),
        ({"a": "w6"}, 6, "medium"),
        ({"b": ["y", "z"]}, 5, "medium"),
        ({"a": "unknown-answer"}, 0, "low"),
    ],
)
def test_unanswered_or_unknown_answers_count_zero(given: Answers, raw: int, tier: str) -> None:
    scored = score(POLICY, given)
    assert scored.impact_raw == raw
    assert scored.impact_max == 20
    assert scored.computed_tier == tier


def test_answer_problems_name_each_question() -> None:
    given: dict[str, str | list[str]] = answers(a="nope", m1=["yes", "no"], extra="x")
    del given["m2"]
    assert answer_problems(POLICY, given) == {
        "a": "unknown answer nope",
        "m1": "choose exactly one answer",
        "m2": "unanswered",
        "extra": "not a question of the active policy",
    }


INTERNAL_HELPER: dict[str, str | list[str]] = LOW
CUSTOMER_CHATBOT: dict[str, str | list[str]] = INTERNAL_HELPER | {
    "domain": "customer_service",
    "affected": "consumers",
    "scale": "under_1m",
    "automation": "recommends",
    "personal_data": ["personal"],
    "interaction": ["chatbot"],
    "explainability": "partly",
    "provenance": "vendor_documented",
    "human_review": "no",
}
CREDIT_SCORING: dict[str, str | list[str]] = INTERNAL_HELPER | {
    "domain": "credit_insurance",
    "affected": "consumers",
    "scale": "under_10k",
    "personal_data": ["personal"],
}
TRANSPARENCY = "transparency notice that people are talking to an AI system (EU AI Act Art. 50(1))"


@pytest.mark.parametrize(
    ("given", "tier", "decided", "duties"),
    [
        (INTERNAL_HELPER, "low", "below the medium threshold", ()),
        (CUSTOMER_CHATBOT, "medium", "at or above the medium threshold", (TRANSPARENCY,)),
        (CREDIT_SCORING, "high", "credit and insurance (Annex III 5)", ()),
        (
            INTERNAL_HELPER | {"prohibited_practices": ["emotion_at_work"]},
            "high",
            "prohibited practice: emotion recognition at work",
            (),
        ),
    ],
    ids=["internal-helper", "customer-chatbot", "credit-scoring", "emotion-at-work"],
)
def test_default_policy(given: Answers, tier: str, decided: str, duties: tuple[str, ...]) -> None:
    assert answer_problems(DEFAULT, given) == {}
    scored = score(DEFAULT, given)
    assert scored.impact_max == 29
    assert scored.computed_tier == tier
    assert decided in scored.decided_by
    assert scored.duties == duties


def test_default_policy_customer_chatbot_is_mitigated_but_stays_medium() -> None:
    scored = score(DEFAULT, CUSTOMER_CHATBOT)
    assert [scored.impact_raw, scored.mitigation_raw, scored.mitigation_max] == [10, 9, 11]
    assert scored.deducted
    assert scored.score == Decimal("0.2931")  # 10 x 0.85 / 29
