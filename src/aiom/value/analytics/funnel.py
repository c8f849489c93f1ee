"""The lifecycle funnel: where use cases are now, and which stages they entered lately.

Caveat: "entered" counts stage changes, so a use case that went back and forth (risk
review → feasibility → risk review) counts once per entry.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from aiom.core.memo import live
from aiom.governance.policy import active_policy
from aiom.lifecycle.models import StageChange
from aiom.value.analytics import facts
from aiom.value.analytics.base import Scope, in_scope


@dataclass(frozen=True)
class Funnel:
    per_stage: dict[str, int]
    entered: dict[str, int]
    since: dt.date | None = None
    until: dt.date | None = None
    proposed: int = 0  # first stage changes (from "") in the period: new use cases


def stage_order() -> list[str]:
    return [s.key for s in active_policy().policy.stages]


def _ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    result = {key: counts.get(key, 0) for key in order}
    result.update({k: v for k, v in sorted(counts.items()) if k not in result})
    return result


@live
def funnel(scope: Scope, *, since: dt.date, until: dt.date, user: Any = None) -> Funnel:
    """Current stage counts and stage entries with `on` in [since, until], policy order."""
    qs = scope.use_cases(user)
    order = stage_order()
    now = {
        r["stage"]: r["n"]
        for r in facts.of(scope, user).order_by().values("stage").annotate(n=Count("stage"))
    }
    rows = (
        StageChange.objects.filter(in_scope(qs), on__gte=since, on__lte=until)
        .order_by()
        .values("to_stage")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(from_stage="")))
    )
    entered = {r["to_stage"]: r["n"] for r in rows}
    proposed = sum(r["new"] for r in rows)
    return Funnel(_ordered(now, order), _ordered(entered, order), since, until, proposed)
