"""Moving use cases through the lifecycle, and their pilots. One service per move.

`transition` is the engine: look the move up in the active policy, run the gate's checks,
require the tier's approvals when the gate says so, then write the stage change, the use
case's new stage and the audit event in one transaction — or refuse with every reason.
"""

import datetime as dt
import math
from typing import Any

from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import GateBlocked, InvalidInput, PermissionDenied
from aiom.core.partial_dates import Precision
from aiom.governance.models import ReviewRequest, ReviewStatus
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle import guards, overrides
from aiom.lifecycle.exit_criteria import target_worse_than_baseline
from aiom.lifecycle.gates import facts_for, gate_report
from aiom.lifecycle.models import PilotDecision, PilotPlan, StageChange
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole


def _lock(use_case: UseCase) -> UseCase:
    return (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("org_unit", "owner", "sponsor")
        .get(pk=use_case.pk)
    )


def _require_editor(actor: audit.Actor, uc: UseCase, what: str) -> None:
    if actor is not None and not permissions.can_edit(actor, uc):
        raise PermissionDenied(f"only the owner, sponsor, unit lead or an administrator may {what}")


def record_entry(*, actor: audit.Actor, use_case: UseCase, reason: str = "") -> StageChange:
    """The first stage change of a new (or imported) use case; part of its creation."""
    return StageChange.objects.create(
        use_case=use_case,
        from_stage="",
        to_stage=use_case.stage,
        on=use_case.stage_entered_on,
        on_precision=use_case.stage_entered_precision,
        at=moment(use_case.stage_entered_on),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=audit.actor_name(actor),
        reason=reason or "proposed",
        policy_version=active_policy().version,
    )


def approved_review(uc: UseCase, to_stage: str) -> ReviewRequest | None:
    return (
        ReviewRequest.objects.select_for_update()
        .filter(use_case=uc, from_stage=uc.stage, to_stage=to_stage, status=ReviewStatus.APPROVED)
        .order_by("-requested_at")
        .first()
    )


@transaction.atomic
def transition(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    to_stage: str,
    reason: str = "",
    today: dt.date | None = None,
) -> StageChange:
    """Move a use case to `to_stage`, or raise GateBlocked listing every failing reason."""
    uc = _lock(use_case)
    _require_editor(actor, uc, "move a use case through its lifecycle")
    today = today or timezone.localdate()
    active = active_policy()
    report = gate_report(active.policy, facts_for(uc, today=today), to_stage)
    reasons = report.failures
    if report.allowed and report.reason_required and len(reason.strip()) < 10:
        reasons.append("Say why, in at least 10 characters: this move needs a reason.")
    review = None
    if report.allowed and report.needs_approval:
        review = approved_review(uc, to_stage)
        if review is None:
            path = active.policy.approval_paths.get(uc.tier) if uc.tier else None  # type: ignore[call-overload]
            who = (
                ", ".join(f"{a.count} {a.role.label.lower()}" for a in path.approvers)
                if path
                else "reviewers"
            )
            reasons.append(
                f"Needs the approval of the {uc.tier or 'unassessed'} tier ({who}): "
                "request a review."
            )
        elif review.tier != uc.tier:
            reasons.append(
                f"The approval was given for the {review.tier} tier but the use case is "
                f"now {uc.tier}: request a new review."
            )
            review = None
    target = active.policy.stage(to_stage)
    said = (
        guards.judge(guards.Move(uc, to_stage, bool(target and target.terminal), today))
        if report.allowed
        else []
    )
    reasons.extend(s.reason for s in said if not s.passed)
    if reasons:
        raise GateBlocked(reasons)
    from_stage = uc.stage
    _pilot_bookkeeping(active.policy, uc, from_stage, to_stage, today)
    change = StageChange.objects.create(
        use_case=uc,
        from_stage=from_stage,
        to_stage=to_stage,
        on=today,
        at=moment(today),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=audit.actor_name(actor),
        reason=reason.strip(),
        policy_version=active.version,
        review=review,
        checks=[
            {
                "check": r.check,
                "passed": r.passed,
                "reason": r.reason,
                **({"details": list(r.details)} if r.details else {}),
                **({"overridden": r.overridden} if r.overridden else {}),
            }
            for r in report.results
        ]
        + [s.record() for s in said],
    )
    closed = overrides.close_open(uc, from_stage, change)
    before = {"stage": from_stage, "stage_entered_on": uc.stage_entered_on, "version": uc.version}
    uc.stage, uc.stage_entered_on = to_stage, today
    uc.stage_entered_precision = Precision.DAY  # aiom saw the move: known to the day
    uc.version += 1
    uc.updated_at = timezone.now()
    entered = ["stage", "stage_entered_on", "stage_entered_precision"]
    uc.save(update_fields=[*entered, "version", "updated_at"])
    if review is not None:
        review.status, review.closed_at = ReviewStatus.USED, timezone.now()
        review.save(update_fields=["status", "closed_at"])
    stage = active.policy.stage(to_stage)
    if stage is not None and stage.terminal:
        ReviewRequest.objects.filter(use_case=uc, status=ReviewStatus.OPEN).update(
            status=ReviewStatus.WITHDRAWN, closed_at=timezone.now()
        )
    audit.record(
        actor=actor,
        action="transition",
        obj=uc,
        before=before,
        after={
            "stage": to_stage,
            "stage_entered_on": today,
            "version": uc.version,
            **({"overrides": closed} if closed else {}),
        },
        message=reason.strip() or f"{from_stage} → {to_stage}",
        policy_version=active.version,
    )
    return change


def _pilot_bookkeeping(
    policy: Policy, uc: UseCase, from_stage: str, to_stage: str, today: dt.date
) -> None:
    plan = PilotPlan.objects.filter(use_case=uc).first()
    if plan is None:
        return
    pilot = policy.stage_with_role(StageRole.PILOT).key
    if to_stage == pilot:
        plan.starts_on, plan.decision, plan.decided_on = today, "", None
    elif from_stage == pilot:
        scaled = to_stage == policy.stage_with_role(StageRole.SCALING).key
        plan.decision = PilotDecision.SCALE if scaled else PilotDecision.STOP
        plan.decided_on = today
    else:
        return
    plan.updated_at = timezone.now()
    plan.save()


def _clean_criteria(criteria: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(criteria, list) or not criteria:
        errors["exit_criteria"] = "at least one measurable exit criterion is needed"
        return []
    cleaned = []
    for i, c in enumerate(criteria):
        if not isinstance(c, dict) or not str(c.get("metric", "")).strip():
            errors[f"exit_criteria[{i}]"] = "each criterion needs a metric"
            continue
        try:
            target = float(c["target"])
            baseline = None if c.get("baseline") in (None, "") else float(c["baseline"])
        except (KeyError, TypeError, ValueError):
            errors[f"exit_criteria[{i}]"] = "target (and baseline, if given) must be numbers"
            continue
        if not all(math.isfinite(n) for n in (target, baseline) if n is not None):
            errors[f"exit_criteria[{i}]"] = "target (and baseline, if given) must be finite numbers"
            continue
        direction = c.get("direction") or "higher"
        if direction not in ("higher", "lower"):
            errors[f"exit_criteria[{i}]"] = "direction is 'higher' or 'lower' (which is better)"
            continue
        if target_worse_than_baseline(baseline, target, direction):
            better = "above" if direction == "higher" else "below"
            errors[f"exit_criteria[{i}]"] = (
                f"“{str(c['metric']).strip()[:200]}”: the target {target:g} is worse than the "
                f"baseline {baseline:g} ({direction} is better: aim {better} the baseline)"
            )
            continue
        cleaned.append(
            {
                "metric": str(c["metric"]).strip()[:200],
                "baseline": baseline,
                "target": target,
                "unit": str(c.get("unit", ""))[:40],
                "direction": direction,
            }
        )
    return cleaned


@transaction.atomic
def plan_pilot(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    exit_criteria: list[dict[str, Any]],
    ends_on: dt.date,
    today: dt.date | None = None,
) -> PilotPlan:
    """Fix a pilot's exit criteria and end date before it starts (not once it runs)."""
    uc = _lock(use_case)
    _require_editor(actor, uc, "plan a pilot")
    today = today or timezone.localdate()
    active = active_policy()
    errors: dict[str, str] = {}
    planning = active.policy.pilot_planning_stages()
    if uc.stage not in planning:
        labels = " or ".join(active.policy.label(key) for key in planning)
        errors["stage"] = f"a pilot is planned in {labels.lower()}, before it starts"
    criteria = _clean_criteria(exit_criteria, errors)
    longest = active.policy.pilot.max_days
    if ends_on <= today:
        errors["ends_on"] = "the end date must be in the future"
    elif (ends_on - today).days > longest:
        errors["ends_on"] = f"a pilot may run at most {longest} days under the policy"
    if errors:
        raise InvalidInput(errors)
    plan = PilotPlan.objects.filter(use_case=uc).first()
    before = (
        None if plan is None else {"exit_criteria": plan.exit_criteria, "ends_on": plan.ends_on}
    )
    if before == {"exit_criteria": criteria, "ends_on": ends_on}:
        assert plan is not None
        return plan  # saved unchanged: no save, no event
    if plan is None:
        plan = PilotPlan(use_case=uc)
    plan.exit_criteria, plan.ends_on, plan.original_ends_on = criteria, ends_on, ends_on
    plan.extensions, plan.policy_version, plan.updated_at = [], active.version, timezone.now()
    plan.save()
    audit.record(
        actor=actor,
        action="plan_pilot",
        obj=uc,
        before=before,
        after={"exit_criteria": criteria, "ends_on": ends_on},
        policy_version=active.version,
    )
    return plan


@transaction.atomic
def extend_pilot(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    ends_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> PilotPlan:
    """Push a running pilot's end date out, within the policy's count and length limits."""
    uc = _lock(use_case)
    _require_editor(actor, uc, "extend a pilot")
    active = active_policy()
    limits = active.policy.pilot
    plan = PilotPlan.objects.select_for_update().filter(use_case=uc).first()
    if uc.stage != active.policy.stage_with_role(StageRole.PILOT).key or plan is None:
        raise InvalidInput({"stage": "only a running pilot can be extended"})
    errors: dict[str, str] = {}
    if len(plan.extensions) >= limits.max_extensions:
        errors["ends_on"] = (
            f"the policy allows {limits.max_extensions} extension(s); decide now: scale or stop"
        )
    elif ends_on <= plan.ends_on:
        errors["ends_on"] = f"the new end date must come after {plan.ends_on:%d %b %Y}"
    elif (ends_on - plan.ends_on).days > limits.extension_max_days:
        errors["ends_on"] = f"an extension may add at most {limits.extension_max_days} days"
    if len(reason.strip()) < 10:
        errors["reason"] = "say why the pilot needs more time (at least 10 characters)"
    if errors:
        raise InvalidInput(errors)
    before = {"ends_on": plan.ends_on, "extensions": len(plan.extensions)}
    plan.extensions = [
        *plan.extensions,
        {
            "from": plan.ends_on.isoformat(),
            "to": ends_on.isoformat(),
            "reason": reason.strip(),
            "by": audit.actor_name(actor),
            "on": (today or timezone.localdate()).isoformat(),
        },
    ]
    plan.ends_on, plan.updated_at = ends_on, timezone.now()
    plan.save()
    audit.record(
        actor=actor,
        action="extend_pilot",
        obj=uc,
        before=before,
        after={"ends_on": ends_on, "extensions": len(plan.extensions)},
        message=reason.strip(),
        policy_version=active.version,
    )
    return plan
