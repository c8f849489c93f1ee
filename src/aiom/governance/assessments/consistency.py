"""Assessment answers against the use case's recorded facts: a pure rule, table-tested.

The policy's `consistency` rules say which answers a recorded fact value excludes
(customer-facing ⇒ not "our staff only"). An assessment whose answers contradict the
facts is refused with both named, unless the assessor corrects the facts in the same
write; `corrected_facts` says what the facts would have to become.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiom.governance.policy.schema import ConsistencyRule, Policy


@dataclass(frozen=True)
class Contradiction:
    fact: str
    value: bool
    question: str
    answers: tuple[str, ...]

    def message(self, policy: Policy) -> str:
        q = policy.question(self.question)
        texts = {a.key: a.text for a in q.answers} if q is not None else {}
        said = ", ".join(f"“{texts.get(a, a)}”" for a in self.answers)
        return (
            f"{said} contradicts the use case's recorded fact {self.fact} = "
            f"{str(self.value).lower()}; change the answer, or correct the fact "
            f"(update_facts) in the same write"
        )


def _chosen(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def contradictions(
    rules: Sequence[ConsistencyRule],
    facts: Mapping[str, Any],
    answers: Mapping[str, Any],
) -> list[Contradiction]:
    """Each rule whose fact holds the rule's value while an excluded answer was given."""
    found: list[Contradiction] = []
    for rule in rules:
        if facts.get(rule.fact) is not rule.value:
            continue
        hit = tuple(a for a in _chosen(answers.get(rule.question)) if a in rule.excludes)
        if hit:
            found.append(Contradiction(rule.fact, rule.value, rule.question, hit))
    return found


def corrected_facts(
    rules: Sequence[ConsistencyRule],
    facts: Mapping[str, Any],
    answers: Mapping[str, Any],
) -> dict[str, bool] | None:
    """The facts these answers imply (each contradicted fact flipped), or None if flipping
    a fact would contradict another rule (then the answers themselves disagree)."""
    flipped = {c.fact: not c.value for c in contradictions(rules, facts, answers)}
    if contradictions(rules, {**facts, **flipped}, answers):
        return None
    return flipped
