"""The maturity model as data (`policies/maturity.yaml`): schema, loader, and pure scoring.

A dimension's score is its answers' share of the maximum (0-100, one decimal); the overall
score is the unweighted mean of the dimensions. Scoring assumes validated answers: the
service checks completeness first and `score_answers` raises KeyError on anything else.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from aiom.core import safe_yaml
from aiom.core.documents import DocumentError, Strict, validate

MODEL_PATH = Path(__file__).resolve().parents[2] / "policies" / "maturity.yaml"
DIMENSIONS = ("people", "processes", "technology", "data", "governance")
MAX_ANSWER = 3


class ModelError(DocumentError):
    """A maturity model that does not validate; `problems` are 'path: message' lines."""


class Answer(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    score: int = Field(ge=0, le=MAX_ANSWER)
    text: str = Field(min_length=1)


class Question(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    text: str = Field(min_length=1)
    answers: list[Answer] = Field(min_length=2)

    def answer(self, key: str) -> Answer | None:
        return next((a for a in self.answers if a.key == key), None)


class Level(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    label: str
    min_score: float = Field(ge=0, le=100)
    description: str = ""


class Dimension(Strict):
    key: str
    label: str
    description: str = ""
    questions: list[Question] = Field(min_length=3, max_length=5)
    next_steps: dict[str, list[str]]


class MaturityModel(Strict):
    name: str
    description: str = ""
    levels: list[Level] = Field(min_length=2)
    dimensions: list[Dimension]

    @model_validator(mode="after")
    def _consistent(self) -> "MaturityModel":
        problems: list[str] = []
        keys = [lv.key for lv in self.levels]
        if len(set(keys)) != len(keys):
            problems.append("levels: level keys must be unique")
        if self.levels[0].min_score != 0:
            problems.append("levels[0].min_score: the first level must start at 0")
        for i in range(1, len(self.levels)):
            if self.levels[i].min_score <= self.levels[i - 1].min_score:
                problems.append(f"levels[{i}].min_score: must be above the previous level's")
        dims = [d.key for d in self.dimensions]
        if sorted(dims) != sorted(DIMENSIONS):
            problems.append(f"dimensions: need exactly {', '.join(DIMENSIONS)} (each once)")
        seen: set[str] = set()
        for i, dim in enumerate(self.dimensions):
            for j, q in enumerate(dim.questions):
                where = f"dimensions[{i}].questions[{j}]"
                if q.key in seen:
                    problems.append(f"{where}.key: '{q.key}' is used twice")
                seen.add(q.key)
                if len({a.key for a in q.answers}) != len(q.answers):
                    problems.append(f"{where}.answers: answer keys must be unique")
                if max(a.score for a in q.answers) != MAX_ANSWER:
                    problems.append(f"{where}.answers: the best answer must score {MAX_ANSWER}")
            missing = [k for k in keys if k not in dim.next_steps]
            unknown = [k for k in dim.next_steps if k not in keys]
            if missing:
                problems.append(
                    f"dimensions[{i}].next_steps: missing level(s) {', '.join(missing)}"
                )
            if unknown:
                problems.append(
                    f"dimensions[{i}].next_steps: unknown level(s) {', '.join(unknown)}"
                )
            for level, steps in dim.next_steps.items():
                if not 1 <= len(steps) <= 5:
                    problems.append(f"dimensions[{i}].next_steps.{level}: give 1 to 5 steps")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    def level(self, key: str) -> Level:
        return next(lv for lv in self.levels if lv.key == key)

    def next_level(self, key: str) -> Level | None:
        keys = [lv.key for lv in self.levels]
        i = keys.index(key)
        return self.levels[i + 1] if i + 1 < len(self.levels) else None

    def questions(self) -> list[tuple[Dimension, Question]]:
        return [(d, q) for d in self.dimensions for q in d.questions]


@dataclass(frozen=True)
class Loaded:
    sha256: str
    model: MaturityModel


@dataclass(frozen=True)
class Scored:
    dimension_scores: dict[str, float]
    dimension_levels: dict[str, str]
    overall_score: float
    overall_level: str


def parse_model(data: Any) -> MaturityModel:
    """A validated model, or ModelError listing every problem with its path."""
    return validate(MaturityModel, data, root="(model)", error=ModelError)


def load_text(text: str) -> Loaded:
    """Parse YAML text into a model with the sha256 of the text (its version)."""
    data = safe_yaml.load(text, what="a maturity model", error=ModelError)
    return Loaded(hashlib.sha256(text.encode("utf-8")).hexdigest(), parse_model(data))


@cache
def current() -> Loaded:
    """The shipped model, parsed once per process (a changed file needs a restart)."""
    return load_text(MODEL_PATH.read_text(encoding="utf-8"))


def level_for(model: MaturityModel, score: float) -> str:
    """The highest level whose `min_score` the score reaches (scores below 0 are the lowest)."""
    found = model.levels[0].key
    for level in model.levels:
        if score >= level.min_score:
            found = level.key
    return found


def score_answers(model: MaturityModel, answers: Mapping[str, str]) -> Scored:
    """Dimension and overall scores and levels for a complete set of answers."""
    scores: dict[str, float] = {}
    for dim in model.dimensions:
        got = 0
        for q in dim.questions:
            chosen = q.answer(answers[q.key])
            if chosen is None:
                raise KeyError(f"{q.key}: no answer '{answers[q.key]}'")
            got += chosen.score
        scores[dim.key] = round(100 * got / (MAX_ANSWER * len(dim.questions)), 1)
    overall = round(sum(scores.values()) / len(scores), 1)
    return Scored(
        dimension_scores=scores,
        dimension_levels={k: level_for(model, v) for k, v in scores.items()},
        overall_score=overall,
        overall_level=level_for(model, overall),
    )


def answer_problems(model: MaturityModel, answers: Mapping[str, Any]) -> dict[str, str]:
    """question key -> what is wrong with its answer; empty when the set is complete."""
    problems: dict[str, str] = {}
    known = {q.key: q for _, q in model.questions()}
    for key in answers:
        if key not in known:
            problems[key] = "not a question of the maturity model"
    for key, q in known.items():
        given = answers.get(key)
        if given in (None, ""):
            problems[key] = "unanswered"
        elif not isinstance(given, str) or q.answer(given) is None:
            problems[key] = f"not one of: {', '.join(a.key for a in q.answers)}"
    return problems
