"""Recommendations (with the "higher than the evidence" flag) and the structure hint."""

import pytest

from aiom.insights.maturity.evidence import CaseRef, Evidence, Gap, Input, combine
from aiom.insights.maturity.model import DIMENSIONS, Scored, current, level_for
from aiom.insights.maturity.services import Recommendation, recommendations, structure_hint

MODEL = current().model


def scored(**scores: float) -> Scored:
    full = {d: scores.get(d, 90.0) for d in DIMENSIONS}
    mean = sum(full.values()) / 5
    return Scored(
        full, {k: level_for(MODEL, v) for k, v in full.items()}, mean, level_for(MODEL, mean)
    )


def evidence(gaps: list[Gap] | None = None, **health: float | None) -> Evidence:
    inputs = {d: [Input("x", "X", h, "")] for d, h in health.items()}
    return combine(MODEL, inputs, gaps or [])


def by_dim(recs: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.dimension: r for r in recs}


def test_each_dimension_below_the_top_gets_the_steps_of_its_lower_level() -> None:
    recs = by_dim(
        recommendations(
            MODEL,
            scored(people=40, processes=60, data=20),
            evidence(people=0.9, processes=0.25, technology=0.9, data=None, governance=0.95),
        )
    )
    assert set(recs) == {"people", "processes", "data"}
    assert recs["people"].level == "foundational"  # self 40 < evidence 90: the lower one
    assert recs["people"].next_level == "integrated"
    assert recs["people"].steps == tuple(MODEL.dimension("people").next_steps["foundational"])
    assert recs["processes"].level == "ad_hoc"  # self integrated, evidence 25: ad hoc
    assert recs["processes"].higher_than_evidence
    assert recs["data"].level == "ad_hoc" and recs["data"].evidence_score is None


def test_higher_than_evidence_from_fifteen_points() -> None:
    recs = by_dim(
        recommendations(
            MODEL,
            scored(people=75, processes=74.9, technology=90),
            evidence(people=0.6, processes=0.6, technology=0.7, data=0.9, governance=0.9),
        )
    )
    assert recs["people"].higher_than_evidence  # 75 - 60 = 15
    assert not recs["processes"].higher_than_evidence  # 14.9
    assert recs["technology"].higher_than_evidence  # 90 - 70 = 20
    assert recs["technology"].level == "integrated"


def test_top_level_appears_only_with_gaps_or_optimism() -> None:
    gap = Gap("governance", "2 use cases without an owner", (CaseRef(7, "Chatbot"),))
    recs = by_dim(
        recommendations(
            MODEL,
            scored(),
            evidence([gap], people=0.9, processes=0.9, technology=0.9, data=0.9, governance=0.9),
        )
    )
    assert set(recs) == {"governance"}
    assert recs["governance"].gaps == (gap,)
    assert recs["governance"].next_level is None
    assert recs["governance"].steps == tuple(MODEL.dimension("governance").next_steps["ai_native"])


def test_without_a_self_assessment_the_evidence_decides() -> None:
    recs = by_dim(recommendations(MODEL, None, evidence(data=0.4)))
    assert set(recs) == {"data"}
    assert recs["data"].level == "foundational" and not recs["data"].higher_than_evidence
    assert recommendations(MODEL, None, evidence()) == []


@pytest.mark.parametrize(
    ("people", "units", "level", "current", "recommended", "changes"),
    [
        (5000, 40, "ad_hoc", "federated", "centralized", True),
        (20, 8, "integrated", "centralized", "centralized", False),
        (900, 2, "foundational", "centralized", "centralized", False),
        (900, 3, "foundational", "centralized", "federated", True),
        (5000, 30, "integrated", "federated", "federated", False),
        (5000, 30, "ai_native", "federated", "decentralized", True),
        (400, 30, "ai_native", "federated", "federated", False),
        (5000, 5, "ai_native", "decentralized", "federated", True),
        (25, 3, "integrated", "centralized", "federated", True),
        (24, 3, "integrated", "centralized", "centralized", False),
        (500, 6, "ai_native", "federated", "decentralized", True),
    ],
)
def test_structure_hint(
    people: int, units: int, level: str, current: str, recommended: str, changes: bool
) -> None:
    hint = structure_hint(people, units, level, current)
    assert (hint.recommended, hint.changes, hint.current) == (recommended, changes, current)
    assert hint.reasoning.endswith(
        f"Consider moving from {current} to {recommended}."
        if changes
        else f"The current {current} structure fits."
    )
