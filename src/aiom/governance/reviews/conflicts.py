"""Whose approval a review cannot count: its conflict window, judged from the audit trail.

The window opens at the earlier of the review's request and the assessment it rests on
(the use case's current assessment) and runs until now. Anyone who, in that window,
requested a review, answered, overrode or confirmed the assessment, prepared the gate
(pilot plan, exit criteria, KPIs and their measurements, obligations met, an override
of a failing gate check), or was the use
case's owner, sponsor or proposer, is in the window and cannot approve. It is read from durable
history (the audit trail and the rows' own columns), so every write path — API, page,
CLI, imports — is covered, whatever changed the use case.

When an event that opened the window cannot be found (rows made without services), the
window is the whole history: the judgement errs on the side of excluding.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Min

from aiom.core.models import AuditEvent
from aiom.governance.models import ReviewRequest, RiskAssessment

USE_CASE = "portfolio.usecase"
ACTIONS = {
    "assess": "answered the risk assessment",
    "override_tier": "overrode the risk tier",
    "confirm_lower_tier": "confirmed a lower risk tier",
    "reject_lower_tier": "kept the risk tier against a lowering",
    "request_review": "requested a review",
    "plan_pilot": "prepared the gate: the pilot plan and its exit criteria",
    "extend_pilot": "prepared the gate: extended the pilot",
    "gate_override": "prepared the gate: overrode a gate check that failed",
    "obligation_status": "prepared the gate: set an obligation's status",
    "obligation_evidence": "prepared the gate: recorded evidence for an obligation",
}
PEOPLE = {"owner": "was the owner", "sponsor": "was the sponsor"}


@dataclass(frozen=True)
class Window:
    """Who the review's conflict window excludes, and why (user id -> reasons)."""

    review_id: int
    from_seq: int
    start: dt.datetime | None
    excluded: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def reason(self, user_id: int | None) -> str | None:
        """Why this person cannot approve ('you ...'), or None if they are not excluded."""
        if user_id is None or user_id not in self.excluded:
            return None
        return "; ".join(self.excluded[user_id])

    def record(self, names: Mapping[int, str]) -> dict[str, Any]:
        """The window as a decision's snapshot keeps it."""
        return {
            "from_seq": self.from_seq,
            "start": None if self.start is None else self.start.isoformat(),
            "excluded": [
                {"id": pk, "name": names.get(pk, str(pk)), "why": list(why)}
                for pk, why in sorted(self.excluded.items())
            ],
        }


class _Collector:
    def __init__(self) -> None:
        self.why: dict[int, list[str]] = {}

    def add(self, user_id: Any, reason: str) -> None:
        if isinstance(user_id, int) and reason not in self.why.setdefault(user_id, []):
            self.why[user_id].append(reason)

    def person(self, ref: Any, reason: str) -> None:
        if isinstance(ref, Mapping):
            self.add(ref.get("id"), reason)


def _opening_seq(uc_id: int, review: ReviewRequest, current: RiskAssessment | None) -> int:
    """The first audit sequence number inside the window (0: the whole history)."""
    events = AuditEvent.objects.filter(object_type=USE_CASE, object_id=str(uc_id))
    asked = events.filter(action="request_review", after__review=review.pk).aggregate(s=Min("seq"))
    seqs = [asked["s"]]
    if current is not None:
        assessed = events.filter(action="assess", after__assessment=current.pk).aggregate(
            s=Min("seq")
        )
        seqs.append(assessed["s"])
    if any(s is None for s in seqs):
        return 0
    return min(int(s) for s in seqs)


def _gate_events(uc_id: int, from_seq: int) -> Iterable[tuple[Any, str]]:
    """(actor id, reason) for KPIs and measurements written in the window."""
    kpi_ids = list(
        apps.get_model("value", "KPI")
        .objects.filter(use_case_id=uc_id)
        .values_list("pk", flat=True)
    )
    if not kpi_ids:
        return []
    kpis = AuditEvent.objects.filter(
        object_type="value.kpi", object_id__in=[str(k) for k in kpi_ids], seq__gte=from_seq
    ).values_list("actor_id", flat=True)
    measurements = AuditEvent.objects.filter(
        object_type="value.measurement", after__kpi__in=kpi_ids, seq__gte=from_seq
    ).values_list("actor_id", flat=True)
    return [
        *((a, "prepared the gate: defined or changed a KPI") for a in kpis),
        *((a, "prepared the gate: recorded a KPI measurement") for a in measurements),
    ]


def window_for(review: ReviewRequest) -> Window:
    """The review's conflict window, read from the use case's rows and audit trail."""
    uc = review.use_case
    current = (
        RiskAssessment.objects.filter(use_case_id=uc.pk, is_current=True)
        .only("pk", "assessed_by", "override_by", "lowered_by", "lowering_confirmed_by")
        .first()
    )
    from_seq = _opening_seq(uc.pk, review, current)
    got = _Collector()
    got.add(uc.owner_id, PEOPLE["owner"])
    got.add(uc.sponsor_id, PEOPLE["sponsor"])
    got.add(uc.proposed_by_id, "proposed the use case")
    got.add(review.requested_by_id, "requested this review")
    if current is not None:
        got.add(current.assessed_by_id, ACTIONS["assess"])
        got.add(current.override_by_id, ACTIONS["override_tier"])
        got.add(current.lowered_by_id, "proposed the lower risk tier")
        got.add(current.lowering_confirmed_by_id, ACTIONS["confirm_lower_tier"])
    events = AuditEvent.objects.filter(
        object_type=USE_CASE, object_id=str(uc.pk), seq__gte=from_seq
    ).values_list("actor_id", "action", "before", "after", "at")
    start: dt.datetime | None = None
    for actor_id, action, before, after, at in events.order_by("seq"):
        start = at if start is None else start
        if action in ACTIONS:
            got.add(actor_id, ACTIONS[action])
        for snap in (before, after):
            if isinstance(snap, Mapping):
                for key, reason in PEOPLE.items():
                    got.person(snap.get(key), reason)
    for actor_id, reason in _gate_events(uc.pk, from_seq):
        got.add(actor_id, reason)
    return Window(
        review_id=review.pk,
        from_seq=from_seq,
        start=start,
        excluded={pk: tuple(why) for pk, why in got.why.items()},
    )
