"""`aiom audit rekey`: convert a chain hashed before keyed hashing, once, under the key.

Chains written before keyed hashing carry plain SHA-256 hashes; events written after an
upgrade carry HMACs. Rekey checks the whole chain first (every link holds, every hash is
either the plain or the keyed one, and no plain one follows a keyed one), then re-hashes
every event under the key, moves the head and records an `audit_rekey` event. It refuses
once anchors exist: an anchored chain is keyed already, and re-hashing it would turn a
rewrite by someone without the key (plain SHA-256 again) into a chain that verifies.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from aiom.core import anchors, audit
from aiom.core.audit_key import audit_key, key_id
from aiom.core.models import GENESIS_HASH, AuditChainHead, AuditEvent


class RekeyRefusedError(Exception):
    """The chain cannot be converted; the message names why (and the event)."""


@dataclass(frozen=True)
class Rekeyed:
    events: int
    plain: int
    key_id: str


@transaction.atomic
def rekey() -> Rekeyed:
    """Re-hash the whole chain under the audit key; see the module docstring."""
    path = anchors.default_path()
    if path.exists() and path.stat().st_size > 0:
        raise RekeyRefusedError(
            f"{path} holds anchors: this chain was keyed already. A chain that no longer "
            "verifies after that was rewritten or is checked with the wrong key; rekey "
            "would hide it"
        )
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    key = audit_key()
    updates: list[tuple[str, str, int]] = []
    prev_old, prev_new, plain, keyed_seen = GENESIS_HASH, GENESIS_HASH, 0, False
    for seq, event in enumerate(AuditEvent.objects.order_by("seq").iterator(2000), start=1):
        if event.seq != seq:
            raise RekeyRefusedError(f"event #{seq} is missing; the chain is broken, not converted")
        if event.prev_hash != prev_old:
            raise RekeyRefusedError(
                f"event {audit.describe(event)} does not link to the one before"
            )
        if event.hash == audit.compute_hash(event, key):
            keyed_seen = True
        elif event.hash == audit.plain_hash(event) and not keyed_seen:
            plain += 1
        else:
            raise RekeyRefusedError(
                f"event {audit.describe(event)} was altered after it was written"
            )
        prev_old = event.hash
        event.prev_hash = prev_new
        prev_new = audit.compute_hash(event, key)
        updates.append((event.prev_hash, prev_new, event.pk))
    if head.seq != len(updates) or head.last_hash != prev_old:
        raise RekeyRefusedError(f"the chain ends at #{len(updates)} but its head says #{head.seq}")
    if not plain:
        raise RekeyRefusedError("every event is keyed already: nothing to convert")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        # Append-only rows: the one sanctioned rewrite, in the head's lock and transaction.
        cursor.executemany(
            f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            updates,
        )
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev_new)
    kid = key_id(key)
    head.refresh_from_db()
    audit.record(
        actor=None,
        action="audit_rekey",
        obj=head,
        after={"events": len(updates), "plain": plain, "key_id": kid},
        message=f"{len(updates)} events re-hashed under the audit key {kid}",
    )
    return Rekeyed(len(updates), plain, kid)
