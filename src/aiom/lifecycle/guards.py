"""Reasons another app may give to refuse a stage move (the registry's
`transition_guards`), registered in its AppConfig.ready() through `register`.

The transition engine asks every guard, in the order they registered, once the gate
allows the move. A guard answers None when it has nothing to say about this move, else
(passed, reason): a failed one refuses the move with its reason among the gate's; what
every guard said is stored with the gate's results on the StageChange (`checks`, marked
`"guard": true`), so the history shows why a move was allowed. Literacy registers the
owner's training for the tier.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiom.core import registry
from aiom.portfolio.models import UseCase

STORE = "transition_guards"


@dataclass(frozen=True)
class Move:
    use_case: UseCase
    to_stage: str
    terminal: bool  # the target ends the lifecycle (retired, stopped, ...)
    today: dt.date


TransitionGuard = Callable[[Move], tuple[bool, str] | None]


@dataclass(frozen=True)
class Said:
    """What one guard said about one move."""

    guard: str
    passed: bool
    reason: str

    def record(self) -> dict[str, Any]:
        """As stored beside the gate's check results."""
        return {"check": self.guard, "passed": self.passed, "reason": self.reason, "guard": True}


def register(name: str, guard: TransitionGuard) -> None:
    registry.add(STORE, name, guard)


def judge(move: Move) -> list[Said]:
    """What each registered guard says about `move`, in registration order."""
    said = []
    for name, guard in registry.entries(STORE).items():
        verdict = guard(move)
        if verdict is not None:
            said.append(Said(name, *verdict))
    return said
