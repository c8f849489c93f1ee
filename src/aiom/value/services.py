"""Every write to KPIs, measurements, adoption, feedback and priority scores, audited.

Who may write: KPIs and adoption need `can_edit` on the use case; a measurement may also
come from the KPI's owner. Feedback comes from anyone who can see the use case, external
partners included: they use the AI too, and a rating changes nothing about the use case.
Scoring priority is the portfolio's call, not the proposer's (see `can_score`).
`UseCase.value_realised_on` is kept with `.update()`, so the use case's version is not bumped.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.policy.versions import active_policy
from aiom.organisation.access import access_for
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.value import priority
from aiom.value.derive import add_to_kpi, refresh_kpi, refresh_use_case
from aiom.value.imports import ImportReport, import_measurements_csv
from aiom.value.models import KPI, Adoption, Direction, Feedback, Measurement, PriorityScore
from aiom.value.policy import Prioritisation
from aiom.value.rules import (
    can_score,
    clean_measurement,
    decimal_or_error,
    may_record,
    measurement_snapshot,
    past_date_or_error,
    require_edit,
)

__all__ = [
    "ImportReport",
    "define_kpi",
    "give_feedback",
    "import_measurements_csv",
    "record_adoption",
    "record_measurement",
    "retire_kpi",
    "score_priority",
    "update_kpi",
]
User = get_user_model()
KPI_FIELDS = ("name", "unit", "direction", "baseline", "target", "owner", "cadence_days")


def kpi_snapshot(kpi: KPI) -> dict[str, Any]:
    data = {f: getattr(kpi, f) for f in KPI_FIELDS if f != "owner"}
    data.update(owner=kpi.owner_id, use_case=kpi.use_case_id, is_active=kpi.is_active)
    data.update(target_met_on=kpi.target_met_on)
    return audit.jsonable(data)  # type: ignore[no-any-return]


def _clean_kpi(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field == "name":
            out[field] = str(value or "").strip()
            if not out[field] or len(out[field]) > 200:
                errors[field] = "a name of 1 to 200 characters is needed"
        elif field == "unit":
            out[field] = str(value or "").strip()
            if len(out[field]) > 40:
                errors[field] = "at most 40 characters"
        elif field == "direction":
            out[field] = value
            if value not in Direction.values:
                errors[field] = "'higher' or 'lower'"
        elif field in ("baseline", "target"):
            out[field] = None if value in (None, "") else decimal_or_error(value, field, errors)
        elif field == "owner":
            out[field] = _owner(value, errors)
        elif field == "cadence_days":
            out[field] = value
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
                errors[field] = "a whole number of days from 1 to 366"
        else:
            errors[field] = "not a field that can be set"
    return out


def _owner(value: Any, errors: dict[str, str]) -> Any:
    if value in (None, ""):
        return None
    user = value if isinstance(value, User) else User.objects.filter(pk=value).first()
    if user is None:
        errors["owner"] = f"no person with id {value}"
    elif not user.is_active or access_for(user).is_external:
        errors["owner"] = "the owner must be an active person inside the organisation"
    return user


def _check_name_free(use_case: UseCase, name: str, errors: dict[str, str], pk: int | None) -> None:
    taken = KPI.objects.filter(use_case=use_case, name__iexact=name)
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if "name" not in errors and taken.exists():
        errors["name"] = f"this use case already has a KPI named '{name}'"


@transaction.atomic
def define_kpi(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    name: str,
    unit: str = "",
    direction: str = "higher",
    baseline: Any = None,
    target: Any = None,
    owner: Any = None,
    cadence_days: int = 30,
) -> KPI:
    """Add a KPI to a use case; a name is unique within the use case (retired ones too)."""
    require_edit(actor, use_case, "define KPIs")
    errors: dict[str, str] = {}
    values = _clean_kpi(
        {
            "name": name,
            "unit": unit,
            "direction": direction,
            "baseline": baseline,
            "target": target,
            "owner": owner,
            "cadence_days": cadence_days,
        },
        errors,
    )
    _check_name_free(use_case, values["name"], errors, None)
    if errors:
        raise InvalidInput(errors)
    kpi = KPI.objects.create(use_case=use_case, **values)
    audit.record(actor=actor, action="create", obj=kpi, after=kpi_snapshot(kpi))
    return kpi


@transaction.atomic
def update_kpi(*, actor: audit.Actor, kpi: KPI, **changes: Any) -> KPI:
    """Change a KPI; a new target or direction re-derives when it was first met."""
    kpi = KPI.objects.select_related("use_case__org_unit").get(pk=kpi.pk)
    require_edit(actor, kpi.use_case, "change KPIs")
    errors: dict[str, str] = {}
    values = _clean_kpi(changes, errors)
    if "name" in values:
        _check_name_free(kpi.use_case, values["name"], errors, kpi.pk)
    if errors:
        raise InvalidInput(errors)
    before = kpi_snapshot(kpi)
    for field, value in values.items():
        setattr(kpi, field, value)
    kpi.save()
    refresh_kpi(kpi)
    after = kpi_snapshot(kpi)
    if after != before:
        audit.record(actor=actor, action="update", obj=kpi, before=before, after=after)
    return kpi


@transaction.atomic
def retire_kpi(*, actor: audit.Actor, kpi: KPI, reason: str = "") -> KPI:
    """Stop measuring a KPI; its history stays, and it no longer counts for time-to-value."""
    kpi = KPI.objects.select_related("use_case__org_unit").get(pk=kpi.pk)
    require_edit(actor, kpi.use_case, "retire KPIs")
    if not kpi.is_active:
        return kpi
    before = kpi_snapshot(kpi)
    kpi.is_active = False
    kpi.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="retire",
        obj=kpi,
        before=before,
        after=kpi_snapshot(kpi),
        message=reason,
    )
    refresh_use_case(actor, kpi.use_case)
    return kpi


@transaction.atomic
def record_measurement(
    *, actor: audit.Actor, kpi: KPI, value: Any, measured_on: Any, source: str = "", note: str = ""
) -> Measurement:
    """Add one measurement (never dated in the future) and re-derive when targets were met."""
    kpi = (
        KPI.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit")
        .get(pk=kpi.pk)
    )
    if not may_record(actor, kpi):
        raise PermissionDenied("only the KPI's owner or who may edit the use case may record")
    errors: dict[str, str] = {}
    if not kpi.is_active:
        errors["kpi"] = "this KPI is retired; it takes no new measurements"
    values = clean_measurement(value, measured_on, source, note, errors)
    if errors:
        raise InvalidInput(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    m = Measurement.objects.create(kpi=kpi, recorded_by=user, **values)
    audit.record(actor=actor, action="create", obj=m, after=measurement_snapshot(m))
    if add_to_kpi(kpi, m.measured_on, m.value):
        refresh_use_case(actor, kpi.use_case)
    return m


@transaction.atomic
def record_adoption(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    period_start: Any,
    period_end: Any,
    active_users: Any,
    usage: Any,
    source: str = "",
) -> Adoption:
    """Active users and usage for a period; a second report for the same start replaces it."""
    require_edit(actor, use_case, "record adoption")
    errors: dict[str, str] = {}
    start = past_date_or_error(period_start, "period_start", errors)
    if not isinstance(period_end, dt.date) or isinstance(period_end, dt.datetime):
        errors["period_end"] = "expected a date (YYYY-MM-DD)"
    elif start is not None and not start <= period_end <= start + dt.timedelta(days=366):
        errors["period_end"] = "on or after the start, and at most a year later"
    for field, number in (("active_users", active_users), ("usage", usage)):
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 2**31:
            errors[field] = "a whole number, zero or more"
    if len(source or "") > 120:
        errors["source"] = "at most 120 characters"
    if errors or start is None:
        raise InvalidInput(errors)
    row = Adoption.objects.filter(use_case=use_case, period_start=start).first()
    fields = ("period_start", "period_end", "active_users", "usage", "source")
    before = audit.jsonable({f: getattr(row, f) for f in fields}) if row else None
    row = row or Adoption(use_case=use_case, period_start=start)
    row.period_end, row.active_users, row.usage = period_end, active_users, usage
    row.source, row.recorded_at = (source or "").strip(), timezone.now()
    row.save()
    after = audit.jsonable({f: getattr(row, f) for f in fields})
    action = "update" if before else "create"
    audit.record(actor=actor, action=action, obj=row, before=before, after=after)
    return row


@transaction.atomic
def give_feedback(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    rating: Any,
    comment: str = "",
    today: dt.date | None = None,
) -> Feedback:
    """A rating 1..5 and a comment from an internal person who can see the use case."""
    if actor is not None and not permissions.can_contribute(actor, use_case):
        raise PermissionDenied("only internal people who can see this use case may rate it")
    errors: dict[str, str] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = "a whole number from 1 to 5"
    comment = (comment or "").strip()
    if len(comment) > 5000:
        errors["comment"] = "at most 5000 characters"
    if errors:
        raise InvalidInput(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    fb = Feedback.objects.create(
        use_case=use_case, rating=rating, comment=comment, given_by=user, given_at=moment(today)
    )
    after = {"use_case": use_case.pk, "rating": rating, "comment": comment}
    audit.record(actor=actor, action="create", obj=fb, after=after)
    return fb


@transaction.atomic
def score_priority(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    criteria: dict[str, int],
    rationale: str,
    today: dt.date | None = None,
) -> PriorityScore:
    """Score value and feasibility with the policy's criteria; the new score becomes current.

    Only in the policy's prioritisation stages; every criterion is required.
    """
    if actor is not None and not can_score(actor, use_case):
        raise PermissionDenied(
            "prioritising is for administrators, AI experts and the unit's leads"
        )
    active = active_policy()
    rules = active.policy.optional_section(Prioritisation)
    if rules is None:
        raise InvalidInput({"criteria": "the policy in force defines no prioritisation"})
    errors: dict[str, str] = {}
    if use_case.stage not in rules.stages:
        errors["stage"] = (
            f"use cases are prioritised in {', '.join(rules.stages)}, not in {use_case.stage}"
        )
    errors.update(priority.check_scores(rules.criteria, criteria or {}))
    rationale = (rationale or "").strip()
    if not 20 <= len(rationale) <= 5000:
        errors["rationale"] = "explain the scores in 20 to 5000 characters"
    if errors:
        raise InvalidInput(errors)
    value, feasibility = priority.value_and_feasibility(rules.criteria, criteria)
    PriorityScore.objects.filter(use_case=use_case, is_current=True).update(is_current=False)
    score = PriorityScore.objects.create(
        use_case=use_case,
        criteria=dict(criteria),
        value_score=value,
        feasibility_score=feasibility,
        rationale=rationale,
        stage=use_case.stage,
        policy_version=active.version,
        scored_by=actor if actor is not None and actor.is_authenticated else None,
        scored_at=moment(today),
    )
    after = {"use_case": use_case.pk, "criteria": criteria, "value_score": value}
    after.update(feasibility_score=feasibility, rationale=rationale, stage=use_case.stage)
    audit.record(actor=actor, action="score", obj=score, after=after, policy_version=active.version)
    return score
