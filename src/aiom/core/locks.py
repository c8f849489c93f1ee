"""Named locks that hold across processes and hosts, for scheduled jobs (`aiom sweep`).

    with locks.exclusive("sweep"):
        ...  # no other process, on any host sharing the database, is in here

`exclusive` never waits: when another holder has the lock it raises `LockBusy` at once,
so a cron job that finds a run in progress can say so and exit.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) taken on a connection
of its own. The server releases it when that connection ends, so a holder killed with
SIGKILL, or a host that vanished, never blocks the next run.
SQLite (one host by nature): a `JobLock` row with a lease. A holder that crashed stops
blocking at once when it was a process on this host that no longer exists, and after
`lease` in any case. On both, the row says who holds the lock and since when, for the
"skipped" message. The row is bookkeeping for jobs, not domain data: it is not audited.
"""

import datetime as dt
import hashlib
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from aiom.core.models import JobLock

DEFAULT_LEASE = dt.timedelta(hours=1)


class LockBusy(Exception):  # noqa: N818 - reads better at call sites
    """Another process holds the named lock."""

    def __init__(self, name: str, holder: str = "", since: dt.datetime | None = None) -> None:
        self.name, self.holder, self.since = name, holder, since
        who = f" by {holder}" if holder else ""
        when = f" since {since.isoformat(timespec='seconds')}" if since else ""
        super().__init__(f"the {name!r} lock is held{who}{when}")


def holder_id() -> str:
    """Who is asking: host, process and a random part (two locks in one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock, derived from the lock's name."""
    digest = hashlib.sha256(f"aiom:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def holder_gone(holder: str) -> bool:
    """True when `holder` names a process on this host that no longer runs."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _busy(name: str) -> LockBusy:
    row = JobLock.objects.filter(name=name).first()
    if row is None or not row.holder:
        return LockBusy(name)
    return LockBusy(name, row.holder, row.acquired_at)


@transaction.atomic
def _take_row(name: str, holder: str, lease: dt.timedelta, *, force: bool) -> None:
    """Claim the lock row; with `force` (PostgreSQL, already holding the advisory lock)
    only note the holder."""
    now = timezone.now()
    row, _ = JobLock.objects.select_for_update().get_or_create(name=name)
    held = (
        bool(row.holder)
        and row.expires_at is not None
        and row.expires_at > now
        and not holder_gone(row.holder)
    )
    if held and not force:
        raise LockBusy(name, row.holder, row.acquired_at)
    row.holder, row.acquired_at, row.expires_at = holder, now, now + lease
    row.save(update_fields=["holder", "acquired_at", "expires_at"])


@transaction.atomic
def _release_row(name: str, holder: str) -> None:
    JobLock.objects.filter(name=name, holder=holder).update(
        holder="", acquired_at=None, expires_at=None
    )


@contextmanager
def _advisory(name: str) -> Iterator[None]:
    """Hold pg_try_advisory_lock on a dedicated connection for the duration."""
    raw: Any = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        key = advisory_key(name)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
        if not acquired:
            raise _busy(name)
        try:
            yield
        finally:
            with raw.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        raw.close()


@contextmanager
def exclusive(name: str, *, lease: dt.timedelta = DEFAULT_LEASE) -> Iterator[str]:
    """Run the body while holding the lock `name`; raise LockBusy at once if it is taken.

    Yields the holder id. `lease` bounds how long a crashed holder blocks others where
    the lock is a row (SQLite); keep it longer than the job takes.
    """
    holder = holder_id()
    if connection.vendor == "postgresql":
        with _advisory(name):
            _take_row(name, holder, lease, force=True)
            try:
                yield holder
            finally:
                _release_row(name, holder)
        return
    _take_row(name, holder, lease, force=False)
    try:
        yield holder
    finally:
        _release_row(name, holder)
