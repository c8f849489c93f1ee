import datetime as dt
from dataclasses import dataclass

import pytest

from aiom.literacy import rules
from aiom.literacy.rules import Facts

TODAY = dt.date(2026, 6, 1)


@dataclass
class R:
    level: str
    completed_on: dt.date = dt.date(2026, 1, 1)
    expires_on: dt.date | None = None


@pytest.mark.parametrize(
    ("records", "level", "expected"),
    [
        ([], "awareness", False),
        ([R("awareness")], "awareness", True),
        ([R("awareness")], "practitioner", False),
        ([R("practitioner")], "awareness", True),
        ([R("leader")], "practitioner", True),
        ([R("leader")], "awareness", True),
        ([R("practitioner")], "leader", False),
        ([R("reviewer")], "awareness", False),
        ([R("leader")], "reviewer", False),
        ([R("reviewer")], "reviewer", True),
        ([R("reviewer")], "any", True),
        ([R("awareness", expires_on=TODAY)], "awareness", False),
        ([R("awareness", expires_on=TODAY + dt.timedelta(days=1))], "awareness", True),
        ([R("awareness", completed_on=TODAY + dt.timedelta(days=1))], "awareness", False),
        ([R("awareness", expires_on=dt.date(2026, 3, 1)), R("leader")], "practitioner", True),
    ],
)
def test_current(records, level, expected):
    assert rules.current(records, level, TODAY) is expected


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        rules.current([R("awareness")], "guru", TODAY)


def test_coverage_counts_shares_and_target():
    facts = [
        Facts(
            roles=frozenset({"risk_reviewer"}),
            any_current=True,
            reviewer_current=True,
            role_current=frozenset({"risk_reviewer"}),
        ),
        Facts(roles=frozenset({"risk_reviewer"}), any_current=False),
        Facts(is_leader=True, any_current=True, leader_current=True),
        Facts(any_current=True),
    ]
    cov = rules.coverage(
        facts,
        target=0.8,
        reviewer_roles=frozenset({"risk_reviewer"}),
        role_levels={"risk_reviewer": ("Risk reviewer", "reviewer")},
    )
    assert (cov.people, cov.trained, cov.leaders, cov.trained_leaders) == (4, 3, 1, 1)
    assert (cov.reviewers, cov.trained_reviewers) == (2, 1)
    assert cov.people_share == 0.75 and cov.leader_share == 1.0 and cov.reviewer_share == 0.5
    assert cov.by_role[0].people == 2 and cov.by_role[0].share == 0.5
    assert cov.meets_target is False


def test_empty_population_has_no_share_and_meets_target():
    cov = rules.coverage([], target=0.8, reviewer_roles=frozenset(), role_levels={})
    assert cov.people_share is None and cov.meets_target is True
