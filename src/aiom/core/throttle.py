"""Sign-in throttling: lock out guessing per account and per client address.

Failures are rows in the database (SignInFailure), not process memory, so every worker
process and thread sees the same counts on SQLite and PostgreSQL. Within the window of
AIOM_LOGIN_LOCKOUT_MINUTES, AIOM_LOGIN_MAX_FAILURES failures for one account (or
AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS from one address, for password and API-token failures
alike) lock it for a whole window from the failure that reached the limit. While locked,
attempts are refused before any password is checked and are not counted again, so a
lockout ends on time and the count then starts afresh. A success clears its account's
failures (not its address's). The start of each lockout is an audit event.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from aiom.core import audit
from aiom.core.models import AuditChainHead, SignInFailure

# Failures older than this are of no use to any window and are pruned on the next failure.
_KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Lockout:
    scope: str  # "account" or "address"
    until: dt.datetime

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        seconds = (self.until - (now or timezone.now())).total_seconds()
        return max(1, math.ceil(seconds / 60))

    def message(self, now: dt.datetime | None = None) -> str:
        minutes = self.minutes_left(now)
        unit = "minute" if minutes == 1 else "minutes"
        where = "for this account" if self.scope == "account" else "from your network address"
        return f"Too many failed sign-ins {where}; try again in {minutes} {unit}."


def window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.AIOM_LOGIN_LOCKOUT_MINUTES)


def account_key(username: str) -> str:
    return username.strip().casefold()[:150]


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind AIOM_TRUSTED_PROXIES reverse proxies the
    X-Forwarded-For entry the outermost trusted proxy added (entries left of it are claims
    of the client, which could pick one to dodge its own lockout)."""
    proxies = settings.AIOM_TRUSTED_PROXIES
    if proxies > 0:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= proxies:
            return str(chain[-proxies])[:45]
    return str(request.META.get("REMOTE_ADDR") or "")[:45]


def _locked_until(filters: dict[str, str], limit: int, now: dt.datetime) -> dt.datetime | None:
    recent = (
        SignInFailure.objects.filter(at__gt=now - window(), **filters)
        .order_by("-at")
        .values_list("at", flat=True)
    )
    latest = list(recent[:limit])
    # Locked for a whole window from the failure that reached the limit (the latest one, as
    # locked attempts are not counted); by then all of them have left the window.
    return latest[0] + window() if len(latest) == limit else None


def lockout(*, username: str, address: str, now: dt.datetime | None = None) -> Lockout | None:
    """The lockout in force for this account or address, or None (account first)."""
    now = now or timezone.now()
    key = account_key(username)
    if key:
        until = _locked_until({"username": key}, settings.AIOM_LOGIN_MAX_FAILURES, now)
        if until is not None:
            return Lockout("account", until)
    if address:
        limit = settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS
        until = _locked_until({"address": address}, limit, now)
        if until is not None:
            return Lockout("address", until)
    return None


def _count(filters: dict[str, str], now: dt.datetime) -> int:
    return SignInFailure.objects.filter(at__gt=now - window(), **filters).count()


@transaction.atomic
def record_failure(
    *, username: str, address: str, kind: str = "password", now: dt.datetime | None = None
) -> Lockout | None:
    """Count one failure; audit a lockout it starts; return the lockout now in force."""
    # Serialise failures behind the audit chain's lock (which a lockout event takes anyway),
    # so that exactly one failure sees the count reach the limit, on PostgreSQL as on SQLite.
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    now = now or timezone.now()
    key = account_key(username)
    SignInFailure.objects.filter(at__lt=now - max(_KEEP, window())).delete()
    failure = SignInFailure.objects.create(at=now, username=key, address=address, kind=kind)
    starts = []
    if key and _count({"username": key}, now) == settings.AIOM_LOGIN_MAX_FAILURES:
        starts.append(("account", f"account '{key}'"))
    if address and _count({"address": address}, now) == (
        settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS
    ):
        starts.append(("address", f"address {address}"))
    for scope, what in starts:
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
            },
            message=f"sign-in locked for {what} after repeated failures",
        )
    return lockout(username=username, address=address, now=now)


@transaction.atomic
def record_success(*, username: str) -> None:
    """A correct sign-in clears its account's failures; its address's stay counted."""
    SignInFailure.objects.filter(username=account_key(username)).delete()
