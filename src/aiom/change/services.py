"""Every write to change plans, stakeholder groups and interventions: checked and audited.

Who may edit the use case may edit its plan (`portfolio.permissions.can_edit`); external
partners never write. Events are recorded on the use case, so they show on its timeline
and are visible exactly to those who may see it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from aiom.change.models import ChangePlan, Intervention, StakeholderGroup
from aiom.change.validation import clean_group, clean_intervention, clean_plan
from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied, StaleVersion
from aiom.core.models import AuditEvent
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

MAX_GROUPS = 30
MAX_INTERVENTIONS = 30


def may_edit(actor: audit.Actor, use_case: UseCase) -> bool:
    """The system (None) and whoever may edit the use case."""
    return actor is None or permissions.can_edit(actor, use_case)


def _require(actor: audit.Actor, use_case: UseCase) -> None:
    if not may_edit(actor, use_case):
        raise PermissionDenied(
            "only the owner, sponsor, unit lead or an administrator may change the change plan"
        )


def _lock_plan(plan: ChangePlan) -> ChangePlan:
    return (
        ChangePlan.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit", "champion")
        .get(pk=plan.pk)
    )


def _touch(plan: ChangePlan) -> None:
    plan.updated_at = timezone.now()
    ChangePlan.objects.filter(pk=plan.pk).update(updated_at=plan.updated_at)


def _save_changes(
    actor: audit.Actor,
    row: StakeholderGroup | Intervention,
    values: dict[str, Any],
    plan: ChangePlan,
    action: str,
) -> None:
    """Set a group's or intervention's cleaned values; only a real change is saved, bumps
    the plan's `updated_at` and records `action` on the use case (before and after)."""
    before = row.snapshot()
    for field, value in values.items():
        setattr(row, field, value)
    after = row.snapshot()
    if after == before:
        return
    row.save()
    _touch(plan)
    audit.record(actor=actor, action=action, obj=plan.use_case, before=before, after=after)


@transaction.atomic
def create_plan(*, actor: audit.Actor, use_case: UseCase, **fields: Any) -> ChangePlan:
    """Start the change plan of a use case (one per use case)."""
    uc = (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=use_case.pk)
    )
    _require(actor, uc)
    if ChangePlan.objects.filter(use_case=uc).exists():
        raise InvalidInput({"use_case": "this use case already has a change plan"})
    errors: dict[str, str] = {}
    values = clean_plan(fields, errors)
    if errors:
        raise InvalidInput(errors)
    plan = ChangePlan(use_case=uc, **values)
    plan.save(force_insert=True)
    audit.record(actor=actor, action="change_plan.create", obj=uc, after=plan.snapshot())
    return plan


@transaction.atomic
def update_plan(
    *, actor: audit.Actor, plan: ChangePlan, expected_version: int | None = None, **changes: Any
) -> ChangePlan:
    """Change the plan's summary, champion, go-live date or status.

    With `expected_version`, an edit based on an older version is refused (StaleVersion)
    naming the fields changed since, so two people cannot overwrite each other.
    """
    current = _lock_plan(plan)
    _require(actor, current.use_case)
    before = current.snapshot()
    if expected_version is not None and expected_version != current.version:
        changed = _changed_since(current, expected_version, before)
        raise StaleVersion(expected_version, current.version, changed)
    errors: dict[str, str] = {}
    values = clean_plan(changes, errors)
    if errors:
        raise InvalidInput(errors)
    for field, value in values.items():
        setattr(current, field, value)
    after = current.snapshot()
    if after == before:
        return current  # nothing changed: no new version, no event
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    after["plan_version"] = current.version
    audit.record(
        actor=actor, action="change_plan.update", obj=current.use_case, before=before, after=after
    )
    return current


def save_plan(
    *, actor: audit.Actor, use_case: UseCase, expected_version: int | None = None, **fields: Any
) -> ChangePlan:
    """Create the plan if the use case has none, else update it (the API's PUT)."""
    existing = ChangePlan.objects.filter(use_case_id=use_case.pk).first()
    if existing is None:
        return create_plan(actor=actor, use_case=use_case, **fields)
    return update_plan(actor=actor, plan=existing, expected_version=expected_version, **fields)


def _changed_since(plan: ChangePlan, version: int, current: dict[str, Any]) -> dict[str, Any]:
    """Fields whose value differs from what they were at `version`, from the audit trail."""
    events = AuditEvent.objects.filter(
        object_type=UseCase._meta.label_lower,
        object_id=str(plan.use_case_id),
        action__in=["change_plan.create", "change_plan.update"],
    ).order_by("seq")
    at_version: dict[str, Any] | None = None
    for event in events:
        after = event.after if isinstance(event.after, dict) else {}
        if after.get("change_plan") == plan.pk and after.get("plan_version") == version:
            at_version = after
    if at_version is None:
        return {}
    current = audit.jsonable(current)
    return {
        k: {"was": at_version.get(k), "now": v}
        for k, v in current.items()
        if k != "plan_version" and at_version.get(k) != v
    }


@transaction.atomic
def add_group(*, actor: audit.Actor, plan: ChangePlan, **fields: Any) -> StakeholderGroup:
    """Add a stakeholder group: name, size, org unit, what changes, impact, target."""
    current = _lock_plan(plan)
    _require(actor, current.use_case)
    errors: dict[str, str] = {}
    values = clean_group({"name": "", **fields}, errors)
    existing = list(current.groups.values_list("name", flat=True))
    if len(existing) >= MAX_GROUPS:
        errors["plan"] = f"a plan holds at most {MAX_GROUPS} stakeholder groups"
    if values.get("name", "").lower() in {n.lower() for n in existing}:
        errors["name"] = f"the plan already has a group named “{values['name']}”"
    if errors:
        raise InvalidInput(errors)
    group = StakeholderGroup(plan=current, position=len(existing), **values)
    group.save(force_insert=True)
    _touch(current)
    audit.record(
        actor=actor, action="change_group.add", obj=current.use_case, after=group.snapshot()
    )
    return group


def _lock_group(group: StakeholderGroup) -> StakeholderGroup:
    return (
        StakeholderGroup.objects.select_for_update(of=("self",))
        .select_related("plan__use_case__org_unit", "org_unit")
        .get(pk=group.pk)
    )


@transaction.atomic
def update_group(
    *, actor: audit.Actor, group: StakeholderGroup, **changes: Any
) -> StakeholderGroup:
    current = _lock_group(group)
    _require(actor, current.plan.use_case)
    errors: dict[str, str] = {}
    values = clean_group(changes, errors)
    name = values.get("name", "").lower()
    if name and current.plan.groups.exclude(pk=current.pk).filter(name__iexact=name).exists():
        errors["name"] = f"the plan already has a group named “{values['name']}”"
    if errors:
        raise InvalidInput(errors)
    _save_changes(actor, current, values, current.plan, "change_group.update")
    return current


@transaction.atomic
def remove_group(*, actor: audit.Actor, group: StakeholderGroup) -> None:
    """Remove a group and its interventions; the event keeps what was removed."""
    current = _lock_group(group)
    _require(actor, current.plan.use_case)
    before = current.snapshot()
    before["interventions"] = [i.snapshot() for i in current.interventions.all()]
    use_case, plan = current.plan.use_case, current.plan
    current.delete()
    _touch(plan)
    audit.record(actor=actor, action="change_group.remove", obj=use_case, before=before)


@transaction.atomic
def add_intervention(*, actor: audit.Actor, group: StakeholderGroup, **fields: Any) -> Intervention:
    """Plan an intervention for a group: training, communication, process change, support."""
    current = _lock_group(group)
    _require(actor, current.plan.use_case)
    errors: dict[str, str] = {}
    values = clean_intervention({"kind": "", "description": "", **fields}, errors)
    if current.interventions.count() >= MAX_INTERVENTIONS:
        errors["group"] = f"a group holds at most {MAX_INTERVENTIONS} interventions"
    if errors:
        raise InvalidInput(errors)
    intervention = Intervention(group=current, **values)
    intervention.save(force_insert=True)
    _touch(current.plan)
    audit.record(
        actor=actor,
        action="intervention.add",
        obj=current.plan.use_case,
        after=intervention.snapshot(),
    )
    return intervention


def _lock_intervention(intervention: Intervention) -> Intervention:
    return (
        Intervention.objects.select_for_update(of=("self",))
        .select_related("group__plan__use_case__org_unit", "owner")
        .get(pk=intervention.pk)
    )


@transaction.atomic
def update_intervention(
    *, actor: audit.Actor, intervention: Intervention, **changes: Any
) -> Intervention:
    """Change an intervention, e.g. `status="done"` when it has happened."""
    current = _lock_intervention(intervention)
    use_case = current.group.plan.use_case
    _require(actor, use_case)
    errors: dict[str, str] = {}
    values = clean_intervention(changes, errors)
    if errors:
        raise InvalidInput(errors)
    _save_changes(actor, current, values, current.group.plan, "intervention.update")
    return current


@transaction.atomic
def remove_intervention(*, actor: audit.Actor, intervention: Intervention) -> None:
    current = _lock_intervention(intervention)
    use_case, plan = current.group.plan.use_case, current.group.plan
    _require(actor, use_case)
    before = current.snapshot()
    current.delete()
    _touch(plan)
    audit.record(actor=actor, action="intervention.remove", obj=use_case, before=before)
