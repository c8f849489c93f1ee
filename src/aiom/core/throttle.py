"""Sign-in throttling: lock out guessing per account, slow it down per client address.

Failures are rows in the database (SignInFailure), not process memory, so every worker
process and thread sees the same counts on SQLite and PostgreSQL.

- **Per account**: AIOM_LOGIN_MAX_FAILURES failures for one account within the window of
  AIOM_LOGIN_LOCKOUT_MINUTES lock that account for a whole window from the failure that
  reached the limit.
- **Per address**: an address is never locked out. Once AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS
  failures (password and API-token alike) came from it within the window, each further
  attempt from it must wait a delay after its latest failure, which doubles with every
  further failure: AIOM_LOGIN_ADDRESS_DELAY_SECONDS at the limit, twice that one failure
  later, and so on, at most AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS. A colleague behind the
  same shared address (a NAT, a proxy) who is not being attacked signs in once the current
  delay has passed, however many failures came before; a guesser gets a handful of tries
  per window instead of thousands.

While a lockout or a delay is in force, attempts are refused (429 with Retry-After) before
any password is checked and are not counted again, so each ends on time. A success clears
its account's failures (not its address's: one valid account must not reset a guesser's
delay). The start of each lockout, and the first delay of an address, is an audit event.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from aiom.core import audit
from aiom.core.models import AuditChainHead, SignInFailure

# Failures older than this are of no use to any window and are pruned on the next failure.
_KEEP = dt.timedelta(days=1)
# What an address or a typed username may hold in a row: no control characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Lockout:
    """A refusal in force: the account is locked, or the address must wait, until `until`."""

    scope: str  # "account" or "address"
    until: dt.datetime

    def seconds_left(self, now: dt.datetime | None = None) -> int:
        """Whole seconds to wait (at least 1): the Retry-After of a 429."""
        seconds = (self.until - (now or timezone.now())).total_seconds()
        return max(1, math.ceil(seconds))

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        return max(1, math.ceil(self.seconds_left(now) / 60))

    def message(self, now: dt.datetime | None = None) -> str:
        if self.scope == "account":
            minutes = self.minutes_left(now)
            unit = "minute" if minutes == 1 else "minutes"
            return f"Too many failed sign-ins for this account; try again in {minutes} {unit}."
        seconds = self.seconds_left(now)
        if seconds > 90:
            minutes = self.minutes_left(now)
            wait = f"{minutes} minute" + ("" if minutes == 1 else "s")
        else:
            wait = f"{seconds} second" + ("" if seconds == 1 else "s")
        return (
            f"Too many failed sign-ins from your network address; wait {wait} before trying again."
        )


def window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.AIOM_LOGIN_LOCKOUT_MINUTES)


def _clean(text: str, limit: int) -> str:
    return _UNSAFE.sub("", text)[:limit]


def account_key(username: str) -> str:
    return _clean(username.strip().casefold(), 150)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind AIOM_TRUSTED_PROXIES reverse proxies the
    X-Forwarded-For entry the outermost trusted proxy added (entries left of it are claims
    of the client, which could pick one to dodge its own delay)."""
    proxies = settings.AIOM_TRUSTED_PROXIES
    if proxies > 0:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= proxies:
            return _clean(str(chain[-proxies]), 45)
    return _clean(str(request.META.get("REMOTE_ADDR") or ""), 45)


def address_delay(failures: int) -> dt.timedelta:
    """How long an address waits after its latest failure, given its failures in the window:
    nothing below the limit, then the base delay doubling per failure, capped."""
    limit = settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS
    if failures < limit:
        return dt.timedelta(0)
    cap = float(settings.AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS)
    base = float(settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS)
    doublings = failures - limit
    # 2**64 seconds is past any cap; stop doubling there instead of overflowing a timedelta.
    seconds = cap if doublings >= 64 else min(cap, base * 2**doublings)
    return dt.timedelta(seconds=seconds)


def _account_locked_until(key: str, now: dt.datetime) -> dt.datetime | None:
    limit = settings.AIOM_LOGIN_MAX_FAILURES
    recent = (
        SignInFailure.objects.filter(at__gt=now - window(), username=key)
        .order_by("-at")
        .values_list("at", flat=True)
    )
    latest = list(recent[:limit])
    # Locked for a whole window from the failure that reached the limit (the latest one, as
    # locked attempts are not counted); by then all of them have left the window.
    return latest[0] + window() if len(latest) == limit else None


def _address_waits_until(address: str, now: dt.datetime) -> dt.datetime | None:
    recent = SignInFailure.objects.filter(at__gt=now - window(), address=address)
    failures = recent.count()
    delay = address_delay(failures)
    if not delay:
        return None
    latest = recent.order_by("-at").values_list("at", flat=True).first()
    assert latest is not None
    until = latest + delay
    return until if until > now else None


def lockout(*, username: str, address: str, now: dt.datetime | None = None) -> Lockout | None:
    """The lockout or delay in force for this account or address, or None (account first)."""
    now = now or timezone.now()
    key = account_key(username)
    if key:
        until = _account_locked_until(key, now)
        if until is not None and until > now:
            return Lockout("account", until)
    if address:
        until = _address_waits_until(address, now)
        if until is not None:
            return Lockout("address", until)
    return None


def _count(filters: dict[str, str], now: dt.datetime) -> int:
    return SignInFailure.objects.filter(at__gt=now - window(), **filters).count()


@transaction.atomic
def record_failure(
    *, username: str, address: str, kind: str = "password", now: dt.datetime | None = None
) -> Lockout | None:
    """Count one failure; audit a lockout or first delay it starts; return what is now in
    force."""
    # Serialise failures behind the audit chain's lock (which a lockout event takes anyway),
    # so that exactly one failure sees the count reach the limit, on PostgreSQL as on SQLite.
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    now = now or timezone.now()
    key = account_key(username)
    address = _clean(address, 45)
    SignInFailure.objects.filter(at__lt=now - max(_KEEP, window())).delete()
    failure = SignInFailure.objects.create(at=now, username=key, address=address, kind=kind)
    starts: list[tuple[str, str, dict[str, int]]] = []
    if key and _count({"username": key}, now) == settings.AIOM_LOGIN_MAX_FAILURES:
        starts.append(("account", f"account '{key}'", {}))
    if address and _count({"address": address}, now) == (
        settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS
    ):
        first = math.ceil(
            address_delay(settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS).total_seconds()
        )
        starts.append(("address", f"address {address}", {"delay_seconds": first}))
    for scope, what, extra in starts:
        verb = "locked" if scope == "account" else "slowed down"
        audit.record(
            actor=None,
            action="lockout",
            obj=failure,
            after={
                "scope": scope,
                "username": key,
                "address": address,
                "kind": kind,
                "minutes": settings.AIOM_LOGIN_LOCKOUT_MINUTES,
                **extra,
            },
            message=f"sign-in {verb} for {what} after repeated failures",
        )
    return lockout(username=username, address=address, now=now)


@transaction.atomic
def record_success(*, username: str) -> None:
    """A correct sign-in clears its account's failures; its address's stay counted."""
    SignInFailure.objects.filter(username=account_key(username)).delete()
