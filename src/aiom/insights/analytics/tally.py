"""The portfolio's simple counts in one pass over the use cases' facts.

Coverage, the operational share, hand-over, governance timing and time-to-value each need
a few counts of the same use cases; one aggregate over the narrow facts table answers
them all (kept until the next write, like every figure).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Q

from aiom.core.memo import live
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import Scope
from aiom.portfolio.vocabulary import IN_USE_ROLES, StageRole


@dataclass(frozen=True)
class Tally:
    total: int
    owner: int
    sponsor: int
    kpis_measured: int  # an active KPI with baseline and target, measured within cadence
    not_rejected: int
    operational: int
    past_pilot: int  # scaling or operational
    handed_over: int  # operational, in production, with an accountable owner
    assessed: int
    assessed_at: int  # first assessed in the stage asked about (the policy's first)
    no_value_yet: int  # not retired/rejected/stopped, no value realised
    unmeasured: int  # in use (pilot, scaling, operational) without KPIs measured
    # realised value, left out of time to value: proposal date unknown / known to a period
    realised_unknown: int = 0
    realised_partial: int = 0


def unmeasured_q(today: dt.date, policy: Policy) -> Q:
    """In use (pilot, scaling, operational), without an active KPI (baseline and target)
    measured within its cadence."""
    in_use = policy.stages_with_role(*IN_USE_ROLES)
    return Q(stage__in=in_use) & ~Q(kpi_measured_until__gte=today)


def handed_over_q(policy: Policy) -> Q:
    """On facts: run in production with an accountable owner, in operation."""
    operational = policy.stage_with_role(StageRole.OPERATIONAL).key
    return Q(stage=operational, has_owner=True, in_production=True)


@live
def tally(scope: Scope, *, today: dt.date, user: Any = None) -> Tally:
    """One grouped query over the facts of the use cases in scope, read in the order of an
    index (a few hundred groups: stage, owner, sponsor, production, first assessment),
    the dated conditions counted per group; the counts are summed from the groups.
    "Assessed at" is the active policy's first stage."""
    policy = active_policy().policy
    first_stage = policy.first_stage
    rejected, scaling, operational = (
        policy.stage_with_role(role).key
        for role in (StageRole.REJECTED, StageRole.SCALING, StageRole.OPERATIONAL)
    )
    in_use, terminal = policy.stages_with_role(*IN_USE_ROLES), policy.terminal_stages()
    undated = Q(value_realised_on__isnull=False, days_to_value__isnull=True)
    fq = facts.of(scope, user)
    keys = ("stage", "has_owner", "has_sponsor", "in_production", "first_assessed_in")
    groups = (
        fq.order_by()
        .values(*spans.scope_keys(fq), *keys)
        .annotate(
            n=spans.rows(),
            measured=spans.rows(Q(kpi_measured_until__gte=today)),
            no_value=spans.rows(Q(value_realised_on__isnull=True)),
            realised_unknown=spans.rows(undated & Q(proposed_on__isnull=True)),
            realised_partial=spans.rows(undated & Q(proposed_on__isnull=False)),
        )
    )
    c: Counter[str] = Counter()
    for g in groups:
        n, stage, assessed_in = g["n"], g["stage"], g["first_assessed_in"]
        c["total"] += n
        c["owner"] += n if g["has_owner"] else 0
        c["sponsor"] += n if g["has_sponsor"] else 0
        c["kpis_measured"] += g["measured"]
        c["not_rejected"] += n if stage != rejected else 0
        c["operational"] += n if stage == operational else 0
        c["past_pilot"] += n if stage in (scaling, operational) else 0
        handed = stage == operational and g["has_owner"] and g["in_production"]
        c["handed_over"] += n if handed else 0
        c["assessed"] += n if assessed_in != "" else 0
        c["assessed_at"] += n if assessed_in == first_stage else 0
        c["no_value_yet"] += g["no_value"] if stage not in terminal else 0
        c["unmeasured"] += n - g["measured"] if stage in in_use else 0
        c["realised_unknown"] += g["realised_unknown"]
        c["realised_partial"] += g["realised_partial"]
    return Tally(**{f.name: c[f.name] for f in fields(Tally)})
