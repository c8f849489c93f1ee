"""Scoring: answers -> dimension and overall scores; each level's threshold edge."""

import pytest

from aiom.insights.maturity.model import (
    MaturityModel,
    answer_problems,
    current,
    level_for,
    score_answers,
)


def model() -> MaturityModel:
    return current().model


def all_at(score: int) -> dict[str, str]:
    out = {}
    for _, q in model().questions():
        out[q.key] = next(a.key for a in q.answers if a.score == score)
    return out


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "ad_hoc"),
        (29.9, "ad_hoc"),
        (30, "foundational"),
        (54.9, "foundational"),
        (55, "integrated"),
        (79.9, "integrated"),
        (80, "ai_native"),
        (100, "ai_native"),
        (-5, "ad_hoc"),
    ],
)
def test_level_edges(score: float, level: str) -> None:
    assert level_for(model(), score) == level


@pytest.mark.parametrize(
    ("answer_score", "dimension_score", "level"),
    [
        (0, 0.0, "ad_hoc"),
        (1, 33.3, "foundational"),
        (2, 66.7, "integrated"),
        (3, 100.0, "ai_native"),
    ],
)
def test_uniform_answers(answer_score: int, dimension_score: float, level: str) -> None:
    scored = score_answers(model(), all_at(answer_score))
    assert set(scored.dimension_scores.values()) == {dimension_score}
    assert set(scored.dimension_levels.values()) == {level}
    assert (scored.overall_score, scored.overall_level) == (dimension_score, level)


def test_dimensions_score_independently_and_overall_is_their_mean() -> None:
    answers = all_at(1)
    people = list(model().dimension("people").questions)
    for q in people:  # people all at 3 -> 100
        answers[q.key] = "all"
    answers[people[0].key] = "most"  # 11 of 12 -> 91.7
    scored = score_answers(model(), answers)
    assert scored.dimension_scores["people"] == 91.7
    assert scored.dimension_levels["people"] == "ai_native"
    assert scored.dimension_scores["data"] == 33.3
    assert scored.overall_score == round((91.7 + 4 * 33.3) / 5, 1) == 45.0
    assert scored.overall_level == "foundational"


def test_answer_problems_name_each_question() -> None:
    answers: dict[str, object] = dict(all_at(2))
    answers.pop("data_quality")
    answers["people_literacy"] = "excellent"
    answers["colour"] = "red"
    assert answer_problems(model(), answers) == {
        "colour": "not a question of the maturity model",
        "people_literacy": "not one of: none, some, most, all",
        "data_quality": "unanswered",
    }
    assert answer_problems(model(), all_at(0)) == {}
