"""What a reviewer has in front of them when deciding: a read model of one review.

The assessment as questions and answers in words (under the policy version it was made
with), its score, duties and why the tier; the gate of the move with each check's
result and any overrides; the pilot plan with each exit criterion's current result; the
sections other apps register (`brief_sections`: the obligations still open, the open
incidents); what changed on the use case since the last review (from the audit trail the
viewer may read); each approver role ticked off with who approved; and the conditions of
approvals.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from aiom.core.models import AuditEvent
from aiom.core.visibility import audit_events_visible_to
from aiom.governance.models import (
    APPROVING,
    PolicyVersion,
    ReviewCondition,
    ReviewRequest,
    RiskAssessment,
)
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import active_policy, load_text
from aiom.governance.reviews import brief_sections
from aiom.governance.reviews.conditions import for_viewer, of_review
from aiom.lifecycle.exit_criteria import CriterionResult, judge_all
from aiom.lifecycle.gates import GateReport, facts_for, gate_report, pilot_facts
from aiom.lifecycle.measurements import latest_by_metric
from aiom.lifecycle.models import GateOverride, PilotPlan
from aiom.lifecycle.overrides import for_move
from aiom.organisation.models import Role
from aiom.portfolio.audit_visibility import USE_CASE

ROLE_LABELS = {key: str(label) for key, label in Role.choices}
CHANGES_SHOWN = 40
QUIET_ACTIONS = ("decision", "request_review")  # the reviews themselves, shown elsewhere


@dataclass(frozen=True)
class AnswerLine:
    question: str
    answer: str


@dataclass(frozen=True)
class ApproverTick:
    role: str
    label: str
    needed: int
    approved_by: tuple[str, ...]

    @property
    def satisfied(self) -> bool:
        return len(self.approved_by) >= self.needed


@dataclass(frozen=True)
class Change:
    event: AuditEvent
    fields: tuple[str, ...]


@dataclass
class Brief:
    assessment: RiskAssessment | None
    answers: list[AnswerLine]
    gate: GateReport | None
    plan: PilotPlan | None
    criteria: list[CriterionResult]
    sections: list[brief_sections.Section]  # other apps' (open obligations, incidents)
    previous: ReviewRequest | None
    changes_since: dt.datetime | None
    changes: list[Change]
    ticks: list[ApproverTick]
    overrides: list[GateOverride]
    conditions: list[ReviewCondition] = field(default_factory=list)


def _policy_of(version: int, cache: dict[int, Policy]) -> Policy | None:
    if version not in cache:
        row = PolicyVersion.objects.filter(version=version).only("content").first()
        if row is None:
            return None
        cache[version] = load_text(row.content)
    return cache[version]


def answer_lines(a: RiskAssessment) -> list[AnswerLine]:
    """The answers in words, as the questionnaire of the assessment's policy put them."""
    active = active_policy()
    cache = {active.version: active.policy}
    policy = _policy_of(a.policy_version, cache) or active.policy
    lines = []
    for key, given in (a.answers or {}).items():
        q = policy.question(key)
        if q is None:
            lines.append(AnswerLine(key.replace("_", " "), str(given)))
            continue
        texts = {ans.key: ans.text for ans in q.answers}
        keys = given if isinstance(given, list) else [given]
        lines.append(AnswerLine(q.text, "; ".join(texts.get(str(k), str(k)) for k in keys)))
    return lines


def ticks(review: ReviewRequest) -> list[ApproverTick]:
    """Each approver role: how many it needs and who approved in it (live approvals)."""
    live = [
        d
        for d in review.decisions.all()
        if d.outcome in APPROVING and getattr(d, "voided_at", None) is None
    ]
    return [
        ApproverTick(
            str(a["role"]),
            ROLE_LABELS.get(str(a["role"]), str(a["role"])),
            int(a["count"]),
            tuple(d.reviewer_name for d in live if d.role == a["role"]),
        )
        for a in review.approvers
    ]


def _changed_fields(event: AuditEvent) -> tuple[str, ...]:
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ()
    keys = [k for k in after if k != "version" and before.get(k) != after.get(k)]
    return tuple(k.replace("_", " ") for k in keys)


def changes_since_last_review(
    user: Any, review: ReviewRequest
) -> tuple[ReviewRequest | None, dt.datetime | None, list[Change]]:
    """The previous review of the use case, since when, and the events after it."""
    uc = review.use_case
    previous = (
        ReviewRequest.objects.filter(use_case=uc, requested_at__lt=review.requested_at)
        .exclude(pk=review.pk)
        .order_by("-requested_at", "-id")
        .first()
    )
    since = None if previous is None else (previous.closed_at or previous.requested_at)
    events = audit_events_visible_to(user).filter(object_type=USE_CASE, object_id=str(uc.pk))
    if since is not None:
        events = events.filter(at__gt=since)
    events = events.exclude(action__in=QUIET_ACTIONS).order_by("-seq")[:CHANGES_SHOWN]
    return previous, since, [Change(e, _changed_fields(e)) for e in events]


def brief(user: Any, review: ReviewRequest) -> Brief:
    uc = review.use_case
    policy = active_policy().policy
    assessment = uc.assessments.filter(is_current=True).select_related("assessed_by").first()
    plan = PilotPlan.objects.filter(use_case=uc).first()
    gate = None
    if uc.stage == review.from_stage:
        gate = gate_report(policy, facts_for(uc), review.to_stage)
    facts = pilot_facts(plan)
    criteria = judge_all(facts.criteria, latest_by_metric([uc.pk]).get(uc.pk, {})) if facts else []
    sections = brief_sections.for_review(review)
    previous, since, changes = changes_since_last_review(user, review)
    return Brief(
        assessment=assessment,
        answers=answer_lines(assessment) if assessment else [],
        gate=gate,
        plan=plan,
        criteria=criteria,
        sections=sections,
        previous=previous,
        changes_since=since,
        changes=changes,
        ticks=ticks(review),
        overrides=list(for_move(uc, review.from_stage, review.to_stage)),
        conditions=for_viewer(user, list(of_review(review)), timezone.localdate()),
    )
