"""Every write about incidents: validated, permission-checked, atomic, audited.

References may be instances or primary keys (forms pass instances, the API ids).
Reporting an incident at or above the policy's `monitoring.reopen_assessment_from`
severity (or raising one to it) notifies its owner, sponsor and reviewers once (see
`alerts`), in the same transaction. It re-opens the use case's risk assessment, which
blocks the gates that need a current one, only once its severity is confirmed: by the
use case's owner or a reviewer covering its unit (`confirm_severity`, or by reporting or
re-grading it themselves), so that a colleague's report alone blocks nothing.
Monitoring plans are kept in `plans`.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.assessments.services import mark_stale
from aiom.governance.policy.versions import active_policy
from aiom.monitoring import alerts, permissions, rules
from aiom.monitoring.models import CorrectiveAction, Harm, Incident, IncidentStatus, Severity
from aiom.monitoring.plans import add_check, person, record_review, remove_check, save_plan
from aiom.monitoring.policy import MonitoringRules
from aiom.portfolio.models import UseCase

# The plan writes live in `plans` and are re-exported here.
__all__ = ["add_action", "change_status", "confirm_severity", "report_incident"]
__all__ += ["update_incident"]
__all__ += ["add_check", "complete_action", "record_review", "remove_check", "save_plan"]
TEXT_FIELDS = {"title": 200, "model_name": 200, "description": 10_000, "lessons_learned": 10_000}
EDITABLE = (*TEXT_FIELDS, "occurred_at", "detected_at", "severity", "harms", "people_affected")


def _name(user: Any) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.get_full_name() or str(user)}


def snapshot(i: Incident) -> dict[str, Any]:
    data = {f: getattr(i, f) for f in EDITABLE}
    data.update(use_case=i.use_case_id, status=i.status, closed_at=i.closed_at)
    data.update(
        severity_confirmed_by=i.severity_confirmed_by_id,
        severity_confirmed_at=i.severity_confirmed_at,
    )
    return audit.jsonable(data)  # type: ignore[no-any-return]


def action_snapshot(a: CorrectiveAction) -> dict[str, Any]:
    data: dict[str, Any] = {
        "incident": a.incident_id,
        "description": a.description,
        "owner": _name(a.owner),
    }
    data.update(due_on=a.due_on, done_at=a.done_at)
    return audit.jsonable(data)  # type: ignore[no-any-return]


def _moment(value: Any, field: str, errors: dict[str, str]) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time(12)))
    errors[field] = "a date and time is required"
    return None


def _clean(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Validate the editable fields present in `values`; returns them cleaned."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        errors[sorted(unknown)[0]] = "not a field of an incident"
    out: dict[str, Any] = {}
    for field, limit in TEXT_FIELDS.items():
        if field in values:
            text = str(values[field] or "").strip()
            if len(text) > limit:
                errors[field] = f"at most {limit} characters"
            out[field] = text
    if "title" in out and not out["title"]:
        errors["title"] = "say in a few words what happened"
    for field in ("occurred_at", "detected_at"):
        if field in values:
            out[field] = _moment(values[field], field, errors)
            if out[field] is not None and out[field] > timezone.now() + dt.timedelta(minutes=5):
                errors[field] = "cannot be in the future"
    if "severity" in values:
        out["severity"] = values["severity"]
        if values["severity"] not in Severity.values:
            errors["severity"] = f"one of {', '.join(Severity.values)}"
    if "harms" in values:
        harms = list(values["harms"] or [])
        bad = [h for h in harms if h not in Harm.values]
        if bad:
            errors["harms"] = f"unknown harm {bad[0]!r}; one of {', '.join(Harm.values)}"
        out["harms"] = [h for h in Harm.values if h in harms]
    if "people_affected" in values:
        n = values["people_affected"]
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
            errors["people_affected"] = "a whole number, zero or more, or empty if unknown"
        out["people_affected"] = n
    return out


def _order_problems(i: Incident, errors: dict[str, str]) -> None:
    if i.occurred_at and i.detected_at and i.detected_at < i.occurred_at:
        errors.setdefault("detected_at", "cannot be before it occurred")


def _reopen_and_notify(actor: audit.Actor, incident: Incident) -> None:
    """Notify when the severity reaches the policy's threshold; re-open the assessment
    (which blocks moves) only when that severity is confirmed."""
    active = active_policy()
    threshold = active.policy.section(MonitoringRules).reopen_assessment_from
    if not rules.reopens_assessment(incident.severity, threshold):
        return
    reason = None
    if rules.blocks(incident.severity, incident.severity_confirmed, threshold):
        reason = mark_stale(
            actor=actor,
            use_case=incident.use_case,
            reason=f"{incident.severity}-severity incident #{incident.pk}: {incident.title}",
            policy_version=active.version,
        )
    alerts.notify_incident(
        actor=actor, incident=incident, reason=reason, policy_version=active.version
    )


def _may_confirm(actor: audit.Actor, use_case: UseCase) -> bool:
    """The system (demo, imports) or the owner or a reviewer covering the unit."""
    return actor is None or permissions.can_confirm_severity(actor, use_case)


def _set_confirmed(incident: Incident, actor: audit.Actor, confirmed: bool) -> None:
    if not confirmed:
        incident.severity_confirmed_at, incident.severity_confirmed_by = None, None
        return
    user = actor if actor is not None and actor.is_authenticated else None
    incident.severity_confirmed_at, incident.severity_confirmed_by = timezone.now(), user


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit", "use_case__owner", "use_case__sponsor")
        .get(pk=incident.pk)
    )


@transaction.atomic
def report_incident(
    *, actor: audit.Actor, use_case: UseCase, reopen: bool = True, **fields: Any
) -> Incident:
    """Record what happened; `detected_at` defaults to now, the status starts open.

    `reopen=False` records a past incident that was handled at the time (demo, imports):
    the assessment is not re-opened and nobody is notified now.
    """
    uc = UseCase.objects.with_relations().get(pk=use_case.pk)
    if actor is not None and not permissions.can_report(actor, uc):
        raise PermissionDenied("only internal people who can see the use case report incidents")
    fields.setdefault("detected_at", timezone.now())
    for required in ("title", "occurred_at", "severity"):
        fields.setdefault(required, "" if required == "title" else None)
    errors: dict[str, str] = {}
    values = _clean(fields, errors)
    incident = Incident(use_case=uc, **values)
    _order_problems(incident, errors)
    if errors:
        raise InvalidInput(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    incident.reported_by = user
    _set_confirmed(incident, actor, _may_confirm(actor, uc))
    incident.save(force_insert=True)
    audit.record(actor=actor, action="create", obj=incident, after=snapshot(incident))
    if reopen:
        _reopen_and_notify(actor, incident)
    return incident


@transaction.atomic
def update_incident(*, actor: audit.Actor, incident: Incident, **changes: Any) -> Incident:
    """Correct or complete an incident; raising its severity may re-open the assessment."""
    current = _lock(incident)
    if actor is not None and not permissions.can_handle(actor, current.use_case):
        raise PermissionDenied("only who may edit the use case or review its risk handle it")
    before = snapshot(current)
    errors: dict[str, str] = {}
    values = _clean(changes, errors)
    if "title" in values and not values["title"]:
        errors["title"] = "say in a few words what happened"
    was, was_confirmed = current.severity, current.severity_confirmed
    for field, value in values.items():
        setattr(current, field, value)
    _order_problems(current, errors)
    if errors:
        raise InvalidInput(errors)
    regraded = current.severity != was
    if regraded:
        confirmed = rules.confirmed_after_change(
            was_confirmed=was_confirmed,
            regraded=True,
            by_confirmer=_may_confirm(actor, current.use_case),
        )
        _set_confirmed(current, actor, confirmed)
    current.save()
    after = snapshot(current)
    if after != before:
        audit.record(actor=actor, action="update", obj=current, before=before, after=after)
    raised = rules.severity_rank(current.severity) > rules.severity_rank(was)
    if raised or (current.severity_confirmed and not was_confirmed):
        _reopen_and_notify(actor, current)
    return current


@transaction.atomic
def confirm_severity(
    *, actor: audit.Actor, incident: Incident, severity: str | None = None
) -> Incident:
    """The use case's owner or a reviewer confirms the incident's severity (or re-grades
    and confirms it); a confirmed severity at the policy's threshold re-opens the risk
    assessment, which blocks the moves that need a current one."""
    current = _lock(incident)
    if not _may_confirm(actor, current.use_case):
        raise PermissionDenied(
            "only the use case's owner or a risk or compliance reviewer covering its unit"
            " confirms an incident's severity"
        )
    target = current.severity if severity in (None, "") else severity
    if target not in Severity.values:
        raise InvalidInput({"severity": f"one of {', '.join(Severity.values)}"})
    if current.status == IncidentStatus.CLOSED:
        raise InvalidInput({"incident": "the incident is closed; re-open it first"})
    if current.severity_confirmed and target == current.severity:
        by = current.severity_confirmed_by
        who = (by.get_full_name() or by.get_username()) if by else "the system"
        raise InvalidInput({"severity": f"already confirmed as {target} by {who}"})
    before = snapshot(current)
    was = current.severity
    current.severity = target
    _set_confirmed(current, actor, True)
    current.save(update_fields=["severity", "severity_confirmed_at", "severity_confirmed_by"])
    graded = f"{was} → {target}" if was != target else target
    audit.record(
        actor=actor,
        action="confirm_severity",
        obj=current,
        before=before,
        after=snapshot(current),
        message=f"Incident severity confirmed: {graded}.",
    )
    _reopen_and_notify(actor, current)
    return current


@transaction.atomic
def change_status(
    *, actor: audit.Actor, incident: Incident, status: str, lessons_learned: str | None = None
) -> Incident:
    """Move the incident along; closing needs lessons learned and every action done."""
    current = _lock(incident)
    if actor is not None and not permissions.can_handle(actor, current.use_case):
        raise PermissionDenied("only who may edit the use case or review its risk handle it")
    if status == current.status and (
        lessons_learned is None or lessons_learned.strip() == current.lessons_learned
    ):
        return current  # saved unchanged: no save, no event
    before = snapshot(current)
    if lessons_learned is not None:
        current.lessons_learned = lessons_learned.strip()
    done = [a.done_at is not None for a in current.actions.all()]
    problems = rules.status_problems(
        current.status, status, lessons_learned=current.lessons_learned, actions_done=done
    )
    if problems:
        raise InvalidInput(problems)
    current.status = status
    current.closed_at = timezone.now() if status == IncidentStatus.CLOSED else None
    current.save(update_fields=["status", "closed_at", "lessons_learned"])
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before=before,
        after=snapshot(current),
        message=f"Incident {before['status']} → {status}.",
    )
    return current


@transaction.atomic
def add_action(
    *,
    actor: audit.Actor,
    incident: Incident,
    description: str,
    owner: Any = None,
    due_on: dt.date | None = None,
) -> CorrectiveAction:
    """A corrective action with an owner and a due date, on an incident not yet closed."""
    current = _lock(incident)
    if actor is not None and not permissions.can_handle(actor, current.use_case):
        raise PermissionDenied("only who may edit the use case or review its risk handle it")
    errors: dict[str, str] = {}
    if current.status == IncidentStatus.CLOSED:
        errors["incident"] = "the incident is closed; re-open it to add actions"
    text = (description or "").strip()
    if not text:
        errors["description"] = "say what will be done"
    who = person(owner, "owner", errors)
    if errors:
        raise InvalidInput(errors)
    action = CorrectiveAction.objects.create(
        incident=current, description=text, owner=who, due_on=due_on
    )
    audit.record(actor=actor, action="create", obj=action, after=action_snapshot(action))
    return action


@transaction.atomic
def complete_action(
    *, actor: audit.Actor, action: CorrectiveAction, done: bool = True
) -> CorrectiveAction:
    """Mark a corrective action done (or not done after all)."""
    current = CorrectiveAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    incident = Incident.objects.select_related("use_case__org_unit").get(pk=current.incident_id)
    may = permissions.can_handle(actor, incident.use_case) or (
        actor is not None and actor.pk == current.owner_id and actor.is_active
    )
    if actor is not None and not may:
        raise PermissionDenied("only the action's owner or who handles the incident")
    before = action_snapshot(current)
    if (current.done_at is not None) == done:
        raise InvalidInput({"done": "already done" if done else "not done yet"})
    current.done_at = timezone.now() if done else None
    current.save(update_fields=["done_at"])
    after = action_snapshot(current)
    audit.record(actor=actor, action="update", obj=current, before=before, after=after)
    return current
