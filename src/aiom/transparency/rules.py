"""PURE: is a use case on the public register, and if not, why not.

Evaluated at read time from the use case's current facts and its latest decision, so a
use case that becomes confidential, leaves the publishable stages or retires drops out
of the register at once, whatever was decided before.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

NEVER_PUBLISHED_STAGES = frozenset({"retired"})


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


def blockers(stage: str, confidential: bool, publishable_stages: Collection[str]) -> list[str]:
    """Why the use case's facts forbid publishing it (empty when they allow it)."""
    reasons = []
    if confidential:
        reasons.append("it is confidential, and confidential use cases are never published")
    if stage in NEVER_PUBLISHED_STAGES:
        reasons.append("it is retired, and retired use cases are never published")
    elif stage not in publishable_stages:
        allowed = ", ".join(_label(s) for s in publishable_stages) or "none"
        reasons.append(
            f"its stage ({_label(stage)}) is not publishable under the policy"
            f" (publishable: {allowed})"
        )
    return reasons


def verdict(facts: Facts, publishable_stages: Collection[str]) -> Verdict:
    """Published = latest decision says publish AND stage publishable AND not confidential
    AND not retired."""
    reasons = []
    if facts.decision is None:
        reasons.append("no one has decided to publish it")
    elif not facts.decision:
        reasons.append("the latest decision is not to publish it")
    reasons += blockers(facts.stage, facts.confidential, publishable_stages)
    return Verdict(published=not reasons, reasons=tuple(reasons))


def is_published(facts: Facts, publishable_stages: Collection[str]) -> bool:
    return verdict(facts, publishable_stages).published
