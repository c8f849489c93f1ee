import dataclasses
from typing import Any

from aiom.literacy.coverage import coverage, coverage_by_unit
from aiom.literacy.policy import LiteracyRules
from aiom.literacy.requirements import literacy_policy
from tests.literacy.conftest import REQUIRING, TODAY
from tests.query_counts import Budget


def test_whole_organisation(trained, query_budget: Budget):
    with query_budget("coverage_whole_organisation"):
        cov = coverage(today=TODAY, policy=REQUIRING)
    # Alice, Bob, Charlie, Ada, Rita; Pat is an external partner without a home unit.
    assert (cov.people, cov.trained) == (5, 3)
    assert (cov.leaders, cov.trained_leaders) == (2, 1)
    assert (cov.reviewers, cov.trained_reviewers) == (1, 0)
    assert cov.target == 0.8 and cov.meets_target is False
    roles = {r.role: (r.people, r.trained, r.level) for r in cov.by_role}
    assert roles["business_owner"] == (1, 1, "any")
    assert roles["risk_reviewer"] == (1, 0, "reviewer")
    assert roles["executive_sponsor"] == (1, 0, "leader")
    assert roles["administrator"] == (1, 0, "any")
    assert "partner" not in roles


def test_subtree_scope(trained):
    retail = coverage(org_unit=trained.retail, today=TODAY)
    assert (retail.people, retail.trained, retail.leaders, retail.trained_leaders) == (2, 1, 1, 1)
    assert retail.reviewer_share is None and retail.people_share == 0.5
    cards = coverage(org_unit=trained.cards, today=TODAY)
    assert cards.people == 0 and cards.meets_target is True


def test_expiry_moves_with_today(trained):
    earlier = coverage(today=TODAY.replace(year=2024, month=6), policy=REQUIRING)
    assert (earlier.trained, earlier.trained_reviewers) == (1, 0)  # only Bob, before expiry
    later = coverage(today=TODAY.replace(month=2), policy=REQUIRING)
    assert later.trained_reviewers == 1


def test_target_and_requirements_come_from_the_policy_section(trained):
    section = {"target": 0.5, "require": [{"role": "executive_sponsor", "level": "practitioner"}]}
    policy = LiteracyRules.model_validate(section)
    cov = coverage(today=TODAY, policy=policy)
    assert cov.target == 0.5
    roles = {r.role: (r.people, r.trained) for r in cov.by_role}
    assert roles["executive_sponsor"] == (1, 1)
    assert roles["risk_reviewer"] == (1, 1)  # not required here: Rita's awareness counts
    assert cov.trained_reviewers == 0  # the reviewer share still asks for reviewer training
    assert dataclasses.replace(cov, trained_reviewers=1).meets_target is True


def test_shipped_policy_sets_the_target_and_requires_nothing(trained):
    policy = literacy_policy()
    assert policy.target == 0.8 and policy.require == [] and policy.levels() == {}
    assert policy.high_tier_owner_level is None
    cov = coverage(today=TODAY)
    assert {r.level for r in cov.by_role} == {"any"}
    assert cov.trained_reviewers == 0


def test_a_policy_without_the_section_requires_nothing():
    """The schema's defaults are the only ones (a mirror once required reviewer training
    and practitioner owners of a policy object without the section)."""
    assert LiteracyRules() == LiteracyRules(target=0.8, require=[], high_tier_owner_level=None)
    assert LiteracyRules().levels() == {}


def test_by_unit_in_tree_order(trained):
    rows = coverage_by_unit(today=TODAY)
    assert [u.name for u, _ in rows] == ["Group", "Retail Banking", "Cards", "Wealth Management"]
    assert rows[0][1].people == 5


def test_database_agrees_with_the_pure_reference(trained: Any) -> None:
    from aiom.literacy import rules
    from aiom.literacy.coverage import people_in_scope, role_levels
    from aiom.literacy.models import TrainingRecord
    from aiom.organisation.models import REVIEWER_ROLES, OrgUnit

    levels = role_levels(REQUIRING)
    leads = set(OrgUnit.objects.values_list("lead_id", flat=True))
    facts = []
    for person in people_in_scope(None).select_related("user"):
        records = list(TrainingRecord.objects.filter(person=person.user))
        roles = frozenset(person.user.role_assignments.values_list("role", flat=True))
        facts.append(
            rules.Facts(
                roles=roles,
                is_leader=person.user.pk in leads or "executive_sponsor" in roles,
                any_current=rules.current(records, "any", TODAY),
                leader_current=rules.current(records, "leader", TODAY),
                reviewer_current=rules.current(records, "reviewer", TODAY),
                role_current=frozenset(
                    r for r in roles if r in levels and rules.current(records, levels[r][1], TODAY)
                ),
            )
        )
    expected = rules.coverage(
        facts, target=0.8, reviewer_roles=frozenset(REVIEWER_ROLES), role_levels=levels
    )
    assert coverage(today=TODAY, policy=REQUIRING) == expected
