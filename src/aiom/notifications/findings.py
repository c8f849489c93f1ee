"""What is overdue today: the `Finding` every finder makes, and the governance finders.

Read-only: finders take a parsed policy and a date and return plain `Finding`s, each
with the dedupe key that makes it one event. A fixed number of queries per finder, never
one per row. Day arithmetic is strict: exactly at an SLA or cadence day is not overdue,
one day past is. The sweep runs every finder registered in `aiom.notifications.finders`;
the ones here (late reviews, assessments due or stale, conditions overdue) read governance,
which sits below notifications, and are registered from notifications' own ready().
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.timezone import localdate

from aiom.core.audit import jsonable
from aiom.governance.models import (
    ConditionStatus,
    PolicyVersion,
    ReviewCondition,
    ReviewRequest,
    ReviewStatus,
    RiskAssessment,
)
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_file, load_text
from aiom.notifications import finders
from aiom.notifications.models import NoticeKind
from aiom.organisation.models import Role, RoleAssignment
from aiom.portfolio.models import UseCase

PEOPLE = ("owner", "sponsor", "org_unit")
UC_PEOPLE = tuple(f"use_case__{p}" for p in PEOPLE)
ROLE_LABELS = {key: str(label).lower() for key, label in Role.choices}


@dataclass(frozen=True)
class Finding:
    """One overdue event: `key` names it so it is notified once, however often it is found."""

    kind: str
    key: str
    use_case_id: int
    use_case_title: str
    subject: str
    body: str
    recipients: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "use_case": {"id": self.use_case_id, "title": self.use_case_title},
            "subject": self.subject,
            "recipients": list(self.recipients),
            "facts": self.facts,
        }


def policy_in_force() -> tuple[int | None, Policy]:
    """The newest activated policy, else the shipped default (read-only: never activates)."""
    row = PolicyVersion.objects.only("version", "content").first()
    if row is None:
        return None, load_file(DEFAULT_POLICY_PATH)[1]
    return row.version, load_text(row.content)


def use_case_url(use_case_id: int) -> str:
    base: str = settings.AIOM_BASE_URL
    return base.rstrip("/") + reverse("portfolio:detail", args=[use_case_id])


def emails(users: Iterable[User | None]) -> list[str]:
    return [u.email for u in users if u is not None and u.is_active and u.email]


def _unique(addresses: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.strip().lower() for e in addresses if e.strip()))


def _who(uc: UseCase) -> str:
    owner = uc.owner.get_full_name() if uc.owner else "nobody"
    sponsor = uc.sponsor.get_full_name() if uc.sponsor else "nobody"
    return f"Owner: {owner}. Sponsor: {sponsor}. Org unit: {uc.org_unit.name}."


def finding(
    kind: str,
    key: str,
    uc: UseCase,
    subject: str,
    text: str,
    extra: Iterable[str] = (),
    **facts: Any,
) -> Finding:
    """A finding about `uc`, told to its owner and sponsor plus `extra` addresses."""
    body = f"{text}\n\n{_who(uc)}\n\n{use_case_url(uc.pk)}\n"
    recipients = _unique([*emails([uc.owner, uc.sponsor]), *extra])
    return Finding(kind, key, uc.pk, uc.title, subject, body, recipients, jsonable(facts))


def day_count(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def stage_label(policy: Policy, stage: str) -> str:
    spec = policy.stage(stage)
    return spec.label if spec else stage.replace("_", " ").capitalize()


def _role_holders(roles: set[str]) -> dict[str, list[RoleAssignment]]:
    holders: dict[str, list[RoleAssignment]] = {}
    rows = RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
    for ra in rows.select_related("user", "org_unit").order_by("user__username", "id"):
        holders.setdefault(ra.role, []).append(ra)
    return holders


def _approver_emails(
    approvers: Sequence[dict[str, Any]], path: str, holders: dict[str, list[RoleAssignment]]
) -> list[str]:
    """Holders of each approver role globally or in the use case's unit or an ancestor."""
    users = [
        ra.user
        for a in approvers
        for ra in holders.get(str(a.get("role")), [])
        if ra.org_unit is None or path.startswith(ra.org_unit.path)
    ]
    return emails(users)


def overdue_reviews(today: dt.date, policy: Policy) -> list[Finding]:
    """Open reviews past their due date; the approver roles' holders are told as well.

    Role holders are those of the review's approver roles now, not only who decided.
    """
    reviews = list(
        ReviewRequest.objects.filter(status=ReviewStatus.OPEN, due_on__lt=today)
        .select_related(*UC_PEOPLE)
        .prefetch_related("decisions")
        .order_by("due_on", "id")
    )
    roles = {str(a.get("role")) for r in reviews for a in (r.approvers or [])}
    holders = _role_holders(roles) if roles else {}
    out = []
    for review in reviews:
        uc, late = review.use_case, (today - review.due_on).days
        approvers = list(review.approvers or [])
        needed = ", ".join(
            f"{a.get('count', 1)} {ROLE_LABELS.get(str(a.get('role')), a.get('role'))}"
            for a in approvers
        )
        source, target = (stage_label(policy, s) for s in (review.from_stage, review.to_stage))
        text = (
            f"The review requested on {localdate(review.requested_at)} to move “{uc.title}” from "
            f"{source} to {target} was "
            f"due on {review.due_on} and is {day_count(late)} past its SLA. Approvals needed: "
            f"{needed or 'none listed'}; decisions recorded: {len(review.decisions.all())}."
        )
        key = f"review_overdue:uc={uc.pk}:review={review.pk}:due={review.due_on}"
        facts: dict[str, Any] = {"review": review.pk, "due_on": review.due_on, "days_late": late}
        facts.update(from_stage=review.from_stage, to_stage=review.to_stage, tier=review.tier)
        extra = _approver_emails(approvers, uc.org_unit.path, holders)
        subject = f"Review overdue: {uc.title}"
        out.append(finding(NoticeKind.REVIEW_OVERDUE, key, uc, subject, text, extra, **facts))
    return out


def _current_assessments(policy: Policy) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(is_current=True)
        .exclude(use_case__stage__in=[s.key for s in policy.stages if s.terminal])
        .select_related(*UC_PEOPLE)
        .order_by("assessed_at", "id")
    )


def assessments_due(today: dt.date, policy: Policy) -> list[Finding]:
    """Current, not stale, assessments older than their tier's review cadence.

    A stale assessment is reported as stale instead, not twice.
    """
    cadence = {str(tier): days for tier, days in policy.review_cadence_days.items()}
    old = reduce(
        or_,
        (
            Q(tier=tier, assessed_at__date__lt=today - dt.timedelta(days=days))
            for tier, days in cadence.items()
        ),
    )
    out = []
    for ra in _current_assessments(policy).filter(old, stale=False):
        uc, days = ra.use_case, cadence[ra.tier]
        assessed_on = localdate(ra.assessed_at)
        due_on = assessed_on + dt.timedelta(days=days)
        text = (
            f"The current {ra.tier}-tier risk assessment of “{uc.title}” was made on "
            f"{assessed_on}. The policy asks for a re-review every {day_count(days)}, so it was "
            f"due on {due_on} ({day_count((today - due_on).days)} ago). Re-assess the use case."
        )
        key = f"assessment_due:uc={uc.pk}:assessment={ra.pk}"
        facts: dict[str, Any] = {"assessment": ra.pk, "tier": ra.tier, "assessed_on": assessed_on}
        facts.update(due_on=due_on, cadence_days=days)
        subject = f"Risk re-assessment due: {uc.title}"
        out.append(finding(NoticeKind.ASSESSMENT_DUE, key, uc, subject, text, **facts))
    return out


def stale_assessments(today: dt.date, policy: Policy) -> list[Finding]:
    """Current assessments a material change made stale, for use cases still in play.

    One event per assessment: re-assessing creates a new one, which can go stale anew.
    """
    out = []
    for ra in _current_assessments(policy).filter(stale=True):
        uc = ra.use_case
        since = localdate(ra.stale_since) if ra.stale_since else None
        text = (
            f"The risk assessment of “{uc.title}” made on {localdate(ra.assessed_at)} is stale"
            f"{f' since {since}' if since else ''}: {ra.stale_reason or 'a material change'}. "
            "Re-assess the use case before its next gate."
        )
        key = f"assessment_stale:uc={uc.pk}:assessment={ra.pk}"
        facts: dict[str, Any] = {"assessment": ra.pk, "tier": ra.tier, "stale_since": since}
        subject = f"Risk assessment stale: {uc.title}"
        kind = NoticeKind.ASSESSMENT_STALE
        out.append(finding(kind, key, uc, subject, text, reason=ra.stale_reason, **facts))
    return out


def overdue_conditions(today: dt.date, policy: Policy) -> list[Finding]:
    """Open conditions of approvals past their due date; their owner is told as well.

    One event per condition and due date (a condition is not re-dated, so: once).
    """
    rows = (
        ReviewCondition.objects.filter(status=ConditionStatus.OPEN, due_on__lt=today)
        .select_related("owner", "review", "decision", *UC_PEOPLE)
        .order_by("due_on", "id")
    )
    out = []
    for c in rows:
        uc, late = c.use_case, (today - c.due_on).days
        source, target = (stage_label(policy, s) for s in (c.review.from_stage, c.review.to_stage))
        text = (
            f"A condition of the approval of “{uc.title}” "
            f"({source} → {target}, "
            f"review #{c.review_id}, decided by {c.decision.reviewer_name}) was due on "
            f"{c.due_on} and is still open, {day_count(late)} late: “{c.text}”. "
            f"Its owner is {c.owner.get_full_name() or c.owner.get_username()}: mark it met, "
            "or ask a reviewer to waive it with a reason."
        )
        key = f"condition_overdue:uc={uc.pk}:condition={c.pk}:due={c.due_on}"
        facts: dict[str, Any] = {"condition": c.pk, "review": c.review_id, "due_on": c.due_on}
        facts.update(days_late=late, condition_text=c.text)
        subject = f"Condition overdue: {uc.title}"
        kind = NoticeKind.CONDITION_OVERDUE
        out.append(finding(kind, key, uc, subject, text, emails([c.owner]), **facts))
    return out


def find_all(today: dt.date, policy: Policy) -> list[Finding]:
    """Every finding of every kind, in the order the finders were registered with."""
    return [f for finder in finders.in_order() for f in finder.find(today, policy)]
