"""The operating structure decides whose review counts, per tier: a pure rule."""

import pytest

from aiom.governance.reviews.structure import assignment_counts, eligible_scopes, unfilled

SCOPES = [
    ("centralized", "low", {"global"}),
    ("centralized", "medium", {"global"}),
    ("centralized", "high", {"global"}),
    ("federated", "low", {"global", "unit"}),
    ("federated", "medium", {"global", "unit"}),
    ("federated", "high", {"global"}),
    ("decentralized", "low", {"unit"}),
    ("decentralized", "medium", {"unit"}),
    ("decentralized", "high", {"unit"}),
]


@pytest.mark.parametrize(("structure", "tier", "scopes"), SCOPES)
def test_eligible_scopes(structure: str, tier: str, scopes: set[str]) -> None:
    assert eligible_scopes(structure, tier) == scopes  # type: ignore[arg-type]


@pytest.mark.parametrize(("structure", "tier"), [("anarchic", "low"), ("federated", "extreme")])
def test_unknown_structure_or_tier_is_an_error(structure: str, tier: str) -> None:
    with pytest.raises(ValueError, match="unknown"):
        eligible_scopes(structure, tier)  # type: ignore[arg-type]


UNIT = "/1/3/7/"  # Group / Retail / Cards
ASSIGNMENTS = [
    # structure, tier, the assignment's scope (None = global), counts?
    ("centralized", "low", None, True),
    ("centralized", "low", "/1/3/", False),
    ("federated", "medium", "/1/3/", True),  # an ancestor of the unit
    ("federated", "medium", "/1/3/7/", True),  # the unit itself
    ("federated", "medium", "/1/3/7/9/", False),  # below the unit
    ("federated", "medium", "/1/4/", False),  # a sibling branch
    ("federated", "high", "/1/", False),
    ("federated", "high", None, True),
    ("decentralized", "high", "/1/", True),
    ("decentralized", "low", None, False),
    ("decentralized", "low", "/1/33/", False),  # a path prefix that is not an ancestor
]


@pytest.mark.parametrize(("structure", "tier", "scope", "counts"), ASSIGNMENTS)
def test_assignment_counts(structure: str, tier: str, scope: str | None, counts: bool) -> None:
    assert (
        assignment_counts(structure, tier, scope_path=scope, unit_path=UNIT)  # type: ignore[arg-type]
        is counts
    )


FILLING = [
    ({"risk_reviewer": 1}, {"risk_reviewer": {1}}, None),
    ({"risk_reviewer": 1}, {"risk_reviewer": set()}, "risk_reviewer: 0 eligible, needs 1"),
    ({"risk_reviewer": 2}, {"risk_reviewer": {1}}, "risk_reviewer: 1 eligible, needs 2"),
    ({"risk_reviewer": 1}, {}, "risk_reviewer: 0 eligible, needs 1"),
    (
        {"risk_reviewer": 1, "compliance_reviewer": 1},
        {"risk_reviewer": {1}, "compliance_reviewer": {1}},
        "the same people would have to fill risk_reviewer and compliance_reviewer",
    ),
    (
        {"risk_reviewer": 1, "compliance_reviewer": 1},
        {"risk_reviewer": {1, 2}, "compliance_reviewer": {1}},
        None,
    ),
    (
        {"risk_reviewer": 2, "compliance_reviewer": 1},
        {"risk_reviewer": {1, 2}, "compliance_reviewer": {1, 2}},
        "the same people would have to fill risk_reviewer and compliance_reviewer",
    ),
]


@pytest.mark.parametrize(("need", "pool", "reason"), FILLING)
def test_unfilled_needs_distinct_people_per_slot(
    need: dict[str, int], pool: dict[str, set[int]], reason: str | None
) -> None:
    assert unfilled(need, pool) == reason
