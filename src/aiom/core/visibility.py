"""Which audit events a user may read: never more than the objects they may see."""

from typing import Any

from django.db.models import CharField, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from aiom.core.models import AuditEvent
from aiom.organisation.access import access_for

USE_CASE = "portfolio.usecase"
PUBLIC_INTERNAL_TYPES = ("organisation.orgunit", "portfolio.theme")
# Events on one use case that name another (similarity links): readable only when the reader
# may see both ends, or the other end's id and the link's reason would leak.
LINK_ACTIONS = ("link_use_case", "unlink_use_case")


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    from aiom.portfolio.models import UseCase

    access = access_for(user)
    events = AuditEvent.objects.all()
    if not access.is_authenticated:
        return events.none()
    if access.is_admin:
        return events
    visible_ids = (
        UseCase.objects.visible_to(user)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    allowed = Q(object_type=USE_CASE, object_id__in=visible_ids)
    if access.is_internal:
        allowed |= Q(object_type__in=PUBLIC_INTERNAL_TYPES)
    visible_pks = UseCase.objects.visible_to(user).values("pk")
    both_ends_visible = Q(link_from__in=visible_pks) & Q(link_to__in=visible_pks)
    return events.alias(link_from=_end("from_use_case"), link_to=_end("to_use_case")).filter(
        allowed & (~Q(action__in=LINK_ACTIONS) | both_ends_visible)
    )


def _end(key: str) -> Cast:
    """One end of a link event, from its snapshot (`after` on link, `before` on unlink)."""
    return Cast(Coalesce(KT(f"after__{key}"), KT(f"before__{key}")), output_field=IntegerField())
