"""Writing and verifying the hash-chained audit trail.

`record` must run inside the caller's transaction (services are `@transaction.atomic`),
so the event and the change it describes commit or vanish together. It locks the chain
head row first, which serialises concurrent writers on PostgreSQL and SQLite alike.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.utils import timezone

from aiom.core import memo
from aiom.core.context import current_request_id
from aiom.core.models import GENESIS_HASH, AuditChainHead, AuditEvent

Actor = User | AnonymousUser | None


def jsonable(value: Any) -> Any:
    """Plain JSON types only, so a stored snapshot hashes the same after a round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def actor_name(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return str(full or actor.get_username())


def _event_payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "message": event.message,
        "request_id": event.request_id,
        "policy_version": event.policy_version,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    canonical = json.dumps(
        _event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


Listener = Callable[[list[models.Model]], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call `listener(objects)` inside the transaction of every audited write, after its
    events are appended: how an app keeps a read model of the domain (value's facts)
    without core knowing the domain."""
    if listener not in _listeners:
        _listeners.append(listener)


def _notify(objs: list[models.Model]) -> None:
    memo.moved()
    for listener in _listeners:
        listener(objs)


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    message: str = "",
    policy_version: int | None = None,
) -> AuditEvent:
    """Append one event describing `action` on `obj` by `actor`."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    user = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=user,
        actor_name=actor_name(actor)[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        message=message,
        request_id=current_request_id()[:64],
        policy_version=policy_version,
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, last_hash=event.hash)
    _notify([obj])
    return event


@dataclass(frozen=True)
class Entry:
    """One event for `record_many`: what `record` takes, minus the actor."""

    action: str
    obj: models.Model
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    message: str = ""
    policy_version: int | None = None


def record_many(
    *, actor: Actor, entries: Iterable[Entry], batch_size: int = 1000
) -> list[AuditEvent]:
    """Append many events by one actor in one go: the head is locked and moved once.

    For imports: the same chain, the same hashes as `record`, without a round trip per
    event. Must run inside the caller's transaction, like `record`.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the service's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    user = actor if actor is not None and actor.is_authenticated else None
    name, request_id, prev, seq = (
        actor_name(actor)[:150],
        current_request_id()[:64],
        head.last_hash,
        head.seq,
    )
    events, objs = [], []
    for entry in entries:
        objs.append(entry.obj)
        seq += 1
        event = AuditEvent(
            seq=seq,
            at=timezone.now(),
            actor=user,
            actor_name=name,
            action=entry.action,
            object_type=entry.obj._meta.label_lower,
            object_id=str(entry.obj.pk),
            object_repr=str(entry.obj)[:300],
            before=jsonable(entry.before) if entry.before is not None else None,
            after=jsonable(entry.after) if entry.after is not None else None,
            message=entry.message,
            request_id=request_id,
            policy_version=entry.policy_version,
            prev_hash=prev,
        )
        event.hash = prev = compute_hash(event)
        events.append(event)
    if events:
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, last_hash=prev)
        _notify(objs)
    return events


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain() -> ChainReport:
    """Walk the chain in order; report the first event whose link or content is wrong."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked, event.seq, f"event #{event.seq} does not link to event #{event.seq - 1}"
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                checked, event.seq, f"event #{event.seq} was altered after it was written"
            )
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.last_hash != expected_prev):
        return ChainReport(
            checked, checked + 1, f"the chain ends at #{checked} but its head says #{head.seq}"
        )
    return ChainReport(checked)
