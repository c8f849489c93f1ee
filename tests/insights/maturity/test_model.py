"""The maturity model document: the shipped one validates; broken ones name their paths."""

import copy
from typing import Any

import pytest
import yaml

from aiom.insights.maturity.model import (
    DIMENSIONS,
    MODEL_PATH,
    ModelError,
    current,
    load_text,
    parse_model,
)


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    return data


def problems(data: Any) -> list[str]:
    with pytest.raises(ModelError) as caught:
        parse_model(data)
    return caught.value.problems


def test_the_shipped_model_has_five_dimensions_four_levels_and_steps_everywhere() -> None:
    loaded = current()
    model = loaded.model
    assert [d.key for d in model.dimensions] == list(DIMENSIONS)
    assert [(lv.key, lv.label, lv.min_score) for lv in model.levels] == [
        ("ad_hoc", "Ad Hoc", 0),
        ("foundational", "Foundational", 30),
        ("integrated", "Integrated", 55),
        ("ai_native", "AI-Native", 80),
    ]
    for dim in model.dimensions:
        assert 3 <= len(dim.questions) <= 5
        assert all(2 <= len(steps) <= 3 for steps in dim.next_steps.values())
        for q in dim.questions:
            assert sorted(a.score for a in q.answers) == [0, 1, 2, 3]
    assert len(loaded.sha256) == 64


def test_the_content_hash_changes_with_the_text() -> None:
    text = MODEL_PATH.read_text(encoding="utf-8")
    assert load_text(text).sha256 == current().sha256
    assert load_text(text + "\n# edited\n").sha256 != current().sha256


def mutate(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(shipped())
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is KeyError:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "dimensions.0.questions.1.answers.0.colour",
            "red",
            "dimensions[0].questions[1].answers[0]: unknown key 'colour'",
        ),
        (
            "dimensions.2.questions.0.answers.3.score",
            4,
            "dimensions[2].questions[0].answers[3].score: Input should be less than or equal to 3",
        ),
        ("levels.0.label", KeyError, "levels[0].label: Field required"),
        ("levels.1.min_score", 0, "levels[1].min_score: must be above the previous level's"),
        ("levels.0.min_score", 5, "levels[0].min_score: the first level must start at 0"),
        (
            "dimensions.4.key",
            "ethics",
            "dimensions: need exactly people, processes, technology, data, governance (each once)",
        ),
        (
            "dimensions.1.questions.0.key",
            "people_sponsorship",
            "dimensions[1].questions[0].key: 'people_sponsorship' is used twice",
        ),
        (
            "dimensions.3.next_steps.ai_native",
            KeyError,
            "dimensions[3].next_steps: missing level(s) ai_native",
        ),
        (
            "dimensions.0.questions.0.answers.3.score",
            2,
            "dimensions[0].questions[0].answers: the best answer must score 3",
        ),
    ],
)
def test_problems_name_their_path(path: str, value: Any, expected: str) -> None:
    assert expected in problems(mutate(path, value))


def test_a_non_mapping_and_bad_yaml_are_refused() -> None:
    assert problems(["a list"]) == ["(model): the document must be a mapping of keys to values"]
    with pytest.raises(ModelError, match=r"line \d+, column \d+: not valid YAML"):
        load_text("levels: [unclosed")
