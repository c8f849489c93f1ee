"""PURE: is a use case on the public register, and if not, why not.

Evaluated at read time from the use case's current facts and its latest decision, so a
use case that becomes confidential, leaves the publishable stages or retires drops out
of the register at once, whatever was decided before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiom.portfolio.vocabulary import StageRole
from aiom.transparency.policy import TransparencyRules

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy


@dataclass(frozen=True)
class Publishable:
    """The stages the policy lets a use case be published from, and its retired stage,
    never published (the policy may not list it; a retired use case is told why)."""

    stages: tuple[str, ...]
    retired: str

    @classmethod
    def of(cls, policy: Policy) -> Publishable:
        rules = policy.section(TransparencyRules)
        retired = policy.stage_with_role(StageRole.RETIRED).key
        return cls(tuple(s for s in rules.publishable_stages if s != retired), retired)


@dataclass(frozen=True)
class Facts:
    """What the rule needs of one use case. `decision` is the latest publish flag, or None."""

    stage: str
    confidential: bool
    decision: bool | None


@dataclass(frozen=True)
class Verdict:
    published: bool
    reasons: tuple[str, ...]  # why not; empty when published


def _label(stage: str) -> str:
    return stage.replace("_", " ")


def blockers(stage: str, confidential: bool, publishable: Publishable) -> list[str]:
    """Why the use case's facts forbid publishing it (empty when they allow it)."""
    reasons = []
    if confidential:
        reasons.append("it is confidential, and confidential use cases are never published")
    if stage == publishable.retired:
        reasons.append("it is retired, and retired use cases are never published")
    elif stage not in publishable.stages:
        allowed = ", ".join(_label(s) for s in publishable.stages) or "none"
        reasons.append(
            f"its stage ({_label(stage)}) is not publishable under the policy"
            f" (publishable: {allowed})"
        )
    return reasons


def verdict(facts: Facts, publishable: Publishable) -> Verdict:
    """Published = latest decision says publish AND stage publishable AND not confidential
    AND not retired."""
    reasons = []
    if facts.decision is None:
        reasons.append("no one has decided to publish it")
    elif not facts.decision:
        reasons.append("the latest decision is not to publish it")
    reasons += blockers(facts.stage, facts.confidential, publishable)
    return Verdict(published=not reasons, reasons=tuple(reasons))


def is_published(facts: Facts, publishable: Publishable) -> bool:
    return verdict(facts, publishable).published
