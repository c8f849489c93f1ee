"""Risk assessments: answering the policy's questionnaire, overriding a tier, going stale.

Every write scores with the ACTIVE policy and records its version on the row and on the
audit event. The use case row is locked first, so two assessments of one use case cannot
both end up current. Answers that contradict the use case's recorded facts are refused
(`consistency`), a lower tier waits for a second person (`tier_confirmation`), and a new
assessment or a material change voids the approvals given on the old one (`voiding`).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.assessments.consistency import contradictions, corrected_facts
from aiom.governance.assessments.scoring import answer_problems, score
from aiom.governance.assessments.tier_confirmation import lowers, propose
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.schema import TIERS, Policy
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews.voiding import void_approvals
from aiom.organisation.access import access_for
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.portfolio.services import update_use_case

MIN_JUSTIFICATION = 20
FACTS = ("personal_data", "customer_facing", "automated_decisions", "environment")
FLAG_FACTS = ("personal_data", "customer_facing", "automated_decisions")


def current_assessment(use_case: UseCase) -> RiskAssessment | None:
    """The use case's current assessment (possibly stale), or None if never assessed."""
    return (
        RiskAssessment.objects.filter(use_case_id=use_case.pk, is_current=True)
        .select_related("assessed_by", "override_by", "lowered_by", "lowering_confirmed_by")
        .first()
    )


def can_assess(user: audit.Actor, use_case: UseCase) -> bool:
    """Who may edit the use case, a risk or compliance reviewer covering its unit, admins."""
    access = access_for(user)
    if not access.is_internal:
        return False
    return (
        access.is_admin
        or permissions.can_edit(user, use_case)
        or permissions.can_review(user, use_case)
    )


def can_override(user: audit.Actor, use_case: UseCase, policy: Policy) -> bool:
    """Holders of the policy's override roles (globally or over the unit), and admins.

    Segregation of duties: nobody overrides the tier of a use case they own or sponsor.
    """
    access = access_for(user)
    if not access.is_internal or access.user_id in (use_case.owner_id, use_case.sponsor_id):
        return False
    path = use_case.org_unit.path
    return access.is_admin or any(access.has_role(r, path) for r in policy.override_roles)


def _terminal(policy: Policy, stage_key: str) -> bool:
    stage = policy.stage(stage_key)
    return stage is not None and stage.terminal


def _plain(answers: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Lists for sequences, strings for the rest; None (unanswered) is left out."""
    out: dict[str, str | list[str]] = {}
    for key, value in answers.items():
        if isinstance(value, list | tuple):
            out[str(key)] = [str(v) for v in value]
        elif value is not None:
            out[str(key)] = str(value)
    return out


def _normalised(policy: Policy, answers: Mapping[str, str | list[str]]) -> dict[str, Any]:
    """Single answers as a key, multiple as a de-duplicated list in the policy's order."""
    out: dict[str, Any] = {}
    for q in policy.questionnaire:
        given = answers[q.key]
        chosen = given if isinstance(given, list) else [given]
        if q.type == "single":
            out[q.key] = chosen[0]
        else:
            out[q.key] = [a.key for a in q.answers if a.key in chosen]
    return out


def _state(uc_tier: str, a: RiskAssessment | None) -> dict[str, Any]:
    return {
        "tier": uc_tier or None,
        "score": None if a is None else str(a.score),
        "stale": None if a is None else a.stale,
    }


def _reconcile_facts(
    *, actor: audit.Actor, uc: UseCase, policy: Policy, answers: Mapping[str, Any], fix: bool
) -> None:
    """Refuse answers that contradict the recorded facts, or (`fix`) correct the facts.

    The correction goes through `update_use_case` in the caller's transaction: the same
    audited write, with its own event and its material-change consequences.
    """
    facts = {f: getattr(uc, f) for f in FLAG_FACTS}
    found = contradictions(policy.consistency, facts, answers)
    if not found:
        return
    if not fix:
        errors: dict[str, str] = {}
        for c in found:
            errors[c.question] = c.message(policy)
            errors[f"use_case.{c.fact}"] = (
                f"recorded as {str(c.value).lower()}, which the answer to {c.question} contradicts"
            )
        raise InvalidInput(errors)
    fixed = corrected_facts(policy.consistency, facts, answers)
    if fixed is None:
        raise InvalidInput({c.question: c.message(policy) for c in found})
    updated = update_use_case(
        actor=actor, use_case=uc, message="facts corrected with the risk assessment", **fixed
    )
    for fact, value in fixed.items():
        setattr(uc, fact, value)
    uc.version = updated.version


@transaction.atomic
def assess(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    answers: Mapping[str, str | Sequence[str]],
    today: dt.date | None = None,
    update_facts: bool = False,
) -> RiskAssessment:
    """Score answers with the active policy; the new assessment becomes the current one.

    Answers that contradict the use case's recorded facts (the policy's `consistency`) are
    refused naming both, unless `update_facts` corrects the facts in the same write. A
    computed tier below the one in force is only proposed (`lowered_to`) until a second
    person confirms it. The approvals given on the previous assessment are voided.

    `today` backdates it when history is imported; the audit event keeps the real time.

    Refuses (InvalidInput keyed by question key) unanswered or unknown answers, and any
    assessment of a use case in a terminal stage. A multiple-choice answer may be a list,
    a tuple or a single key.
    """
    given = _plain(answers)
    uc = UseCase.objects.select_for_update(of=("self",)).with_relations().get(pk=use_case.pk)
    if actor is not None and not can_assess(actor, uc):
        raise PermissionDenied(
            "only those who may edit the use case, its risk or compliance reviewers, "
            "or an administrator may assess it"
        )
    active = active_policy()
    policy = active.policy
    if _terminal(policy, uc.stage):
        raise InvalidInput({"stage": f"a use case in the {uc.stage} stage cannot be assessed"})
    problems = answer_problems(policy, given)
    if problems:
        raise InvalidInput(problems)
    clean = _normalised(policy, given)
    _reconcile_facts(actor=actor, uc=uc, policy=policy, answers=clean, fix=update_facts)
    scored = score(policy, clean)
    previous = RiskAssessment.objects.filter(use_case=uc, is_current=True).first()
    before = _state(uc.tier, previous)
    governing = uc.tier
    held = not scored.prohibited and lowers(scored.computed_tier, governing)
    RiskAssessment.objects.filter(use_case=uc, is_current=True).update(is_current=False)
    row = RiskAssessment(
        use_case=uc,
        answers=clean,
        section_scores=scored.section_scores,
        impact_raw=scored.impact_raw,
        impact_max=scored.impact_max,
        mitigation_raw=scored.mitigation_raw,
        mitigation_max=scored.mitigation_max,
        score=scored.score,
        computed_tier=scored.computed_tier,
        tier=governing if held else scored.computed_tier,
        decided_by=scored.decided_by,
        prohibited=scored.prohibited,
        prohibited_reasons=list(scored.prohibited_reasons),
        duties=list(scored.duties),
        policy_version=active.version,
        stage_at_assessment=uc.stage,
        assessed_by=actor if actor is not None and actor.is_authenticated else None,
        assessed_at=moment(today),
    )
    if held:
        propose(row, actor, scored.computed_tier)
    row.save(force_insert=True)
    first = (
        RiskAssessment.objects.filter(use_case=uc)
        .order_by("assessed_at", "id")
        .values_list("stage_at_assessment", flat=True)
        .first()
    )
    UseCase.objects.filter(pk=uc.pk).update(tier=row.tier, first_assessed_in=first or "")
    use_case.tier = uc.tier = row.tier
    use_case.first_assessed_in = uc.first_assessed_in = first or ""
    after = _state(row.tier, row) | {
        "computed_tier": row.computed_tier,
        "prohibited": row.prohibited,
        "assessment": row.pk,
        "lowered_to": row.lowered_to or None,
    }
    audit.record(
        actor=actor,
        action="assess",
        obj=uc,
        before=before,
        after=after,
        message=row.decided_by
        + (
            f" — the lower tier {row.lowered_to} awaits a second person's confirmation; "
            f"{row.tier} governs until then"
            if held
            else ""
        ),
        policy_version=active.version,
    )
    if previous is not None:
        void_approvals(
            actor=actor,
            use_case=uc,
            reason=f"the use case was re-assessed (assessment #{row.pk})",
            policy_version=active.version,
        )
    return row


@transaction.atomic
def override_tier(
    *, actor: audit.Actor, assessment: RiskAssessment, tier: str, justification: str
) -> RiskAssessment:
    """Set a different tier on the current assessment, keeping the computed one.

    A prohibited practice stays blocked: no override can lift it. The justification is
    mandatory and shown to the business, so it must say why in at least 20 characters.
    An override that lowers the tier is only proposed until a second person confirms it
    (`tier_confirmation`); one that raises it takes effect at once.
    """
    uc = (
        UseCase.objects.select_for_update(of=("self",))
        .with_relations()
        .get(pk=assessment.use_case_id)
    )
    active = active_policy()
    if actor is not None and not can_override(actor, uc, active.policy):
        roles = ", ".join(active.policy.override_roles) or "no role"
        raise PermissionDenied(
            f"only {roles} (not the use case's owner or sponsor) or an administrator "
            "may override a risk tier"
        )
    row = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    errors: dict[str, str] = {}
    text = (justification or "").strip()
    if not row.is_current:
        errors["assessment"] = "only the current assessment can be overridden"
    elif row.stale:
        errors["assessment"] = f"the assessment is stale ({row.stale_reason}); re-assess first"
    elif _terminal(active.policy, uc.stage):
        errors["assessment"] = f"a use case in the {uc.stage} stage cannot be re-tiered"
    if row.prohibited:
        errors["tier"] = (
            "a prohibited practice blocks this use case whatever its tier; "
            "an override cannot lift it"
        )
    elif tier not in TIERS:
        errors["tier"] = f"'{tier}' is not one of {', '.join(TIERS)}"
    elif tier == row.tier:
        errors["tier"] = f"the tier is already {tier}"
    elif tier == row.lowered_to:
        errors["tier"] = f"{tier} is already proposed and awaits confirmation"
    if len(text) < MIN_JUSTIFICATION:
        errors["justification"] = (
            f"say why the tier should differ from the computed one, in at least "
            f"{MIN_JUSTIFICATION} characters (got {len(text)})"
        )
    if errors:
        raise InvalidInput(errors)
    before = {
        "tier": row.tier,
        "override_justification": row.override_justification,
        "lowered_to": row.lowered_to or None,
    }
    held = lowers(tier, row.tier)
    if held:  # only proposed: the higher tier governs until a second person confirms
        propose(row, actor, tier)
    else:
        row.tier, row.lowered_to = tier, ""
    row.override_by = actor if actor is not None and actor.is_authenticated else None
    row.override_justification = text
    row.save(
        update_fields=[
            "tier",
            "override_by",
            "override_justification",
            "lowered_to",
            "lowered_by",
            "lowered_at",
        ]
    )
    UseCase.objects.filter(pk=uc.pk).update(tier=row.tier)
    assessment.tier, assessment.override_by = row.tier, row.override_by
    assessment.override_justification, assessment.lowered_to = text, row.lowered_to
    audit.record(
        actor=actor,
        action="override_tier",
        obj=uc,
        before=before,
        after={
            "tier": row.tier,
            "computed_tier": row.computed_tier,
            "override_justification": text,
            "lowered_to": row.lowered_to or None,
            "assessment": row.pk,
        },
        message=text,
        policy_version=active.version,
    )
    return row


def fired_changes(policy: Policy, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The reasons of the policy's material changes that this before → after makes true."""
    return [
        mc.reason
        for mc in policy.material_changes
        if after.get(mc.fact) == mc.becomes and before.get(mc.fact) != mc.becomes
    ]


def on_facts_changed(
    *, actor: audit.Actor, use_case: UseCase, before: Mapping[str, Any], after: Mapping[str, Any]
) -> str | None:
    """Mark the current assessment stale if a material change fired; return the reason.

    Runs inside the caller's transaction (update_use_case). Costs no query unless one of
    the risk facts changed; an already stale or missing assessment is left as it is. The
    approvals given before the change are voided either way.
    """
    if all(before.get(f) == after.get(f) for f in FACTS):
        return None
    active = active_policy()
    reasons = fired_changes(active.policy, before, after)
    if not reasons:
        return None
    reason = "; ".join(reasons)
    void_approvals(
        actor=actor,
        use_case=use_case,
        reason=f"a material change: {reason}",
        policy_version=active.version,
    )
    return mark_stale(actor=actor, use_case=use_case, reason=reason, policy_version=active.version)


def mark_stale(
    *, actor: audit.Actor, use_case: UseCase, reason: str, policy_version: int | None = None
) -> str | None:
    """Re-open the current assessment for `reason` (a material change); return the reason.

    Runs inside the caller's transaction (a savepoint); an already stale or missing
    assessment is left as it is and None is returned.
    """
    if policy_version is None:
        policy_version = active_policy().version
    with transaction.atomic():  # a savepoint inside the caller's transaction
        row = (
            RiskAssessment.objects.select_for_update()
            .filter(use_case_id=use_case.pk, is_current=True, stale=False)
            .first()
        )
        if row is None:
            return None
        row.stale, row.stale_reason, row.stale_since = True, reason, timezone.now()
        row.save(update_fields=["stale", "stale_reason", "stale_since"])
        audit.record(
            actor=actor,
            action="assessment_stale",
            obj=use_case,
            before={"stale": False, "assessment": row.pk},
            after={"stale": True, "stale_reason": reason, "assessment": row.pk},
            message=f"Risk assessment re-opened: {reason}.",
            policy_version=policy_version,
        )
    return reason
