"""The lifecycle funnel: where use cases are now, and which stages they entered lately.

"Proposed" counts the use cases whose proposal date lies in the period; "entered" counts
stage changes whose day lies in it. A date the source did not give (None) or gave only
to a month, quarter or year that straddles the period's bounds cannot be placed: those
use cases (and stage changes) are left out and counted (`left_out`, `entered_left_out`),
never placed on a made-up day (core/date_periods.py).
Caveat: "entered" counts stage changes, so a use case that went back and forth (risk
review → feasibility → risk review) counts once per entry.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from aiom.core.date_periods import inside_q, open_until, straddles_q
from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import Scope, date_reason, in_scope, left_out_note
from aiom.lifecycle.models import StageChange

PROPOSAL = "proposal date"
ENTRY = "stage entry date"


@dataclass(frozen=True)
class Funnel:
    per_stage: dict[str, int]
    entered: dict[str, int]
    since: dt.date | None = None
    until: dt.date | None = None
    proposed: int = 0  # use cases whose proposal date lies in the period
    left_out: int = 0  # use cases whose proposal date cannot be placed in the period
    left_out_reason: str = f"without a {PROPOSAL}"
    entered_left_out: int = 0  # stage changes whose day cannot be placed in the period
    entered_left_out_reason: str = f"without a {ENTRY}"

    @property
    def left_out_note(self) -> str:
        """The sentence under the figure (base.left_out_note; "" when none is left out)."""
        return left_out_note(self.left_out, self.left_out_reason)

    @property
    def entered_left_out_note(self) -> str:
        return left_out_note(self.entered_left_out, self.entered_left_out_reason)


def stage_order() -> list[str]:
    return [s.key for s in active_policy().policy.stages]


def _ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    result = {key: counts.get(key, 0) for key in order}
    result.update({k: v for k, v in sorted(counts.items()) if k not in result})
    return result


@live
def funnel(scope: Scope, *, since: dt.date, until: dt.date, user: Any = None) -> Funnel:
    """Current stage counts, stage entries and proposals dated in [since, until], policy
    order, with what could not be placed in the period counted apart."""
    qs = scope.use_cases(user)
    order = stage_order()
    fq = facts.of(scope, user)
    end = open_until(until, timezone.localdate())
    placed = spans.inside_q("proposed", since, end)
    straddling = spans.straddles_q("proposed", since, end)
    now: dict[str, int] = {}
    proposed = unknown = partial = 0
    for r in (
        fq.order_by()
        .values("stage")
        .annotate(
            n=Count("stage"),
            new=Count("stage", filter=placed),
            unknown=Count("stage", filter=Q(proposed_on__isnull=True)),
            partial=Count("stage", filter=straddling),
        )
    ):
        now[r["stage"]] = r["n"]
        proposed, unknown, partial = (
            proposed + r["new"],
            unknown + r["unknown"],
            partial + r["partial"],
        )
    changes = StageChange.objects.filter(in_scope(qs)).order_by()
    rows = (
        changes.filter(inside_q("on", "on_precision", since, end))
        .values("to_stage")
        .annotate(n=Count("pk"))
    )
    entered = {r["to_stage"]: r["n"] for r in rows}
    missed = changes.aggregate(
        unknown=Count("pk", filter=Q(on__isnull=True)),
        partial=Count("pk", filter=straddles_q("on", "on_precision", since, end)),
    )
    return Funnel(
        per_stage=_ordered(now, order),
        entered=_ordered(entered, order),
        since=since,
        until=until,
        proposed=proposed,
        left_out=unknown + partial,
        left_out_reason=date_reason(PROPOSAL, unknown, partial),
        entered_left_out=missed["unknown"] + missed["partial"],
        entered_left_out_reason=date_reason(ENTRY, missed["unknown"], missed["partial"]),
    )
