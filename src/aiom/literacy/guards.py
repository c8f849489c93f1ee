"""The training the policy requires, as guards of lifecycle moves and review decisions
(registered in LiteracyConfig.ready): the owner of a high-tier use case needs training to
move it on (not to end it), and a reviewer needs training to decide."""

from aiom.governance import guards as decision_guards
from aiom.lifecycle import guards as transition_guards
from aiom.literacy.enforcement import owner_trained_for_tier, reviewer_trained


def owner_trained(move: transition_guards.Move) -> tuple[bool, str] | None:
    """None when nobody owns the use case or the move ends its lifecycle."""
    owner = move.use_case.owner
    if owner is None or move.terminal:
        return None
    ok, why = owner_trained_for_tier(owner, move.use_case.tier, move.today)
    return ok, f"{why}."


def reviewer_is_trained(deciding: decision_guards.Deciding) -> tuple[bool, str]:
    ok, why = reviewer_trained(deciding.reviewer, deciding.today)
    return ok, why if ok else f"{why}: the policy requires it to decide reviews"


def register() -> None:
    transition_guards.register("owner_trained", owner_trained)
    decision_guards.register("reviewer_trained", reviewer_is_trained)
