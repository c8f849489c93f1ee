"""Review requests and decisions: who must approve a move, and who may.

A tier's approval path names roles and how many of each must approve, and how many
distinct people at least (`min_people`). Who counts as a reviewer depends on the operating
structure (`structure.eligible_scopes`). Nobody in the review's conflict window
(`conflicts.window_for`: owner, sponsor, proposer, requester, assessor, overrider, who
prepared the gate — at any point since the review or its assessment) decides, nobody
fills two slots, voided approvals do not count, and a decision always carries a rationale
and a snapshot of what was decided on and why its reviewer was eligible.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import GateBlocked, InvalidInput, PermissionDenied
from aiom.governance import guards
from aiom.governance.models import APPROVING, Decision, Outcome, ReviewRequest, ReviewStatus
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews import conditions as review_conditions
from aiom.governance.reviews.conflicts import Window, window_for
from aiom.governance.reviews.structure import eligible_scopes
from aiom.lifecycle.gates import facts_for, gate_report
from aiom.organisation.access import Access, access_for
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.portfolio.services import snapshot

MIN_RATIONALE = 20


def eligible_scope(
    access: Access, role: str, structure: str, tier: str, unit_path: str
) -> str | None:
    """The scope in which this person holds `role` for this review ("global" or the unit
    path of the scoped assignment), or None if the structure accepts none of theirs."""
    scopes = eligible_scopes(structure, tier)  # type: ignore[arg-type]
    if "global" in scopes and role in access.global_roles:
        return "global"
    if "unit" in scopes:
        return next((p for p in access.scoped_paths.get(role, ()) if unit_path.startswith(p)), None)
    return None


def conflicted(
    user_id: int | None, review: ReviewRequest, window: Window | None = None
) -> str | None:
    """Why this person is in the review's conflict window ('was the owner; ...'), or None."""
    if user_id is None:
        return None
    return (window or window_for(review)).reason(user_id)


def live_approvals(review: ReviewRequest) -> list[Decision]:
    """Approving decisions that still count (not voided)."""
    return [d for d in review.decisions.all() if d.outcome in APPROVING and d.voided_at is None]


def open_slots(review: ReviewRequest) -> dict[str, int]:
    """Approvals still missing per role."""
    done: dict[str, int] = {}
    for d in live_approvals(review):
        done[d.role] = done.get(d.role, 0) + 1
    return {
        a["role"]: a["count"] - done.get(a["role"], 0)
        for a in review.approvers
        if a["count"] - done.get(a["role"], 0) > 0
    }


def is_approved(review: ReviewRequest) -> bool:
    """Every slot filled and at least `min_people` distinct people approved."""
    people = {d.reviewer_id for d in live_approvals(review)}
    return not open_slots(review) and len(people) >= max(review.min_people, 1)


def _slot_and_scope(
    user: Any, review: ReviewRequest, window: Window | None = None
) -> tuple[str, str] | None:
    access = access_for(user)
    missing = open_slots(review)
    candidates = [a["role"] for a in review.approvers if a["role"] in missing] or [
        a["role"] for a in review.approvers
    ]
    path = review.use_case.org_unit.path
    for role in candidates:
        scope = eligible_scope(access, role, review.structure, review.tier, path)
        if scope is not None:
            if conflicted(user.pk, review, window):
                return None
            return str(role), scope
    return None


def slot_for(user: Any, review: ReviewRequest, window: Window | None = None) -> str | None:
    """The approver role this user would decide in, or None if they may not decide.

    The same judgement as `decide`: a role in an accepted scope, outside the conflict window.
    """
    found = _slot_and_scope(user, review, window)
    return None if found is None else found[0]


@transaction.atomic
def request_review(
    *, actor: audit.Actor, use_case: UseCase, to_stage: str, today: dt.date | None = None
) -> ReviewRequest:
    """Ask the tier's reviewers to approve a move whose other gate checks already pass."""
    uc = (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=use_case.pk)
    )
    if actor is not None and not permissions.can_edit(actor, uc):
        raise PermissionDenied("only the owner, sponsor, unit lead or an administrator may ask")
    today = today or timezone.localdate()
    active = active_policy()
    report = gate_report(active.policy, facts_for(uc, today=today), to_stage)
    if not report.allowed:
        raise GateBlocked(report.failures)
    if not report.needs_approval:
        raise InvalidInput({"to_stage": f"moving to {to_stage} needs no approval: just move it"})
    if not report.checks_pass:
        raise GateBlocked(["Fix these before asking reviewers:", *report.failures])
    if not uc.tier:
        raise GateBlocked(["Assess the risk first: the tier decides who must approve."])
    existing = ReviewRequest.objects.filter(
        use_case=uc,
        from_stage=uc.stage,
        to_stage=to_stage,
        tier=uc.tier,
        status__in=[ReviewStatus.OPEN, ReviewStatus.APPROVED],
    ).first()
    if existing is not None:
        return existing
    path = active.policy.approval_paths[uc.tier]  # type: ignore[index]
    review = ReviewRequest.objects.create(
        use_case=uc,
        from_stage=uc.stage,
        to_stage=to_stage,
        tier=uc.tier,
        structure=active.policy.structure,
        approvers=[{"role": str(a.role), "count": a.count} for a in path.approvers],
        min_people=path.min_people,
        policy_version=active.version,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        due_on=today + dt.timedelta(days=path.sla_days),
        requested_at=moment(today),
    )
    audit.record(
        actor=actor,
        action="request_review",
        obj=uc,
        policy_version=active.version,
        after={
            "review": review.pk,
            "to_stage": to_stage,
            "tier": uc.tier,
            "approvers": review.approvers,
            "min_people": review.min_people,
            "due_on": review.due_on,
        },
        message=f"review requested: {uc.stage} → {to_stage}",
    )
    return review


def _decision_snapshot(
    uc: UseCase, actor: Any, role: str, scope: str, window: Window, said: list[dict[str, Any]]
) -> dict[str, Any]:
    current = uc.assessments.filter(is_current=True).first()
    assessment = (
        None
        if current is None
        else {
            "id": current.pk,
            "tier": current.tier,
            "score": str(current.score),
            "decided_by": current.decided_by,
            "stale": current.stale,
            "policy_version": current.policy_version,
            "lowered_to": current.lowered_to or None,
        }
    )
    names = dict(
        get_user_model().objects.filter(pk__in=list(window.excluded)).values_list("pk", "username")
    )
    eligibility = {
        "reviewer": actor.pk,
        "role": role,
        "scope": scope,
        "checked_against_window": window.record(names),
        **({"guards": said} if said else {}),
    }
    return {"use_case": snapshot(uc), "assessment": assessment, "eligibility": eligibility}


@transaction.atomic
def decide(
    *,
    actor: Any,
    review: ReviewRequest,
    outcome: str,
    rationale: str,
    conditions: review_conditions.Conditions = "",
    today: dt.date | None = None,
) -> Decision:
    """Record one reviewer's decision and settle the review's status under a row lock.

    `today` backdates the decision for imports of history; the audit event keeps real time.
    """
    review = (
        ReviewRequest.objects.select_for_update(of=("self",))
        .select_related(
            "use_case__org_unit", "use_case__owner", "use_case__sponsor", "use_case__theme"
        )
        .get(pk=review.pk)
    )
    uc = review.use_case
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = f"one of {', '.join(Outcome.values)}"
    if len(rationale.strip()) < MIN_RATIONALE:
        errors["rationale"] = f"explain the decision in at least {MIN_RATIONALE} characters"
    specs, problems = review_conditions.clean(
        uc, outcome, conditions, today or timezone.localdate()
    )
    errors.update(problems)
    if review.status != ReviewStatus.OPEN:
        errors["review"] = f"this review is {review.get_status_display().lower()}; it is closed"
    if errors:
        raise InvalidInput(errors)
    window = window_for(review)
    conflict = conflicted(actor.pk, review, window)
    if conflict:
        raise PermissionDenied(
            "nobody decides on a use case they own, sponsor or proposed, or a review they "
            f"took part in; you are in this review's conflict window ({conflict})"
        )
    if review.decisions.filter(reviewer=actor, voided_at__isnull=True).exists():
        raise InvalidInput({"review": "you have already decided on this review"})
    said = guards.require(guards.Deciding(actor, review, today or timezone.localdate()))
    found = _slot_and_scope(actor, review, window)
    if found is None:
        needed = ", ".join(a["role"].replace("_", " ") for a in review.approvers)
        raise PermissionDenied(
            f"this review needs {needed} in a scope the {review.structure} structure accepts "
            f"for the {review.tier} tier; you are not one"
        )
    role, scope = found
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                review=review,
                reviewer=actor,
                reviewer_name=audit.actor_name(actor),
                role=role,
                outcome=outcome,
                rationale=rationale.strip(),
                conditions=review_conditions.summary(specs),
                snapshot=audit.jsonable(_decision_snapshot(uc, actor, role, scope, window, said)),
                policy_version=active_policy().version,
                decided_at=moment(today),
            )
    except IntegrityError as exc:
        raise InvalidInput({"review": "you have already decided on this review"}) from exc
    items = review_conditions.create_for(decision, specs)
    _settle(review, outcome, decision.decided_at)
    audit.record(
        actor=actor,
        action="decision",
        obj=uc,
        policy_version=decision.policy_version,
        after={
            "review": review.pk,
            "outcome": decision.get_outcome_display(),  # in words: the trail is read by people
            "role": role,
            "conditions": decision.conditions,
            **(
                {"condition_items": [review_conditions.snapshot(c) for c in items]} if items else {}
            ),
            "review_status": review.get_status_display(),
        },
        message=f"{decision.get_outcome_display()}: {decision.rationale}",
    )
    return decision


def _settle(review: ReviewRequest, outcome: str, at: dt.datetime) -> None:
    if outcome == Outcome.REJECT:
        review.status = ReviewStatus.REJECTED
    elif outcome == Outcome.REQUEST_CHANGES:
        review.status = ReviewStatus.CHANGES_REQUESTED
    elif is_approved(review):
        review.status = ReviewStatus.APPROVED
    if review.status != ReviewStatus.OPEN:
        review.closed_at = at
    review.save(update_fields=["status", "closed_at"])


@transaction.atomic
def withdraw_review(*, actor: audit.Actor, review: ReviewRequest) -> ReviewRequest:
    review = (
        ReviewRequest.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit")
        .get(pk=review.pk)
    )
    if actor is not None and not permissions.can_edit(actor, review.use_case):
        raise PermissionDenied(
            "only the owner, sponsor, unit lead or an administrator may withdraw"
        )
    if review.status != ReviewStatus.OPEN:
        raise InvalidInput({"review": "only an open review can be withdrawn"})
    review.status, review.closed_at = ReviewStatus.WITHDRAWN, timezone.now()
    review.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor,
        action="withdraw_review",
        obj=review.use_case,
        after={"review": review.pk},
        policy_version=review.policy_version,
    )
    return review
