"""What an attacker with write access to the database can do to the audit trail.

Everything goes through raw SQL, past the append-only guards of the model and queryset,
and the attacker tidies the chain head so that the head check holds. `old_verify` is the
verify aiom had before keyed hashing and anchors: plain SHA-256 links and the head.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from aiom.core import audit
from aiom.core.models import GENESIS_HASH, AuditChainHead, AuditEvent

HashFn = Callable[[AuditEvent], str]
TABLE = AuditEvent._meta.db_table
WRONG_KEY = b"an-attacker-guess-" + b"w" * 32


def plain(event: AuditEvent) -> str:
    """What anyone can compute: the unkeyed SHA-256 aiom used before."""
    return audit.plain_hash(event)


def keyed_with(key: bytes) -> HashFn:
    return lambda event: audit.compute_hash(event, key)


def old_verify() -> bool:
    """aiom's verify before this change: every link, every plain hash, and the head."""
    prev, seq = GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq"):
        seq += 1
        if event.seq != seq or event.prev_hash != prev or plain(event) != event.hash:
            return False
        prev = event.hash
    head = AuditChainHead.objects.get(pk=1)
    return head.seq == seq and head.last_hash == prev


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _set_head() -> None:
    last = AuditEvent.objects.order_by("-seq").first()
    seq, hash_ = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    AuditChainHead.objects.filter(pk=1).update(seq=seq, last_hash=hash_)


def end() -> AuditEvent:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    return last


def delete_last(n: int) -> int:
    """Delete the last `n` events and move the head back; returns the new end's seq."""
    cut = end().seq - n
    sql(f"DELETE FROM {TABLE} WHERE seq > %s", [cut])
    _set_head()
    return cut


def rehash_from(seq: int, hash_fn: HashFn, **changes: object) -> None:
    """Change the event at `seq` (`changes`), then re-hash it and every later event."""
    before = AuditEvent.objects.filter(seq=seq - 1).first()
    prev = before.hash if before else GENESIS_HASH
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        if event.seq == seq:
            for name, value in changes.items():
                setattr(event, name, value)
        event.prev_hash = prev
        event.hash = prev = hash_fn(event)
        sql(
            f"UPDATE {TABLE} SET message = %s, object_repr = %s, prev_hash = %s, hash = %s "
            "WHERE id = %s",
            [event.message, event.object_repr, event.prev_hash, event.hash, event.pk],
        )
    _set_head()


def append_forged(n: int, hash_fn: HashFn) -> int:
    """Append `n` made-up events that link to the end; returns the first one's seq."""
    last = end()
    first, prev = last.seq + 1, last.hash
    for i in range(n):
        event = AuditEvent(
            seq=first + i,
            at=last.at + dt.timedelta(seconds=i + 1),
            actor_name="system",
            action="note",
            object_type=last.object_type,
            object_id=last.object_id,
            object_repr=last.object_repr,
            message=f"forged {i}",
            prev_hash=prev,
        )
        event.hash = prev = hash_fn(event)
        AuditEvent.objects.bulk_create([event])
    _set_head()
    return first


def make_legacy() -> None:
    """Turn the chain into one written before keyed hashing (plain SHA-256 throughout)."""
    rehash_from(1, plain)


@contextmanager
def on_a_legacy_chain() -> Iterator[None]:
    """Run the block on the pre-change (unkeyed) chain, then undo everything it did."""
    with transaction.atomic():
        make_legacy()
        assert old_verify()
        yield
        transaction.set_rollback(True)
