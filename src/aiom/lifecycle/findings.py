"""What the sweep finds about the lifecycle: stalled pilots, stages past their SLA.

Registered in the sweep from lifecycle's AppConfig.ready() (`aiom.notifications.finders`).
Read-only, a fixed number of queries each, plain `Finding`s with a dedupe key. Day
arithmetic is strict: exactly at an SLA day is not overdue, one day past is.
"""

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from aiom.core.date_periods import before_q, end_of
from aiom.core.partial_dates import Precision, shown
from aiom.governance.policy.schema import Policy
from aiom.lifecycle.models import PilotDecision, PilotPlan
from aiom.notifications import finders
from aiom.notifications.findings import (
    PEOPLE,
    UC_PEOPLE,
    Finding,
    day_count,
    finding,
    stage_label,
)
from aiom.notifications.models import NoticeKind
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole


def stalled_pilots(today: dt.date, policy: Policy) -> list[Finding]:
    """In pilot, past the plan's end date, neither scaled nor stopped.

    An extension is not a decision: the extended pilot stalls again at its new end date,
    and that is a new event (the end date is part of the key).
    """
    plans = (
        PilotPlan.objects.filter(
            use_case__stage=policy.stage_with_role(StageRole.PILOT).key, ends_on__lt=today
        )
        .exclude(decision__in=[PilotDecision.SCALE, PilotDecision.STOP])
        .select_related(*UC_PEOPLE)
        .order_by("ends_on", "id")
    )
    out = []
    for plan in plans:
        uc, late = plan.use_case, (today - plan.ends_on).days
        text = (
            f"The pilot of “{uc.title}” ended on {plan.ends_on} ({day_count(late)} ago) and no "
            f"decision has been recorded. A decision is due: scale, extend once with a "
            f"reason, or stop. Extensions so far: {len(plan.extensions or [])}."
        )
        key, subject = f"stalled_pilot:uc={uc.pk}:ends={plan.ends_on}", f"Pilot stalled: {uc.title}"
        kind = NoticeKind.STALLED_PILOT
        out.append(finding(kind, key, uc, subject, text, ends_on=plan.ends_on, days_late=late))
    return out


def overdue_stages(today: dt.date, policy: Policy) -> list[Finding]:
    """Use cases in a stage with an SLA for certainly longer than it allows.

    Terminal stages never are; re-entering a stage later is a new event (entry date in key).
    An unknown entry day is never overdue (no notice: the dwell figure counts them apart);
    an entry known only to its month, quarter or year is when even its period's last day
    is more than the SLA ago, and the notice says how long at least.
    """
    limits = {s.key: s.sla_days for s in policy.stages if s.sla_days and not s.terminal}
    if not limits:
        return []
    late = reduce(
        or_,
        (
            Q(stage=k)
            & before_q("stage_entered_on", "stage_entered_precision", today - dt.timedelta(days=d))
            for k, d in limits.items()
        ),
    )
    rows = UseCase.objects.filter(late).select_related(*PEOPLE).order_by("stage_entered_on", "id")
    out = []
    for uc in rows:
        if uc.stage_entered_on is None:  # never: before_q needs a day
            continue
        precision = uc.stage_entered_precision
        by_day = precision == Precision.DAY
        last = end_of(uc.stage_entered_on, precision)
        days, sla = (today - last).days, limits[uc.stage]
        label = stage_label(policy, uc.stage)
        since = shown(uc.stage_entered_on, precision)
        at_least = "" if by_day else "at least "
        text = (
            f"“{uc.title}” has been in {label} since {since}: {at_least}{day_count(days)}, "
            f"{at_least}{day_count(days - sla)} past the policy's SLA of {day_count(sla)} for this "
            "stage."
        )
        key = f"stage_overdue:uc={uc.pk}:stage={uc.stage}:entered={uc.stage_entered_on}"
        facts: dict[str, Any] = {"stage": uc.stage, "entered_on": uc.stage_entered_on}
        facts.update(days_in_stage=days, sla_days=sla)
        if not by_day:
            facts.update(entered_precision=precision, days_in_stage_at_least=True)
        subject = f"{label} SLA exceeded: {uc.title}"
        out.append(finding(NoticeKind.STAGE_OVERDUE, key, uc, subject, text, **facts))
    return out


def register() -> None:
    """Put lifecycle's finders in the sweep (called from lifecycle's ready())."""
    finders.register(NoticeKind.STALLED_PILOT, stalled_pilots, order=10)
    finders.register(NoticeKind.STAGE_OVERDUE, overdue_stages, order=30)
