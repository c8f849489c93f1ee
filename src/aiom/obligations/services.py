"""Every write to obligations: validated, permission-checked, atomic, audited.

Status may be set by whoever may edit the use case and by reviewers who cover it;
evidence is added by those who may edit it. An uploaded file is checked and stored
before the row is written, and removed again if the row does not commit.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.obligations import uploads
from aiom.obligations.derive import STATUS_LABELS, derive
from aiom.obligations.facts import active_pack, case_facts
from aiom.obligations.models import Evidence, ObligationStatus, Status
from aiom.obligations.pack import Obligation
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

MAX_REASON = 2_000
MAX_NOTE = 500


def can_mark(user: Any, use_case: UseCase) -> bool:
    return permissions.can_edit(user, use_case) or permissions.can_review(user, use_case)


def can_add_evidence(user: Any, use_case: UseCase) -> bool:
    return permissions.can_edit(user, use_case)


def _owed(use_case: UseCase, key: str) -> Obligation:
    obligation = next(
        (o for o in derive(active_pack(), case_facts(use_case)) if o.key == key), None
    )
    if obligation is None:
        raise InvalidInput({"obligation": f"'{key}' is not an obligation this use case owes"})
    return obligation


def snapshot(row: ObligationStatus, key: str) -> dict[str, Any]:
    return {"obligation": key, "status": str(row.status), "reason": row.reason}


@transaction.atomic
def set_status(
    *, actor: audit.Actor, use_case: UseCase, obligation: str, status: str, reason: str = ""
) -> ObligationStatus:
    """Mark an owed obligation met, open, or not applicable (with a reason)."""
    if actor is not None and not can_mark(actor, use_case):
        raise PermissionDenied(
            "only those who may edit this use case or review it mark obligations"
        )
    found = _owed(use_case, obligation)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = f"not one of: {', '.join(Status.values)}"
    elif status == Status.NOT_APPLICABLE and not reason:
        errors["reason"] = "say why this obligation does not apply"
    if len(reason) > MAX_REASON:
        errors["reason"] = f"at most {MAX_REASON} characters"
    if errors:
        raise InvalidInput(errors)
    kept = ObligationStatus.objects.select_for_update().filter(
        use_case=use_case, obligation=obligation
    )
    held = kept.values_list("status", "reason").first() or (Status.OPEN, "")
    if held == (status, reason if status == Status.NOT_APPLICABLE else ""):
        # saved unchanged: no save, no event (and no row where none was needed)
        return kept.first() or ObligationStatus(use_case=use_case, obligation=obligation)
    # A new row starts open, which is what no row meant: the snapshot before is the same.
    row, _ = ObligationStatus.objects.select_for_update().get_or_create(
        use_case=use_case, obligation=obligation, defaults={"status": Status.OPEN}
    )
    before = snapshot(row, obligation)
    row.status = status
    row.reason = reason if status == Status.NOT_APPLICABLE else ""
    row.updated_by = actor if actor is not None and actor.is_authenticated else None
    row.updated_at = timezone.now()
    row.save()
    audit.record(
        actor=actor,
        action="obligation_status",
        obj=use_case,
        before=before,
        after=snapshot(row, obligation),
        message=f"Obligation “{found.title}”: {STATUS_LABELS[status]}.",
    )
    return row


def _check_url(url: str) -> str | None:
    if len(url) > 500:
        return "at most 500 characters"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return "enter an http(s) link"
    return None


@transaction.atomic
def add_evidence(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    obligation: str,
    url: str = "",
    chunks: Iterable[bytes] | None = None,
    filename: str = "",
    note: str = "",
) -> Evidence:
    """Record a link or an uploaded file (its chunks and client name) as evidence."""
    if actor is not None and not can_add_evidence(actor, use_case):
        raise PermissionDenied("only those who may edit this use case add evidence")
    found = _owed(use_case, obligation)
    url, note = (url or "").strip(), (note or "").strip()
    errors: dict[str, str] = {}
    if (chunks is None) == (not url):
        errors["file"] = "give either a link or a file"
    elif url and (problem := _check_url(url)):
        errors["url"] = problem
    if len(note) > MAX_NOTE:
        errors["note"] = f"at most {MAX_NOTE} characters"
    if errors:
        raise InvalidInput(errors)
    stored = uploads.store(chunks, filename) if chunks is not None else None
    try:
        evidence = Evidence.objects.create(
            use_case=use_case,
            obligation=obligation,
            url=url,
            note=note,
            added_by=actor if actor is not None and actor.is_authenticated else None,
            original_name=stored.original_name if stored else "",
            content_type=stored.content_type if stored else "",
            size=stored.size if stored else None,
            sha256=stored.sha256 if stored else "",
            stored_name=stored.name if stored else "",
        )
        after = {
            "obligation": obligation,
            "evidence": evidence.pk,
            "url": url,
            "file": stored.original_name if stored else "",
            "sha256": evidence.sha256,
            "size": evidence.size,
            "note": note,
        }
        audit.record(
            actor=actor,
            action="obligation_evidence",
            obj=use_case,
            after=after,
            message=f"Evidence for “{found.title}”: {stored.original_name if stored else url}.",
        )
    except BaseException:
        if stored is not None:
            uploads.discard(stored.name)
        raise
    return evidence
