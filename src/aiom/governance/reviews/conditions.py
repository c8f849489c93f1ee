"""Conditions of an approval, tracked: what must happen, who sees to it, by when.

An "approve with conditions" decision carries a list of conditions, each with a text, an
owner (a person who can see the use case) and a due date. They are created in the
decision's transaction (`reviews.decide` calls `clean` and `create_for`), listed on the
review and the use case, closed as met or waived through `close_condition` (audited),
and the sweep raises one notice when an open one passes its due date.

The old free-text form is still accepted, by one rule: the text becomes ONE condition,
owned by the use case's owner, due `FREE_TEXT_DUE_DAYS` days after the decision. A use
case without an owner cannot take a free-text condition: name an owner instead.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.models import (
    ConditionStatus,
    Decision,
    Outcome,
    ReviewCondition,
    ReviewRequest,
)
from aiom.organisation.access import access_for
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

FREE_TEXT_DUE_DAYS = 30
MAX_CONDITIONS = 20
MAX_TEXT = 2_000
MAX_DAYS_AHEAD = 3 * 365
Conditions = str | Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Spec:
    text: str
    owner: Any
    due_on: dt.date


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _owner(value: Any, uc: UseCase) -> Any:
    """An internal person who can see the use case, by id; None otherwise."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:  # no id is outside the database's integer range
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not access_for(user).is_internal:  # partners write nothing
        return None
    if not UseCase.objects.visible_to(user).filter(pk=uc.pk).exists():
        return None
    return user


def clean(
    uc: UseCase, outcome: str, conditions: Conditions, today: dt.date
) -> tuple[list[Spec], dict[str, str]]:
    """The conditions as specs, or the problems by field (`conditions[i].owner`, ...)."""
    if isinstance(conditions, str):
        text = conditions.strip()
        if not text:
            rows: list[Mapping[str, Any]] = []
        elif uc.owner_id is None:
            return [], {"conditions": "the use case has no owner: list conditions with owners"}
        else:
            free_due = today + dt.timedelta(days=FREE_TEXT_DUE_DAYS)
            rows = [{"text": text, "owner": uc.owner_id, "due_on": free_due}]
    else:
        rows = list(conditions)
    conditional = outcome == Outcome.APPROVE_WITH_CONDITIONS
    if conditional and not rows:
        return [], {"conditions": "say which conditions the approval carries"}
    if rows and not conditional:
        return [], {"conditions": "only an approval with conditions carries conditions"}
    if len(rows) > MAX_CONDITIONS:
        return [], {"conditions": f"at most {MAX_CONDITIONS} conditions"}
    specs, errors = [], {}
    for i, row in enumerate(rows):
        text = str(row.get("text") or "").strip()
        owner = _owner(row.get("owner"), uc)
        due = _date(row.get("due_on"))
        if not text or len(text) > MAX_TEXT:
            errors[f"conditions[{i}].text"] = f"say what must happen (1 to {MAX_TEXT} characters)"
        if owner is None:
            errors[f"conditions[{i}].owner"] = "name an internal person who can see this use case"
        if due is None:
            errors[f"conditions[{i}].due_on"] = "a due date (YYYY-MM-DD) is needed"
        elif not today < due <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
            errors[f"conditions[{i}].due_on"] = "the due date must be after today, within 3 years"
        if owner is not None and due is not None and text:
            specs.append(Spec(text, owner, due))
    return specs, errors


def summary(specs: Sequence[Spec]) -> str:
    """The decision's `conditions` text, kept for readers of the old field."""
    return "; ".join(f"{s.text} ({audit.actor_name(s.owner)}, by {s.due_on})" for s in specs)


def create_for(decision: Decision, specs: Sequence[Spec]) -> list[ReviewCondition]:
    """Rows for a decision's conditions; part of `decide`'s transaction and audit event."""
    review = decision.review
    return [
        ReviewCondition.objects.create(
            decision=decision,
            review=review,
            use_case_id=review.use_case_id,
            text=s.text,
            owner=s.owner,
            due_on=s.due_on,
            created_at=decision.decided_at,
        )
        for s in specs
    ]


def snapshot(c: ReviewCondition) -> dict[str, Any]:
    return {
        "condition": c.pk,
        "text": c.text,
        "owner": c.owner_id,
        "due_on": c.due_on,
        "status": c.status,
        "closed_by": c.closed_by_id,
        "note": c.note,
    }


def may_close(user: Any, c: ReviewCondition, status: str) -> bool:
    """Met: its owner, whoever may edit the use case, a reviewer covering it. Waived: a
    reviewer covering it (or who decided) who is not its owner, sponsor or proposer."""
    uc = c.use_case
    if user is None or not user.is_authenticated:
        return False
    reviewer = permissions.can_review(user, uc) or c.decision.reviewer_id == user.pk
    if status == ConditionStatus.WAIVED:
        involved = user.pk in (uc.owner_id, uc.sponsor_id, uc.proposed_by_id)
        return reviewer and not involved
    return user.pk == c.owner_id or permissions.can_edit(user, uc) or reviewer


@transaction.atomic
def close_condition(
    *, actor: Any, condition: ReviewCondition, status: str, note: str = ""
) -> ReviewCondition:
    """Close an open condition as met or waived (a waiver needs a reason)."""
    c = (
        ReviewCondition.objects.select_for_update(of=("self",))
        .select_related("use_case__org_unit", "decision")
        .get(pk=condition.pk)
    )
    if not may_close(actor, c, status if status == ConditionStatus.WAIVED else "met"):
        raise PermissionDenied(
            "a condition is marked met by its owner, the use case's editors or a reviewer, "
            "and waived only by a reviewer who is not its owner, sponsor or proposer"
        )
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if status not in (ConditionStatus.MET, ConditionStatus.WAIVED):
        errors["status"] = "met or waived"
    elif status == ConditionStatus.WAIVED and len(note) < 10:
        errors["note"] = "say why the condition is waived (at least 10 characters)"
    if len(note) > MAX_TEXT:
        errors["note"] = f"at most {MAX_TEXT} characters"
    if c.status != ConditionStatus.OPEN:
        errors["condition"] = f"this condition is already {c.get_status_display().lower()}"
    if errors:
        raise InvalidInput(errors)
    before = snapshot(c)
    c.status, c.note = status, note
    c.closed_by, c.closed_at = actor, timezone.now()
    c.save(update_fields=["status", "note", "closed_by", "closed_at"])
    audit.record(
        actor=actor,
        action="close_condition",
        obj=c.use_case,
        before=before,
        after=snapshot(c),
        message=f"Condition of review #{c.review_id} {c.get_status_display().lower()}: {c.text}",
    )
    return c


def of_review(review: ReviewRequest) -> QuerySet[ReviewCondition]:
    return ReviewCondition.objects.filter(review=review).select_related(
        "owner", "closed_by", "decision", "use_case__org_unit"
    )


def for_viewer(user: Any, rows: Sequence[ReviewCondition], today: dt.date) -> list[ReviewCondition]:
    """The rows with what this viewer may do with each (`can_met`, `can_waive`) and `overdue`."""
    for c in rows:
        is_open = c.status == ConditionStatus.OPEN
        c.can_met = is_open and may_close(user, c, ConditionStatus.MET)  # type: ignore[attr-defined]
        c.can_waive = is_open and may_close(user, c, ConditionStatus.WAIVED)  # type: ignore[attr-defined]
        c.overdue = c.is_overdue(today)  # type: ignore[attr-defined]
    return list(rows)
