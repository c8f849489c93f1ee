"""The prioritisation arithmetic: criteria scores (1..5) to value and feasibility (0..100).

Pure functions over the policy's criteria, so the numbers can be table-tested. A criterion
marked `inverse` (complexity, change effort) counts against feasibility: 5 becomes 1.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

Kind = Literal["value", "feasibility"]
HIGH = Decimal(50)  # the matrix splits each axis at the middle of the scale
QUADRANTS = {
    (True, True): "quick wins",
    (True, False): "strategic bets",
    (False, True): "fill-ins",
    (False, False): "reconsider",
}


class CriterionLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def inverse(self) -> bool: ...


def check_scores(criteria: Iterable[CriterionLike], scores: Mapping[str, Any]) -> dict[str, str]:
    """Every criterion scored with a whole number 1..5, nothing else; {key: problem}."""
    errors: dict[str, str] = {}
    keys = [c.key for c in criteria]
    for key in keys:
        score = scores.get(key)
        if score is None:
            errors[f"criteria.{key}"] = "a score from 1 to 5 is needed"
        elif isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            errors[f"criteria.{key}"] = f"a whole number from 1 to 5, got {score!r}"
    for key in sorted(set(scores) - set(keys)):
        errors[f"criteria.{key}"] = "not a criterion of the policy in force"
    return errors


def scaled(score: int, inverse: bool = False) -> Decimal:
    """1..5 onto 0..100; an inverse criterion is flipped first (6 - score)."""
    effective = 6 - score if inverse else score
    return Decimal(effective - 1) / 4 * 100


def kind_score(criteria: Iterable[CriterionLike], scores: Mapping[str, int], kind: Kind) -> Decimal:
    """The weighted mean of one kind's scaled scores, rounded to two places (0 if none)."""
    total = Decimal(0)
    weights = Decimal(0)
    for c in criteria:
        if c.kind != kind or c.key not in scores:
            continue
        weight = Decimal(str(c.weight))
        total += scaled(scores[c.key], c.inverse) * weight
        weights += weight
    if not weights:
        return Decimal("0.00")
    return (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def value_and_feasibility(
    criteria: Iterable[CriterionLike], scores: Mapping[str, int]
) -> tuple[Decimal, Decimal]:
    items = list(criteria)
    return kind_score(items, scores, "value"), kind_score(items, scores, "feasibility")


def quadrant(value: Decimal, feasibility: Decimal) -> str:
    """Quick wins, strategic bets, fill-ins or reconsider; 50 counts as high."""
    return QUADRANTS[(value >= HIGH, feasibility >= HIGH)]
