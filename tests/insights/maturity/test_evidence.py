"""Evidence: figures -> health, inputs -> dimension scores, missing inputs named."""

import pytest

from aiom.insights.maturity.evidence import (
    CaseRef,
    Gap,
    Input,
    adoption_health,
    combine,
    concentration_health,
    count_gap,
    dimension_evidence,
    rating_health,
    ratio_input,
    share_input,
    within_sla,
)
from aiom.insights.maturity.model import current


def i(key: str, health: float | None) -> Input:
    return Input(key, key.title(), health, "shown")


@pytest.mark.parametrize(
    ("inputs", "score", "level", "missing"),
    [
        ([i("a", 1.0), i("b", 0.5), i("c", 0.0)], 50.0, "foundational", ()),
        ([i("a", 0.8), i("b", None)], 80.0, "ai_native", ("B",)),
        ([i("a", 0.299)], 29.9, "ad_hoc", ()),
        ([i("a", 0.55)], 55.0, "integrated", ()),
        ([i("a", None), i("b", None)], None, None, ("A", "B")),
        ([], None, None, ()),
    ],
)
def test_a_dimension_scores_the_mean_of_what_is_measured(
    inputs: list[Input], score: float | None, level: str | None, missing: tuple[str, ...]
) -> None:
    got = dimension_evidence(current().model, "data", inputs)
    assert (got.score, got.level, got.missing) == (score, level, missing)
    assert got.inputs == tuple(inputs)


def test_combine_averages_only_the_scored_dimensions() -> None:
    gap = Gap("processes", "3 stalled pilots", (CaseRef(1, "A"),))
    evidence = combine(
        current().model,
        {"processes": [i("a", 0.6)], "governance": [i("b", 1.0)], "data": [i("c", None)]},
        [gap],
    )
    assert evidence.dimensions["data"].score is None
    assert evidence.dimensions["people"].score is None  # no inputs at all
    assert (evidence.overall_score, evidence.overall_level) == (80.0, "ai_native")
    assert evidence.gaps_for("processes") == [gap]
    assert evidence.gaps_for("data") == []


def test_nothing_measured_anywhere_has_no_overall() -> None:
    evidence = combine(current().model, {})
    assert (evidence.overall_score, evidence.overall_level) == (None, None)


@pytest.mark.parametrize(
    ("series", "health"),
    [
        ([("2026-01", 100, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 100, 0)], 0.5),
        ([("2026-01", 100, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 150, 0)], 1.0),
        ([("2026-01", 100, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 400, 0)], 1.0),
        ([("2026-01", 100, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 75, 0)], 0.25),
        ([("2026-01", 100, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 0, 0)], 0.0),
        ([("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 9, 0)], None),  # too short
        ([("2026-01", 0, 0), ("2026-02", 1, 0), ("2026-03", 1, 0), ("2026-04", 9, 0)], None),
        ([("2026-04", 100, 0), ("2026-01", 100, 0), ("2026-03", 1, 0), ("2026-02", 1, 0)], 0.5),
    ],
)
def test_adoption_trend(series: list[tuple[str, int, int]], health: float | None) -> None:
    assert adoption_health(series) == health


@pytest.mark.parametrize(
    ("hhi", "health"), [(None, None), (1.0, 0.0), (0.25, 0.75), (2500, 0.75), (0.0, 1.0)]
)
def test_vendor_concentration(hhi: float | None, health: float | None) -> None:
    assert concentration_health(hhi) == health


@pytest.mark.parametrize(("avg", "health"), [(None, None), (1.0, 0.0), (3.0, 0.5), (5.0, 1.0)])
def test_feedback_rating(avg: float | None, health: float | None) -> None:
    assert rating_health(avg) == health


def test_within_sla_ignores_stages_without_one() -> None:
    assert within_sla([(10, 30, 2), (5, None, 5), (4, 14, 0)]) == (12, 14)
    assert within_sla([]) == (0, 0)


def test_shares_and_ratios_say_not_measured_rather_than_zero() -> None:
    assert share_input("k", "K", 0, 0) == Input("k", "K", None, "not measured")
    assert share_input("k", "K", 3, 4) == Input("k", "K", 0.75, "75% (3 of 4)", "75%")
    # the portfolio figures' one rounding: half up (Python's round would give 0% and 70%)
    assert share_input("k", "K", 1, 200).text == "1%"
    assert share_input("k", "K", 74, 105, "pilot_to_scale").shown == "70% (74 of 105)"
    assert ratio_input("k", "K", 0.705).text == "71%"
    assert ratio_input("k", "K", None).shown == "not measured"
    assert ratio_input("k", "K", 1.7, "x").health == 1.0


def test_count_gap_pluralises_and_caps_refs() -> None:
    refs = [CaseRef(n, f"UC {n}") for n in range(15)]
    assert count_gap("processes", 0, "stalled pilot", "stalled pilots") == []
    [one] = count_gap("processes", 1, "stalled pilot", "stalled pilots", refs[:1])
    assert one.text == "1 stalled pilot"
    [many] = count_gap("processes", 15, "stalled pilot", "stalled pilots", refs)
    assert many.text == "15 stalled pilots"
    assert len(many.refs) == 10
