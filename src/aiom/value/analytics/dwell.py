"""Dwell: how long current use cases have sat in their stage, against the stage's SLA.

Per stage with use cases: the count, the median days in stage, the policy's `sla_days`
and how many are over it; plus the list of those over (longest first). Terminal stages
are skipped. Caveat: the median costs one small ordered query per stage (the middle one
or two rows by `stage_entered_on`), so a policy with many stages costs more queries.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q

from aiom.core.memo import live
from aiom.governance.policy import active_policy
from aiom.value.analytics import facts
from aiom.value.analytics.base import Scope, UseCaseRef
from aiom.value.analytics.laggards import named

OVER_LIST_LIMIT = 200


@dataclass(frozen=True)
class StageDwell:
    stage: str
    label: str
    count: int
    median_days: float | None
    sla_days: int | None
    over: int


@dataclass(frozen=True)
class Dwell:
    stages: list[StageDwell]
    over: list[UseCaseRef]
    over_total: int = 0
    over_limit: int = OVER_LIST_LIMIT


def over_sla_q(slas: dict[str, int], today: dt.date) -> Q:
    """Use cases longer in their stage than its SLA (days in stage > sla_days)."""
    parts = [
        Q(stage=stage, stage_entered_on__lt=today - dt.timedelta(days=days))
        for stage, days in slas.items()
    ]
    return reduce(or_, parts, Q(pk__in=[]))


def _median_days(qs: Any, stage: str, count: int, today: dt.date) -> float | None:
    if count == 0:
        return None
    lo = (count - 1) // 2
    ordered = facts.by_entry(qs.filter(stage=stage))
    days = ordered.values_list("stage_entered_on", flat=True)[lo : lo + (1 if count % 2 else 2)]
    values = [(today - d).days for d in days]
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
        r["stage"]: (r["n"], r["over"])
        for r in fq.filter(stage__in=[s.key for s in stages])
        .order_by()
        .values("stage")
        .annotate(n=Count("stage"), over=Count("stage", filter=over_q))  # an index covers it
    }
    result = []
    for s in stages:
        n, over = counts.get(s.key, (0, 0))
        median = _median_days(fq, s.key, n, today)
        result.append(StageDwell(s.key, s.label, n, median, s.sla_days, over))
    over = named(fq.filter(over_q), today, "over the stage's SLA", limit=OVER_LIST_LIMIT)
    refs = [UseCaseRef(**{**r.__dict__, "sla_days": slas.get(r.stage)}) for r in over]
    return Dwell(result, refs, over_total=sum(o for _, o in counts.values()))
