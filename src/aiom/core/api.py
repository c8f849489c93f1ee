"""/api/v1/audit-events: the trail, read-only, scoped to what the reader may see."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.models import AuditEvent
from aiom.core.schemas import AuditEventOut
from aiom.core.visibility import audit_events_visible_to

router = Router(tags=["audit events"])


@router.get("", response=list[AuditEventOut], summary="List audit events, newest first")
@paginate(LimitOffsetPagination)
def list_audit_events(
    request: HttpRequest,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    actor: int | None = None,
) -> Any:
    events = audit_events_visible_to(request.user).order_by("-seq")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if action:
        events = events.filter(action=action)
    if actor is not None:
        events = events.filter(actor_id=actor)
    return events


@router.get("/{int:seq}", response=AuditEventOut, summary="Get one audit event")
def get_audit_event(request: HttpRequest, seq: int) -> AuditEvent:
    event = audit_events_visible_to(request.user).filter(seq=seq).first()
    if event is None:
        raise Http404(f"no audit event #{seq}")
    return event
