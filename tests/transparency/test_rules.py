import pytest

from aiom.transparency.rules import Facts, Publishable, blockers, is_published, verdict

OPS = ["operational"]


def publishable(stages: list[str]) -> Publishable:
    return Publishable(tuple(stages), retired="retired")


@pytest.mark.parametrize(
    ("stage", "confidential", "decision", "stages", "published"),
    [
        ("operational", False, True, OPS, True),
        ("operational", False, False, OPS, False),  # withdrawn
        ("operational", False, None, OPS, False),  # never decided
        ("operational", True, True, OPS, False),  # confidential wins over a decision
        ("pilot", False, True, OPS, False),  # left (or never reached) a publishable stage
        ("retired", False, True, OPS, False),
        ("retired", False, True, ["operational", "retired"], False),  # never, even if listed
        ("scaling", False, True, ["scaling", "operational"], True),
        ("operational", False, True, ["scaling"], False),  # the policy changed
        ("operational", False, True, [], False),
    ],
)
def test_published_only_when_every_condition_holds(
    stage, confidential, decision, stages, published
):
    facts = Facts(stage=stage, confidential=confidential, decision=decision)
    assert is_published(facts, publishable(stages)) is published
    v = verdict(facts, publishable(stages))
    assert v.published is published
    assert bool(v.reasons) is not published


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts("operational", False, None), ["no one has decided to publish it"]),
        (Facts("operational", False, False), ["the latest decision is not to publish it"]),
        (
            Facts("risk_review", True, True),
            [
                "it is confidential, and confidential use cases are never published",
                "its stage (risk review) is not publishable under the policy"
                " (publishable: operational)",
            ],
        ),
        (
            Facts("retired", False, True),
            ["it is retired, and retired use cases are never published"],
        ),
    ],
)
def test_reasons_say_why_not(facts, expected):
    assert list(verdict(facts, publishable(OPS)).reasons) == expected


def test_blockers_ignore_the_decision():
    assert blockers("operational", False, publishable(OPS)) == []
    assert len(blockers("pilot", True, publishable(OPS))) == 2
