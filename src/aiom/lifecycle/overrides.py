"""Gate overrides: a failed check the policy lets a named role clear, with a reason.

The policy names which checks of a gate may be overridden and by whom
(`gates.<from>_to_<to>.override: {checks: [...], roles: [...]}`). The override is a
person's decision, recorded as a row and an audit event; it never makes the check pass.
The gate report shows the failure and the override side by side, the move that uses it
links it, and the review, the use-case page and the decisions register show it.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle.gates import facts_for, gate_report
from aiom.lifecycle.models import GateOverride, StageChange
from aiom.organisation.access import access_for
from aiom.portfolio.models import UseCase

MIN_REASON = 20


def open_for(ids: list[int]) -> dict[int, dict[tuple[str, str, str], str]]:
    """{use case id: {(from stage, to stage, check): who and why}} of open overrides."""
    out: dict[int, dict[tuple[str, str, str], str]] = {}
    rows = GateOverride.objects.filter(use_case_id__in=ids, stage_change__isnull=True)
    for o in rows.order_by("at", "id"):
        out.setdefault(o.use_case_id, {})[(o.from_stage, o.to_stage, o.check_name)] = o.summary
    return out


def for_move(uc: UseCase, from_stage: str, to_stage: str) -> QuerySet[GateOverride]:
    """Overrides recorded for one move of a use case, open or closed, newest first."""
    return GateOverride.objects.filter(
        use_case=uc, from_stage=from_stage, to_stage=to_stage
    ).select_related("stage_change")


def close_open(uc: UseCase, from_stage: str, change: StageChange) -> list[int]:
    """A move out of `from_stage` closes its open overrides (used if it went their way)."""
    rows = GateOverride.objects.filter(use_case=uc, from_stage=from_stage, stage_change=None)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(stage_change=change)
    return ids


def _role_held(actor: Any, roles: list[str], unit_path: str) -> str | None:
    access = access_for(actor)
    if not access.is_internal:
        return None
    return next((r for r in roles if access.has_role(r, unit_path)), None)


def _all_override_roles(policy: Policy) -> list[str]:
    """Every role some gate lets override: the people worth telling what is wrong."""
    found = [str(r) for g in policy.gates.values() if g.override for r in g.override.roles]
    return list(dict.fromkeys(found))


def may_override(user: Any, uc: UseCase, roles: list[str]) -> bool:
    """Holds one of the roles over the use case and is not its owner, sponsor or proposer."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk in (uc.owner_id, uc.sponsor_id, uc.proposed_by_id):
        return False
    return _role_held(user, roles, uc.org_unit.path) is not None


@transaction.atomic
def override_gate(
    *,
    actor: Any,
    use_case: UseCase,
    to_stage: str,
    check: str,
    reason: str,
    today: dt.date | None = None,
) -> GateOverride:
    """Record that a failed check of the move to `to_stage` may be let through, and why."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("an override is a named person's decision")
    uc = (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=use_case.pk)
    )
    active = active_policy()
    policy = active.policy
    rule = (
        policy.gate(uc.stage, to_stage).override if to_stage in policy.targets(uc.stage) else None
    )
    # who may override at all is judged first: anyone else is refused, whatever they send
    roles = [str(r) for r in rule.roles] if rule else _all_override_roles(policy)
    role = _role_held(actor, roles, uc.org_unit.path)
    if role is None:
        needed = " or ".join(r.replace("_", " ") for r in roles) or "role the policy names"
        raise PermissionDenied(f"only a {needed} covering this use case may record an override")
    if actor.pk in (uc.owner_id, uc.sponsor_id, uc.proposed_by_id):
        raise PermissionDenied(
            "nobody overrides a gate of a use case they own, sponsor or proposed"
        )
    if to_stage not in policy.targets(uc.stage):
        raise InvalidInput({"to_stage": f"there is no move from {uc.stage} to {to_stage}"})
    if rule is None or check not in rule.checks:
        allowed = ", ".join(rule.checks) if rule else "none"
        raise InvalidInput(
            {
                "check": f"the policy does not let '{check}' be overridden on this move "
                f"(overridable: {allowed})"
            }
        )
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput({"reason": f"say why, in at least {MIN_REASON} characters"})
    report = gate_report(policy, facts_for(uc, today=today or timezone.localdate()), to_stage)
    result = next((r for r in report.results if r.check == check), None)
    if result is None or result.passed:
        raise InvalidInput(
            {"check": f"'{check}' passes on this move: there is nothing to override"}
        )
    if result.overridden:
        raise InvalidInput({"check": f"'{check}' is already {result.overridden}"})
    row = GateOverride.objects.create(
        use_case=uc,
        from_stage=uc.stage,
        to_stage=to_stage,
        check_name=check,
        overridden=result.text,
        reason=reason,
        by=actor,
        by_name=audit.actor_name(actor),
        role=role,
        at=moment(today),
        policy_version=active.version,
    )
    audit.record(
        actor=actor,
        action="gate_override",
        obj=uc,
        after={
            "override": row.pk,
            "from_stage": uc.stage,
            "to_stage": to_stage,
            "check": check,
            "overridden": row.overridden,
            "role": role,
            "reason": reason,
        },
        message=f"Gate override ({check}, {uc.stage} → {to_stage}): {reason}",
        policy_version=active.version,
    )
    return row
