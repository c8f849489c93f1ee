"""What the use-case page and the API show of a use case's lifecycle: a read model.

The stage track (done / current / ahead, with dates), the gate report for each move the
policy allows from here, and the review that each move needing approval has, if any.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from aiom.core.date_periods import before
from aiom.core.partial_dates import Precision
from aiom.governance.models import ReviewRequest, ReviewStatus
from aiom.governance.policy.versions import ActivePolicy, active_policy
from aiom.lifecycle import exit_criteria
from aiom.lifecycle.exit_criteria import CriterionResult, judge_all
from aiom.lifecycle.gates import GateReport, facts_for, gate_report
from aiom.lifecycle.models import GateOverride, PilotPlan, StageChange
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import IN_USE_ROLES, StageRole
from aiom.value.models import KPI


@dataclass(frozen=True)
class TrackStep:
    key: str
    label: str
    state: str  # done, current, ahead, exit
    entered_on: dt.date | None
    sla_days: int | None
    entered_precision: str = Precision.DAY  # an import's entry may be a month, a year


@dataclass(frozen=True)
class NextMove:
    report: GateReport
    label: str
    exit: bool
    review: ReviewRequest | None

    @property
    def ready(self) -> bool:
        """Everything the gate asks is there, approvals included."""
        approved = self.review is not None and self.review.status == ReviewStatus.APPROVED
        return self.report.checks_pass and (not self.report.needs_approval or approved)


@dataclass(frozen=True)
class Overview:
    policy_version: int
    track: list[TrackStep]
    moves: list[NextMove]
    history: list[StageChange]
    plan: PilotPlan | None
    criteria: list[CriterionResult]
    overrides: list[GateOverride]
    days_in_stage: int | None  # None: the entry day is unknown or known only to a period
    sla_days: int | None
    pilot_stalled: bool
    entered_on: dt.date | None = None  # None: unknown ("in this stage since: unknown")
    entered_precision: str = Precision.DAY
    today: dt.date | None = None
    plannable: bool = False  # in a stage where the policy lets a pilot be planned
    piloting: bool = False  # in the policy's pilot stage

    @property
    def over_sla(self) -> bool:
        """Certainly longer in the stage than its SLA: never when the entry day is
        unknown, and for an entry known only to its month, quarter or year only when
        even the period's last day is more than the SLA ago."""
        if self.sla_days is None or self.today is None:
            return False
        cutoff = self.today - dt.timedelta(days=self.sla_days)
        return before(self.entered_on, self.entered_precision, cutoff) is True


def overview(
    uc: UseCase, *, today: dt.date | None = None, active: ActivePolicy | None = None
) -> Overview:
    today = today or timezone.localdate()
    active = active or active_policy()
    policy = active.policy
    history = list(uc.stage_changes.order_by("at", "id"))
    entered = {c.to_stage: (c.on, c.on_precision) for c in history}
    order = [s.key for s in policy.stages if not s.terminal]
    here = order.index(uc.stage) if uc.stage in order else len(order)
    track = []
    for i, s in enumerate(policy.stages):
        if s.terminal and s.key != uc.stage:
            continue
        if s.key == uc.stage:
            state = "exit" if s.terminal and s.role != StageRole.RETIRED else "current"
        else:
            state = "done" if i < here else "ahead"
        on, precision = entered.get(s.key, (None, Precision.DAY))
        track.append(TrackStep(s.key, s.label, state, on, s.sla_days, precision))
    plan = PilotPlan.objects.filter(use_case=uc).first()
    facts = facts_for(
        uc,
        today=today,
        assessment=uc.assessments.filter(is_current=True).first(),
        plan=plan,
        kpis=KPI.objects.filter(use_case=uc, is_active=True),
        load=False,
    )
    reviews = {
        r.to_stage: r
        for r in ReviewRequest.objects.filter(use_case=uc, from_stage=uc.stage)
        .exclude(status__in=[ReviewStatus.USED, ReviewStatus.WITHDRAWN])
        .prefetch_related("decisions")
        .order_by("requested_at")
    }
    moves = []
    for target in policy.targets(uc.stage):
        stage = policy.stage(target)
        moves.append(
            NextMove(
                report=gate_report(policy, facts, target),
                label=stage.label if stage else target,
                exit=bool(stage and stage.terminal),
                review=reviews.get(target),
            )
        )
    current = policy.stage(uc.stage)
    pilot_stage = policy.stage_with_role(StageRole.PILOT).key
    pilot = facts.pilot
    criteria = (
        judge_all(pilot.criteria, facts.extra.get(exit_criteria.FACTS_KEY) or {})
        if pilot and uc.stage in policy.stages_with_role(*IN_USE_ROLES)
        else []
    )
    return Overview(
        policy_version=active.version,
        track=track,
        moves=moves,
        history=history,
        plan=plan,
        criteria=criteria,
        overrides=list(
            GateOverride.objects.filter(use_case=uc).select_related("stage_change")[:20]
        ),
        days_in_stage=(
            uc.days_in_stage(today) if uc.stage_entered_precision == Precision.DAY else None
        ),
        sla_days=current.sla_days if current else None,
        pilot_stalled=bool(plan and plan.is_stalled(today, piloting=uc.stage == pilot_stage)),
        entered_on=uc.stage_entered_on,
        entered_precision=uc.stage_entered_precision,
        today=today,
        plannable=uc.stage in policy.pilot_planning_stages(),
        piloting=uc.stage == pilot_stage,
    )
