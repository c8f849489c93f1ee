"""What a publication approved, and re-opening it when the use case changes under it.

A publish decision snapshots the use case's public fields and the facts its oversight
statement rests on (`approved_facts`). Whenever an audited write touches a use case whose
current decision publishes it (whatever the path: page, API, import, CLI), `reopen_changed`
compares the live use case with that snapshot; a difference re-opens the decision: pending
review, with why, one audit event, in the write's own transaction. The register keeps
showing the approved snapshot until a new decision approves the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from aiom.core import audit
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import AIType
from aiom.transparency.models import PublicationDecision

# Public fields the register shows from the snapshot, and the facts the oversight rests on.
LABELS = {
    "title": "title",
    "ai_type": "kind of AI",
    "org_unit": "org unit",
    "automated_decisions": "automated decisions about people",
}


def approved_facts(uc: UseCase) -> dict[str, Any]:
    return {
        "title": uc.title,
        "ai_type": uc.ai_type,
        "org_unit": uc.org_unit_id,
        "org_unit_name": uc.org_unit.name,
        "automated_decisions": uc.automated_decisions,
    }


def _shown(key: str, value: Any) -> str:
    if key == "ai_type" and value in AIType.values:
        return str(AIType(value).label)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"“{value}”" if key == "title" else str(value)


def changes(approved: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """PURE: what changed since the approval, in words; empty when nothing did."""
    out = []
    for key, label in LABELS.items():
        if key in approved and approved[key] != live.get(key):
            was = approved.get("org_unit_name") if key == "org_unit" else approved[key]
            now = live.get("org_unit_name") if key == "org_unit" else live.get(key)
            out.append(f"its {label} changed from {_shown(key, was)} to {_shown(key, now)}")
    return out


def _current_publications(ids: Sequence[int]) -> dict[int, PublicationDecision]:
    """The newest decision of each use case in `ids`, kept only where it publishes."""
    newest: dict[int, PublicationDecision] = {}
    rows = PublicationDecision.objects.filter(use_case_id__in=ids).order_by(
        "use_case_id", "-decided_at", "-pk"
    )
    for d in rows:
        newest.setdefault(d.use_case_id, d)
    return {pk: d for pk, d in newest.items() if d.publish and d.reopened_at is None}


def reopen_changed(objs: list[models.Model]) -> None:
    """The audit listener: re-open publications whose use case no longer matches them."""
    use_cases = {o.pk: o for o in objs if isinstance(o, UseCase) and o.pk is not None}
    if not use_cases:
        return
    current = _current_publications(list(use_cases))
    if not current:
        return
    # As stored, not as passed; one query for a batch (an import touching many use cases).
    stored = UseCase.objects.select_related("org_unit").in_bulk(list(current))
    for pk, decision in current.items():
        why = changes(decision.approved, approved_facts(stored[pk]))
        if why:
            reopen(decision, "; ".join(why))


def reopen(decision: PublicationDecision, reason: str) -> None:
    """Mark `decision` pending review for `reason` (the system does it: no actor)."""
    before = decision.snapshot()
    decision.reopened_at = timezone.now()
    decision.reopened_reason = f"Re-opened for review: {reason}."
    decision.save(update_fields=["reopened_at", "reopened_reason"])
    audit.record(
        actor=None,
        action="publication.reopen",
        obj=decision,
        before=before,
        after=decision.snapshot(),
        message=f"Publication of “{decision.approved.get('title', '')}” pending review: {reason}.",
    )
