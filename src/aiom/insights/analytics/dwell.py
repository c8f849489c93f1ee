"""Dwell: how long current use cases have sat in their stage, against the stage's SLA.

Per stage with use cases: the count, the median days in stage, the policy's `sla_days`
and how many are over it; plus the list of those over (longest first). Terminal stages
are skipped. The median counts only entries known to the day; an entry known only to its
month, quarter or year is over the SLA when even its period's last day is (certain), and
left out when it cannot tell; an unknown entry day is never over and is counted apart
(`unknown_entry`): `left_out` is every use case the medians could not use.
Caveat: the median costs one small ordered query per stage (the middle one or two rows by
`stage_entered_on`), so a policy with many stages costs more queries.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q

from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import Scope, UseCaseRef, date_reason, left_out_note
from aiom.insights.analytics.laggards import named

OVER_LIST_LIMIT = 200


ENTRY = "stage entry date"
BY_DAY = Q(stage_entered_on__isnull=False, stage_entered_precision="day")


@dataclass(frozen=True)
class StageDwell:
    stage: str
    label: str
    count: int
    median_days: float | None
    sla_days: int | None
    over: int
    left_out: int = 0  # in this stage, entry day not known to the day: not in the median
    unplaced: int = 0  # entry day unknown, or partial and the SLA's day cuts it: over? unknown


@dataclass(frozen=True)
class Dwell:
    stages: list[StageDwell]
    over: list[UseCaseRef]
    over_total: int = 0
    over_limit: int = OVER_LIST_LIMIT
    left_out: int = 0  # entry day unknown or partial: not in the medians
    left_out_reason: str = f"without a {ENTRY}"
    unknown_entry: int = 0  # entry day unknown: never "over SLA", counted here
    undecided: int = 0  # entry known only to a period that may or may not be over the SLA

    @property
    def left_out_note(self) -> str:
        """The sentence under the figure (base.left_out_note; "" when none is left out)."""
        return left_out_note(self.left_out, self.left_out_reason)

    @property
    def unknown_entry_note(self) -> str:
        """'1,807 with an unknown stage entry day (never counted as over the SLA)'."""
        if not self.unknown_entry:
            return ""
        return f"{self.unknown_entry:,} with an unknown stage entry day (never over the SLA)"


def over_sla_q(slas: dict[str, int], today: dt.date) -> Q:
    """Use cases certainly longer in their stage than its SLA (days in stage > sla_days):
    an entry known only to its month, quarter or year counts when its period's last day
    is; an unknown entry day never does."""
    parts = [
        Q(stage=stage) & spans.before_q("stage_entered", today - dt.timedelta(days=days))
        for stage, days in slas.items()
    ]
    return reduce(or_, parts, Q(pk__in=[]))


def undecided_q(slas: dict[str, int], today: dt.date) -> Q:
    """Partial entries whose period holds the SLA's last day: over or not, cannot tell."""
    parts = [
        Q(stage=stage) & spans.straddles_day_q("stage_entered", today - dt.timedelta(days=days))
        for stage, days in slas.items()
    ]
    return reduce(or_, parts, Q(pk__in=[]))


def _median_days(qs: Any, stage: str, count: int, today: dt.date) -> float | None:
    if count == 0:
        return None
    lo = (count - 1) // 2
    ordered = facts.by_entry(qs.filter(BY_DAY, stage=stage))
    days = ordered.values_list("stage_entered_on", flat=True)[lo : lo + (1 if count % 2 else 2)]
    values = [(today - d).days for d in days if d is not None]  # BY_DAY: none is None
    return float(sum(values) / len(values))


@live
def dwell(scope: Scope, *, today: dt.date, user: Any = None) -> Dwell:
    """Days in stage per non-terminal stage vs its SLA, and who is over (longest first)."""
    policy = active_policy().policy
    stages = [s for s in policy.stages if not s.terminal]
    slas = {s.key: s.sla_days for s in stages if s.sla_days}
    fq = facts.of(scope, user)
    over_q = over_sla_q(slas, today)
    counts = {
        r["stage"]: r
        for r in fq.filter(stage__in=[s.key for s in stages])
        .order_by()
        .values("stage")
        .annotate(
            n=Count("stage"),
            over=Count("stage", filter=over_q),
            by_day=Count("stage", filter=BY_DAY),
            unknown=Count("stage", filter=Q(stage_entered_on__isnull=True)),
            undecided=Count("stage", filter=undecided_q(slas, today)),
        )
    }
    result = []
    for s in stages:
        c = counts.get(s.key, {"n": 0, "over": 0, "by_day": 0, "unknown": 0, "undecided": 0})
        median = _median_days(fq, s.key, c["by_day"], today)
        left, unplaced = c["n"] - c["by_day"], c["unknown"] + c["undecided"]
        result.append(
            StageDwell(s.key, s.label, c["n"], median, s.sla_days, c["over"], left, unplaced)
        )
    over = named(fq.filter(over_q), today, "over the stage's SLA", limit=OVER_LIST_LIMIT)
    refs = [UseCaseRef(**{**r.__dict__, "sla_days": slas.get(r.stage)}) for r in over]
    unknown = sum(c["unknown"] for c in counts.values())
    left_out = sum(r.left_out for r in result)
    return Dwell(
        result,
        refs,
        over_total=sum(c["over"] for c in counts.values()),
        left_out=left_out,
        left_out_reason=date_reason(ENTRY, unknown, left_out - unknown),
        unknown_entry=unknown,
        undecided=sum(c["undecided"] for c in counts.values()),
    )
