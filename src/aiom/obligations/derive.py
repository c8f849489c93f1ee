"""Which obligations a use case owes, and which of them are open (PURE: no ORM).

A use case owes an obligation when any of the obligation's conditions matches its tier
and facts (no conditions: always). An owed obligation with no recorded status is open.
It is due at a stage when its `from_stage` comes at or before that stage in the
policy's order: a gate into that stage then wants it met or marked not applicable.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aiom.obligations.pack import Condition, Obligation, Pack

FACTS_KEY = "obligations"  # GateFacts.extra key the gate check reads
MET = "met"
OPEN = "open"
NOT_APPLICABLE = "not_applicable"
STATUSES = (MET, OPEN, NOT_APPLICABLE)
STATUS_LABELS = {MET: "met", OPEN: "open", NOT_APPLICABLE: "not applicable"}


@dataclass(frozen=True)
class CaseFacts:
    """The facts of one use case that obligations depend on; tier is '' until assessed."""

    tier: str
    ai_type: str
    stage: str
    customer_facing: bool = False
    personal_data: bool = False
    automated_decisions: bool = False


@dataclass(frozen=True)
class ObligationFacts:
    """What the gate check reads under `GateFacts.extra["obligations"]`."""

    case: CaseFacts
    recorded: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> status, reason


@dataclass(frozen=True)
class Owed:
    obligation: Obligation
    status: str
    reason: str = ""

    @property
    def key(self) -> str:
        return self.obligation.key

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def matches(condition: Condition, facts: CaseFacts) -> bool:
    """Every fact the condition names matches (an unassessed tier matches no tier list)."""
    if condition.tier is not None and facts.tier not in condition.tier:
        return False
    if condition.ai_type is not None and facts.ai_type not in condition.ai_type:
        return False
    if condition.stage is not None and facts.stage not in condition.stage:
        return False
    flags = (
        (condition.customer_facing, facts.customer_facing),
        (condition.personal_data, facts.personal_data),
        (condition.automated_decisions, facts.automated_decisions),
    )
    return all(wanted is None or wanted == actual for wanted, actual in flags)


def applies(obligation: Obligation, facts: CaseFacts) -> bool:
    conditions = obligation.applies_when
    return conditions is None or any(matches(c, facts) for c in conditions)


def derive(pack: Pack, facts: CaseFacts) -> list[Obligation]:
    """The pack's obligations that apply to a use case with these facts, in pack order."""
    return [o for o in pack.obligations if applies(o, facts)]


def owed(pack: Pack, facts: CaseFacts, recorded: Mapping[str, tuple[str, str]]) -> list[Owed]:
    """Derived obligations with their status; `recorded` is key -> (status, reason)."""
    out = []
    for o in derive(pack, facts):
        status, reason = recorded.get(o.key, (OPEN, ""))
        out.append(Owed(o, status if status in STATUSES else OPEN, reason))
    return out


def is_due(obligation: Obligation, stage: str, order: Sequence[str]) -> bool:
    """Must it be met to be in (or enter) `stage`? Stages outside `order` owe nothing."""
    if stage not in order or obligation.from_stage not in order:
        return False
    return order.index(obligation.from_stage) <= order.index(stage)


def open_due(items: Sequence[Owed], stage: str, order: Sequence[str]) -> list[Owed]:
    """The open obligations that block entering `stage`."""
    return [i for i in items if i.is_open and is_due(i.obligation, stage, order)]


def next_stage(stage: str, order: Sequence[str]) -> str | None:
    """The stage after `stage` in `order`, or None at the end or outside it."""
    if stage not in order:
        return None
    i = order.index(stage)
    return order[i + 1] if i + 1 < len(order) else None
