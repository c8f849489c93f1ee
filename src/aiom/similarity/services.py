"""Linking use cases as duplicates or related work; audited on both use cases.

Who: anyone who may edit either use case (owner, sponsor, unit leads above it), admins
and global AI experts, and only between use cases the actor can see.
"""

from django.db import transaction

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.portfolio.models import UseCase
from aiom.portfolio.permissions import can_edit, can_see
from aiom.similarity.models import LinkKind, UseCaseLink

MIN_REASON = 10
MAX_REASON = 2000


def may_link(actor: audit.Actor, source: UseCase, target: UseCase) -> bool:
    if actor is None:
        return True
    if not (can_see(actor, source) and can_see(actor, target)):
        return False
    return can_edit(actor, source) or can_edit(actor, target)


def _snapshot(link: UseCaseLink) -> dict[str, object]:
    return {
        "link": link.pk,
        "from_use_case": link.from_use_case_id,
        "to_use_case": link.to_use_case_id,
        "kind": link.kind,
        "reason": link.reason,
    }


@transaction.atomic
def link(
    *, actor: audit.Actor, source: UseCase, target: UseCase, kind: str, reason: str
) -> UseCaseLink:
    """Record that `source` is `kind` `target`; one audit event on each use case."""
    if not may_link(actor, source, target):
        raise PermissionDenied("you may not link these use cases")
    reason = reason.strip()
    errors: dict[str, str] = {}
    if source.pk == target.pk:
        errors["target"] = "a use case cannot be linked to itself"
    if kind not in LinkKind.values:
        errors["kind"] = f"one of {', '.join(LinkKind.values)}"
    if len(reason) < MIN_REASON:
        errors["reason"] = f"say why in at least {MIN_REASON} characters"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"at most {MAX_REASON} characters"
    if (
        not errors
        and UseCaseLink.objects.filter(from_use_case=source, to_use_case=target, kind=kind).exists()
    ):
        errors["target"] = f"already linked as {LinkKind(kind).label}"
    if errors:
        raise InvalidInput(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    created = UseCaseLink.objects.create(
        from_use_case=source, to_use_case=target, kind=kind, reason=reason, created_by=user
    )
    after = _snapshot(created)
    label = LinkKind(kind).label
    audit.record(
        actor=actor,
        action="link_use_case",
        obj=source,
        after=after,
        message=f"{label} #{target.pk}",
    )
    audit.record(
        actor=actor,
        action="link_use_case",
        obj=target,
        after=after,
        message=f"#{source.pk} is {label} this",
    )
    return created


@transaction.atomic
def unlink(*, actor: audit.Actor, link: UseCaseLink) -> None:
    """Remove `link`; one audit event on each use case."""
    source, target = link.from_use_case, link.to_use_case
    if not may_link(actor, source, target):
        raise PermissionDenied("you may not unlink these use cases")
    before = _snapshot(link)
    link.delete()
    audit.record(actor=actor, action="unlink_use_case", obj=source, before=before)
    audit.record(actor=actor, action="unlink_use_case", obj=target, before=before)
