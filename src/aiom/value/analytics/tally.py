"""The portfolio's simple counts in one pass over the use cases' facts.

Coverage, the operational share, hand-over, governance timing and time-to-value each need
a few counts of the same use cases; one aggregate over the narrow facts table answers
them all (kept until the next write, like every figure).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from aiom.core.memo import live
from aiom.governance.policy import active_policy
from aiom.value.analytics import facts, spans
from aiom.value.analytics.base import TERMINAL_DEFAULT, Scope


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


IN_USE = ("pilot", "scaling", "operational")


def unmeasured_q(today: dt.date) -> Q:
    """In use, without an active KPI (baseline and target) measured within its cadence."""
    return Q(stage__in=IN_USE) & ~Q(kpi_measured_until__gte=today)


def handed_over_q() -> Q:
    """On facts: run in production with an accountable owner, in operation."""
    return Q(stage="operational", has_owner=True, in_production=True)


@live
def tally(scope: Scope, *, today: dt.date, user: Any = None) -> Tally:
    """One aggregate query over the facts of the use cases in scope; "assessed at" is the
    active policy's first stage."""
    first_stage = active_policy().policy.stages[0].key
    undated = Q(value_realised_on__isnull=False, days_to_value__isnull=True)
    agg = (
        facts.of(scope, user)
        .order_by()
        .aggregate(
            total=spans.rows(),
            owner=spans.rows(Q(has_owner=True)),
            sponsor=spans.rows(Q(has_sponsor=True)),
            kpis_measured=spans.rows(Q(kpi_measured_until__gte=today)),
            not_rejected=spans.rows(~Q(stage="rejected")),
            operational=spans.rows(Q(stage="operational")),
            past_pilot=spans.rows(Q(stage__in=["scaling", "operational"])),
            handed_over=spans.rows(handed_over_q()),
            assessed=spans.rows(~Q(first_assessed_in="")),
            assessed_at=spans.rows(Q(first_assessed_in=first_stage)),
            no_value_yet=spans.rows(
                Q(value_realised_on__isnull=True) & ~Q(stage__in=TERMINAL_DEFAULT),
            ),
            unmeasured=spans.rows(unmeasured_q(today)),
            realised_unknown=spans.rows(undated & Q(proposed_on__isnull=True)),
            realised_partial=spans.rows(undated & Q(proposed_on__isnull=False)),
        )
    )
    return Tally(**{k: v or 0 for k, v in agg.items()})
