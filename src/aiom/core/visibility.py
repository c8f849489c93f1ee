"""Which audit events a user may read: never more than the objects they may see."""

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from aiom.core.models import AuditEvent
from aiom.organisation.access import access_for

USE_CASE = "portfolio.usecase"
PUBLIC_INTERNAL_TYPES = ("organisation.orgunit", "portfolio.theme")


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
    return events.filter(allowed)
