"""A lower risk tier takes effect only once a second person confirms it.

Lowering the tier lowers the bar every later control measures against (gates, approval
paths, review cadence), so whoever lowers it — by re-assessing or by overriding — only
proposes: the assessment keeps the higher tier in `tier` (which governs) and the proposal
in `lowered_to`, until someone else holding one of the policy's override roles or a
reviewer role over the use case's unit confirms or rejects it. Raising a tier is never
held back.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.schema import TIERS, Policy
from aiom.governance.policy.versions import active_policy
from aiom.organisation.access import access_for
from aiom.organisation.models import REVIEWER_ROLES
from aiom.portfolio.models import UseCase

MIN_REASON = 20


def lowers(new: str, governing: str) -> bool:
    """Would `new` lower the tier in force? (Nothing in force: nothing to lower.)"""
    return governing in TIERS and new in TIERS and TIERS.index(new) < TIERS.index(governing)


def confirm_roles(policy: Policy) -> set[str]:
    return {str(r) for r in policy.override_roles} | {str(r) for r in REVIEWER_ROLES}


def why_not_confirm(
    user: Any, row: RiskAssessment | None, uc: UseCase, policy: Policy
) -> str | None:
    """Why this person may not confirm or reject the pending lowering, or None if they may.

    Without a row, only the role is judged (who may confirm lowerings on this use case).
    """
    access = access_for(user)
    roles = sorted(confirm_roles(policy))
    if not access.is_internal or not any(access.has_role(r, uc.org_unit.path) for r in roles):
        return f"only a {' or '.join(r.replace('_', ' ') for r in roles)} over its unit may"
    if row is None:
        return None
    involved = [
        (row.lowered_by_id, "you proposed the lower tier"),
        (row.assessed_by_id, "you answered this assessment"),
        (row.override_by_id, "you overrode the tier"),
        (uc.owner_id, "you own the use case"),
        (uc.sponsor_id, "you sponsor the use case"),
        (uc.proposed_by_id, "you proposed the use case"),
    ]
    return next((why for pk, why in involved if pk is not None and pk == access.user_id), None)


def pending_lowerings(use_cases: QuerySet[UseCase]) -> QuerySet[RiskAssessment]:
    """Current assessments among these use cases with a lower tier awaiting confirmation."""
    return (
        RiskAssessment.objects.filter(use_case__in=use_cases.values("pk"), is_current=True)
        .exclude(lowered_to="")
        .select_related("use_case__org_unit", "lowered_by", "assessed_by", "override_by")
        .order_by("lowered_at", "pk")
    )


def _pending(actor: audit.Actor, use_case: UseCase) -> tuple[UseCase, RiskAssessment, Any]:
    uc = UseCase.objects.select_for_update(of=("self",)).with_relations().get(pk=use_case.pk)
    active = active_policy()
    row = (
        RiskAssessment.objects.select_for_update()
        .filter(use_case=uc, is_current=True)
        .exclude(lowered_to="")
        .first()
    )
    if actor is not None:
        why = why_not_confirm(actor, row, uc, active.policy)
        if why:
            raise PermissionDenied(f"a lower tier needs a second person to confirm it: {why}")
    if row is None:
        raise InvalidInput({"assessment": "no lower tier is awaiting confirmation"})
    if row.stale:
        raise InvalidInput(
            {"assessment": f"the assessment is stale ({row.stale_reason}); re-assess"}
        )
    return uc, row, active


@transaction.atomic
def confirm_lowering(*, actor: audit.Actor, use_case: UseCase) -> RiskAssessment:
    """The second person agrees: the lower tier takes effect."""
    uc, row, active = _pending(actor, use_case)
    before = {"tier": row.tier, "lowered_to": row.lowered_to, "assessment": row.pk}
    row.tier, row.lowered_to = row.lowered_to, ""
    row.lowering_confirmed_by = actor if actor is not None and actor.is_authenticated else None
    row.save(update_fields=["tier", "lowered_to", "lowering_confirmed_by"])
    UseCase.objects.filter(pk=uc.pk).update(tier=row.tier)
    use_case.tier = row.tier
    audit.record(
        actor=actor,
        action="confirm_lower_tier",
        obj=uc,
        before=before,
        after={"tier": row.tier, "lowered_to": None, "assessment": row.pk},
        message=f"Lower tier confirmed: now {row.tier}.",
        policy_version=active.version,
    )
    return row


@transaction.atomic
def reject_lowering(*, actor: audit.Actor, use_case: UseCase, reason: str) -> RiskAssessment:
    """The second person disagrees: the higher tier stays, with their reason on record."""
    uc, row, active = _pending(actor, use_case)
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise InvalidInput(
            {"reason": f"say why the tier stays higher, in at least {MIN_REASON} characters"}
        )
    before = {
        "tier": row.tier,
        "lowered_to": row.lowered_to,
        "override_justification": row.override_justification,
        "assessment": row.pk,
    }
    refused = row.lowered_to
    row.lowered_to = ""
    row.override_by = actor if actor is not None and actor.is_authenticated else None
    row.override_justification = f"Lowering to {refused} rejected: {text}"
    row.save(update_fields=["lowered_to", "override_by", "override_justification"])
    audit.record(
        actor=actor,
        action="reject_lower_tier",
        obj=uc,
        before=before,
        after={
            "tier": row.tier,
            "lowered_to": None,
            "override_justification": row.override_justification,
            "assessment": row.pk,
        },
        message=text,
        policy_version=active.version,
    )
    return row


def propose(row: RiskAssessment, actor: audit.Actor, tier: str) -> None:
    """Record `tier` as a lowering awaiting confirmation on the (unsaved or saved) row."""
    row.lowered_to = tier
    row.lowered_by = actor if actor is not None and actor.is_authenticated else None
    row.lowered_at = timezone.now()
