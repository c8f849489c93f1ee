"""Reasons another app may give to refuse a reviewer's decision (the registry's
`decision_guards`), registered in its AppConfig.ready() through `register`.

`reviews.decide` asks every guard, in the order they registered, after the conflict
checks: a guard answers None when it has nothing to say, else (passed, reason); the first
failed one refuses the decision (PermissionDenied with its reason), and what every guard
said is kept in the decision's snapshot (`eligibility.guards`), so the record shows why
the reviewer was allowed. Literacy registers the reviewer's training.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiom.core import registry
from aiom.core.errors import PermissionDenied
from aiom.governance.models import ReviewRequest

STORE = "decision_guards"


@dataclass(frozen=True)
class Deciding:
    reviewer: Any
    review: ReviewRequest
    today: dt.date


DecisionGuard = Callable[[Deciding], tuple[bool, str] | None]


def register(name: str, guard: DecisionGuard) -> None:
    registry.add(STORE, name, guard)


def require(deciding: Deciding) -> list[dict[str, Any]]:
    """What each guard said, for the decision's snapshot; PermissionDenied at the first
    refusal, with its reason."""
    said = []
    for name, guard in registry.entries(STORE).items():
        verdict = guard(deciding)
        if verdict is None:
            continue
        passed, reason = verdict
        if not passed:
            raise PermissionDenied(reason)
        said.append({"guard": name, "passed": passed, "reason": reason})
    return said
