"""Writing and verifying the hash-chained audit trail.

`record` must run inside the caller's transaction (services are `@transaction.atomic`),
so the event and the change it describes commit or vanish together. It locks the chain
head row first, which serialises concurrent writers on PostgreSQL and SQLite alike.

Each event's hash is an HMAC-SHA256 under the audit key (aiom.core.audit_key), which lives
outside the database: someone who can only write rows cannot re-hash the chain after an
edit. Truncation and wholesale rewriting are caught against anchors (aiom.core.anchors).
A chain from before keyed hashing is converted once with `aiom audit rekey`.
"""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.utils import timezone

from aiom.core import memo, registry
from aiom.core.audit_hooks import GUARDS, LISTENERS
from aiom.core.audit_key import audit_key
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


def _canonical(event: AuditEvent) -> bytes:
    text = json.dumps(
        _event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")


def compute_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """The event's hash: HMAC-SHA256 of its canonical JSON under the audit key."""
    key = audit_key() if key is None else key
    return hmac.new(key, _canonical(event), hashlib.sha256).hexdigest()


def plain_hash(event: AuditEvent) -> str:
    """The unkeyed SHA-256 that chains from before keyed hashing used (and anyone can make)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def describe(event: AuditEvent) -> str:
    """The event for a report: position, id, time, action and object."""
    at = event.at.astimezone(dt.UTC).isoformat(timespec="seconds")
    return (
        f"#{event.seq} (id {event.pk}) at {at}: {event.action} "
        f"{event.object_type}:{event.object_id} “{event.object_repr}”"
    )


def _admit(actor: Actor) -> None:
    for check in registry.entries(GUARDS).values():
        check(actor)


def _notify(objs: list[models.Model]) -> None:
    memo.moved()
    for listener in registry.entries(LISTENERS).values():
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
    _admit(actor)
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
    _admit(actor)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    user = actor if actor is not None and actor.is_authenticated else None
    name, request_id, prev, seq = (
        actor_name(actor)[:150],
        current_request_id()[:64],
        head.last_hash,
        head.seq,
    )
    events, objs, key = [], [], audit_key()
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
        event.hash = prev = compute_hash(event, key)
        events.append(event)
    if events:
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, last_hash=prev)
        _notify(objs)
    return events


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found: `checked` events good up to the first broken one.

    `last` is the last good event walked (seq and hash); `seen` the hashes of the events
    at the positions the caller asked to watch (anchors), as stored.
    """

    checked: int
    broken_seq: int | None = None
    reason: str = ""
    event: str = ""
    last: tuple[int, str] = (0, GENESIS_HASH)
    seen: Mapping[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _altered(event: AuditEvent) -> str:
    if plain_hash(event) == event.hash:
        return (
            f"event #{event.seq} is hashed without the audit key (plain SHA-256): a chain "
            "from before keyed hashing (convert it once with `aiom audit rekey`) or one "
            "rewritten by someone who does not hold the key"
        )
    return (
        f"event #{event.seq} was altered after it was written "
        "(or the audit key is not the one it was written with)"
    )


def verify_chain(*, since: tuple[int, str] | None = None, watch: Iterable[int] = ()) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content is wrong.

    `since=(seq, hash)` starts at a trusted point (an anchor): the event at `seq` must
    still have that hash, and only it and the events after it are walked.
    """
    key, watched = audit_key(), set(watch)
    seen: dict[int, str] = {}
    expected_seq, expected_prev = 1, GENESIS_HASH
    events = AuditEvent.objects.order_by("seq")
    if since is not None and since[0] > 0:
        expected_seq, expected_prev = since[0], ""
        events = events.filter(seq__gte=since[0])
    last, checked = (expected_seq - 1, since[1] if since else GENESIS_HASH), 0

    def broken(seq: int, reason: str, event: AuditEvent | None = None) -> ChainReport:
        text = describe(event) if event is not None else ""
        return ChainReport(checked, seq, reason, text, last, seen)

    for event in events.iterator(chunk_size=2000):
        if event.seq in watched:
            seen[event.seq] = event.hash
        if event.seq != expected_seq:
            return broken(expected_seq, f"event #{expected_seq} is missing")
        if expected_prev and event.prev_hash != expected_prev:
            reason = f"event #{event.seq} does not link to event #{event.seq - 1}"
            return broken(event.seq, reason, event)
        if not expected_prev and since is not None and event.hash != since[1]:
            reason = f"event #{event.seq} no longer has the hash it was anchored with"
            return broken(event.seq, reason, event)
        if compute_hash(event, key) != event.hash:
            return broken(event.seq, _altered(event), event)
        expected_prev, last = event.hash, (event.seq, event.hash)
        expected_seq += 1
        checked += 1
    if since is not None and since[0] > 0 and checked == 0:
        return broken(since[0], f"event #{since[0]} is missing")
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last[0] or head.last_hash != last[1]):
        return broken(last[0] + 1, f"the chain ends at #{last[0]} but its head says #{head.seq}")
    return ChainReport(checked, last=last, seen=seen)
