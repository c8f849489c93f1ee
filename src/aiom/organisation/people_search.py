"""Finding a person by what someone types: the pools a picker chooses from, the search the
autocomplete asks over the API, and the exact resolution a form does without JavaScript.

A pool is a named set of people a picker may offer: `internal` (active, not an external
partner) or `role:<role>` (active holders of a role, anywhere). The API searches the same
pool the form later accepts, so a suggestion is never refused for being out of the pool.
Who may search at all is the caller's business (internal people only; see organisation.api).
"""

import re
import time
from collections import deque
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from aiom.organisation.models import Role

User = get_user_model()

MIN_QUERY = 2
MAX_QUERY = 100
MAX_RESULTS = 20
# Searches one person may run in a sliding window, per process (typing fires one per pause).
RATE = 60
RATE_WINDOW = 10.0

_LABELLED = re.compile(r"\(([^()\s]+)\)\s*$")


class UnknownPoolError(ValueError):
    """A pool name nobody defined."""


def internal_people() -> QuerySet[Any]:
    """Active people who are not external partners, in name order."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role_assignments__role=Role.PARTNER)
        .order_by("first_name", "last_name", "username")
    )


def role_holders(role: str) -> QuerySet[Any]:
    """Active people holding `role` globally or in some unit, in name order."""
    return (
        User.objects.filter(is_active=True, role_assignments__role=role)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def pool(name: str) -> QuerySet[Any]:
    """The people pool `name` stands for."""
    if name == "internal":
        return internal_people()
    kind, _, role = name.partition(":")
    if kind == "role" and role in Role.values and role != Role.PARTNER:
        return role_holders(role)
    raise UnknownPoolError(name)


def label(user: Any) -> str:
    """How a picker shows a person: the name and, to tell namesakes apart, the username."""
    name = user.get_full_name().strip()
    return f"{name} ({user.username})" if name else str(user.username)


def search(people: QuerySet[Any], q: str, limit: int = 10) -> list[Any]:
    """Up to `limit` people of `people` whose username, name or email contains every word
    of `q` (a name typed as "ada love" finds Ada Lovelace); too short a query finds nobody."""
    words = q.split()[:5]
    if len(q.strip()) < MIN_QUERY or not words:
        return []
    for word in words:
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    found = people.select_related("person__org_unit")
    return list(found[: max(1, min(limit, MAX_RESULTS))])


def resolve(people: QuerySet[Any], text: str) -> list[Any]:
    """The people of `people` that `text` names exactly: a username, an email, or a
    picker's own label "Name (username)". More than one means the text is ambiguous."""
    text = text.strip()
    if not text:
        return []
    labelled = _LABELLED.search(text)
    if labelled:
        found = list(people.filter(username__iexact=labelled.group(1))[:2])
        if found:
            return found
    return list(people.filter(Q(username__iexact=text) | Q(email__iexact=text)).distinct()[:5])


_RECENT: dict[int, deque[float]] = {}


def allow(user_id: int, now: float | None = None) -> bool:
    """True unless this person ran RATE searches in the last RATE_WINDOW seconds."""
    now = time.monotonic() if now is None else now
    recent = _RECENT.setdefault(user_id, deque())
    while recent and now - recent[0] > RATE_WINDOW:
        recent.popleft()
    if len(recent) >= RATE:
        return False
    recent.append(now)
    if len(_RECENT) > 10_000:  # forget idle people; a process serves a bounded crowd
        for key in [k for k, v in _RECENT.items() if not v or now - v[-1] > RATE_WINDOW]:
            del _RECENT[key]
    return True
